import type { Hono } from 'hono';
import { z } from 'zod';
import { currencyMinorDigits, DEAL_STAGES, ValidationError, type Core, type ListedDeal } from '../../../core/index.js';
import type { MiniAppEnv } from '../../middlewares/init-data-auth.js';

/** The deals board's columns (§9, §14): the open stages and PAID; LOST is the drop zone. */
const DEAL_COLUMNS = ['NEW', 'KYC', 'AGREEMENT', 'PAID'] as const;
/** Cards drawn per column (core's page limit); the column title shows the full count. */
const CARDS_PER_COLUMN = 50;

const dealMoveBody = z.object({
  dealId: z.number().int().positive(),
  to: z.enum(DEAL_STAGES),
  expectedVersion: z.number().int().nonnegative(),
  reason: z.string().max(4096).optional(),
  /** AGREEMENT: the amount as typed ("12 500 UAH"); core reads it. */
  amount: z.string().max(200).optional(),
});

/** Minor units as "12 500.00 UAH" — how the page shows an amount, whatever the user's locale. */
export function boardAmount(minor: number, currency: string): string {
  const digits = currencyMinorDigits(currency);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = (digits ? text.slice(0, -digits) : text).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${minor < 0 ? '-' : ''}${whole}${digits ? `.${text.slice(-digits)}` : ''} ${currency}`;
}

const card = (d: ListedDeal) => ({
  id: d.id, stage: d.stage, name: d.lead_name, company: d.lead_company, createdAt: d.created_at.toISOString(),
  assigneeId: d.owner_id, assigneeName: d.owner_name, aiScore: null, qualityTier: null, version: d.version,
  amount: d.amount_minor === null ? null : boardAmount(d.amount_minor, d.currency),
});

/**
 * The deals board's API (§9, §14), on the Mini App's authenticated sub-app:
 *   GET  /api/deals/board  columns NEW / KYC / AGREEMENT / PAID of the deals the viewer may see (core.deals.list)
 *   POST /api/deals/move   {dealId, to, expectedVersion, reason?, amount?} → the deal's new stage and version
 * The move is core.deals.move (rights, §9 rules, quota, undo, notices);
 * the amount is read by core.deals.readAmount. Refusals are core's errors,
 * worded by the page in the user's language from their codes.
 */
export function mountDealsBoard(app: Hono<MiniAppEnv>, core: Core, parseInput: <T>(s: z.ZodType<T>, v: unknown) => T): void {
  app.get('/api/deals/board', async (c) => {
    const user = c.get('user');
    const [pages, version] = await Promise.all([
      Promise.all(DEAL_COLUMNS.map((stage) => core.deals.list(user, { stage, limit: CARDS_PER_COLUMN }))),
      core.board.version(user),
    ]);
    const columns = DEAL_COLUMNS.map((stage, i) => ({
      stage,
      total: pages[i]!.totals.filter((t) => t.stage === stage).reduce((n, t) => n + Number(t.count), 0),
      cards: pages[i]!.items.map(card),
    }));
    return c.json({ columns, wipLimit: 0, wipExceeded: false, version });
  });
  app.post('/api/deals/move', async (c) => {
    const body = parseInput(dealMoveBody, await c.req.json().catch(() => null));
    const user = c.get('user');
    if (body.amount !== undefined && body.to !== 'AGREEMENT') throw new ValidationError('amount', 'an amount is set with AGREEMENT only');
    const amount = body.amount !== undefined ? await core.deals.readAmount(user, body.dealId, body.amount) : null;
    const { deal } = await core.deals.move(user, {
      dealId: body.dealId, to: body.to, expectedVersion: body.expectedVersion,
      ...(body.reason !== undefined ? { reason: body.reason } : {}), ...(amount ? { amount } : {}),
    });
    return c.json({ id: deal.id, stage: deal.stage, version: deal.version });
  });
}
