import { sql } from 'kysely';
import type { Db, User } from '../core/database.js';
import { leadFilterCondition, type LeadListFilters } from '../core/leads/lead-list.filters.js';
import { encodeCursor, listLeadsForUser } from '../core/leads/lead.repository.js';
import { MAX_WHOLE_WORD_CANDIDATES, searchLeads } from '../core/leads/lead-search.service.js';
import { seededLead, seedLeads } from '../tests/support/seed-leads.js';
import { createBenchDb } from './bench-db.js';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '100000,1000000').split(',').map(Number);
const QUERIES = 50;
/** Pages are cheap: more runs steady their percentiles on a shared machine. */
const PAGE_RUNS = 200;
const PAGE = 10;
/** Keyset pages at these depths, where the filtered list is that long. */
const DEPTHS = [500, 5_000];
/** A manager's typical narrowing: fresh-ish leads worth calling. */
const FILTERS: LeadListFilters = { stages: ['NEW', 'CONTACTED'], qualityTiers: ['HOT', 'WARM'] };

export interface Latency { p50Ms: number; p99Ms: number }
export interface DeepPage { pages: number; keyset: Latency; offset: Latency }
export interface SearchRound {
  leads: number;
  /** Seconds to insert this round's leads (one INSERT … SELECT, every index in place) and to ANALYZE. */
  seedSeconds: number;
  analyzeSeconds: number;
  findPhone: Latency;
  findName: Latency;
  findSurname: Latency;
  firstPage: Latency;
  deep: DeepPage[];
}

async function measure(run: (i: number) => Promise<unknown>, runs = QUERIES): Promise<Latency> {
  for (let i = 0; i < 5; i++) await run(i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Seeded lead numbers spread over 1..n, the same every run. */
const pick = (n: number, i: number) => 1 + ((i * 7_919 + 13) % n);

/** "+7 (916) 000-12-34", "8 916 0001234", "(916) 000 1234": a different typing each time. */
function typedPhone(e164: string, i: number): string {
  const d = e164.slice(1);
  const last10 = d.slice(-10);
  if (i % 3 === 0) return `+${d.slice(0, -10)} (${last10.slice(0, 3)}) ${last10.slice(3, 6)}-${last10.slice(6, 8)}-${last10.slice(8)}`;
  if (i % 3 === 1) return `8 ${last10.slice(0, 3)} ${last10.slice(3)}`;
  return `(${last10.slice(0, 3)}) ${last10.slice(3, 6)} ${last10.slice(6)}`;
}

/** Swaps two letters in the middle of the last name: "Kovalenko" → "Kovaelnko". */
function misspelt(fullName: string): string {
  const [first, last] = fullName.split(' ') as [string, string];
  const k = Math.floor(last.length / 2);
  return `${first} ${last.slice(0, k - 1)}${last[k]}${last[k - 1]}${last.slice(k + 1)}`;
}

async function round(db: Db, manager: User, leads: number): Promise<Omit<SearchRound, 'seedSeconds' | 'analyzeSeconds'>> {
  const findPhone = await measure((i) => searchLeads(db, manager, typedPhone(seededLead(pick(leads, i)).phone, i)));
  const findName = await measure((i) => searchLeads(db, manager, misspelt(seededLead(pick(leads, i)).fullName)));
  const findSurname = await measure((i) => searchLeads(db, manager, seededLead(pick(leads, i)).fullName.split(' ')[1]!));
  const firstPage = await measure(() => listLeadsForUser(db, manager, { limit: PAGE, filters: FILTERS }), PAGE_RUNS);
  const deep: DeepPage[] = [];
  for (const pages of DEPTHS) {
    // The id at the end of page `pages`, found directly rather than by paging there.
    const last = await db.selectFrom('leads').select('id').where('is_deleted', '=', false)
      .where((eb) => leadFilterCondition(eb, FILTERS)).orderBy('id', 'desc')
      .offset(PAGE * pages - 1).limit(1).executeTakeFirst();
    if (!last) break;
    const cursor = encodeCursor(last.id);
    const keyset = await measure(() => listLeadsForUser(db, manager, { cursor, limit: PAGE, filters: FILTERS }), PAGE_RUNS);
    const offset = await measure(() => db.selectFrom('leads').selectAll().where('is_deleted', '=', false)
      .where((eb) => leadFilterCondition(eb, FILTERS)).orderBy('id', 'desc')
      .offset(PAGE * pages).limit(PAGE + 1).execute(), PAGE_RUNS);
    deep.push({ pages, keyset, offset });
  }
  return { leads, findPhone, findName, findSurname, firstPage, deep };
}

/**
 * Finding leads on real PostgreSQL at 100,000 and then 1,000,000 leads
 * (BENCH_SEARCH_SIZES): /find by a phone typed in national or international
 * format and by a misspelt name (core searchLeads, as a manager), and a
 * filtered /leads page (listLeadsForUser) first vs DEPTH_PAGES pages deep by
 * keyset, beside the same deep page by OFFSET.
 */
export async function benchSearch(): Promise<SearchRound[]> {
  const database = await createBenchDb('search', 4);
  try {
    const { db } = database;
    const users = await db.insertInto('users').values(Array.from({ length: 21 }, (_, i) => ({
      telegram_id: 900_000 + i, username: null, full_name: `User ${i}`, role: i === 0 ? 'manager' as const : 'agent' as const,
      status: 'active' as const, capacity: 100_000, language: 'en' as const,
    }))).returningAll().execute();
    const manager = users[0]!;
    const rounds: SearchRound[] = [];
    let seeded = 0;
    for (const size of SIZES) {
      let t = performance.now();
      await seedLeads(db, { from: seeded + 1, to: size, assigneeIds: users.map((u) => u.id) });
      const seedSeconds = (performance.now() - t) / 1000;
      seeded = size;
      t = performance.now();
      await sql`analyze leads`.execute(db);
      const analyzeSeconds = (performance.now() - t) / 1000;
      rounds.push({ ...await round(db, manager, size), seedSeconds, analyzeSeconds });
    }
    return rounds;
  } finally {
    await database.close();
  }
}

const ms = (l: Latency) => `p50 ${l.p50Ms.toFixed(2)} ms   p99 ${l.p99Ms.toFixed(2)} ms`;

/** The report lines of benchSearch, for bench/index.ts. */
export function searchReport(rounds: SearchRound[]): string[] {
  const lines: string[] = [];
  for (const r of rounds) {
    lines.push(`\nFinding leads: ${r.leads.toLocaleString('en-US')} leads on real PostgreSQL, as a manager (${QUERIES} searches, ${PAGE_RUNS} pages each)`,
      `  seeded this round : ${r.seedSeconds.toFixed(1)} s (one INSERT … SELECT, indexes in place)   ANALYZE ${r.analyzeSeconds.toFixed(1)} s`,
      `  /find phone       : ${ms(r.findPhone)}   (typed as "+7 (916) …", "8 916 …", "(916) …")`,
      `  /find misspelt    : ${ms(r.findName)}   (first name + last name with two letters swapped)`,
      `  /find surname     : ${ms(r.findSurname)}   (a last name alone: ~1 lead in 136 has it; whole-word matches, at most ${MAX_WHOLE_WORD_CANDIDATES} ranked)`,
      `  /leads 1st page   : ${ms(r.firstPage)}   (stage NEW,CONTACTED · tier HOT,WARM; ${PAGE} per page)`);
    for (const d of r.deep) {
      const label = `page ${d.pages.toLocaleString('en-US')}`.padEnd(11);
      lines.push(
        `  /leads ${label}: ${ms(d.keyset)}   keyset: depth/first p50 ${(d.keyset.p50Ms / r.firstPage.p50Ms).toFixed(2)}x`,
        `    same, by OFFSET : ${ms(d.offset)}   OFFSET/keyset p50 ${(d.offset.p50Ms / d.keyset.p50Ms).toFixed(1)}x`);
    }
  }
  return lines;
}
