import { sql } from 'kysely';
import { createConfig } from '../config.js';
import { createFormSource } from '../core/intake/form-source.service.js';
import { startApp } from '../main.js';
import { FakeTelegramServer } from '../tests/support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../tests/support/fake-telegram.js';
import { proxyFor, queueCards, seedAgents } from '../tests/support/fault-fixtures.js';
import { isAccepted, startIntakeLoad, type IntakeAttempt } from '../tests/support/intake-load.js';
import { pollUntil } from '../tests/support/poll.js';
import { createBenchDb } from './bench-db.js';

const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const CARDS = 1_000;
const CHATS = 100;
const TELEGRAM_LATENCY_MS = 50;
const TELEGRAM_PER_SECOND = 30;

export interface OutageFigures {
  outageSeconds: number;
  cards: number;
  chats: number;
  /** From Telegram coming back to the first card it accepted, and to the last. */
  firstMs: number;
  allMs: number;
  /** Cards a second from the first to the last. */
  drainPerSecond: number;
  tooManyRequests: number;
  duplicates: number;
}

/**
 * §10/§16 after an outage: CARDS lead cards queued for CHATS agents, the app
 * (startApp, as main.ts wires it: default pacing, backoff 1 s→30 s, one probe
 * while Telegram is away) delivering to the fake Bot API with Telegram's
 * flood limits enforced (1/s a chat, 30/s overall) and 50 ms a call, which
 * is offline (every connection reset) for `outageSeconds`, then back.
 */
export async function benchTelegramOutage(outageSeconds: number): Promise<OutageFigures> {
  const database = await createBenchDb('outage', 4);
  const telegram = await FakeTelegramServer.start({ token: TOKEN, latencyMs: TELEGRAM_LATENCY_MS, floodLimits: {} });
  try {
    const cards = await queueCards(database.db, await seedAgents(database.db, CHATS, 8_100_000), CARDS / CHATS);
    telegram.offline();
    const app = await startApp({
      config: createConfig({
        NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url,
        BOT_TOKEN: TOKEN, BOT_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://crm.example.com',
        TELEGRAM_API_ROOT: telegram.apiRoot, JOBS_ENABLED: 'false',
      }),
      botInfo: TEST_BOT_INFO,
    });
    try {
      await new Promise((r) => setTimeout(r, outageSeconds * 1000));
      telegram.online();
      const back = performance.now();
      let first = 0;
      await pollUntil(() => {
        const delivered = telegram.deliveredCount();
        if (delivered > 0 && !first) first = performance.now();
        return delivered >= cards.length ? true : undefined;
      }, { what: `${cards.length} cards delivered`, timeoutMs: 600_000, intervalMs: 10 });
      const last = performance.now();
      return {
        outageSeconds, cards: cards.length, chats: CHATS,
        firstMs: first - back, allMs: last - back,
        drainPerSecond: (cards.length - 1) / Math.max((last - first) / 1000, 0.001),
        tooManyRequests: telegram.tooManyRequestsCount(),
        duplicates: telegram.deliveredCount() - cards.length,
      };
    } finally {
      await app.close();
    }
  } finally {
    await telegram.close();
    await database.close();
  }
}

export interface RestartFigures {
  cutSeconds: number;
  /** 2xx a second in the 3 s before the cut, and from the restore to the end. */
  ratePerSecond: number;
  rateAfterPerSecond: number;
  /** From the restore to the first 2xx, and to the start of the first full second at ≥ 80 % of the rate before with no refusals. */
  firstOkMs: number;
  sustainedMs: number | null;
  refused: { status503: number; other: number; noAnswer: number };
  acceptedLost: number;
}

/**
 * §11/§15 PostgreSQL restart under a light intake load: the app (startApp,
 * default DB timeouts) reaches its database through a TCP proxy; 4 senders
 * post generic-form leads; after a few seconds the proxy is cut (every
 * connection reset, new ones refused) for `cutSeconds`, then restored.
 */
export async function benchPgRestart(cutSeconds: number, afterSeconds: number): Promise<RestartFigures> {
  const database = await createBenchDb('pgrestart', 4);
  const proxy = await proxyFor(database.url);
  try {
    const { secret, webhookPath } = await createFormSource(database.db, { name: 'bench', provider: 'generic' });
    const app = await startApp({
      config: createConfig({
        NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0',
        DATABASE_URL: proxy.urlFor(database.url), JOBS_ENABLED: 'false',
      }),
    });
    let attempts: readonly IntakeAttempt[];
    let cutAt: number;
    let restoredAt: number;
    try {
      const load = startIntakeLoad({
        url: `${app.url}${webhookPath}?secret=${encodeURIComponent(secret)}`, workers: 4, pauseMs: 20, label: `bench-${Date.now()}`,
      });
      try {
        await new Promise((r) => setTimeout(r, 4_000));
        proxy.cut();
        cutAt = Date.now();
        await new Promise((r) => setTimeout(r, cutSeconds * 1000));
        await proxy.restore();
        restoredAt = Date.now();
        await new Promise((r) => setTimeout(r, afterSeconds * 1000));
      } finally {
        await load.stop();
      }
      attempts = load.attempts;
    } finally {
      await app.close();
    }
    const before = attempts.filter((a) => isAccepted(a) && a.endedAt < cutAt && a.endedAt >= cutAt - 3_000);
    const ratePerSecond = before.length / 3;
    const lastEnd = Math.max(...attempts.map((a) => a.endedAt));
    const after = attempts.filter((a) => isAccepted(a) && a.endedAt >= restoredAt);
    const firstOk = Math.min(...attempts.filter((a) => isAccepted(a) && a.startedAt >= restoredAt).map((a) => a.endedAt));
    const accepted = attempts.filter(isAccepted).map((a) => a.email);
    // A 2xx means journaled (issue 14): the lead may still be waiting for the worker, stopped with the app.
    const stored = await sql<{ email: string }>`
      select e as email from unnest(${accepted}::text[]) e
      where exists (select 1 from leads l where l.email = e)
         or exists (select 1 from intake_submissions s where strpos(s.raw_body, e) > 0)`.execute(database.db).then((r) => r.rows);
    const refused = attempts.filter((a) => !isAccepted(a));
    return {
      cutSeconds, ratePerSecond, rateAfterPerSecond: after.length / Math.max((lastEnd - restoredAt) / 1000, 0.001),
      firstOkMs: firstOk - restoredAt,
      sustainedMs: sustainedFrom(attempts, restoredAt, 0.8 * ratePerSecond),
      refused: {
        status503: refused.filter((a) => a.status === 503).length,
        other: refused.filter((a) => a.status !== null && a.status !== 503).length,
        noAnswer: refused.filter((a) => a.status === null).length,
      },
      acceptedLost: accepted.length - stored.length,
    };
  } finally {
    await proxy.close();
    await database.close();
  }
}

/** ms after `from` when the first one-second window (by answer time) starts that holds ≥ `rate` 2xx and nothing else; null if none. */
function sustainedFrom(attempts: readonly IntakeAttempt[], from: number, rate: number): number | null {
  const end = Math.max(...attempts.map((a) => a.endedAt));
  for (let t = from; t + 1_000 <= end; t += 50) {
    const window = attempts.filter((a) => a.endedAt >= t && a.endedAt < t + 1_000);
    if (window.every(isAccepted) && window.length >= rate) return t - from;
  }
  return null;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function outageReport(o: OutageFigures, r: RestartFigures): string[] {
  return [
    `\nOutbox after a ${o.outageSeconds} s Telegram outage: ${o.cards.toLocaleString('en-US')} queued cards to ${o.chats} chats, fake Bot API with Telegram's limits (1/s a chat, ${TELEGRAM_PER_SECOND}/s overall), ${TELEGRAM_LATENCY_MS} ms a call`,
    `  first card         : ${s(o.firstMs)} after Telegram is back   (the next probe of the 1 s→30 s backoff)`,
    `  all delivered      : ${s(o.allMs)} after Telegram is back   draining at ${o.drainPerSecond.toFixed(1)} cards/s = ${(o.drainPerSecond / TELEGRAM_PER_SECOND).toFixed(2)} of Telegram's ${TELEGRAM_PER_SECOND}/s   429s ${o.tooManyRequests}   duplicates ${o.duplicates}`,
    `\nPostgreSQL restart under light intake load: proxy cut for ${r.cutSeconds} s, 4 senders at ${r.ratePerSecond.toFixed(0)} 2xx/s before it`,
    `  first 2xx          : ${s(r.firstOkMs)} after the restore`,
    `  sustained 2xx rate : ${r.sustainedMs === null ? 'not reached' : `${s(r.sustainedMs)} after the restore`}   (a full second at ≥ 80 % of the rate before, nothing refused; ${r.rateAfterPerSecond.toFixed(0)} 2xx/s from the restore on)`,
    `  while it was away  : 503 ${r.refused.status503}   other status ${r.refused.other}   no answer ${r.refused.noAnswer}   2xx'd and lost (neither journaled nor a lead) ${r.acceptedLost}`,
  ];
}
