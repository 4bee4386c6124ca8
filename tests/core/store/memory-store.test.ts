import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../core/store/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { describeStoreContract } from './store-contract.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const shared = createMemoryStore();
afterAll(() => shared.close());
describeStoreContract('in-process store', () => shared);

/** A store on a clock the test moves; no sweep timer, so only the test purges. */
function clocked(start = 1_000_000) {
  const clock = { now: start };
  const store = createMemoryStore({ now: () => clock.now, purgeIntervalMs: 0 });
  return { clock, store };
}

describe('in-process store: expiry and eviction', () => {
  it('evicts expired keys that nobody reads again, keeping live ones', async () => {
    const { clock, store } = clocked();
    for (let i = 0; i < 1_000; i++) await store.set(`bot:leads-page:${i}`, '{"page":1}', DAY_MS);
    await store.set('forever', 'x');
    await store.set('later', 'y', 2 * DAY_MS);
    expect(store.size()).toBe(1_002);
    clock.now += DAY_MS + 1;
    store.purgeStale();
    expect(store.size()).toBe(2);
    expect(await store.get('later')).toBe('y');
  });

  it('sweeps expired keys on its own timer', async () => {
    const store = createMemoryStore({ purgeIntervalMs: 10 });
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, 'v', 20);
    await waitFor(() => store.size() === 0, { timeoutMs: 2_000, what: 'the sweep' });
    await store.close();
  });

  it('drops a key once its TTL has fully elapsed, not a millisecond later', async () => {
    const { clock, store } = clocked();
    await store.set('undo', 'token', 30_000);
    clock.now += 29_999;
    expect(await store.get('undo')).toBe('token');
    clock.now += 1;
    expect(await store.get('undo')).toBeNull();
    expect(await store.setIfAbsent('undo', 'again', 30_000)).toBe(true);
  });

  it('works with a clock that starts at 0', async () => {
    const { clock, store } = clocked(0);
    await store.set('k', 'v', 10);
    clock.now = 11;
    store.purgeStale();
    expect(store.size()).toBe(0);
  });

  it('keeps a counter window from the first use: later uses and refunds do not move it', async () => {
    const { clock, store } = clocked();
    expect(await store.increment('c', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    clock.now += 600;
    expect(await store.increment('c', 1_000)).toEqual({ count: 2, resetInMs: 400 });
    expect(await store.increment('c', 1_000, -5)).toEqual({ count: 0, resetInMs: 400 });
    clock.now += 399;
    expect(await store.increment('c', 1_000)).toEqual({ count: 1, resetInMs: 1 });
    clock.now += 1;
    expect(await store.increment('c', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('gives a counter set without a TTL a window', async () => {
    const { store } = clocked();
    await store.set('c', '4');
    expect(await store.increment('c', 1_000)).toEqual({ count: 5, resetInMs: 1_000 });
  });

  it('holds at most maxEntries keys, evicting the least recently used first', async () => {
    const store = createMemoryStore({ maxEntries: 3, purgeIntervalMs: 0 });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.set('c', '3');
    await store.get('a');
    await store.set('d', '4');
    expect(store.size()).toBe(3);
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).toBe('1');
  });
});
