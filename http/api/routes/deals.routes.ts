import { createRoute } from '@hono/zod-openapi';
import type { Core, DealList, User } from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, send } from '../api-route.js';
import {
  DealCard, DealHistory, DealListQuery, DealMoved, DealPage, DealStageChange, DealUndo, Deal, Transfer, TransferRefused, Transferred,
} from '../api-deal-schemas.js';
import { ErrorBody, IdParam, OffsetQuery, offsetPageOf } from '../api-schemas.js';
import { versionFor } from './leads.routes.js';

const tags = ['Deals'];
const CHANGE_ERRORS = errors(...AUTHED, 403, 404, 409);

/** The version a deal move is checked against: the caller's, or the deal's current one. */
async function dealVersionFor(core: Core, viewer: User, dealId: number, expected: number | undefined): Promise<number> {
  return expected ?? (await core.deals.card(viewer, dealId)).deal.version;
}

const pageJson = (page: DealList) => ({
  items: page.items, next_cursor: page.nextCursor, has_next: page.hasNext, limit: page.limit,
  totals: page.totals.map((t) => ({ stage: t.stage, currency: t.currency, count: t.count, amount_minor: t.amountMinor })),
});

/** The transfer to sales (§8) and the sales pipeline (§9): each handler one core.deals use case. */
export function dealRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/transfer', tags, security: bearer, summary: 'Transfer a lead to sales (makes its deal)',
    description: 'The §8 gates (QUALIFIED, analysed, ai_score ≥ 0.6, business domain set) are checked in core; a refusal answers 422 TRANSFER_REFUSED naming every failed condition in `refusals`. The deal\'s owner is the lead\'s assignee unless a manager or admin names `owner_id`.',
    request: { params: IdParam, ...body(Transfer) },
    responses: {
      201: json(Transferred, 'The new deal and the lead, now TRANSFERRED'),
      ...CHANGE_ERRORS,
      422: json(TransferRefused.or(ErrorBody), 'TRANSFER_REFUSED (the failed §8 gates), or VALIDATION / INACTIVE_ASSIGNEE in the one error shape'),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const { deal, lead } = await core.deals.transfer(viewer, {
      leadId: id, expectedVersion: await versionFor(core, viewer, id, b.expected_version), ownerId: b.owner_id ?? null,
    });
    return send(c, { deal, lead }, 201);
  });

  app.openapi(createRoute({
    method: 'get', path: '/deals', tags, security: bearer, summary: 'List deals (keyset pages, totals per stage)',
    description: 'Agents see their own deals, managers and admins everyone\'s (`mine=true`: their own). Newest first; default the open stages.',
    request: { query: DealListQuery },
    responses: { 200: json(DealPage, 'A page'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.deals.list(c.get('viewer'), {
      cursor: q.cursor ?? null, limit: q.limit, stage: q.stage ?? null, mine: q.mine === 'true',
    });
    return send(c, pageJson(page));
  });

  app.openapi(createRoute({
    method: 'get', path: '/deals/{id}', tags, security: bearer, summary: 'Read a deal (its card)',
    request: { params: IdParam },
    responses: { 200: json(DealCard, 'The deal card'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => send(c, await core.deals.card(c.get('viewer'), c.req.valid('param').id)));

  app.openapi(createRoute({
    method: 'post', path: '/deals/{id}/stage', tags, security: bearer, summary: 'Move a deal one stage forward, or to LOST',
    description: 'NEW → KYC → AGREEMENT → PAID (409 INVALID_DEAL_TRANSITION names expected_stage and the rule); AGREEMENT needs `amount` (422 INVALID_AMOUNT names the problem); LOST needs `reason`. A stale expected_version answers 409 DEAL_CHANGED with current_version. One stage_transition of the caller (§16); undoable for 30 s.',
    request: { params: IdParam, ...body(DealStageChange) },
    responses: { 200: json(DealMoved, 'The deal and the undo token'), ...CHANGE_ERRORS },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const amount = b.amount === undefined ? null
      : await core.deals.readAmount(viewer, id, b.currency ? `${b.amount} ${b.currency}` : String(b.amount));
    const move = await core.deals.move(viewer, {
      dealId: id, to: b.stage, expectedVersion: await dealVersionFor(core, viewer, id, b.expected_version),
      reason: b.reason ?? null, amount,
    });
    return send(c, { deal: move.deal, replayed: move.replayed, undo_token: move.undoToken });
  });

  app.openapi(createRoute({
    method: 'post', path: '/deals/{id}/undo', tags, security: bearer, summary: 'Undo a deal move within 30 s',
    description: 'Only by the person who moved it, or an admin, while the deal is as the move left it (409 DEAL_CHANGED otherwise); 410 UNDO_EXPIRED after 30 s.',
    request: { params: IdParam, ...body(DealUndo) },
    responses: { 200: json(Deal, 'The deal as it was'), ...errors(...AUTHED, 403, 404, 409, 410) },
  }), async (c) => {
    const { id } = c.req.valid('param');
    return send(c, await core.deals.undo(c.get('viewer'), c.req.valid('json').undo_token, id));
  });

  app.openapi(createRoute({
    method: 'get', path: '/deals/{id}/history', tags, security: bearer, summary: 'A deal\'s history, newest first',
    request: { params: IdParam, query: OffsetQuery },
    responses: { 200: json(offsetPageOf(DealHistory, 'DealHistoryPage'), 'A page'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.deals.history(c.get('viewer'), c.req.valid('param').id, q);
    return send(c, { items: page.items, total: page.total, limit: q.limit, offset: q.offset });
  });
  return app;
}
