import { Hono } from 'hono';
import { z } from 'zod';
import {
  BOARD_TARGETS, can, COLD_STAGES, LEAD_SOURCES, LOST_REASON_CODES, QUALITY_TIERS, UNASSIGNED, ValidationError, type Core,
  type LeadListFilters,
} from '../../../core/index.js';
import { initDataAuth, type MiniAppEnv } from '../../middlewares/init-data-auth.js';
import { mountDealsBoard } from './deals-board.js';
import { createStaticFiles } from './static-files.js';

/** Where the board is served (PUBLIC_URL + this is the web_app URL the bot's buttons open). */
export const MINIAPP_PATH = '/app';
/** How often the page asks whether anything changed (ms): others' moves appear within this. */
export const BOARD_POLL_MS = 3_000;
/** The boards the page offers, as tabs: the cold pipeline's leads and the sales pipeline's deals (§9, deals-board.ts). */
const BOARDS = ['leads', 'deals'] as const;

const list = <T extends string>(values: readonly T[]) => z.string().optional()
  .transform((s) => (s ? s.split(',').filter(Boolean) : undefined))
  .pipe(z.array(z.enum(values)).optional());

/** The /leads filters as a query string: stage, quality_tier, source, assignee (user ids or "unassigned"), comma-separated. */
const filterQuery = z.object({
  stage: list(COLD_STAGES),
  quality_tier: list(QUALITY_TIERS),
  source: list(LEAD_SOURCES),
  assignee: z.string().optional().transform((s) => s?.split(',').filter(Boolean).map((a) => (a === UNASSIGNED ? UNASSIGNED : Number(a)))),
});

const moveBody = z.object({
  leadId: z.number().int().positive(),
  to: z.enum(BOARD_TARGETS),
  expectedVersion: z.number().int().nonnegative(),
  lostReasonCode: z.enum(LOST_REASON_CODES).optional(),
  reason: z.string().max(4096).optional(),
});

/** Bad input is a ValidationError (422, naming the field), never a 500. */
function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ValidationError(issue.path.join('.') || 'body', issue.message);
}

/**
 * The kanban board as a Telegram Mini App (§14), under /app (mount this at the root):
 *   GET  /               the page (Vite build; assets/* content-hashed, cached for a year)
 *   GET  /api/me         who is signed in and what the board may offer them
 *   GET  /api/board      columns and cards (?stage=&quality_tier=&source=&assignee=), with the data version
 *   GET  /api/version    the data version: the page polls it and reloads the board when it changes
 *   GET  /api/assignees  the assignee filter's people (managers, admins)
 *   POST /api/move       {leadId, to, expectedVersion, lostReasonCode?, reason?} → the lead's new stage and version
 *   GET  /api/deals/board, POST /api/deals/move   the deals board (deals-board.ts)
 * Every /api call is authenticated by Telegram's init data (initDataAuth);
 * rights, rules and refusals are core's (errors as app.onError maps them).
 */
export function createMiniAppRoutes(p: { core: Core; botToken: string; initDataMaxAgeSeconds: number; assetsDir: string }): Hono<MiniAppEnv> {
  const { core } = p;
  // Mounted at the root with its own prefix: Hono would fold a mount at /app and '/' into "/app", not "/app/".
  const root = new Hono<MiniAppEnv>();
  const app = new Hono<MiniAppEnv>();
  const files = createStaticFiles(p.assetsDir);
  root.get(MINIAPP_PATH, (c) => c.redirect(`${MINIAPP_PATH}/${new URL(c.req.url).search}`, 301));
  root.get(`${MINIAPP_PATH}/`, (c) => files.page(c));
  app.get('/assets/*', (c) => files.asset(c, c.req.path.replace(/^.*?\/assets\//, '')));

  app.use('/api/*', initDataAuth({ core, botToken: p.botToken, maxAgeSeconds: p.initDataMaxAgeSeconds }));
  app.get('/api/me', (c) => {
    const user = c.get('user');
    return c.json({
      id: user.id, name: user.full_name, role: user.role, language: user.language,
      canRollback: can(user, 'leads.rollback'), canFilterAssignee: can(user, 'leads.all'),
      lostReasonCodes: LOST_REASON_CODES, pollMs: BOARD_POLL_MS, boards: BOARDS,
    });
  });
  app.get('/api/board', async (c) => {
    const q = parseInput(filterQuery, c.req.query());
    const filters: LeadListFilters = {
      ...(q.stage ? { stages: q.stage } : {}), ...(q.quality_tier ? { qualityTiers: q.quality_tier } : {}),
      ...(q.source ? { sources: q.source } : {}), ...(q.assignee ? { assignees: q.assignee } : {}),
    };
    const user = c.get('user');
    const [board, version] = await Promise.all([core.board.board(user, filters), core.board.version(user)]);
    return c.json({ ...board, version });
  });
  app.get('/api/version', async (c) => c.json({ version: await core.board.version(c.get('user')) }));
  app.get('/api/assignees', async (c) => c.json({ users: await core.leads.filterAssignees(c.get('user')) }));
  app.post('/api/move', async (c) => {
    const body = parseInput(moveBody, await c.req.json().catch(() => null));
    const lead = await core.board.move(c.get('user'), {
      leadId: body.leadId, to: body.to, expectedVersion: body.expectedVersion,
      ...(body.lostReasonCode ? { lostReason: { code: body.lostReasonCode } } : body.to === 'LOST' && body.reason ? { lostReason: { text: body.reason } } : {}),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    });
    return c.json({ id: lead.id, stage: lead.stage, version: lead.version });
  });
  mountDealsBoard(app, core, parseInput);
  // route() copies the routes the sub-app has now: last.
  root.route(MINIAPP_PATH, app);
  return root;
}
