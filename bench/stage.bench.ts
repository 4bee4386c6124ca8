import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Update } from 'grammy/types';
import { createBot } from '../bot/index.js';
import { leadConfirmStageData } from '../bot/callback-data/lead.js';
import { createConfig } from '../config.js';
import { createCore } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createLogger } from '../logger.js';
import { createBenchDb } from './bench-db.js';
import { instantApi } from './fake-api.js';
import { quantile, showSpread, spreadOf, type Spread } from './stats.js';

const PRESSERS = 100;
/** The app's pool: the most connections its presses can use, and so pgbench's clients. */
const POOL = 20;
const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const BOT_INFO = {
  id: 1, is_bot: true as const, first_name: 'bench', username: 'bench_bot', can_join_groups: false,
  can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
  has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
  can_manage_bots: false, supports_join_request_queries: false,
};

// The Confirm transaction's shape, bare: lock the lead, update it, write its history row.
const PGBENCH_SCRIPT = `\\set id random(:lo, :hi)
BEGIN;
SELECT * FROM leads WHERE id = :id AND NOT is_deleted FOR UPDATE;
UPDATE leads SET stage = 'CONTACTED', version = version + 1, last_activity_at = now(), updated_at = now() WHERE id = :id;
INSERT INTO lead_history (lead_id, action, actor_user_id, from_stage, to_stage) VALUES (:id, 'STAGE_CHANGED', 1, 'NEW', 'CONTACTED');
END;
`;

export interface StageFigures {
  presses: number;
  seconds: number;
  confirmPerSecond: Spread;
  confirmP99: Spread;
  pgbenchTps: Spread;
  ratio: Spread;
}

let updateId = 1;
function tap(telegramId: number, data: string): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId), chat_instance: 'bench', data, from: { id: telegramId, is_bot: false, first_name: 'Agent' },
      message: { message_id: 10, date: 0, chat: { id: telegramId, type: 'private', first_name: 'Agent' }, text: 'card' },
    },
  } as Update;
}

async function pgbench(url: string, p: { lo: number; hi: number; seconds: number }): Promise<number> {
  const file = join(tmpdir(), `crm-stage-${process.pid}.sql`);
  writeFileSync(file, PGBENCH_SCRIPT);
  const { stdout } = await promisify(execFile)('pgbench', [
    '-n', '-M', 'prepared', '-c', String(POOL), '-j', '2', '-T', String(p.seconds),
    '-D', `lo=${p.lo}`, '-D', `hi=${p.hi}`, '-f', file, url,
  ]);
  const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
  if (!tps) throw new Error(`pgbench printed no tps: ${stdout}`);
  return Number(tps);
}

/**
 * §3 stage change from a button at scale: PRESSERS agents each pressing
 * ✅ Confirm (NEW → CONTACTED) on their own leads, all at once, through the
 * real bot (user load, §16 limit, lock, version check, history, card
 * refresh) on PostgreSQL with a pool of POOL — beside pgbench running the
 * bare transaction of the same shape with POOL clients on the same
 * database, alternating, `rounds` times.
 */
export async function benchStage(p: { rounds: number; pressesPerAgent: number; pgbenchSeconds: number }): Promise<StageFigures> {
  const database = await createBenchDb('stage', POOL);
  try {
    const { db } = database;
    const agents = await db.insertInto('users').values(Array.from({ length: PRESSERS }, (_, i) => ({
      telegram_id: 6_000_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent' as const,
      status: 'active' as const, capacity: 1_000_000, language: 'en' as const,
    }))).returning(['id', 'telegram_id']).execute();
    const perAgent = p.rounds * p.pressesPerAgent;
    const leads = await Promise.all(agents.map((agent) => db.insertInto('leads').values(
      Array.from({ length: perAgent }, (_, j) => ({ source: 'WEB' as const, full_name: `Lead ${agent.id}-${j}`, email: `s${agent.id}-${j}@example.com`, assigned_to: agent.id })),
    ).returning(['id', 'version']).execute()));
    // pgbench's own leads, so its updates never touch the ones pressed.
    const spare = await db.insertInto('leads').values(Array.from({ length: 2_000 }, (_, j) => ({ source: 'WEB' as const, full_name: `Spare ${j}`, email: `spare${j}@example.com` })))
      .returning('id').execute();
    const lo = spare[0]!.id; const hi = spare[spare.length - 1]!.id;

    const config = createConfig({ BOT_TOKEN: TOKEN, NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '100000' });
    const store = createMemoryStore();
    const logger = createLogger(config);
    const core = createCore({ db, store, config, logger });
    const bot = createBot({ config, core, store, logger, botInfo: BOT_INFO, apiTransformers: [instantApi] });

    const rates: number[] = []; const p99s: number[] = []; const tpss: number[] = [];
    for (let r = 0; r < p.rounds; r++) {
      tpss.push(await pgbench(database.url, { lo, hi, seconds: p.pgbenchSeconds }));
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(agents.map(async (agent, a) => {
        for (let k = 0; k < p.pressesPerAgent; k++) {
          const lead = leads[a]![r * p.pressesPerAgent + k]!;
          const t = performance.now();
          await bot.handleUpdate(tap(agent.telegram_id, leadConfirmStageData.pack({ stage: 'CONTACTED', leadId: lead.id, version: lead.version })));
          latencies.push(performance.now() - t);
        }
      }));
      rates.push(latencies.length / ((performance.now() - started) / 1000));
      p99s.push(quantile(latencies, 0.99));
    }
    const moved = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', '=', 'CONTACTED').where('id', '<', lo).executeTakeFirstOrThrow();
    if (Number(moved.n) !== PRESSERS * perAgent) throw new Error(`expected every pressed lead CONTACTED, got ${moved.n}`);
    return {
      presses: PRESSERS * p.pressesPerAgent, seconds: p.pgbenchSeconds,
      confirmPerSecond: spreadOf(rates), confirmP99: spreadOf(p99s), pgbenchTps: spreadOf(tpss),
      ratio: spreadOf(rates.map((x, i) => x / tpss[i]!)),
    };
  } finally {
    await database.close();
  }
}

export function stageReport(s: StageFigures): string[] {
  return [
    `\nStage change from a button: ${PRESSERS} agents pressing ✅ Confirm at once (${s.presses} presses a round), pool ${POOL}, ${s.confirmPerSecond.rounds} rounds`,
    `  pgbench, same shape : ${showSpread(s.pgbenchTps, 0, 'tx/s')}   (${POOL} clients, lock + update + history insert, ${s.seconds} s)`,
    `  ✅ Confirm          : ${showSpread(s.confirmPerSecond, 0, '/s')}   p99 ${showSpread(s.confirmP99, 1, 'ms')}   (goal p99 ≤ 20 ms)`,
    `  Confirm / pgbench   : ${showSpread(s.ratio, 2)}   (goal ≥ 0.35)`,
  ];
}
