import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  COLD_STAGES, CSV_MAX_BYTES, LEAD_SOURCES, OPERATOR, QUALITY_TIERS, type Core, type LeadListFilters, type LeadSource,
} from '../../core/index.js';
import type { AppEnv } from '../middlewares/request-logger.js';

/** The filters `npm run leads -- export` passes, as lists of enum values. */
export const exportFilters = z.object({
  stages: z.array(z.enum(COLD_STAGES)).optional(),
  sources: z.array(z.enum(LEAD_SOURCES)).optional(),
  qualityTiers: z.array(z.enum(QUALITY_TIERS)).optional(),
});

/** One line of the import stream: progress, then the result (the per-row file base64) or an error. */
export type ImportStreamLine =
  | { progress: { done: number; total: number } }
  | { result: { total: number; created: number; duplicate: number; refused: number; results_csv: string } }
  | { error: { message: string } };

/**
 * `npm run leads` through the app that holds the embedded database
 * (scripts/leads.ts), under /control/leads, behind the control token:
 *   POST /import?file=<name>&source=<LeadSource>  body: the CSV bytes → an NDJSON stream
 *        of {progress} lines while it runs, then {result} (or {error})
 *   POST /export  {stages?, sources?, qualityTiers?} → the CSV (x-lead-count: how many)
 * The operator acts: core applies every rule.
 */
export function createControlLeadRoutes(core: Core): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/import', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > CSV_MAX_BYTES) throw new HTTPException(413, { message: 'The file is too large' });
    const source = c.req.query('source');
    if (source && !(LEAD_SOURCES as readonly string[]).includes(source)) throw new HTTPException(400, { message: `source: one of ${LEAD_SOURCES.join(', ')}` });
    const fileName = c.req.query('file') || 'leads.csv';
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: ImportStreamLine) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        try {
          const summary = await core.imports.importCsv(OPERATOR, {
            bytes, fileName, ...(source ? { defaultSource: source as LeadSource } : {}),
            onProgress: (done, total) => send({ progress: { done, total } }),
          });
          send({ result: {
            total: summary.total, created: summary.created, duplicate: summary.duplicate, refused: summary.refused,
            results_csv: core.imports.resultsCsv(summary).toString('base64'),
          } });
        } catch (err) {
          send({ error: { message: err instanceof Error ? err.message : String(err) } });
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'application/x-ndjson' } });
  });
  app.post('/export', async (c) => {
    const parsed = exportFilters.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) throw new HTTPException(400, { message: z.prettifyError(parsed.error) });
    const { csv, count } = await core.imports.exportCsv(OPERATOR, parsed.data as LeadListFilters);
    return new Response(new Uint8Array(csv), { headers: { 'content-type': 'text/csv; charset=utf-8', 'x-lead-count': String(count) } });
  });
  return app;
}
