import type { SourceProblem } from '../../core/index.js';

const plural = new Intl.PluralRules('en');
const people = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });
const count = (n: number, one: string, other: string) => `${n} ${plural.select(n) === 'one' ? one : other}`;

/**
 * Texts of the notices people get when others act (issue 9): others'
 * changes to my lead, and a failing form for the admins. In English.
 * Arguments that come from users (names) arrive already escaped.
 */
export const enNotices = {
  notices: {
    /** The heading above the card: who (already joined by `people`), which lead, what (items joined by " · "). */
    leadChanged: (who: string, leadId: number, changes: string) => `✏️ <b>${who}</b> changed lead #${leadId}: ${changes}`,
    people: (names: readonly string[]) => people.format(names),
    /** The last entry of a long list of people: "Mia, Oleh, Ada, Bob and 3 more". */
    morePeople: (n: number) => `${n} more`,
    stageChanged: (to: string) => `➡️ moved to <b>${to}</b>`,
    rolledBack: (to: string) => `↩️ rolled back to <b>${to}</b>`,
    notesAdded: (n: number) => (n === 1 ? '📝 note added' : `📝 ${count(n, 'note', 'notes')} added`),
    contactsLogged: (n: number) => (n === 1 ? '📞 contact logged' : `📞 ${count(n, 'contact', 'contacts')} logged`),
    filesAttached: (n: number) => (n === 1 ? '📎 file attached' : `📎 ${count(n, 'file', 'files')} attached`),
    fieldsEdited: (fields: string, _n: number) => `✏️ edited: ${fields}`,
    deleted: '🗑 deleted',
    restored: '♻️ restored',
    lostUndone: (to: string) => `↩️ Lost undone: back in <b>${to}</b>`,
    deleteUndone: '♻️ deletion undone',
    more: (n: number) => `… ${count(n, 'more change', 'more changes')}`,
    deletedNow: 'The lead is deleted now; admins can restore it.',
  },
  sourceAlerts: {
    title: (name: string) => `⚠️ <b>Form “${name}” is failing</b>`,
    problem: {
      unauthorized: () => 'Deliveries to its webhook are refused: the secret or signature is wrong (HTTP 401). They create no leads.',
      unprocessable: (streak: number) => `The last ${count(streak, 'submission', 'submissions')} in a row could not be used ` +
        '(HTTP 422): no phone or email could be read, or the body was unreadable. They were not saved.',
      disabled: () => 'The source is disabled, but the form builder still sends submissions to it; ' +
        'they are refused (HTTP 404) and not saved.',
    } satisfies Record<SourceProblem, (streak: number) => string>,
    fix: {
      unauthorized: 'What to do: check the webhook in the form builder — its URL must end with the ?secret=… given when ' +
        'the source was created (Typeform: the same secret in the webhook’s Secret field). If the secret is lost, add a ' +
        'new source with /sources, point the form at it and disable this one.',
      unprocessable: 'What to do: check that the form has a phone or email field and sends it; for a generic form, name ' +
        'the fields name, phone, email and message. Then send a test submission.',
      disabled: 'What to do: if the form is still in use, add a new source with /sources and put its URL into the form; ' +
        'otherwise remove the webhook from the form builder.',
    } satisfies Record<SourceProblem, string>,
    footer: 'At most one such message an hour per form.',
  },
};

export type NoticeTexts = typeof enNotices;
