import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import type { Database } from '../../core/database.js';
import { createJobs } from '../../jobs/index.js';
import { runStaleLeads, type StaleLeadsDeps } from '../../jobs/stale-leads.job.js';
import { createMetrics } from '../../metrics.js';
import { captureLogger, testConfig } from '../http/http-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';

const DAY = 86_400_000;

let handle: DbHandle;
let db: Kysely<Database>;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  store = createTestStore();
});
afterAll(async () => {
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  await sql`truncate notifications, stale_alerts, lead_history, lead_notes, leads, users restart identity cascade`.execute(db);
  await store.delete('lock:job:stale-leads');
});

async function staleLeads(n: number): Promise<number[]> {
  const agent = await makeUser(db);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const lead = await makeLead(db, {
      stage: 'CONTACTED', assigned_to: agent.id, last_activity_at: new Date(Date.now() - (8 + i) * DAY),
    });
    ids.push(lead.id);
  }
  return ids;
}

function deps(extra: Partial<StaleLeadsDeps> = {}): StaleLeadsDeps {
  return { core: createTestCore(handle, store, { STALE_AFTER_DAYS: '7' }), store, logger: pino({ level: 'silent' }), ...extra };
}

describe('runStaleLeads', () => {
  it('alerts stale deals in the same run (§9): logged as stale_deal_alert_sent, each message carrying the run id', async () => {
    const owner = await makeUser(db);
    const lead = await makeLead(db, { stage: 'TRANSFERRED', assigned_to: owner.id });
    const deal = await db.insertInto('deals').values({
      lead_id: lead.id, owner_id: owner.id, currency: 'UAH', last_activity_at: new Date(Date.now() - 9 * DAY),
    }).returning('id').executeTakeFirstOrThrow();
    const logs = captureLogger();
    const run = await runStaleLeads({ ...deps({ logger: logs.logger }), core: createTestCore(handle, store, { DEAL_STALE_AFTER_DAYS: '7' }) });
    expect(run).toMatchObject({ status: 'completed', alerted: 0, deals: { alerted: 1, skipped: 0 } });
    expect(logs.lines.find((l) => l.msg === 'stale_deal_alert_sent')).toMatchObject({ deal_id: deal.id, user_id: owner.id, days: 9 });
    const row = await db.selectFrom('notifications').select(['kind', 'correlation_id']).where('recipient_user_id', '=', owner.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: 'deal_stale_alert', correlation_id: `job:stale-leads:${run.runId}` });
  });

  it('queues the alerts, logs stale_alert_sent with the run id, counts them; each message carries the run id', async () => {
    const ids = await staleLeads(2);
    const logs = captureLogger();
    const metrics = createMetrics({ defaultMetrics: false });

    const run = await runStaleLeads(deps({ logger: logs.logger, metrics }));

    expect(run).toMatchObject({ status: 'completed', alerted: 2, skipped: 0 });
    const sent = logs.lines.filter((l) => l.msg === 'stale_alert_sent');
    expect(sent.map((l) => l.lead_id).sort()).toEqual([...ids].sort());
    expect(sent.every((l) => l.job === 'stale-leads' && l.run_id === run.runId)).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('crm_stale_alerts_total')).toContain('crm_stale_alerts_total 2');
    const rows = await db.selectFrom('notifications').select('correlation_id').where('kind', '=', 'stale_alert').execute();
    expect(rows.map((r) => r.correlation_id)).toEqual([`job:stale-leads:${run.runId}`, `job:stale-leads:${run.runId}`]);
  });

  it('wakes outbox delivery at the commit of the alerts, through the database (LISTEN/NOTIFY), and not when nothing is stale', async () => {
    const core = createTestCore(handle, store, { STALE_AFTER_DAYS: '7' });
    let wakes = 0;
    const woke = new Promise<void>((resolve) => {
      void core.outbox.onQueued(() => { wakes += 1; resolve(); });
    });
    await new Promise((r) => setTimeout(r, 50));
    await runStaleLeads(deps({ core }));
    expect(wakes).toBe(0);
    await staleLeads(1);
    await runStaleLeads(deps({ core }));
    await woke;
    expect(wakes).toBeGreaterThanOrEqual(1);
  });

  it('when two runs overlap, the second one skips on the lock and nothing is alerted twice', async () => {
    await staleLeads(3);

    const runs = await Promise.all([runStaleLeads(deps()), runStaleLeads(deps())]);

    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'locked']);
    expect(runs.find((r) => r.status === 'completed')).toMatchObject({ alerted: 3 });
    const { n } = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(3);
  });

  it('when another instance holds the lock, skips and leaves that lock alone', async () => {
    await staleLeads(1);
    await store.setIfAbsent('lock:job:stale-leads', 'other-instance', 60_000);

    const run = await runStaleLeads(deps());

    expect(run.status).toBe('locked');
    expect(await store.get('lock:job:stale-leads')).toBe('other-instance');
  });

  it('releases the lock when done, so the next run goes ahead', async () => {
    await runStaleLeads(deps());

    expect(await store.get('lock:job:stale-leads')).toBeNull();
    expect((await runStaleLeads(deps())).status).toBe('completed');
  });

  it('when the run fails as a whole (its database is gone), releases the lock and throws', async () => {
    const gone = await createTestDb();
    await gone.close();

    await expect(runStaleLeads(deps({ core: createTestCore(gone, store) }))).rejects.toThrow();
    expect(await store.get('lock:job:stale-leads')).toBeNull();
  }, 60_000); // a second database of its own: slow to create on a busy machine
});

describe('createJobs', () => {
  const jobsConfig = (enabled: boolean) => testConfig({ JOBS_ENABLED: String(enabled) });
  const core = () => createTestCore(handle, store);

  it('when JOBS_ENABLED is false, schedules nothing', async () => {
    const jobs = createJobs({ config: jobsConfig(false), core: core(), store, logger: pino({ level: 'silent' }) });

    jobs.start();

    expect(jobs.status()).toEqual({ running: false, lastRunAt: null });
    await jobs.stop();
  });

  it('reports running while scheduled and records the last run', async () => {
    const jobs = createJobs({ config: jobsConfig(true), core: core(), store, logger: pino({ level: 'silent' }) });
    jobs.start();
    expect(jobs.status().running).toBe(true);

    await jobs.runNow('stale-leads');
    expect(jobs.status().lastRunAt).toBeInstanceOf(Date);

    await jobs.stop();
    expect(jobs.status().running).toBe(false);
  });

  it('logs a failed run instead of throwing', async () => {
    const logs = captureLogger();
    const gone = await createTestDb();
    await gone.close();
    const jobs = createJobs({ config: jobsConfig(true), core: createTestCore(gone, store), store, logger: logs.logger });

    await jobs.runNow('stale-leads');

    expect(logs.lines.find((l) => l.msg === 'job_failed')).toMatchObject({ job: 'stale-leads' });
  }, 60_000); // a second database of its own: slow to create on a busy machine
});
