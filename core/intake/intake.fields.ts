/**
 * The one place that knows how people name form fields (§11): English,
 * Ukrainian and Russian spellings, matched case-insensitively. Form builders
 * let owners rename fields, so an exact name is tried first, then a word of
 * the label ("Your phone number?" → phone).
 */
export type FieldRole = 'fullName' | 'firstName' | 'lastName' | 'phone' | 'email' | 'message' | 'company' | 'position';

/** Whole field names, compared after normalizeLabel (case, apostrophes, separators). */
export const FIELD_NAMES: Record<FieldRole, readonly string[]> = {
  fullName: ['name', 'full name', 'fullname', 'your name', 'contact name', 'client name', 'customer name', 'fio',
    'имя', 'ваше имя', 'фио', 'имя и фамилия', "ім'я", 'ваше ім’я', 'імя', 'піб', "ім'я та прізвище"],
  firstName: ['first name', 'firstname', 'fname', 'given name'],
  lastName: ['last name', 'lastname', 'lname', 'surname', 'family name', 'фамилия', 'прізвище'],
  phone: ['phone', 'tel', 'telephone', 'phone number', 'phonenumber', 'mobile', 'mobile phone', 'cell',
    'телефон', 'тел', 'номер телефона', 'номер телефону', 'мобильный', 'мобільний'],
  email: ['email', 'e-mail', 'mail', 'email address', 'your email',
    'почта', 'эл почта', 'электронная почта', 'пошта', 'ел пошта', 'електронна пошта', 'емейл', 'имейл', 'імейл'],
  message: ['message', 'comment', 'comments', 'text', 'question', 'textarea', 'notes',
    'сообщение', 'комментарий', 'вопрос', 'повідомлення', 'коментар', 'питання'],
  company: ['company', 'company name', 'organization', 'organisation',
    'компания', 'организация', 'компанія', 'організація'],
  position: ['position', 'job title', 'jobtitle', 'job', 'role', 'должность', 'посада'],
};

// Words of a longer label. "x*" matches words starting with x (Slavic endings:
// телефона, телефону); short words match whole, so "tel" never claims "tell".
// Order matters: "Company name" is a company, not a person's name.
const FIELD_WORDS: ReadonlyArray<[FieldRole, readonly string[]]> = [
  ['email', ['email*', 'mail', 'почт*', 'пошт*', 'емейл', 'имейл', 'імейл']],
  ['phone', ['phone*', 'tel', 'telephone', 'mobile', 'телефон*', 'тел', 'мобильн*', 'мобільн*']],
  ['company', ['compan*', 'organi*', 'компан*', 'организац*', 'організац*']],
  ['position', ['position', 'job', 'должност*', 'посад*']],
  ['message', ['message*', 'comment*', 'question*', 'сообщени*', 'комментари*', 'вопрос*', 'повідомлен*', 'коментар*', 'питанн*']],
  ['fullName', ['name', 'fullname', 'фио', 'піб', 'имя', 'імя']],
];

/** Lower case, apostrophes dropped (ім'я = ім’я = імя), any separator run → one space. */
export function normalizeLabel(label: string): string {
  return label.normalize('NFKC').toLowerCase().replace(/['’ʼ`]/g, '')
    .split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

const EXACT = new Map<string, FieldRole>();
for (const [role, names] of Object.entries(FIELD_NAMES) as [FieldRole, readonly string[]][]) {
  for (const name of names) EXACT.set(normalizeLabel(name), role);
}

/** The role of a field named exactly like one of FIELD_NAMES, else null. */
export function exactRoleOf(label: string): FieldRole | null {
  return EXACT.get(normalizeLabel(label)) ?? null;
}

/** The role suggested by a word of a longer label ("What is your first name?"), else null. */
export function wordRoleOf(label: string): FieldRole | null {
  const words = normalizeLabel(label).split(' ');
  for (const [role, patterns] of FIELD_WORDS) {
    const hit = patterns.some((p) => p.endsWith('*')
      ? words.some((w) => w.startsWith(p.slice(0, -1)))
      : words.includes(p));
    if (hit) return role;
  }
  return null;
}

export interface PickedFields {
  fullName: string | null;
  phone: string | null;
  email: string | null;
  message: string | null;
  company: string | null;
  position: string | null;
  /** Fields no role claimed, by their original name. */
  extra: Record<string, string>;
}

/** [name, answer, other labels to match on (e.g. a Typeform ref and title)]. */
export type FieldEntry = readonly [name: string, value: string, alsoKnownAs?: readonly string[]];

/**
 * Assigns each entry to at most one role: exact names first, then label
 * words for the roles still empty; the first field wins a role. First and
 * last name make the full name when there is no name field.
 */
export function pickFields(entries: ReadonlyArray<FieldEntry>): PickedFields {
  const labelsOf = ([name, , aka]: FieldEntry) => [name, ...(aka ?? [])];
  const claimed = new Map<FieldRole, number>();
  const claim = (role: FieldRole | null | undefined, i: number) => {
    if (role && !claimed.has(role)) claimed.set(role, i);
  };
  entries.forEach((e, i) => claim(labelsOf(e).map(exactRoleOf).find(Boolean), i));
  const exactHits = new Set(claimed.values());
  entries.forEach((e, i) => { if (!exactHits.has(i)) claim(labelsOf(e).map(wordRoleOf).find(Boolean), i); });

  const value = (role: FieldRole) => {
    const i = claimed.get(role);
    return i === undefined ? null : entries[i]![1];
  };
  const nameParts = [value('firstName'), value('lastName')].filter((v): v is string => v !== null);
  const fullName = value('fullName') ?? (nameParts.length ? nameParts.join(' ') : null);
  // With a name field, separate first/last fields stay visible as extra answers.
  const usedRoles: FieldRole[] = value('fullName') !== null ? ['fullName'] : ['firstName', 'lastName'];
  usedRoles.push('phone', 'email', 'message', 'company', 'position');
  const used = new Set(usedRoles.map((r) => claimed.get(r)));
  const extra: Record<string, string> = {};
  entries.forEach(([label, v], i) => { if (!used.has(i)) extra[label] = v; });
  return {
    fullName, phone: value('phone'), email: value('email'), message: value('message'),
    company: value('company'), position: value('position'), extra,
  };
}
