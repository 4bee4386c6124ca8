import { Hono } from 'hono';
import { DomainError, MAX_BODY_BYTES, PayloadTooLargeError, type Core, type IntakeResult } from '../../core/index.js';
import type { Logger } from '../../logger.js';
import type { AppEnv } from '../middlewares/request-logger.js';

export interface FormWebhookDeps {
  core: Core;
  logger: Logger;
}

const EVENT_BY_STATUS: Record<IntakeResult['status'], string> = {
  accepted: 'intake_accepted',
  duplicate: 'intake_duplicate',
  test: 'intake_test_ping',
};

/**
 * Form webhooks (§11), mounted under /webhooks/forms: `POST /:slug`.
 * Secret in `X-Webhook-Secret` or `?secret=` (Tilda, Jotform, generic;
 * Webflow and HubSpot without a signing key) or the provider's signature
 * header (Typeform, Tally, Webflow, HubSpot), checked before anything else (a wrong
 * secret is 401, never 413/415). 202 accepted (journaled: the lead follows
 * from the intake worker), 200 provider retry / test ping; 404 unknown or
 * disabled source, 401, 413 (> 64 KB), 415, 422;
 * 503 with Retry-After while the database is away (form builders retry a 503).
 * Errors are answered by app.onError as `{error: code, message}`. Logs name
 * the source by id, never the slug, secret, phone or email. Core keeps
 * each source's health (401s, runs of 422s, a disabled source still
 * called) and tells the admins, at most once an hour per source. An accepted
 * submission wakes this instance's intake worker (core.intake.onJournaled).
 */
export function createFormWebhookRoutes(deps: FormWebhookDeps): Hono<AppEnv> {
  const { core } = deps;
  const app = new Hono<AppEnv>();
  app.post('/:slug', async (c) => {
    let log = (c.get('logger') ?? deps.logger).child({ module: 'form_webhooks' });
    try {
      const source = await core.intake.sourceBySlug(c.req.param('slug'));
      log = log.child({ form_source_id: source.id, provider: source.provider });
      const credentials = {
        providedSecret: c.req.header('x-webhook-secret') || c.req.query('secret') || null,
        signature: c.req.header('typeform-signature') ?? null,
        // Tally, Webflow and HubSpot put their signatures in headers of their own (lower-case names here).
        headers: c.req.header(),
        method: c.req.method,
        requestUrl: core.intake.requestUrlOf(source, new URL(c.req.url).search),
      };
      // Before a byte of the body is read; receive verifies a signature against it.
      await core.intake.authenticate(source, credentials);
      const declared = Number(c.req.header('content-length') ?? 0);
      const rawBody = declared > MAX_BODY_BYTES ? null : await readBodyText(c.req.raw, MAX_BODY_BYTES);
      if (rawBody === null) throw new PayloadTooLargeError(MAX_BODY_BYTES);

      const result = await core.intake.receive({
        source, rawBody, contentType: c.req.header('content-type') ?? '', ...credentials,
      });
      log.info({ submission_id: result.submissionId ?? null, lead_id: result.leadId ?? null }, EVENT_BY_STATUS[result.status]);
      if (result.status === 'test') return c.json({ status: 'test' }, 200);
      if (result.status === 'accepted') return c.json({ status: 'accepted', submission_id: result.submissionId }, 202);
      return c.json({ status: 'duplicate', submission_id: result.submissionId, lead_id: result.leadId }, 200);
    } catch (err) {
      // app.onError answers (one status table for all of http/); the log line says which source refused what.
      if (err instanceof DomainError) log.warn({ code: err.code }, 'intake_rejected');
      throw err;
    }
  });
  return app;
}

/**
 * The body as UTF-8 text, or null once it passes maxBytes: counted on the
 * bytes actually read, since Content-Length can be absent (chunked) or wrong.
 */
async function readBodyText(req: Request, maxBytes: number): Promise<string | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  // ignoreBOM keeps a byte-order mark in the text, so the bytes a signature covers survive.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(chunks));
}
