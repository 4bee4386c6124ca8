import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../../core/store/kv-store.js';
import { waitFor } from '../../support/wait-for.js';

const MINUTE_MS = 60_000;

/**
 * The KeyValueStore contract, run against each store with real time: what
 * bot state, locks and rate limits rely on, whichever store is behind them.
 */
export function describeStoreContract(name: string, store: () => KeyValueStore): void {
  let n = 0;
  const key = (label: string) => `contract:${label}:${++n}`;

  describe(`${name}: the KeyValueStore contract`, () => {
    it('keeps a value until its TTL passes, and one without a TTL', async () => {
      const [short, forever] = [key('short'), key('forever')];
      // Long enough that the read below comes before expiry on a busy machine.
      await store().set(short, 'a', 1_000);
      await store().set(forever, 'b');
      expect(await store().get(short)).toBe('a');
      await waitFor(async () => (await store().get(short)) === null, { what: 'the key to expire' });
      expect(await store().get(forever)).toBe('b');
      await store().delete(forever);
      expect(await store().get(forever)).toBeNull();
    });

    it('lets one setIfAbsent take a lock, until it is deleted', async () => {
      const lock = key('lock');
      const taken = await Promise.all(Array.from({ length: 5 }, () => store().setIfAbsent(lock, 'me', MINUTE_MS)));
      expect(taken.filter(Boolean)).toHaveLength(1);
      await store().delete(lock);
      expect(await store().setIfAbsent(lock, 'you', MINUTE_MS)).toBe(true);
      expect(await store().get(lock)).toBe('you');
    });

    it('counts in a window that starts at the first use and is not extended by later ones', async () => {
      const counter = key('window');
      const first = await store().increment(counter, MINUTE_MS);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(MINUTE_MS - 5_000);
      expect(first.resetInMs).toBeLessThanOrEqual(MINUTE_MS);
      const later = await store().increment(counter, MINUTE_MS, 3);
      expect(later.count).toBe(4);
      expect(later.resetInMs).toBeLessThanOrEqual(first.resetInMs);
    });

    it('starts a new window once the old one has passed', async () => {
      const counter = key('expired');
      await store().increment(counter, 50);
      await store().increment(counter, 50);
      await waitFor(async () => (await store().get(counter)) === null, { what: 'the window to pass' });
      expect((await store().increment(counter, 50)).count).toBe(1);
    });

    it('gives a refunded use back within the same window, so a refused action costs no quota', async () => {
      const counter = key('refund');
      await store().increment(counter, MINUTE_MS);
      const used = await store().increment(counter, MINUTE_MS);
      expect(used.count).toBe(2);
      const refunded = await store().increment(counter, MINUTE_MS, -1);
      expect(refunded.count).toBe(1);
      expect(refunded.resetInMs).toBeLessThanOrEqual(used.resetInMs);
      expect((await store().increment(counter, MINUTE_MS)).count).toBe(2);
    });

    it('never counts below 0, and a refund with nothing to refund stores nothing', async () => {
      const counter = key('floor');
      await store().increment(counter, MINUTE_MS);
      expect((await store().increment(counter, MINUTE_MS, -5)).count).toBe(0);
      expect((await store().increment(counter, MINUTE_MS)).count).toBe(1);

      const missing = key('missing');
      expect(await store().increment(missing, MINUTE_MS, -1)).toEqual({ count: 0, resetInMs: MINUTE_MS });
      expect(await store().get(missing)).toBeNull();
    });

    it('answers ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
