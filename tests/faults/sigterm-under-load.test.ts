import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { startApp, type RunningApp } from '../../main.js';
import { printAppOutputOnFailure, startAppProcess, type AppExit, type AppProcess } from '../support/app-process.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../support/fake-telegram.js';
import { cardDeliveries, seedAgents } from '../support/fault-fixtures.js';
import { isAccepted, startIntakeLoad, type IntakeAttempt } from '../support/intake-load.js';
import { untilJournalProcessed } from '../support/intake-journal.js';
import { pollUntil } from '../support/poll.js';
import { createTestDatabase } from '../support/test-db.js';

// SIGTERM (an orchestrator stopping or redeploying the app) while form
// webhooks keep coming and cards are being sent to a slow Telegram (300 ms a
// send): the app stops within SHUTDOWN_TIMEOUT_MS with exit code 0; requests
// it answered are stored; sends in progress finish and are recorded; cards it
// had not sent go back to the queue and the next start delivers them.

const SHUTDOWN_TIMEOUT_MS = 5_000;
const AGENTS = 30;

describe.runIf(process.env.DATABASE_URL)('SIGTERM under load', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: DbHandle;
  let telegram: FakeTelegramServer;
  let app: AppProcess;
  let next: RunningApp | undefined;
  let env: Record<string, string>;
  let webhookPath: string;
  let secret: string;
  printAppOutputOnFailure(() => [app]);

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createDb({ databaseUrl: database.databaseUrl, poolSize: 2 });
    ({ secret, webhookPath } = await createFormSource(direct.db, { name: 'landing', provider: 'generic' }));
    await seedAgents(direct.db, AGENTS, 7_500_000);
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN, latencyMs: 300 });
    env = {
      DATABASE_URL: database.databaseUrl!, BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'sigterm-secret', TELEGRAM_API_ROOT: telegram.apiRoot, JOBS_ENABLED: 'false',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    app = await startAppProcess({ env });
  });
  afterAll(async () => {
    await app?.stop();
    await next?.close();
    await telegram?.close();
    await direct?.close();
    await database?.drop();
  });

  let attempts: readonly IntakeAttempt[] = [];
  let exit: AppExit;

  it(`exits with code 0 within SHUTDOWN_TIMEOUT_MS (${SHUTDOWN_TIMEOUT_MS} ms) while requests and sends are in flight`, async () => {
    const load = startIntakeLoad({
      url: `${app.url}${webhookPath}?secret=${encodeURIComponent(secret)}`, workers: 6, pauseMs: 10, label: `sigterm-${Date.now()}`,
    });
    let requestsInFlight = 0;
    try {
      await load.waitFor((a) => a.filter(isAccepted).length >= 30, '30 submissions accepted');
      await telegram.waitFor(() => telegram.inFlight().filter((c) => c.method === 'sendMessage').length >= 3, 10_000);
      // The signal must find a request in flight: the load's workers pause between requests, and
      // an answer as quick as a journal write can leave all of them pausing at one instant.
      requestsInFlight = await pollUntil(() => (load.inFlight() > 0 ? load.inFlight() : undefined),
        { what: 'an intake request in flight', timeoutMs: 5_000, intervalMs: 0 });
      app.signal('SIGTERM');
      exit = await app.exited;
    } finally {
      await load.stop();
    }
    attempts = load.attempts;

    expect(requestsInFlight).toBeGreaterThan(0);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const events = app.logs().map((l) => l.msg);
    // Work in progress finishes (and logs) between the two.
    expect(events.at(-1)).toBe('stopped');
    expect(events.filter((m) => m === 'stopping')).toHaveLength(1);
    expect(events).not.toContain('stop_timed_out');
    // Once it stopped listening, requests were refused at the door, never half-answered with an error.
    const answered = attempts.filter((a) => a.status !== null);
    expect(answered.filter((a) => !isAccepted(a))).toEqual([]);
  }, 40_000);

  it('every submission that got a 2xx is stored (journaled; the lead may wait for the next start)', async () => {
    const accepted = attempts.filter(isAccepted).map((a) => a.email!);
    const journal = await direct.db.selectFrom('intake_submissions').select('raw_body').execute();
    const stored = journal.map((s) => (JSON.parse(s.raw_body) as { email: string }).email);
    expect(new Set(stored.filter((e) => accepted.includes(e)))).toEqual(new Set(accepted));
  });

  it('no send was abandoned: each one in flight at SIGTERM finished and was recorded; the rest went back to the queue', async () => {
    const sends = telegram.calls.filter((c) => c.method === 'sendMessage');
    expect(sends.filter((c) => c.clientGone || c.outcome === 'in_flight')).toEqual([]);
    const rows = await direct.db.selectFrom('notifications').select(['id', 'status', 'lead_id', 'chat_id']).execute();
    expect(rows.filter((r) => r.status === 'sending' || r.status === 'failed')).toEqual([]);
    for (const r of rows.filter((x) => x.status === 'sent')) {
      expect(cardDeliveries(telegram, { leadId: r.lead_id!, chatId: r.chat_id })).toBe(1);
    }
  });

  it('the next start delivers the cards still queued; every card arrives exactly once', async () => {
    telegram.setLatency(20);
    // The next start, in this process (quicker than another child; the same startApp as main.ts).
    next = await startApp({
      config: createConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' }), botInfo: TEST_BOT_INFO,
    });
    await pollUntil(async () => {
      const waiting = await direct.db.selectFrom('notifications').select('id').where('status', '<>', 'sent').execute();
      return waiting.length === 0 ? true : undefined;
    }, { what: 'every card to be sent after the restart', timeoutMs: 15_000, intervalMs: 100 });
    // What the stop left in the journal became leads on the next start.
    await untilJournalProcessed(direct.db);
    await pollUntil(async () => {
      const waiting = await direct.db.selectFrom('notifications').select('id').where('status', '<>', 'sent').execute();
      return waiting.length === 0 ? true : undefined;
    }, { what: 'the cards of leads made after the restart', timeoutMs: 15_000, intervalMs: 100 });
    const accepted = attempts.filter(isAccepted).map((a) => a.email!);
    const made = await direct.db.selectFrom('leads').select('email').where('email', 'in', accepted).execute();
    expect(made).toHaveLength(new Set(accepted).size);
    const rows = await direct.db.selectFrom('notifications').select(['lead_id', 'chat_id']).where('kind', '=', 'lead_card').execute();
    const leads = await direct.db.selectFrom('leads').select('id').execute();
    expect(rows).toHaveLength(leads.length);
    expect(rows.map((r) => cardDeliveries(telegram, { leadId: r.lead_id!, chatId: r.chat_id }))).toEqual(rows.map(() => 1));
  }, 40_000);
});
