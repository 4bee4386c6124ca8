import type { IncomingMessage } from 'node:http';

/**
 * Reads a Bot API request's parameters the way Telegram accepts them: a JSON
 * body (what grammY sends for every call without a file), a urlencoded or
 * multipart/form-data body (grammY's uploads, where objects such as
 * reply_markup arrive as JSON strings), and the query string. The result has
 * the shape a JSON caller would have sent, so one answering path serves all.
 * An uploaded file becomes `{ filename, bytes }` under its part name.
 */

export class PayloadError extends Error {
  override name = 'PayloadError';
}

export async function readBotApiPayload(req: IncomingMessage, url: URL): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const payload: Record<string, any> = {};
  for (const [key, value] of url.searchParams) payload[key] = fromFormValue(value);

  if (body.length === 0) return payload;
  if (type.startsWith('application/json')) {
    try {
      return { ...payload, ...(JSON.parse(body.toString('utf8')) as Record<string, any>) };
    } catch {
      throw new PayloadError("can't parse JSON body");
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) payload[key] = fromFormValue(value);
    return payload;
  }
  const boundary = /boundary=("?)([^";]+)\1/i.exec(type)?.[2];
  if (type.startsWith('multipart/form-data') && boundary) return { ...payload, ...parseMultipart(body, boundary) };
  throw new PayloadError(`unsupported content type "${type}"`);
}

/** Form values are strings; Telegram reads objects and arrays in them as JSON. */
function fromFormValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseMultipart(body: Buffer, boundary: string): Record<string, any> {
  const fields: Record<string, any> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    // A part is CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename=("?)([^";\r\n]*)\1/i.exec(headers)?.[2];
      if (name !== undefined) {
        fields[name] = filename !== undefined ? { filename, bytes: content.length } : fromFormValue(content.toString('utf8'));
      }
    }
    start = next;
  }
  return fields;
}
