import { sql } from 'kysely';
import { createDb } from '../core/create-db.js';
import { pollUntil } from '../tests/support/poll.js';
import { runLoad, startServerProcess, watchRss, type LoadResult } from './load.js';
import { fmt, quantile, showSpread, spreadOf, type Spread } from './stats.js';

const CONNECTIONS = 64;
/** The paced run's rate, requests a second: a busy day's burst, well under the ceiling. */
const PACED_RATE = 200;

export interface IntakeRound { naive: LoadResult; intake: LoadResult; naiveRssMb: number; intakeRssMb: number }
export interface IntakeFigures {
  seconds: number;
  rounds: IntakeRound[];
  ratio: Spread;
  /** From the 2xx (its submission's commit) to the lead's card queued, ms: at full load and at PACED_RATE. */
  lagFull: { p50: number; p99: number; drainSeconds: number };
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

/** ms between each submission's commit and its lead's card (or unassigned notice) being queued, for submissions since `sinceId`. */
async function lagOf(databaseUrl: string, sinceId: number, expected: number): Promise<{ lags: number[]; drainSeconds: number; lastId: number }> {
  const { db, close } = await createDb({ databaseUrl, poolSize: 1 });
  try {
    const t = performance.now();
    // Every body is a new contact: done when each submission has its lead.
    await pollUntil(async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from leads l join intake_submissions s on s.lead_id = l.id where s.id > ${sinceId}`.execute(db);
      return (r.rows[0]?.n ?? 0) >= expected ? true : undefined;
    }, { what: `${expected} leads from the journal`, timeoutMs: 600_000, intervalMs: 100 });
    const drainSeconds = (performance.now() - t) / 1000;
    const rows = await sql<{ ms: number; id: number }>`
      select s.id, extract(epoch from (min(n.created_at) - s.created_at)) * 1000 as ms
      from intake_submissions s join notifications n on n.lead_id = s.lead_id and n.kind in ('lead_card', 'unassigned_lead')
      where s.id > ${sinceId} group by s.id`.execute(db);
    return { lags: rows.rows.map((r) => Number(r.ms)), drainSeconds, lastId: Math.max(sinceId, ...rows.rows.map((r) => r.id)) };
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
 * (including draining what the load left) and at PACED_RATE requests a second.
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
    const paced = await runLoad({ url: intakeServer.info.url!, connections: 8, seconds: Math.max(3, Math.min(p.seconds, 5)), rate: PACED_RATE, headers, body: leadBody });
    const pacedLag = await lagOf(intakeServer.info.databaseUrl!, full.lastId, paced.count);
    return {
      seconds: p.seconds, rounds,
      ratio: spreadOf(rounds.map((r) => r.intake.requestsPerSecond / r.naive.requestsPerSecond)),
      lagFull: { p50: quantile(full.lags, 0.5), p99: quantile(full.lags, 0.99), drainSeconds: full.drainSeconds },
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
    `                           at ${fmt(f.lagPaced.rate, 0)} req/s p50 ${fmt(f.lagPaced.p50, 0)} ms p99 ${fmt(f.lagPaced.p99, 0)} ms   (goal p99 ≤ 1,000 ms)`,
  ];
}
