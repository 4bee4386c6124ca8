import { InlineKeyboard } from 'grammy';
import type { Db, Lead, Notification, User } from '../../core/database.js';
import { getUser } from '../../core/users/user.service.js';
import { notFoundAsNull } from '../lead-cards.js';
import type { Texts } from '../texts/index.js';
import { personLabel, type View } from '../views/lead-card.view.js';

const userIdIn = (payload: Record<string, unknown>, key: string): number | null =>
  typeof payload[key] === 'number' && Number.isSafeInteger(payload[key]) ? payload[key] : null;

async function nameOf(db: Db, userId: number | null, fallback: string): Promise<string> {
  const user = userId === null ? null : await getUser(db, userId).catch(notFoundAsNull);
  return user ? personLabel(user) : fallback;
}

/**
 * 'lead_reassigned_away' (§4): the previous assignee can no longer see the
 * lead, so the notice carries only its number and who has it now. Null when
 * it is no longer true at delivery time (an undo gave the lead back).
 */
export async function renderReassignedAway(
  db: Db, t: Texts, n: Notification, lead: Lead, recipient: User,
): Promise<View | null> {
  if (lead.assigned_to === recipient.id) return null;
  const by = await nameOf(db, userIdIn(n.payload, 'by_user_id'), t.history.system);
  const toId = userIdIn(n.payload, 'to_user_id');
  const text = toId === null
    ? t.reassign.awayUnassigned(lead.id, by)
    : t.reassign.away(lead.id, await nameOf(db, toId, `#${toId}`), by);
  return { text, keyboard: new InlineKeyboard() };
}

/** The heading of a 'lead_card' notification: a reassignment says who gave it, a new lead says so. */
export async function leadCardNotice(db: Db, t: Texts, n: Notification): Promise<string> {
  const by = userIdIn(n.payload, 'reassigned_by');
  return by === null ? t.notify.newLead : t.reassign.toYou(await nameOf(db, by, `#${by}`));
}
