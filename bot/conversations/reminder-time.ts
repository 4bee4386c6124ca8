import type { Context } from 'grammy';
import { ValidationError, type Core } from '../../core/index.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { renderReminderList } from '../views/followups.view.js';
import { askText, type CrmConversation } from './ask-text.js';
import { replaceWithCard, type CardRef } from './card-question.js';

export const REMINDER_TIME_CONVERSATION = 'reminder-time';

/** A new reminder on the card `ref`, or moving reminder `reminderId` (from /reminders). */
export type ReminderTimeArgs = { ref: CardRef } | { reminderId: number };

const INPUT_MAX = 300;

/**
 * ✍️ Type a time… (§10): asks for a time and an optional text ("fri 15:00
 * call back"), read by core in the person's language and zone, until one
 * reads; a time past (or over a year ahead) is asked again. A new reminder
 * ends on its card with "Reminder set"; a moved one on /reminders.
 */
export function reminderTimeConversation(core: Core) {
  return async function reminderTime(conversation: CrmConversation, _ctx: Context, args: ReminderTimeArgs): Promise<void> {
    const on = 'ref' in args ? { core, ref: args.ref } : undefined;
    let asked = false;
    let prompt = (t: Texts) => ('ref' in args ? t.followups.askTime(args.ref.leadId) : t.followups.askMove);
    for (;;) {
      const text = await askText(conversation, prompt, { min: 1, max: INPUT_MAX, ...(on ? { on: { ...on, asked } } : {}) });
      if (text === null) return;
      asked = true;
      const outcome = await conversation.external(async (ctx) => {
        const parsed = core.reminders.parse(ctx.user, text);
        if (!parsed) return 'unreadable';
        try {
          if ('ref' in args) {
            const r = await core.reminders.create(ctx.user, { leadId: args.ref.leadId, when: { at: parsed.dueAt }, body: parsed.body });
            ctx.log.info({ lead_id: r.lead_id, reminder_id: r.id }, 'reminder_set');
            await replaceWithCard(core, ctx, args.ref, ctx.t.followups.set(r.lead_id, ctx.t.time.at(r.due_at)));
          } else {
            const r = await core.reminders.reschedule(ctx.user, args.reminderId, { at: parsed.dueAt });
            const view = renderReminderList(ctx.t, await core.reminders.list(ctx.user), ctx.t.followups.moved(ctx.t.time.at(r.due_at)));
            await ctx.reply(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard });
          }
          return 'done';
        } catch (err) {
          if (err instanceof ValidationError && err.field === 'due_at') return 'past';
          throw err;
        }
      });
      if (outcome === 'done') return;
      // Asked again with what was wrong (a reply where the person looks).
      prompt = (t) => (outcome === 'past' ? t.followups.pastTime : t.followups.notUnderstood(escapeHtml(truncate(text, 80))));
    }
  };
}
