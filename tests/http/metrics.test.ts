import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { createMetrics } from '../../metrics.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';
import { buildApp } from './http-harness.js';

let handle: DbHandle;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
});
afterAll(async () => {
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  await sql`truncate notifications, stale_alerts, lead_history, lead_notes, leads, users restart identity cascade`.execute(handle.db);
});

async function scrape(app: { request: (path: string) => Response | Promise<Response> }): Promise<string> {
  const res = await app.request('/metrics');
  expect(res.status).toBe(200);
  return res.text();
}

describe('GET /metrics (§15)', () => {
  it('serves the Prometheus text format', async () => {
    const { app } = buildApp({ handle, store });

    const res = await app.request('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of ['crm_leads_created_total', 'crm_leads_by_stage', 'crm_ai_duration_seconds',
      'crm_transfers_total', 'crm_http_requests_total', 'crm_http_request_duration_seconds',
      'crm_bot_updates_total', 'crm_bot_update_duration_seconds', 'crm_notifications_total', 'crm_stale_alerts_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('crm_ai_duration_seconds_bucket{le="0.1"} 0');
    expect(text).toContain('crm_ai_duration_seconds_bucket{le="10"} 0');
  });

  it('counts leads by stage and by source from the rows in the database at scrape time', async () => {
    const agent = await makeUser(handle.db);
    await makeLead(handle.db, { stage: 'NEW' });
    await makeLead(handle.db, { stage: 'CONTACTED', assigned_to: agent.id, source: 'REFERRAL' });
    await makeLead(handle.db, { stage: 'CONTACTED', assigned_to: agent.id });
    await makeLead(handle.db, { stage: 'QUALIFIED', is_deleted: true, deleted_at: new Date() });
    const { app } = buildApp({ handle, store });

    const first = await scrape(app);

    expect(first).toContain('crm_leads_by_stage{stage="NEW"} 1');
    expect(first).toContain('crm_leads_by_stage{stage="CONTACTED"} 2');
    expect(first).toContain('crm_leads_by_stage{stage="QUALIFIED"} 0'); // deleted leads are not in the pipeline
    expect(first).toContain('crm_leads_by_stage{stage="LOST"} 0');
    expect(first).toContain('crm_leads_created_total{source="WEB"} 3'); // ...but they were created
    expect(first).toContain('crm_leads_created_total{source="REFERRAL"} 1');
    expect(first).toContain('crm_leads_created_total{source="MESSAGE"} 0');

    await makeLead(handle.db, { stage: 'LOST', lost_reason: 'no budget' });
    const second = await scrape(app);

    expect(second).toContain('crm_leads_by_stage{stage="LOST"} 1');
    expect(second).toContain('crm_leads_created_total{source="WEB"} 4');
  });

  it('gives two app instances on one database the same lead counts', async () => {
    await makeLead(handle.db, { stage: 'NEW' });
    const a = buildApp({ handle, store }).app;
    const b = buildApp({ handle, store }).app;

    expect(await scrape(a)).toContain('crm_leads_by_stage{stage="NEW"} 1');
    expect(await scrape(b)).toContain('crm_leads_by_stage{stage="NEW"} 1');
  });

  it('counts HTTP requests by method, route pattern and status', async () => {
    const { app } = buildApp({ handle, store });
    await app.request('/health');
    await app.request('/health');
    await app.request('/no/such/page/42');

    const text = await scrape(app);

    expect(text).toContain('crm_http_requests_total{method="GET",route="/health",status="200"} 2');
    expect(text).toContain('crm_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain('/no/such/page');
    expect(text).toMatch(/crm_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 2/);
  });

  it('when the database fails during a scrape, still serves the other series', async () => {
    const dead = await createDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const metrics = createMetrics({ leadCounts: createTestCore(dead, store).operations.leadCounts, defaultMetrics: false });
    metrics.transfers.inc({ result: 'success' });
    const { app } = buildApp({ handle, store, metrics });

    const text = await scrape(app);

    expect(text).toContain('crm_transfers_total{result="success"} 1');
    expect(text).toContain('crm_metrics_collect_errors_total 1');
    await dead.close();
  });

  it('keeps its own registry: two instances never share series', () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: true });
    a.staleAlerts.inc();

    expect(a.registry).not.toBe(b.registry);
    return b.registry.getSingleMetricAsString('crm_stale_alerts_total')
      .then((text) => expect(text).toContain('crm_stale_alerts_total 0'));
  });
});
