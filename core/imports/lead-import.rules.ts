import { ValidationError } from '../errors.js';
import { isUtmKey } from '../intake/intake.body.js';
import { normalizeLabel, pickFields } from '../intake/intake.fields.js';
import { LEAD_SOURCES, type LeadSource } from '../leads/lead.constants.js';
import { normalizeEmail, normalizePhone } from '../leads/lead.sanitize.js';
import type { LeadInput } from '../leads/lead.service.js';

/** Which column holds what, found once from the header. */
export interface ColumnMap {
  fullName: number[];
  phone: number | null;
  email: number | null;
  message: number | null;
  company: number | null;
  position: number | null;
  source: number | null;
  utm: Partial<Record<'source' | 'medium' | 'campaign' | 'content' | 'term', number>>;
  /** Every other column: kept in the intent as "header: value". */
  extra: number[];
}

const SOURCE_NAMES = new Set(['source', 'lead source', 'leadsource', 'channel', 'джерело', 'источник', 'канал'].map(normalizeLabel));
const MARK = '\u0000';

/**
 * Maps a header to lead fields with the same names intake knows (§11:
 * English, Ukrainian and Russian, exact names first, then words of the
 * label), plus a `source` column and utm_* columns.
 */
export function mapColumns(header: readonly string[]): ColumnMap {
  const map: ColumnMap = {
    fullName: [], phone: null, email: null, message: null, company: null, position: null, source: null, utm: {}, extra: [],
  };
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (isUtmKey(name)) map.utm[name.trim().toLowerCase().slice(4) as keyof ColumnMap['utm']] ??= i;
    else if (SOURCE_NAMES.has(normalizeLabel(name)) && map.source === null) map.source = i;
    else if (name) {
      // Two columns of one name both stay (pickFields keys extras by name).
      const unique = seen.has(name) ? `${name} (${i + 1})` : name;
      seen.add(unique);
      entries.push([unique, `${MARK}${i}`]);
    }
  });
  // pickFields decides roles exactly as intake does; the values it returns are our column markers.
  const picked = pickFields(entries);
  const indexOf = (v: string | null) => (v === null ? null : Number(v.slice(1)));
  map.fullName = picked.fullName?.split(' ').map((m) => Number(m.slice(1))) ?? [];
  map.phone = indexOf(picked.phone);
  map.email = indexOf(picked.email);
  map.message = indexOf(picked.message);
  map.company = indexOf(picked.company);
  map.position = indexOf(picked.position);
  map.extra = Object.values(picked.extra).map((v) => Number(v.slice(1)));
  return map;
}

/**
 * A cell as a spreadsheet meant it: Excel's text markers dropped — a
 * leading apostrophe ('+380…) and the ="…" formula that keeps leading zeros.
 */
export function cellText(raw: string | undefined): string {
  const text = (raw ?? '').replace(/\u00a0/g, ' ').trim();
  const formula = /^="(.*)"$/.exec(text);
  if (formula) return formula[1]!.trim();
  return text.startsWith("'") ? text.slice(1).trim() : text;
}

export type RowOutcome = { input: LeadInput } | { refused: string };

/**
 * One row as the lead it describes (§2), checked like every lead: a valid
 * phone or email is required (an import must be repeatable, and only those
 * find the lead again, §4); an unreadable phone next to a valid email is
 * kept as unverified text, an invalid email next to a valid phone goes into
 * the intent. Unknown columns become "header: value" lines of the intent.
 */
export function rowToLead(
  header: readonly string[], cells: readonly string[], map: ColumnMap,
  opts: { defaultSource: LeadSource; reference: string; defaultCountry?: string | undefined },
): RowOutcome {
  const cell = (i: number | null) => (i === null ? '' : cellText(cells[i]));
  const phoneText = cell(map.phone);
  const emailText = cell(map.email);
  const phone = attempt(() => normalizePhone(phoneText, opts.defaultCountry));
  const email = attempt(() => normalizeEmail(emailText));
  if (!phone.value && !email.value) {
    const why = [phoneText && !phone.value ? `phone "${phoneText.slice(0, 40)}" is not a phone number` : null,
      emailText && !email.value ? `email "${emailText.slice(0, 60)}" is not an email address` : null].filter(Boolean);
    return { refused: why.length ? why.join('; ') : 'no phone or email' };
  }
  const sourceText = cell(map.source).toUpperCase();
  const source = (LEAD_SOURCES as readonly string[]).includes(sourceText) ? sourceText as LeadSource : opts.defaultSource;
  const notes = [
    cell(map.message),
    email.failed && emailText ? `Email as imported (not a valid address): ${emailText}` : '',
    ...map.extra.map((i) => (cell(i) ? `${header[i]}: ${cell(i)}` : '')),
  ].filter(Boolean);
  const utm = Object.fromEntries(Object.entries(map.utm).map(([k, i]) => [k, cell(i!) || null]));
  return {
    input: {
      source,
      fullName: map.fullName.map((i) => cell(i)).filter(Boolean).join(' ') || null,
      phone: phone.value,
      phoneUnverified: phone.failed ? phoneText : null,
      email: email.value,
      company: cell(map.company) || null,
      position: cell(map.position) || null,
      intent: notes.join('\n') || null,
      utm,
      formReference: opts.reference,
      actorUserId: null,
    },
  };
}

function attempt(normalize: () => string | null): { value: string | null; failed: boolean } {
  try {
    return { value: normalize(), failed: false };
  } catch (err) {
    if (err instanceof ValidationError) return { value: null, failed: true };
    throw err;
  }
}
