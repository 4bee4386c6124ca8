import { Composer } from 'grammy';
import {
  pingOwnerData, reminderCancelData, reminderDoneData, reminderMoveData, reminderMoveToData, reminderMoveTypeData,
  remindersListData, remindMenuData, remindPresetData, remindTypeData,
} from '../callback-data/followups.js';
import type { ActiveContext } from '../context.js';
import { cardRefOf } from '../conversations/card-question.js';
import { REMINDER_TIME_CONVERSATION, type ReminderTimeArgs } from '../conversations/reminder-time.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { confirmTap, onCallback } from '../on-callback.js';
import { renderDigest, renderMoveMenu, renderReminderList, renderRemindMenu } from '../views/followups.view.js';
import { renderLeadCard } from '../views/lead-card.view.js';

/**
 * Reminders (§10) and the rest of issue 11 in the chat: ⏰ Remind on a card
 * (presets, or a typed time and text), ✅ Done / ⏰ +1 h / ⏰ Tomorrow on a
 * delivered reminder, /reminders to move or cancel them, 🔔 Ping owner on an
 * escalation, and /digest. Core checks every right again.
 */
export function remindersFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  const enter = async (ctx: ActiveContext, args: ReminderTimeArgs) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(REMINDER_TIME_CONVERSATION, args);
  };
  const list = async (ctx: ActiveContext, notice?: string) => renderReminderList(ctx.t, await core.reminders.list(ctx.user), notice);

  onCallback(composer, remindMenuData, core, async (ctx, data) => {
    await editTapped(ctx, renderRemindMenu(ctx.t, await cardFor(ctx, core, data.leadId)));
  });
  onCallback(composer, remindPresetData, core, async (ctx, data) => {
    const reminder = await core.reminders.create(ctx.user, { leadId: data.leadId, when: { preset: data.preset } });
    ctx.log.info({ lead_id: data.leadId, reminder_id: reminder.id }, 'reminder_set');
    confirmTap(ctx, ctx.t.followups.set(data.leadId, ctx.t.time.at(reminder.due_at)));
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, data.leadId)));
  });
  onCallback(composer, remindTypeData, core, async (ctx, data) => enter(ctx, { ref: cardRefOf(ctx, data.leadId) }));

  onCallback(composer, reminderDoneData, core, async (ctx, data) => {
    const reminder = await core.reminders.done(ctx.user, data.reminderId);
    confirmTap(ctx, ctx.t.followups.done);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, reminder.lead_id)));
  });
  onCallback(composer, reminderMoveToData, core, async (ctx, data) => {
    const reminder = await core.reminders.reschedule(ctx.user, data.reminderId, { preset: data.preset });
    const moved = ctx.t.followups.moved(ctx.t.time.at(reminder.due_at));
    confirmTap(ctx, moved);
    await editTapped(ctx, data.from === 'due'
      ? renderLeadCard(ctx.t, await cardFor(ctx, core, reminder.lead_id)) : await list(ctx, moved));
  });
  onCallback(composer, reminderMoveData, core, async (ctx, data) => {
    const items = await core.reminders.list(ctx.user);
    const n = items.findIndex((r) => r.id === data.reminderId) + 1;
    await editTapped(ctx, n > 0 ? renderMoveMenu(ctx.t, data.reminderId, n) : await list(ctx));
  });
  onCallback(composer, reminderMoveTypeData, core, async (ctx, data) => enter(ctx, { reminderId: data.reminderId }));
  onCallback(composer, reminderCancelData, core, async (ctx, data) => {
    await core.reminders.cancel(ctx.user, data.reminderId);
    confirmTap(ctx, ctx.t.followups.cancelled);
    await editTapped(ctx, await list(ctx, ctx.t.followups.cancelled));
  });
  onCallback(composer, remindersListData, core, async (ctx) => editTapped(ctx, await list(ctx)));

  onCallback(composer, pingOwnerData, core, async (ctx, data) => {
    const { ownerId } = await core.followups.pingOwner(ctx.user, data.leadId);
    const owner = await core.outbox.person(ownerId);
    confirmTap(ctx, ctx.t.followups.pingSent(owner?.full_name ?? String(ownerId)));
  });

  composer.command('reminders', async (ctx) => {
    const view = await list(ctx);
    await ctx.reply(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard });
  });
  composer.command('digest', async (ctx) => {
    const view = renderDigest(ctx.t, await core.followups.digest(ctx.user));
    await ctx.reply(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard });
  });
  return composer;
}
