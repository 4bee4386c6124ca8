/**
 * Typed callback-data codecs (house style rule 8). Wire format:
 * `<name><version>:<field>:<field>…`, at most 64 bytes (Telegram's limit).
 * Callback data comes from the client and is never trusted: unpack returns
 * null for anything that does not match exactly, and handlers re-check rights.
 */
export interface Field<T> {
  parse(raw: string): T | null;
  format(value: T): string;
}

const MAX_BYTES = 64;

/** Non-negative safe integer in canonical form ("012" is refused). */
export const int: Field<number> = {
  parse: (raw) => (/^(0|[1-9]\d{0,14})$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : null),
  format: (value) => String(value),
};

export const oneOf = <T extends string>(values: readonly T[]): Field<T> => ({
  parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : null),
  format: (value) => value,
});

/** Short opaque key (base64url), e.g. a pointer into the key-value store. */
export const token: Field<string> = {
  parse: (raw) => (/^[A-Za-z0-9_-]{1,32}$/.test(raw) ? raw : null),
  format: (value) => value,
};

type Fields = Record<string, Field<any>>;
export type Values<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

export interface CallbackCodec<F extends Fields> {
  /** Matches every payload of this codec (and only those), for bot.callbackQuery(). */
  readonly filter: RegExp;
  pack(values: Values<F>): string;
  unpack(data: string | undefined): Values<F> | null;
}

export function defineCallbackData<F extends Fields>(prefix: string, fields: F): CallbackCodec<F> {
  if (!/^[a-z]+\d+$/.test(prefix)) throw new Error(`callback prefix must be letters + version: ${prefix}`);
  const keys = Object.keys(fields) as (keyof F & string)[];
  return {
    filter: new RegExp(`^${prefix}(:|$)`),
    pack(values) {
      const data = [prefix, ...keys.map((k) => fields[k]!.format(values[k]))].join(':');
      // A programming error, not user input: fail loudly instead of sending a button Telegram rejects.
      if (Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
      return data;
    },
    unpack(data) {
      if (!data || Buffer.byteLength(data) > MAX_BYTES) return null;
      const [head, ...parts] = data.split(':');
      if (head !== prefix || parts.length !== keys.length) return null;
      const out: Record<string, unknown> = {};
      for (const [i, key] of keys.entries()) {
        const value = fields[key]!.parse(parts[i]!);
        if (value === null) return null;
        out[key] = value;
      }
      return out as Values<F>;
    },
  };
}
