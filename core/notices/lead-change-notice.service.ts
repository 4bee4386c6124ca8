import type { Db, Lead } from '../database.js';
import type { LeadChangeAction } from '../outbox/outbox.messages.js';
import { dropLeadChange, queueLeadChange } from '../outbox/outbox.writer.js';

/**
 * How long a lead_changed notice waits for more changes before it goes out,
 * in milliseconds: the changes others make to one lead within this window
 * reach its assignee as one message.
 */
export const LEAD_CHANGE_WINDOW_MS = 60_000;

/**
 * Tells a lead's assignee that someone else changed it (issue 9; §3, §5,
 * §6): `change` joins the lead_changed notice still waiting for them about
 * this lead, or starts one due in LEAD_CHANGE_WINDOW_MS (queueLeadChange:
 * safe under concurrent changes). `lead` is the lead as the change left it.
 * Nobody is told about their own change, an unassigned lead tells nobody,
 * and an inactive or pending assignee gets nothing.
 * Not for handing a lead over: that has its own messages (lead_card,
 * lead_reassigned_away) — see withdrawLeadChangeNotice.
 * `now`: core's clock (the use case's ctx.now()); without it, the database's.
 * Call inside the transaction of the change.
 */
export async function noticeLeadChange(
  trx: Db, p: { lead: Pick<Lead, 'id' | 'assigned_to'>; actorId: number | null; change: LeadChangeAction; now?: Date | undefined },
): Promise<void> {
  const assignee = p.lead.assigned_to;
  if (assignee === null || p.actorId === null || assignee === p.actorId) return;
  await queueLeadChange(trx, {
    userId: assignee, leadId: p.lead.id, change: { ...p.change, byUserId: p.actorId }, delayMs: LEAD_CHANGE_WINDOW_MS,
    ...(p.now ? { now: p.now } : {}),
  });
}

/**
 * The lead left `userId` (reassigned, given to someone else on a restore or
 * an undo): the notice still waiting for them about it is withdrawn, since
 * the hand-over message (or nothing, when they did it) says what matters and
 * they may no longer see the lead. A notice already being delivered stays.
 * Call inside the transaction of the hand-over.
 */
export async function withdrawLeadChangeNotice(trx: Db, p: { leadId: number; userId: number | null }): Promise<void> {
  if (p.userId !== null) await dropLeadChange(trx, { userId: p.userId, leadId: p.leadId });
}
