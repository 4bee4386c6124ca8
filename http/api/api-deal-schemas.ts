import { z } from '@hono/zod-openapi';
import { DEAL_ACTIONS, DEAL_HISTORY_ACTIONS, DEAL_LOST_REASON_MAX, DEAL_STAGES, QUALITY_TIERS, TRANSFER_REFUSALS } from '../../core/index.js';
import { Lead } from './api-schemas.js';

/**
 * The sales side's shapes (§8, §9), as api-schemas.ts is for leads: one set
 * of zod schemas for validation and the OpenAPI document, every list of
 * values core's own array.
 */
const ts = z.string().openapi({ format: 'date-time', example: '2026-12-02T10:00:00.000Z' });
const nts = ts.nullable();
const nstr = z.string().nullable();
const id = z.number().int();

export const Deal = z.object({
  id, lead_id: id, owner_id: id, stage: z.enum(DEAL_STAGES),
  amount_minor: z.number().int().nullable().openapi({ description: 'Exact amount in the currency\'s minor units (cents, kopiyky); null until AGREEMENT.' }),
  currency: z.string().openapi({ description: 'ISO 4217', example: 'UAH' }),
  lost_reason: nstr, closed_at: nts, duration_days: z.number().int().nullable().openapi({ description: 'Whole days from creation to PAID.' }),
  created_by: id.nullable(), last_activity_at: ts,
  version: id.openapi({ description: 'Bumped by every change; send it back as expected_version to refuse stale moves (409 DEAL_CHANGED).' }),
  created_at: ts, updated_at: ts,
}).openapi('Deal');
export const ListedDeal = Deal.extend({ lead_name: nstr, lead_company: nstr, owner_name: z.string() }).openapi('ListedDeal');

export const StageTotal = z.object({
  stage: z.enum(DEAL_STAGES), currency: z.string(), count: id,
  amount_minor: z.string().openapi({ description: 'Sum in minor units, a decimal string (sums may pass 2^53).', example: '1250050' }),
}).openapi('DealStageTotal');
export const DealPage = z.object({
  items: z.array(ListedDeal), next_cursor: nstr, has_next: z.boolean(), limit: id,
  totals: z.array(StageTotal).openapi({ description: 'Count and amount per stage and currency over every deal the filter matches, not just the page.' }),
}).openapi('DealPage', { description: '§6 keyset page (pass next_cursor back as cursor) with the §9 totals.' });

export const DealListQuery = z.object({
  stage: z.enum(DEAL_STAGES).optional().openapi({ description: 'Only this stage (default: the open ones, NEW, KYC, AGREEMENT).' }),
  mine: z.enum(['true', 'false']).optional().openapi({ description: 'Managers and admins: only their own deals (default: everyone\'s). Agents always see only theirs.' }),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const DealCard = z.object({
  deal: Deal,
  lead: z.object({
    id, full_name: nstr, company: nstr, position: nstr, phone: nstr, email: nstr, business_domain: nstr,
    ai_score: z.number().nullable(), quality_tier: z.enum(QUALITY_TIERS).nullable(), assigned_to: id.nullable(),
  }),
  owner: z.object({ id, full_name: z.string(), username: nstr }),
  actions: z.array(z.enum(DEAL_ACTIONS)).openapi({ description: 'What the caller may do with the deal now.' }),
}).openapi('DealCard');

export const Transfer = z.object({
  owner_id: z.number().int().positive().optional().openapi({ description: 'Who owns the deal (default: the lead\'s assignee; someone else: managers and admins).' }),
  expected_version: z.number().int().optional().openapi({ description: 'Refuse (409 LEAD_CHANGED) if the lead changed since.' }),
}).openapi('Transfer');
export const Transferred = z.object({ deal: Deal, lead: Lead }).openapi('Transferred');
export const TransferRefused = z.object({
  error: z.literal('TRANSFER_REFUSED'), message: z.string(), lead_id: id,
  refusals: z.array(z.enum(TRANSFER_REFUSALS)).min(1).openapi({ description: 'Every §8 gate the lead fails, the one to fix first first.' }),
  score: z.number().nullable(), min_score: z.number(),
}).openapi('TransferRefused', {
  example: { error: 'TRANSFER_REFUSED', message: 'Lead #7 cannot be transferred: score_too_low, no_domain', lead_id: 7, refusals: ['score_too_low', 'no_domain'], score: 0.42, min_score: 0.6 },
});

export const DealStageChange = z.object({
  stage: z.enum(DEAL_STAGES),
  amount: z.union([z.string().max(64), z.number()]).optional()
    .openapi({ description: 'AGREEMENT: the amount as people type it ("12 500", "12,500.50", "12 500,50 грн"); kept exactly.' }),
  currency: z.string().length(3).optional().openapi({ description: 'ISO 4217 code of the amount (default: the deal\'s).' }),
  reason: z.string().max(DEAL_LOST_REASON_MAX).optional().openapi({ description: `LOST: why (1–${DEAL_LOST_REASON_MAX} characters).` }),
  expected_version: z.number().int().optional().openapi({ description: 'Refuse (409 DEAL_CHANGED) if the deal changed since.' }),
}).openapi('DealStageChange');
export const DealMoved = z.object({
  deal: Deal,
  replayed: z.boolean().openapi({ description: 'The same caller\'s repeat of a move just made: nothing applied twice.' }),
  undo_token: nstr.openapi({ description: `POST /deals/{id}/undo with it within 30 s (null when replayed).` }),
}).openapi('DealMoved');
export const DealUndo = z.object({ undo_token: z.string().min(1).max(64) }).openapi('DealUndo');

export const DealHistory = z.object({
  id, deal_id: id, action: z.enum(DEAL_HISTORY_ACTIONS), actor_user_id: id.nullable(), actor_name: nstr,
  from_stage: z.enum(DEAL_STAGES).nullable(), to_stage: z.enum(DEAL_STAGES).nullable(), reason: nstr,
  details: z.record(z.string(), z.unknown()).nullable(), created_at: ts,
}).openapi('DealHistoryEntry');
