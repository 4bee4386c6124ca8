import { LRUCache } from 'lru-cache';
import type { FormSource } from '../database.js';

/** How long an instance trusts a form source it read (ms): other instances see a disable or a new key this late at most. */
export const SOURCE_CACHE_TTL_MS = 5_000;

/**
 * Form sources by webhook slug, so a delivery costs no look-up of its
 * source (§11 intake at the speed of one INSERT). Changes made through this
 * core (disable, signing key) forget the source at once; other instances
 * within SOURCE_CACHE_TTL_MS. Only found, active sources are kept.
 */
export function createSourceCache(ttlMs = SOURCE_CACHE_TTL_MS) {
  const bySlug = new LRUCache<string, FormSource>({ max: 1_000, ttl: ttlMs });
  return {
    get: (slug: string) => bySlug.get(slug),
    set: (source: FormSource) => { if (source.is_active) bySlug.set(source.slug, source); },
    forget: (source: Pick<FormSource, 'slug'>) => { bySlug.delete(source.slug); },
    clear: () => bySlug.clear(),
  };
}
export type SourceCache = ReturnType<typeof createSourceCache>;
