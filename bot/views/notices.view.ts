import { InlineKeyboard } from 'grammy';
import { EDITABLE_LEAD_FIELDS, type EditableLeadField, type LeadChange, type SourceProblem } from '../../core/index.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { fieldLabel } from './lead-edit.view.js';

/** A notice lists at most this many items; the rest are counted ("… 3 more changes"). */
const ITEMS_MAX = 8;
/** …and names at most this many people; the rest are counted ("Mia, Oleh, Ada, Bob and 3 more"). */
const PEOPLE_MAX = 5;
/** Between the items of a notice: punctuation, the same in every language. */
const SEPARATOR = ' · ';

/**
 * What others did to a lead, in the reader's words: repeated notes, logged
 * contacts and files are counted into one item ("📝 3 notes added"),
 * edited fields gathered into one, stage moves and the rest listed in the
 * order they happened. Returns the items, each already HTML.
 */
export function leadChangeItems(t: Texts, changes: readonly LeadChange[]): string[] {
  const slots: (() => string)[] = [];
  const counts = new Map<string, number>();
  const counted = (key: string, words: (n: number) => string) => {
    if (!counts.has(key)) slots.push(() => words(counts.get(key)!));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const fields = new Set<EditableLeadField>();
  for (const c of changes) {
    switch (c.action) {
      case 'stage_changed': slots.push(() => t.notices.stageChanged(t.stages[c.to])); break;
      case 'rolled_back': slots.push(() => t.notices.rolledBack(t.stages[c.to])); break;
      case 'note_added': counted('note', t.notices.notesAdded); break;
      case 'contact_logged': counted('contact', t.notices.contactsLogged); break;
      case 'attachment_added': counted('file', t.notices.filesAttached); break;
      case 'fields_edited':
        if (fields.size === 0) {
          slots.push(() => {
            const edited = EDITABLE_LEAD_FIELDS.filter((f) => fields.has(f));
            return t.notices.fieldsEdited(edited.map((f) => fieldLabel(t, f)).join(', '), edited.length);
          });
        }
        for (const f of c.fields) fields.add(f);
        break;
      case 'deleted': slots.push(() => t.notices.deleted); break;
      case 'restored': slots.push(() => t.notices.restored); break;
      case 'undone':
        slots.push(() => (c.undone === 'lost' && c.to ? t.notices.lostUndone(t.stages[c.to]) : t.notices.deleteUndone));
        break;
      default: {
        const unknownChange: never = c;
        throw new Error(`unknown lead change ${JSON.stringify(unknownChange)}`);
      }
    }
  }
  const items = slots.map((s) => s());
  return items.length <= ITEMS_MAX ? items : [...items.slice(0, ITEMS_MAX - 1), t.notices.more(items.length - ITEMS_MAX + 1)];
}

/**
 * The heading of a lead_changed notice: who (`people`: their labels, already
 * escaped, in the order they acted), which lead, what.
 */
export function leadChangedHeading(t: Texts, leadId: number, changes: readonly LeadChange[], people: readonly string[]): string {
  const named = people.length <= PEOPLE_MAX ? people
    : [...people.slice(0, PEOPLE_MAX - 1), t.notices.morePeople(people.length - PEOPLE_MAX + 1)];
  return t.notices.leadChanged(t.notices.people(named), leadId, leadChangeItems(t, changes).join(SEPARATOR));
}

/** §11: a failing form for an admin — which (its name, escaped), what is wrong, what to do. */
export function renderSourceAlert(t: Texts, sourceName: string, problem: SourceProblem, streak: number): View {
  const a = t.sourceAlerts;
  return {
    text: [a.title(sourceName), a.problem[problem](streak), a.fix[problem], `<i>${a.footer}</i>`].join('\n\n'),
    keyboard: new InlineKeyboard(),
  };
}
