import { sql } from 'kysely';
import { createDb } from '../core/create-db.js';
import { pollUntil } from '../tests/support/poll.js';
import { runLoad, startServerProcess, watchRss, type LoadResult } from './load.js';
import { fmt, quantile, showSpread, spreadOf, type Spread } from './stats.js';

const CONNECTIONS = 64;
/**
 * The paced run's rate as a share of the worker's measured capacity: a
 * busy burst the worker can follow. Past its capacity any queue grows
 * without bound, however fast each lead is; that figure is the full-load lag.
 */
const PACED_SHARE = 0.5;

export interface IntakeRound { naive: LoadResult; intake: LoadResult; naiveRssMb: number; intakeRssMb: number }
export interface IntakeFigures {
  seconds: number;
  rounds: IntakeRound[];
  ratio: Spread;
  /** From the 2xx (its submission's commit) to the lead's card queued, ms: at full load and at PACED_SHARE of the worker's rate. */
  lagFull: { p50: number; p99: number; drainSeconds: number };
  /** Leads the worker made a second on the backlog the full load left: its capacity on this machine. */
  workerRate: number;
  lagPaced: { p50: number; p99: number; rate: number };
}

let seq = 0;
const runId = Date.now().toString(36);
const leadBody = () => {
  const i = seq++;
  return JSON.stringify({
    name: `Bench Lead ${i}`, email: `bench-${runId}-${i}@example.com`, phone: `+1555${String(i % 10_000_000).padStart(7, '0')}`,
    message: 'Please call me back about pricing', utm: { source: 'google', medium: 'cpc', campaign: 'bench' },
  });
};

/**
 * Waits until the intake server's worker has processed every submission,
 * so the naive server's round does not share the machine with the
 * intake's backlog (its ceiling would read low, and the ratio high).
 */
async function drained(databaseUrl: string): Promise<void> {
  const { db, close } = await createDb({ databaseUrl, poolSize: 1 });
  try {
    await pollUntil(async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from intake_submissions where status in ('pending', 'processing')`.execute(db);
      return r.rows[0]?.n === 0 ? true : undefined;
    }, { what: 'the intake backlog processed', timeoutMs: 600_000, intervalMs: 200 });
  } finally {
    await close();
  }
}

/**
 * ms between each submission's commit and its lead's card (or unassigned
 * notice) being queued, for submissions since `sinceId`; and the worker's
 * rate over them, leads a second from its first to its last.
 */
async function lagOf(databaseUrl: string, sinceId: number, expected: number): Promise<{
  lags: number[]; drainSeconds: number; lastId: number; workerRate: number;
}> {
  const { db, close } = await createDb({ databaseUrl, poolSize: 1 });
  try {
    const t = performance.now();
    const loadEnded = (await sql<{ at: Date }>`select now() as at`.execute(db)).rows[0]!.at;
    // Every body is a new contact: done when each submission has its lead and nothing waits.
    // Both: the load tool counts only the answers it read, so a load's last requests in flight
    // are journaled uncounted; they must be drained here, not taken for the next run's.
    await pollUntil(async () => {
      const r = await sql<{ n: number; waiting: number }>`select
        (select count(*)::int from leads l join intake_submissions s on s.lead_id = l.id where s.id > ${sinceId}) as n,
        (select count(*)::int from intake_submissions where status in ('pending', 'processing')) as waiting`.execute(db);
      return (r.rows[0]?.n ?? 0) >= expected && r.rows[0]?.waiting === 0 ? true : undefined;
    }, { what: `${expected} leads from the journal`, timeoutMs: 600_000, intervalMs: 100 });
    const drainSeconds = (performance.now() - t) / 1000;
    // Measured on what was left when the load ended: the worker alone, with work waiting.
    const rate = await sql<{ n: number; seconds: number }>`
      select count(*)::int as n, extract(epoch from (max(processed_at) - ${loadEnded}::timestamptz)) as seconds
      from intake_submissions where id > ${sinceId} and processed_at > ${loadEnded}::timestamptz`.execute(db);
    const workerRate = Number(rate.rows[0]?.n ?? 0) / Math.max(Number(rate.rows[0]?.seconds ?? 0), 1e-3);
    const rows = await sql<{ ms: number; id: number }>`
      select s.id, extract(epoch from (min(n.created_at) - s.created_at)) * 1000 as ms
      from intake_submissions s join notifications n on n.lead_id = s.lead_id and n.kind in ('lead_card', 'unassigned_lead')
      where s.id > ${sinceId} group by s.id`.execute(db);
    return { lags: rows.rows.map((r) => Number(r.ms)), drainSeconds, workerRate, lastId: rows.rows.reduce((m, r) => Math.max(m, r.id), sinceId) };
  } finally {
    await close();
  }
}

/**
 * §11 intake under load: 64 connections on loopback posting generic-form
 * leads (a unique email and phone each) to the real app (startApp) on
 * PostgreSQL, alternating with a naive Hono + pg server doing one INSERT per
 * request, `rounds` times, each naive round once the intake's backlog is
 * processed; peak RSS of each server process during its load.
 * Then how long after its 2xx each lead's card was queued, at full load
 * (including draining what the load left) and at PACED_SHARE of the
 * worker's rate measured in that run.
 */
export async function benchIntake(p: { seconds: number; rounds: number }): Promise<IntakeFigures> {
  const rounds: IntakeRound[] = [];
  const intakeServer = await startServerProcess('intake', {});
  const naiveServer = await startServerProcess('naive', {});
  const headers = { 'x-webhook-secret': intakeServer.info.secret! };
  let accepted = 0;
  try {
    // Warm-up: connections, JIT, plans.
    await runLoad({ url: naiveServer.info.url!, connections: CONNECTIONS, seconds: 1, body: leadBody });
    accepted += (await runLoad({ url: intakeServer.info.url!, connections: CONNECTIONS, seconds: 1, headers, body: leadBody })).count;
    for (let r = 0; r < p.rounds; r++) {
      await drained(intakeServer.info.databaseUrl!);
      let rss = watchRss(naiveServer.pid);
      const naive = await runLoad({ url: naiveServer.info.url!, connections: CONNECTIONS, seconds: p.seconds, body: leadBody });
      const naiveRssMb = rss.stop();
      rss = watchRss(intakeServer.pid);
      const intake = await runLoad({ url: intakeServer.info.url!, connections: CONNECTIONS, seconds: p.seconds, headers, body: leadBody });
      const intakeRssMb = rss.stop();
      accepted += intake.count;
      rounds.push({ naive, intake, naiveRssMb, intakeRssMb });
    }
    const full = await lagOf(intakeServer.info.databaseUrl!, 0, accepted);
    const pacedRate = Math.max(10, Math.round(full.workerRate * PACED_SHARE));
    const paced = await runLoad({ url: intakeServer.info.url!, connections: 8, seconds: Math.max(3, Math.min(p.seconds, 5)), rate: pacedRate, headers, body: leadBody });
    const pacedLag = await lagOf(intakeServer.info.databaseUrl!, full.lastId, paced.count);
    return {
      seconds: p.seconds, rounds,
      ratio: spreadOf(rounds.map((r) => r.intake.requestsPerSecond / r.naive.requestsPerSecond)),
      lagFull: { p50: quantile(full.lags, 0.5), p99: quantile(full.lags, 0.99), drainSeconds: full.drainSeconds },
      workerRate: full.workerRate,
      lagPaced: { p50: quantile(pacedLag.lags, 0.5), p99: quantile(pacedLag.lags, 0.99), rate: paced.requestsPerSecond },
    };
  } finally {
    await naiveServer.stop();
    await intakeServer.stop();
  }
}

export function intakeReport(f: IntakeFigures): string[] {
  const s = (pick: (r: IntakeRound) => number) => spreadOf(f.rounds.map(pick));
  const non2xx = f.rounds.reduce((n, r) => n + r.intake.non2xx + r.intake.errors, 0);
  return [
    `\nIntake webhook: ${CONNECTIONS} connections on loopback, real PostgreSQL, each request a new lead, ${f.rounds.length} rounds of ${f.seconds} s`,
    `  naive Hono + pg INSERT : ${showSpread(s((r) => r.naive.requestsPerSecond), 0, 'req/s')}   p99 ${showSpread(s((r) => r.naive.p99Ms), 1, 'ms')}   rss ${showSpread(s((r) => r.naiveRssMb), 0, 'MB')}`,
    `  intake (generic)       : ${showSpread(s((r) => r.intake.requestsPerSecond), 0, 'req/s')}   p99 ${showSpread(s((r) => r.intake.p99Ms), 1, 'ms')}   rss ${showSpread(s((r) => r.intakeRssMb), 0, 'MB')}   non-2xx/errors ${non2xx}`,
    `  intake / naive         : ${showSpread(f.ratio, 3)}   (goal ≥ 0.6, p99 ≤ 30 ms, rss ≤ 150 MB)`,
    `  2xx → card queued      : full load p50 ${fmt(f.lagFull.p50, 0)} ms p99 ${fmt(f.lagFull.p99, 0)} ms (backlog drained ${fmt(f.lagFull.drainSeconds, 1)} s after the load)`,
    `  worker                 : ${fmt(f.workerRate, 0)} leads/s on the backlog (lead, §4 duplicate rule, assignment, card, AI score by rules)`,
    `                           at ${fmt(f.lagPaced.rate, 0)} req/s (${PACED_SHARE * 100} % of it) p50 ${fmt(f.lagPaced.p50, 0)} ms p99 ${fmt(f.lagPaced.p99, 0)} ms   (goal p99 ≤ 1,000 ms)`,
  ];
}
