import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../core/database.js';
import { pickAssignee } from '../core/leads/assignment.service.js';
import { raiseStaleAlerts } from '../core/leads/stale-leads.service.js';
import { createBenchDb } from './bench-db.js';
import { quantile, showSpread, spreadOf, type Spread } from './stats.js';

const AGENTS = 20;
const DAY_MS = 86_400_000;

export interface CostFigures {
  leads: number;
  open: number;
  alerted: number;
  seedSeconds: number;
  /** One stale run (1 alert) with no alert history yet, then with `alerted` leads alerted before: ms per run. */
  staleFresh: Spread;
  staleHistory: Spread;
  /** The scan alone: a run when nothing is due (every stale lead alerted within the period), with that history. */
  staleNothingDue: Spread;
  /** pickAssignee in a transaction (rolled back), p50/p99 ms per round, beside one indexed row lock. */
  pickP50: Spread;
  pickP99: Spread;
  lockP50: Spread;
}

class Rollback extends Error {}

/** ms of `run` inside a transaction that is rolled back, so every sample sees the same data. */
async function inRollback(db: Kysely<Database>, run: (trx: Kysely<Database>) => Promise<unknown>): Promise<number> {
  let ms = 0;
  await db.transaction().execute(async (trx) => {
    const t = performance.now();
    await run(trx);
    ms = performance.now() - t;
    throw new Rollback();
  }).catch((err: unknown) => { if (!(err instanceof Rollback)) throw err; });
  return ms;
}

/**
 * Costs that must not grow with history (§4, §10) on real PostgreSQL:
 * `leads` leads of which a tenth are open, spread over 20 agents.
 * - Stale scan: raiseStaleAlerts(maxAlerts 1) — one run, one alert — first
 *   with nobody alerted yet, then after `alerted` stale leads were alerted
 *   (their alerts recent, their activity the oldest, so a scan in activity
 *   order meets them first).
 * - Assignee pick: pickAssignee (ranking by load counted from the leads
 *   table, the lock and the re-count), beside its ceiling: one indexed
 *   SELECT … FOR UPDATE of a user row in a transaction.
 */
export async function benchCosts(p: { leads: number; alerted: number; rounds: number; samples: number }): Promise<CostFigures> {
  const database = await createBenchDb('costs', 4);
  try {
    const { db } = database;
    const agents = await db.insertInto('users').values(Array.from({ length: AGENTS }, (_, i) => ({
      telegram_id: 7_000_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent' as const,
      status: 'active' as const, capacity: p.leads, language: 'en' as const,
    }))).returning('id').execute();
    const ids = sql.raw(`array[${agents.map((a) => a.id).join(',')}]::int[]`);
    const t = performance.now();
    // Every tenth lead open (NEW, CONTACTED, QUALIFIED in turn), the rest closed; open
    // CONTACTED/QUALIFIED leads stale (30–40 days without activity), NEW ones fresh.
    await sql`
      insert into leads (source, stage, full_name, email, assigned_to, last_activity_at, lost_reason, created_at)
      select 'WEB',
        case when i % 10 = 0 then (array['NEW','CONTACTED','QUALIFIED'])[1 + (i / 10) % 3]
             when i % 2 = 0 then 'LOST' else 'TRANSFERRED' end,
        'Lead ' || i, 'cost' || i || '@example.com', (${ids})[1 + i % ${sql.lit(AGENTS)}],
        case when i % 10 = 0 and (i / 10) % 3 > 0 then now() - interval '30 days' - (i % 1000) * interval '1 minute'
             else now() - interval '1 hour' end,
        case when i % 10 <> 0 and i % 2 = 0 then 'No budget' end,
        now() - interval '60 days'
      from generate_series(1, ${p.leads}) as i`.execute(db);
    await sql`vacuum analyze leads`.execute(db);
    const seedSeconds = (performance.now() - t) / 1000;
    const open = p.leads / 10;
    const now = new Date();
    const staleRun = async () => {
      const t0 = performance.now();
      await raiseStaleAlerts(db, { staleAfterDays: 7, maxAlerts: 1, now });
      return performance.now() - t0;
    };
    const staleFresh: number[] = [];
    for (let i = 0; i < p.rounds; i++) staleFresh.push(await staleRun());

    // Alert history: the `alerted` oldest-activity stale leads were alerted yesterday.
    await sql`update leads set last_activity_at = now() - interval '40 days'
      where id in (select id from leads where stage in ('CONTACTED','QUALIFIED') and last_activity_at < now() - interval '7 days'
        order by id limit ${p.alerted})`.execute(db);
    await sql`insert into stale_alerts (lead_id, user_id, stale_since, days_inactive, created_at)
      select id, assigned_to, last_activity_at, 40, ${new Date(now.getTime() - DAY_MS)}::timestamptz from leads
      where stage in ('CONTACTED','QUALIFIED') and last_activity_at < now() - interval '39 days'`.execute(db);
    // The product keeps whatever it keeps about alerts in its own write path; replay it for the seeded history.
    await markSeededAlerts(db);
    await sql`vacuum analyze leads`.execute(db);
    await sql`vacuum analyze stale_alerts`.execute(db);
    const staleHistory: number[] = [];
    for (let i = 0; i < p.rounds; i++) staleHistory.push(await staleRun());
    // A 35-day period: the alerted leads (40 days quiet, alerted yesterday) are not due, the others are not stale yet.
    const staleNothingDue: number[] = [];
    for (let i = 0; i < p.rounds * 3; i++) {
      const t0 = performance.now();
      const alerted = await raiseStaleAlerts(db, { staleAfterDays: 35, maxAlerts: 10, now });
      staleNothingDue.push(performance.now() - t0);
      if (alerted.length) throw new Error(`expected nothing due, got ${alerted.length}`);
    }

    const pickP50: number[] = []; const pickP99: number[] = []; const lockP50: number[] = [];
    for (let r = 0; r < p.rounds; r++) {
      const picks: number[] = []; const locks: number[] = [];
      for (let i = 0; i < p.samples; i++) {
        picks.push(await inRollback(db, (trx) => pickAssignee(trx)));
        locks.push(await inRollback(db, (trx) => trx.selectFrom('users').select('id').where('id', '=', agents[i % AGENTS]!.id).forUpdate().execute()));
      }
      pickP50.push(quantile(picks, 0.5)); pickP99.push(quantile(picks, 0.99)); lockP50.push(quantile(locks, 0.5));
    }
    return {
      leads: p.leads, open, alerted: p.alerted, seedSeconds,
      staleFresh: spreadOf(staleFresh), staleHistory: spreadOf(staleHistory), staleNothingDue: spreadOf(staleNothingDue),
      pickP50: spreadOf(pickP50), pickP99: spreadOf(pickP99), lockP50: spreadOf(lockP50),
    };
  } finally {
    await database.close();
  }
}

/** Copies seeded alerts onto the lead rows when the schema keeps them there (leads.stale_alerted_at). */
async function markSeededAlerts(db: Kysely<Database>): Promise<void> {
  const has = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns
    where table_name = 'leads' and column_name = 'stale_alerted_at'`.execute(db);
  if (!has.rows[0]?.n) return;
  await sql`update leads l set stale_alerted_at = sa.created_at from stale_alerts sa where sa.lead_id = l.id`.execute(db);
}

export function costsReport(c: CostFigures): string[] {
  const ms = (s: Spread) => showSpread(s, 2, 'ms');
  return [
    `\nCosts that must not grow: ${c.leads.toLocaleString('en-US')} leads, ${c.open.toLocaleString('en-US')} open, ${AGENTS} agents (seeded in ${c.seedSeconds.toFixed(0)} s), ${c.staleFresh.rounds} rounds`,
    `  stale run, nobody alerted yet    : ${ms(c.staleFresh)}   (ceiling: the same run before any history)`,
    `  stale run, ${c.alerted.toLocaleString('en-US')} alerted before : ${ms(c.staleHistory)}   history/fresh ${showSpread(spreadOf([c.staleHistory.median / c.staleFresh.median]), 2)}x`,
    `  stale scan alone, nothing due    : ${ms(c.staleNothingDue)}   (the same history; goal ≤ 50 ms)`,
    `  assignee pick                    : p50 ${ms(c.pickP50)}   p99 ${ms(c.pickP99)}   (goal ≤ 10 ms)`,
    `  one user row lock (ceiling)      : p50 ${ms(c.lockP50)}   pick/lock p50 ${(c.pickP50.median / c.lockP50.median).toFixed(1)}x`,
  ];
}
