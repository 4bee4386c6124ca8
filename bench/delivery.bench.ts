import { createConfig } from '../config.js';
import { queueMessage } from '../core/outbox/outbox.writer.js';
import { startApp } from '../main.js';
import { FakeTelegramServer } from '../tests/support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../tests/support/fake-telegram.js';
import { seedAgents } from '../tests/support/fault-fixtures.js';
import { makeLead } from '../tests/support/factories.js';
import { pollUntil } from '../tests/support/poll.js';
import { createBenchDb } from './bench-db.js';
import { showSpread, spreadOf, type Spread } from './stats.js';

const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const PEOPLE = 50;
const LATENCY_MS = 50;
/** Telegram's overall limit, messages a second: the ceiling this bench measures against. */
export const TELEGRAM_PER_SECOND = 30;

export interface DeliveryRound { alerts: number; perSecond: number; tooManyRequests: number; lost: number; duplicated: number }

/**
 * One round: `alerts` stale alerts queued for PEOPLE agents (round-robin),
 * then the app (startApp as main.ts wires it) delivers them to the fake
 * Bot API that answers in LATENCY_MS and refuses with 429 past Telegram's
 * limits (1/s a chat, 30/s overall). Rate: from the first accepted send to
 * the last; lost/duplicated from what Telegram accepted per (chat, alert).
 */
async function round(alerts: number): Promise<DeliveryRound> {
  const database = await createBenchDb('delivery', 4);
  const telegram = await FakeTelegramServer.start({ token: TOKEN, latencyMs: LATENCY_MS, floodLimits: {} });
  try {
    const agents = await seedAgents(database.db, PEOPLE, 8_200_000);
    const expected = new Set<string>();
    for (let i = 0; i < alerts; i++) {
      const agent = agents[i % PEOPLE]!;
      const lead = await makeLead(database.db, { assigned_to: agent.id, stage: 'CONTACTED' });
      await queueMessage(database.db, { user: agent.id }, { kind: 'stale_alert', leadId: lead.id, days: 8, score: 0.5 });
      expected.add(`${agent.telegram_id}:${lead.id}`);
    }
    const app = await startApp({
      config: createConfig({
        NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url,
        BOT_TOKEN: TOKEN, BOT_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://crm.example.com',
        TELEGRAM_API_ROOT: telegram.apiRoot, JOBS_ENABLED: 'false',
      }),
      botInfo: TEST_BOT_INFO,
    });
    let first = 0;
    try {
      await pollUntil(() => {
        const n = telegram.deliveredCount();
        if (n > 0 && !first) first = performance.now();
        return n >= alerts ? true : undefined;
      }, { what: `${alerts} alerts delivered`, timeoutMs: 900_000, intervalMs: 5 });
    } finally {
      await app.close();
    }
    const seconds = (performance.now() - first) / 1000;
    const seen = new Map<string, number>();
    for (const call of telegram.calls) {
      if (call.method !== 'sendMessage' || call.outcome !== 'ok') continue;
      const lead = /#(\d+)/.exec(String(call.payload.text))?.[1];
      const key = `${call.payload.chat_id}:${lead}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const lost = [...expected].filter((k) => !seen.has(k)).length;
    const duplicated = [...seen.values()].reduce((n, c) => n + Math.max(c - 1, 0), 0);
    return { alerts, perSecond: (alerts - 1) / Math.max(seconds, 0.001), tooManyRequests: telegram.tooManyRequestsCount(), lost, duplicated };
  } finally {
    await telegram.close();
    await database.close();
  }
}

export interface DeliveryFigures { rounds: DeliveryRound[]; perSecond: Spread }

/** §10/§16 fan-out at Telegram's limit: `rounds` rounds of `alerts` alerts to 50 people. */
export async function benchDelivery(p: { alerts: number; rounds: number }): Promise<DeliveryFigures> {
  const rounds: DeliveryRound[] = [];
  for (let i = 0; i < p.rounds; i++) rounds.push(await round(p.alerts));
  return { rounds, perSecond: spreadOf(rounds.map((r) => r.perSecond)) };
}

export function deliveryReport(d: DeliveryFigures): string[] {
  const sum = (f: (r: DeliveryRound) => number) => d.rounds.reduce((n, r) => n + f(r), 0);
  const ratio = spreadOf(d.rounds.map((r) => r.perSecond / TELEGRAM_PER_SECOND));
  return [
    `\nDelivery: ${d.rounds[0]?.alerts ?? 0} stale alerts to ${PEOPLE} people, fake Bot API answering in ${LATENCY_MS} ms with Telegram's limits (1/s a chat, ${TELEGRAM_PER_SECOND}/s overall), ${d.rounds.length} round(s)`,
    `  delivered          : ${showSpread(d.perSecond, 1, 'msg/s')}   ceiling ${TELEGRAM_PER_SECOND} msg/s   ratio ${showSpread(ratio, 2)}   (goal ≥ 0.80)`,
    `  429s ${sum((r) => r.tooManyRequests)}   lost ${sum((r) => r.lost)}   duplicated ${sum((r) => r.duplicated)}   (goal: 0, 0, 0)`,
  ];
}
