import { z } from 'zod';

/**
 * The messages of issue 11 (speed-to-lead, reminders, the escalation ladder,
 * the daily digest), kept beside the main union (outbox.messages.ts) so that
 * file stays one screen. Ids and codes only: words come at delivery.
 */
const id = z.number().int().positive();

export const ESCALATION_CAUSES = ['sla', 'stale'] as const;

export const followupSchemas = [
  /** §10: a reminder is due; delivered with the lead card and ✅ Done / ⏰ +1 h / ⏰ Tomorrow. */
  z.object({ kind: z.literal('reminder'), reminderId: id, leadId: id }),
  /**
   * §10: a reminder could not be delivered — `retries`: 3 attempts failed
   * (for its owner and the managers); `refused`: Telegram refused it (400/403,
   * e.g. the owner blocked the bot; for the managers).
   */
  z.object({ kind: z.literal('reminder_failed'), reminderId: id, leadId: id, ownerId: id, reason: z.enum(['retries', 'refused']) }),
  /** Speed-to-lead: a NEW lead nobody contacted within FIRST_CONTACT_SLA_MINUTES (working minutes); for its owner. */
  z.object({ kind: z.literal('sla_breach'), leadId: id, minutes: z.number().int().min(0) }),
  /**
   * The ladder: rung 2 — the managers get a lead its owner left alone (with
   * 👤 Reassign, 🔔 Ping owner); rung 3 — it was reassigned by the §4 rule,
   * for the previous owner (the new one gets a lead_card 'escalated').
   */
  z.object({
    kind: z.literal('escalation'), leadId: id, cause: z.enum(ESCALATION_CAUSES), rung: z.union([z.literal(2), z.literal(3)]),
    ownerId: id, toUserId: id.nullable(),
  }),
  /** 🔔 A manager pinged the owner about their lead. */
  z.object({ kind: z.literal('owner_pinged'), leadId: id, byUserId: id }),
  /** The daily digest of `date` (the recipient's local YYYY-MM-DD), rendered from the state at delivery. */
  z.object({ kind: z.literal('digest'), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
] as const;
