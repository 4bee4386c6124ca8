import { randomBytes } from 'node:crypto';
import { type KeyValueStore } from '../core/index.js';

/**
 * What /bulk keeps between taps, in the shared store (so any instance can
 * serve the next tap): the user's selection, the list pages they opened and
 * the exact ids a delete confirmation named. Everything expires on its own.
 */

/** A selection left alone this long is forgotten. */
export const SELECTION_TTL_MS = 60 * 60 * 1000;
const PAGE_TTL_MS = 24 * 60 * 60 * 1000;
/** A delete confirmation is good for this long; afterwards the admin starts again. */
const SNAPSHOT_TTL_MS = 10 * 60 * 1000;

const selectionKey = (userId: number) => `bot:bulk:sel:${userId}`;
const pageKey = (key: string) => `bot:bulk:page:${key}`;
const snapshotKey = (key: string) => `bot:bulk:del:${key}`;
const newKey = () => randomBytes(6).toString('base64url');

/** A list page: keyset cursors only go forward, so each page remembers the one before. */
export interface BulkPage {
  userId: number;
  page: number;
  cursor: string | null;
  prevKey: string | null;
  /** Filled the first time the page finds it has a next one, so redraws reuse it. */
  nextKey?: string | null;
}

export async function getSelection(store: KeyValueStore, userId: number): Promise<number[]> {
  const raw = await store.get(selectionKey(userId));
  return raw === null ? [] : (JSON.parse(raw) as number[]);
}

export async function setSelection(store: KeyValueStore, userId: number, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) await store.delete(selectionKey(userId));
  else await store.set(selectionKey(userId), JSON.stringify(ids), SELECTION_TTL_MS);
}

/** Stores a page under a new short key (for callback data) and returns the key. */
export async function savePage(store: KeyValueStore, page: BulkPage): Promise<string> {
  const key = newKey();
  await store.set(pageKey(key), JSON.stringify(page), PAGE_TTL_MS);
  return key;
}

export async function updatePage(store: KeyValueStore, key: string, page: BulkPage): Promise<void> {
  await store.set(pageKey(key), JSON.stringify(page), PAGE_TTL_MS);
}

/** The page behind a key, only for the user it was made for (callback data is never trusted). */
export async function loadPage(store: KeyValueStore, key: string, userId: number): Promise<BulkPage | null> {
  const raw = await store.get(pageKey(key));
  const page = raw === null ? null : (JSON.parse(raw) as BulkPage);
  return page?.userId === userId ? page : null;
}

export async function saveSnapshot(store: KeyValueStore, userId: number, ids: readonly number[]): Promise<string> {
  const key = newKey();
  await store.set(snapshotKey(key), JSON.stringify({ userId, ids }), SNAPSHOT_TTL_MS);
  return key;
}

/**
 * The ids a confirmation named, once: the first taker claims it atomically
 * (setIfAbsent), so a double tap — even on two instances — finds nothing.
 */
export async function takeSnapshot(store: KeyValueStore, key: string, userId: number): Promise<number[] | null> {
  const raw = await store.get(snapshotKey(key));
  if (raw === null) return null;
  const snapshot = JSON.parse(raw) as { userId: number; ids: number[] };
  if (snapshot.userId !== userId) return null;
  if (!(await store.setIfAbsent(`${snapshotKey(key)}:taken`, '1', SNAPSHOT_TTL_MS))) return null;
  await store.delete(snapshotKey(key));
  return snapshot.ids;
}
