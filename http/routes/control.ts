import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { OPERATOR, type Core, type FormSource } from '../../core/index.js';
import { bearerToken } from '../middlewares/bearer-token.js';
import { createControlLeadRoutes } from './control-leads.js';
import type { AppEnv } from '../middlewares/request-logger.js';

/** Where main.ts mounts the control routes. */
export const CONTROL_PATH = '/control';

export interface ControlRouteDeps {
  /** The caller holds the machine: it acts as the operator (webhook URLs are built from the app's own PUBLIC_URL). */
  core: Core;
  /** The bearer token published in DATA_DIR/control.json. */
  token: string;
  /** The app's pid, answered by GET / so the caller knows who it reached. */
  pid: number;
}

/** A form source as the control API shows it: never the slug or secret on their own. */
export interface ControlSource {
  id: number;
  name: string;
  provider: FormSource['provider'];
  lead_source: FormSource['lead_source'];
  is_active: boolean;
  created_at: string;
  disabled_at: string | null;
}

/** One source with what a form builder needs: the webhook URL (with its secret where the provider needs it) and the secret. */
export interface ControlSourceAccess {
  source: ControlSource;
  webhook_url: string;
  secret: string;
}

const newSourceBody = z.object({
  name: z.string(),
  provider: z.string(),
  lead_source: z.string().nullish(),
});
// A name or an id, as typed. Not a path segment: a name like ".." would be
// normalised away by every URL parser on the way.
const sourceRef = z.object({ ref: z.string().min(1) });

/**
 * The local control API `npm run sources` uses while the app holds the
 * embedded database (scripts/sources.ts), mounted at /control on the
 * embedded database only. Every route needs `Authorization: Bearer <token>`
 * (401 otherwise). Core applies every rule; errors are answered by
 * app.onError (422 VALIDATION with `field`, 404 NOT_FOUND).
 *   GET  /                          → 200 {pid}
 *   GET  /sources                   → 200 {sources: [ControlSource & {webhook_url}]} (URLs without secrets)
 *   POST /sources {name, provider, lead_source?} → 201 ControlSourceAccess
 *   GET  /sources/show?ref=<id|name> → 200 ControlSourceAccess
 *   POST /sources/disable {ref}     → 200 {source: ControlSource}
 *   POST /sources/sign {ref, signing_secret} → 200 {source: ControlSource} (Webflow, HubSpot; null clears)
 *   GET  /intake/failed             → 200 {submissions: [...]} (set aside, newest first)
 *   POST /intake/replay {submission_id} → 200 {status: 'queued'} (§11)
 *   /leads/…                        → npm run leads (control-leads.ts)
 */
export function createControlRoutes(deps: ControlRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { formSources } = deps.core;
  const access = (source: FormSource): ControlSourceAccess => ({
    source: toControlSource(source), webhook_url: formSources.urlOf(source), secret: source.secret,
  });
  app.use(bearerToken(deps.token));
  app.get('/', (c) => c.json({ pid: deps.pid }));
  app.get('/sources', async (c) => {
    const sources = await formSources.list(OPERATOR);
    return c.json({
      sources: sources.map((s) => ({ ...toControlSource(s), webhook_url: formSources.urlOf(s, { withSecret: false }) })),
    });
  });
  app.post('/sources', async (c) => {
    const body = await jsonBody(c, newSourceBody);
    const { source } = await formSources.create(OPERATOR, {
      name: body.name, provider: body.provider, leadSource: body.lead_source ?? null,
    });
    return c.json(access(source), 201);
  });
  app.get('/sources/show', async (c) => {
    const { ref } = parseShape(sourceRef, c.req.query());
    return c.json(access(await formSources.find(OPERATOR, ref)));
  });
  app.post('/sources/disable', async (c) => {
    const { ref } = await jsonBody(c, sourceRef);
    return c.json({ source: toControlSource(await formSources.disable(OPERATOR, ref)) });
  });
  app.post('/sources/sign', async (c) => {
    const { ref, signing_secret } = await jsonBody(c, sourceRef.extend({ signing_secret: z.string().nullable() }));
    return c.json({ source: toControlSource(await formSources.setSigningSecret(OPERATOR, ref, signing_secret)) });
  });
  app.get('/intake/failed', async (c) => c.json({
    submissions: (await deps.core.intake.failed(OPERATOR, { limit: 50 })).map((s) => ({
      id: s.id, source_name: s.source_name, attempts: s.attempts, last_error: s.last_error, failed_at: new Date(s.failed_at).toISOString(),
    })),
  }));
  app.post('/intake/replay', async (c) => {
    const { submission_id } = await jsonBody(c, z.object({ submission_id: z.number().int().positive() }));
    await deps.core.intake.replay(OPERATOR, submission_id);
    return c.json({ status: 'queued' });
  });
  app.route('/leads', createControlLeadRoutes(deps.core));
  return app;
}

/** A form source as the control API shows it (scripts/sources.ts prints the same from its own database). */
export function toControlSource(s: FormSource): ControlSource {
  return {
    id: s.id, name: s.name, provider: s.provider, lead_source: s.lead_source, is_active: s.is_active,
    created_at: s.created_at.toISOString(), disabled_at: s.disabled_at?.toISOString() ?? null,
  };
}

/** The JSON body parsed by schema; 400 when it is not JSON or not that shape. */
async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const raw: unknown = await c.req.json().catch(() => {
    throw new HTTPException(400, { message: 'Body must be JSON' });
  });
  return parseShape(schema, raw);
}

/** value parsed by schema; 400 naming what is wrong otherwise. */
function parseShape<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HTTPException(400, { message: z.prettifyError(parsed.error) });
  return parsed.data;
}
