import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from '../../core/index.js';

/** Telegram keeps a file id usable for long; a week bounds what the store holds. */
const FILE_ID_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Rendered charts, cached per report, period, language and data version
 * (§14): the key changes when the numbers can, so nothing is invalidated by
 * hand. Two levels: the Telegram file id of a photo already sent (shared
 * across instances through the store — a resend costs no drawing and no
 * upload), and the PNG bytes in this process for the moment between drawing
 * and Telegram's answer.
 */
export interface ChartCache {
  fileId(key: string): Promise<string | null>;
  rememberFileId(key: string, fileId: string): Promise<void>;
  png(key: string, draw: () => Buffer): Buffer;
}

export function createChartCache(store: KeyValueStore): ChartCache {
  const pngs = new LRUCache<string, Buffer>({ max: 32 });
  return {
    fileId: (key) => store.get(`chart:${key}`),
    rememberFileId: (key, fileId) => store.set(`chart:${key}`, fileId, FILE_ID_TTL_MS),
    png(key, draw) {
      let png = pngs.get(key);
      if (!png) {
        png = draw();
        pngs.set(key, png);
      }
      return png;
    },
  };
}
