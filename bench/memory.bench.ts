import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { saveListState, type ListState } from '../bot/lead-list-state.js';
import { encodeCursor } from '../core/leads/lead.repository.js';
import { createMemoryStore } from '../core/store/memory-store.js';

const WRITES = Number(process.env.BENCH_MEMORY_WRITES ?? 100_000);
const DAY_MS = 24 * 60 * 60 * 1000;

export interface MemoryFigures {
  writes: number;
  writesPerSecond: number;
  /** Keys held right after the writes, and once 24 h have passed: before and after a sweep. */
  entries: { live: number; expiredBeforePurge: number; afterPurge: number };
  /** MB after a full GC: before the writes, with the keys live, after the sweep. */
  heapMb: { before: number; live: number; afterPurge: number };
  rssMb: { before: number; live: number; afterPurge: number };
  purgeMs: number;
  /** Baseline for purgeMs: one walk over a plain Map of as many keys, reading each (ms). */
  mapWalkMs: number;
}

// `npm run bench` runs without --expose-gc; heap figures only mean something after a full collection.
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function sample(gc: () => void): { heap: number; rss: number } {
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed / 1e6, rss: rss / 1e6 };
}

/** A /leads page as saveListState keeps it: a manager's filters, a keyset cursor, the page before. */
function listPage(i: number): ListState {
  return {
    userId: 1_000 + (i % 40),
    page: 2 + (i % 9),
    cursor: encodeCursor(1_000_000 - i * 10),
    prevKey: 'AbCdEfGh',
    filters: i % 3 === 0 ? {} : { stages: ['NEW', 'CONTACTED'], qualityTiers: ['HOT', 'WARM'] },
  };
}

/**
 * The in-process store under /leads page views: WRITES list states under
 * fresh random keys with their 24 h TTL (the real saveListState), then the
 * clock moves past the TTL and the store's sweep runs (its timer's call,
 * made here at once). Nobody reads the pages again, as with real taps.
 */
export async function benchMemory(): Promise<MemoryFigures> {
  const gc = exposeGc();
  const clock = { now: Date.now() };
  const store = createMemoryStore({ now: () => clock.now, purgeIntervalMs: 0 });
  const before = sample(gc);
  const started = performance.now();
  for (let i = 0; i < WRITES; i++) await saveListState(store, listPage(i));
  const writeSeconds = (performance.now() - started) / 1000;
  const live = { ...sample(gc), entries: store.size() };

  clock.now += DAY_MS + 1;
  const expiredBeforePurge = store.size();
  const purgeStarted = performance.now();
  store.purgeStale();
  const purgeMs = performance.now() - purgeStarted;
  const after = { ...sample(gc), entries: store.size() };
  await store.close();
  const mapWalkMs = timeMapWalk(WRITES);
  return {
    writes: WRITES,
    writesPerSecond: WRITES / writeSeconds,
    entries: { live: live.entries, expiredBeforePurge, afterPurge: after.entries },
    heapMb: { before: before.heap, live: live.heap, afterPurge: after.heap },
    rssMb: { before: before.rss, live: live.rss, afterPurge: after.rss },
    purgeMs,
    mapWalkMs,
  };
}

function timeMapWalk(size: number): number {
  const map = new Map<string, number>();
  for (let i = 0; i < size; i++) map.set(`bot:leads-page:${i.toString(36)}`, i);
  const started = performance.now();
  let seen = 0;
  for (const [key, value] of map) if (map.get(key) === value) seen += 1;
  const ms = performance.now() - started;
  if (seen !== size) throw new Error('map walk miscounted');
  return ms;
}

export function memoryReport(m: MemoryFigures): string[] {
  const mb = (n: number) => `${n.toFixed(1)} MB`;
  const perKey = ((m.heapMb.live - m.heapMb.before) * 1e6) / Math.max(m.entries.live, 1);
  return [
    `\nIn-process store: ${m.writes.toLocaleString('en-US')} /leads page views (saveListState: JSON state, fresh random key, 24 h TTL)`,
    `  writes            : ${Math.round(m.writesPerSecond).toLocaleString('en-US')} /s`,
    `  live (24 h TTL)   : ${m.entries.live.toLocaleString('en-US')} keys   heap ${mb(m.heapMb.live)} (+${mb(m.heapMb.live - m.heapMb.before)}, ~${Math.round(perKey)} B/key)   rss ${mb(m.rssMb.live)}`,
    `  TTL elapsed       : ${m.entries.expiredBeforePurge.toLocaleString('en-US')} keys before the sweep → ${m.entries.afterPurge.toLocaleString('en-US')} after (sweep ${m.purgeMs.toFixed(1)} ms, every 60 s)`,
    `  sweep / Map walk  : ${(m.purgeMs / Math.max(m.mapWalkMs, 0.001)).toFixed(1)}x   (a plain Map of as many keys, each read once: ${m.mapWalkMs.toFixed(1)} ms)`,
    `  after the sweep   : heap ${mb(m.heapMb.afterPurge)} (${m.heapMb.afterPurge - m.heapMb.before >= 0 ? '+' : ''}${mb(m.heapMb.afterPurge - m.heapMb.before)} vs before the writes)   rss ${mb(m.rssMb.afterPurge)}`,
  ];
}
