import { isRecord, isUtmKey, textOf, type BodyRecord } from './intake.body.js';
import { exactRoleOf, wordRoleOf } from './intake.fields.js';

/**
 * The nested shapes real senders use for answers (§11), read into flat
 * [question, answer] pairs:
 * - an object of answers under `data`, `fields`, `answers`, `namedValues`,
 *   `values`, `formData`, `submission` or `response` ({"Name": "Ann"});
 * - an array of pairs [{name|label|key|title|question|field: …, value|answer|values: …}];
 * - values as arrays of strings (a Google Apps Script sends each answer as
 *   ["Ann"]), or objects like {first, last} / {full};
 * - a phone given as a JSON number: digits only, with 10 or more of them it
 *   is an international number whose "+" JSON could not carry.
 */
export const ANSWER_CONTAINERS = ['data', 'fields', 'answers', 'namedValues', 'values', 'formData', 'submission', 'response'];
const NAME_KEYS = ['name', 'label', 'key', 'title', 'question', 'field', 'id'];
const VALUE_KEYS = ['value', 'answer', 'values', 'text'];

/** An answer's value as text; `label` says whether it is a phone (numbers read as international then). */
export function answerText(label: string, value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && isPhoneLabel(label)) {
    const digits = String(value);
    return digits.length >= 10 ? `+${digits}` : digits;
  }
  if (isRecord(value)) {
    const full = textOf(value.full) ?? textOf(value.value);
    if (full !== null) return full;
    const parts = [value.first, value.middle, value.last].map(textOf).filter((p): p is string => p !== null);
    if (parts.length) return parts.join(' ');
    const area = textOf(value.area);
    const phone = textOf(value.phone);
    if (phone !== null) return [area, phone].filter(Boolean).join(' ');
    return null;
  }
  return textOf(value);
}

const isPhoneLabel = (label: string) => (exactRoleOf(label) ?? wordRoleOf(label)) === 'phone';

/** [name, value] pairs from an array of {name|label|…, value|answer|…} objects; other items are ignored. */
function pairsOf(items: unknown[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    const name = NAME_KEYS.map((k) => textOf(item[k])).find((n) => n !== null && n !== undefined);
    const valueKey = VALUE_KEYS.find((k) => k in item);
    if (name && valueKey) pairs.push([name, item[valueKey]]);
  }
  return pairs;
}

/**
 * Answers of a body: its own fields (minus `skip`, UTM and containers) and
 * those of every answer container, objects and arrays alike, in order.
 */
export function collectAnswers(record: BodyRecord, skip: ReadonlySet<string> = new Set()): [string, string][] {
  const answers: [string, string][] = [];
  const add = (name: string, value: unknown) => {
    if (skip.has(name.toLowerCase()) || isUtmKey(name)) return;
    const text = answerText(name, value);
    if (text !== null) answers.push([name, text]);
  };
  const containers: unknown[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (ANSWER_CONTAINERS.includes(key) && (isRecord(value) || Array.isArray(value))) containers.push(value);
    else add(key, value);
  }
  for (const container of containers) {
    const entries = Array.isArray(container) ? pairsOf(container) : Object.entries(container as BodyRecord);
    for (const [name, value] of entries) add(name, value);
  }
  return answers;
}
