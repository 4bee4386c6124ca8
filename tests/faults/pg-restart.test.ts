import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { printAppOutputOnFailure, startAppProcess, type AppProcess } from '../support/app-process.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { cardDeliveries, proxyFor, seedAgents } from '../support/fault-fixtures.js';
import { isAccepted, startIntakeLoad, type IntakeAttempt } from '../support/intake-load.js';
import { untilJournalProcessed } from '../support/intake-journal.js';
import { pollUntil } from '../support/poll.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase } from '../support/test-db.js';

// PostgreSQL restarts under the running app while form webhooks keep coming:
// the real app in a child process reaches its database through a TCP proxy,
// which the test cuts (every connection reset, new ones refused) and restores
// on the same address, as a restart looks from the app's side.

const AGENTS = 30;
const FIRST_AGENT_ID = 7_100_000;

describe.runIf(process.env.DATABASE_URL)('PostgreSQL restarts during intake load', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: DbHandle;
  let proxy: TcpProxy;
  let telegram: FakeTelegramServer;
  let app: AppProcess;
  let webhookUrl: string;
  printAppOutputOnFailure(() => [app]);

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createDb({ databaseUrl: database.databaseUrl, poolSize: 2 });
    const { secret, webhookPath } = await createFormSource(direct.db, { name: 'landing', provider: 'generic' });
    await seedAgents(direct.db, AGENTS, FIRST_AGENT_ID);
    proxy = await proxyFor(database.databaseUrl!);
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
    app = await startAppProcess({
      env: {
        DATABASE_URL: proxy.urlFor(database.databaseUrl!),
        DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '2000',
        BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'polling', TELEGRAM_API_ROOT: telegram.apiRoot,
        // Only commits (NOTIFY) and the listener coming back may wake delivery, not the poll.
        OUTBOX_POLL_MS: '600000', JOBS_ENABLED: 'false',
      },
    });
    webhookUrl = `${app.url}${webhookPath}?secret=${encodeURIComponent(secret)}`;
  });
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await proxy?.close();
    await direct?.close();
    await database?.drop();
  });

  let attempts: readonly IntakeAttempt[] = [];
  let cutAt = 0;
  let restoredAt = 0;

  it('answers 503 with Retry-After while the database is away, and takes submissions again once it is back', async () => {
    const load = startIntakeLoad({ url: webhookUrl, workers: 4, pauseMs: 20, label: `restart-${Date.now()}` });
    try {
      await load.waitFor((a) => a.filter(isAccepted).length >= 20, '20 submissions accepted before the restart');
      proxy.cut();
      cutAt = Date.now();
      // Down for at least 2 s, and long enough that the app has answered while it was.
      await load.waitFor((a) => Date.now() - cutAt >= 2_000 && a.filter((x) => x.startedAt >= cutAt && x.status === 503).length >= 10,
        '503s while the database is away');
      const health = await fetch(`${app.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unhealthy', components: { database: { status: 'unhealthy' } } });
      await proxy.restore();
      restoredAt = Date.now();
      await load.waitFor((a) => a.filter((x) => x.startedAt >= restoredAt && isAccepted(x)).length >= 20,
        '20 submissions accepted after the restart', 20_000);
    } finally {
      await load.stop();
    }
    attempts = load.attempts;

    // The proxy sits between the app and PostgreSQL only: every request got an HTTP answer.
    expect(attempts.filter((a) => a.status === null)).toEqual([]);
    const refused = attempts.filter((a) => !isAccepted(a));
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const a of refused) expect({ status: a.status, retryAfter: a.retryAfter }).toEqual({ status: 503, retryAfter: '5' });
    // Refusals only around the outage: none well before the cut or after the first success that followed it.
    const firstBack = Math.min(...attempts.filter((a) => a.startedAt >= restoredAt && isAccepted(a)).map((a) => a.startedAt));
    expect(refused.every((a) => a.endedAt >= cutAt && a.startedAt <= firstBack)).toBe(true);
    // The process rode it out.
    expect(app.logs().map((l) => l.msg)).not.toContain('crashed');
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  }, 60_000);

  it('every submission that got a 2xx is stored: its lead and its raw submission', { timeout: 40_000 }, async () => {
    const accepted = attempts.filter(isAccepted).map((a) => a.email);
    expect(accepted.length).toBeGreaterThanOrEqual(40);
    // A 2xx means journaled; the app's intake worker makes the leads (retrying what the cut interrupted).
    await untilJournalProcessed(direct.db, 30_000);
    const leads = await direct.db.selectFrom('leads as l')
      .leftJoin('intake_submissions as s', 's.lead_id', 'l.id')
      .select(['l.email', 's.id as submission_id'])
      .where('l.email', 'in', accepted).execute();
    expect(new Set(leads.map((l) => l.email))).toEqual(new Set(accepted));
    expect(leads.filter((l) => l.submission_id === null)).toEqual([]);
    // Nothing was stored half: every lead intake made has its submission row.
    const orphans = await direct.db.selectFrom('leads as l')
      .leftJoin('intake_submissions as s', 's.lead_id', 'l.id')
      .select('l.id').where('s.id', 'is', null).execute();
    expect(orphans).toEqual([]);
  });

  it("every stored lead's card reaches its agent exactly once, woken without the poll", async () => {
    const cards = await direct.db.selectFrom('notifications').select(['id', 'lead_id', 'chat_id', 'status'])
      .where('kind', '=', 'lead_card').execute();
    const leadCount = await direct.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(cards).toHaveLength(Number(leadCount.n));
    // A claim whose answer was lost in the cut is taken again when its 15 s lease runs out.
    const unsent = () => direct.db.selectFrom('notifications')
      .select(['id', 'status', 'attempts', 'last_error', 'lease_until', 'next_attempt_at']).where('status', '<>', 'sent').execute();
    await pollUntil(async () => ((await unsent()).length === 0 ? true : undefined),
      { what: 'every card to be sent', timeoutMs: 30_000, intervalMs: 200 })
      .catch(async (err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(await unsent())}`); });
    const counts = cards.map((c) => cardDeliveries(telegram, { leadId: c.lead_id!, chatId: c.chat_id }));
    expect(counts.filter((n) => n !== 1)).toEqual([]);
  }, 40_000);
});
