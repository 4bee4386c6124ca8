import { z } from 'zod';
import { DEAL_STAGES } from '../deals/deal.constants.js';
import { COLD_STAGES, EDITABLE_LEAD_FIELDS } from '../leads/lead.constants.js';
import { ROLES } from '../users/user.constants.js';
import { followupSchemas } from './followup.messages.js';

/**
 * Every message the product sends a person, as one typed union (house
 * style rule 20). The writer (core use cases) and the renderer (bot/outbox)
 * share these types, so a key that one side renames fails tsc on the
 * other; rows are parsed with the same schema when they are delivered, so a
 * row written by an older version that no longer fits is refused cleanly
 * instead of rendered wrong. A message names what it is about (a lead id, a
 * user id): it is rendered from the current state at delivery time, in the
 * recipient's language.
 */
const id = z.number().int().positive();
const stage = z.enum(COLD_STAGES);
const dealStage = z.enum(DEAL_STAGES);

/**
 * What someone did to a lead, as a lead_changed notice records it (§3, §5,
 * §6): codes and ids only — the words are the reader's, at delivery.
 * `byUserId` is who did it; `at` when (ISO 8601, the database's clock).
 */
const leadChangeSchemas = [
  /** A forward move or LOST (§3), one lead or a bulk move. */
  z.object({ action: z.literal('stage_changed'), from: stage, to: stage }),
  /** ↩️ One step back (§3). */
  z.object({ action: z.literal('rolled_back'), from: stage, to: stage }),
  z.object({ action: z.literal('note_added') }),
  /** 📞 A contact logged on a stale alert (§10). */
  z.object({ action: z.literal('contact_logged') }),
  z.object({ action: z.literal('attachment_added') }),
  z.object({ action: z.literal('fields_edited'), fields: z.array(z.enum(EDITABLE_LEAD_FIELDS)).min(1) }),
  z.object({ action: z.literal('deleted') }),
  z.object({ action: z.literal('restored') }),
  /** An undo (§3–§6): a Lost taken back (`to`: the stage it is in again), or a delete. */
  z.object({ action: z.literal('undone'), undone: z.enum(['lost', 'delete']), to: stage.nullable() }),
] as const;
const leadChangeSchema = z.discriminatedUnion('action', leadChangeSchemas)
  .and(z.object({ byUserId: id, at: z.string().min(1) }));
export type LeadChange = z.infer<typeof leadChangeSchema>;
/** A change as a service reports it: who and when are added by the notice. */
export type LeadChangeAction = z.infer<(typeof leadChangeSchemas)[number]>;

/** Why a form source is reported to admins (§11): 401s, a run of 422s, a disabled source still called. */
export const SOURCE_PROBLEMS = ['unauthorized', 'unprocessable', 'disabled'] as const;
export type SourceProblem = (typeof SOURCE_PROBLEMS)[number];

const messageSchemas = [
  /** §4: a lead is now yours — a new one, handed over (a manager, a deactivation), or given to you on a restore. */
  z.object({
    kind: z.literal('lead_card'),
    leadId: id,
    reason: z.enum(['new', 'reassigned', 'deactivation', 'restored', 'picked_up', 'escalated']),
    byUserId: id.nullable(),
  }),
  /** §4: nobody had capacity (or its owner left): for every active manager and admin. */
  z.object({ kind: z.literal('unassigned_lead'), leadId: id, reason: z.enum(['new', 'deactivation', 'restored']) }),
  /** §4: a known contact sent a form again. */
  z.object({ kind: z.literal('repeat_inquiry'), leadId: id, summary: z.string().max(4096) }),
  /** §10: no activity for `days` days. */
  z.object({ kind: z.literal('stale_alert'), leadId: id, days: z.number().int().min(0), score: z.number().nullable() }),
  /** §4: the previous owner learns who has the lead now (they may no longer see it). */
  z.object({ kind: z.literal('lead_reassigned_away'), leadId: id, toUserId: id.nullable(), byUserId: id }),
  /**
   * §3, §5, §6: others changed the recipient's lead; the changes of about a
   * minute, merged into one notice (core/notices). Rendered with the card.
   */
  z.object({ kind: z.literal('lead_changed'), leadId: id, changes: z.array(leadChangeSchema).min(1) }),
  /**
   * §11: a form source is failing; for every active admin, at most once an
   * hour per source. `streak`: consecutive unprocessable submissions so far.
   */
  z.object({
    kind: z.literal('form_source_failing'), formSourceId: id, problem: z.enum(SOURCE_PROBLEMS),
    streak: z.number().int().min(0),
  }),
  /** §11: a journaled submission could not become a lead and was set aside; for every active admin, with a replay button. */
  z.object({ kind: z.literal('intake_failed'), submissionId: id, formSourceId: id }),
  /** §1: someone asked for access; for every active admin, with decision buttons. */
  z.object({ kind: z.literal('access_request'), userId: id }),
  /** §1: the outcome, for the person who asked. */
  z.object({ kind: z.literal('access_decided'), approved: z.boolean(), role: z.enum(ROLES).nullable() }),
  /** §1: an admin changed the recipient's role. */
  z.object({ kind: z.literal('role_changed'), role: z.enum(ROLES) }),
  /** §1: an admin switched the recipient's account off, or back on. */
  z.object({ kind: z.literal('account_deactivated') }),
  z.object({ kind: z.literal('account_reactivated') }),
  /** §1: someone joined the team with the recipient's invite. */
  z.object({ kind: z.literal('invite_used'), userId: id, role: z.enum(ROLES) }),
  /** §12, to a customer's chat: a message of their conversation (a staff reply, or one of the bot's own texts). */
  z.object({ kind: z.literal('customer_message'), conversationId: id, messageId: id }),
  /**
   * §12: what a customer wrote since the last notice (their messages
   * fromMessageId … toMessageId), for whoever answers for the lead; messages
   * arriving while it waits extend toMessageId, so a burst is one notice.
   */
  z.object({ kind: z.literal('customer_messages'), leadId: id, conversationId: id, fromMessageId: id, toMessageId: id }),
  /** §12: a reply the customer could not receive (they blocked the bot, or Telegram refused it), for its sender. */
  z.object({
    kind: z.literal('customer_reply_failed'), leadId: id, conversationId: id, messageId: id,
    reason: z.enum(['blocked', 'refused']),
  }),
  /** A CSV import gave the recipient `count` new leads (unassigned: nobody had capacity; for managers). */
  z.object({
    kind: z.literal('leads_imported'), importId: z.string().min(1).max(64), count: z.number().int().min(1),
    unassigned: z.boolean(),
  }),
  ...followupSchemas,
  /** §8: a deal is now the recipient's: a lead was transferred to sales (byUserId: who transferred it). */
  z.object({ kind: z.literal('deal_card'), dealId: id, reason: z.enum(['transferred']), byUserId: id.nullable() }),
  /** §8: the configured sales chat (SALES_CHAT_ID, a group) hears of every new deal. */
  z.object({ kind: z.literal('sales_chat_deal'), dealId: id }),
  /** §9: someone else moved the recipient's deal (or undid a move: `undone`). */
  z.object({
    kind: z.literal('deal_changed'), dealId: id, from: dealStage, to: dealStage, undone: z.boolean(), byUserId: id,
  }),
  /** §10 for deals: an open deal without activity for `days` days. */
  z.object({ kind: z.literal('deal_stale_alert'), dealId: id, days: z.number().int().min(0) }),
] as const;

export const outboxMessageSchema = z.discriminatedUnion('kind', messageSchemas);
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxKind = OutboxMessage['kind'];
export type OutboxMessageOf<K extends OutboxKind> = Extract<OutboxMessage, { kind: K }>;
export const OUTBOX_KINDS = messageSchemas.map((s) => s.shape.kind.value) as readonly OutboxKind[];

/** Messages about a lead: delivered only while the recipient may still see it (all but lead_reassigned_away). */
export const LEAD_MESSAGE_KINDS = [
  'lead_card', 'unassigned_lead', 'repeat_inquiry', 'stale_alert', 'lead_changed', 'customer_messages', 'customer_reply_failed',
  'reminder', 'reminder_failed', 'sla_breach', 'escalation', 'owner_pinged',
] as const satisfies readonly OutboxKind[];

/** Messages about a deal: delivered only to an active recipient who may still see the deal. */
export const DEAL_MESSAGE_KINDS = ['deal_card', 'deal_changed', 'deal_stale_alert'] as const satisfies readonly OutboxKind[];

/** Messages to a configured team chat (the sales chat, §8): no user receives them; rendered in the team's language. */
export const CHAT_OUTBOX_KINDS = ['sales_chat_deal'] as const satisfies readonly OutboxKind[];

/** Messages to a customer's chat (§12): no user receives them, so no user's status or rights apply. */
export const CUSTOMER_OUTBOX_KINDS = ['customer_message'] as const satisfies readonly OutboxKind[];

/** The lead a message is about, if any (kept in its own column for look-ups). */
export function leadIdOf(message: OutboxMessage): number | null {
  return 'leadId' in message ? message.leadId : null;
}

/** Splits a stored row back into its message; null when it no longer fits the schema. */
export function parseOutboxMessage(kind: string, payload: unknown): OutboxMessage | null {
  const parsed = outboxMessageSchema.safeParse({ ...(payload as object), kind });
  return parsed.success ? parsed.data : null;
}
