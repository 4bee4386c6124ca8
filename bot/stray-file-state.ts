import { randomBytes } from 'node:crypto';
import type { AttachmentFile, KeyValueStore } from '../core/index.js';

const PREFIX = 'bot:stray-file:';
/** How long a file sent without 📎 Attach waits for the sender to pick its lead. */
const TTL_MS = 30 * 60 * 1000;

interface StrayFile { userId: number; file: AttachmentFile }

/**
 * A file sent without 📎 Attach, kept (its Telegram ids and size, never its
 * bytes) under a short key the lead buttons carry. Returns the key.
 */
export async function keepStrayFile(store: KeyValueStore, userId: number, file: AttachmentFile): Promise<string> {
  const key = randomBytes(6).toString('base64url');
  await store.set(PREFIX + key, JSON.stringify({ userId, file } satisfies StrayFile), TTL_MS);
  return key;
}

/**
 * The waiting file, for this user only, claimed once: a double tap or a
 * second lead button gets null, as does an expired key. `release` gives
 * the claim back when attaching was refused, so another lead can be picked.
 */
export async function claimStrayFile(
  store: KeyValueStore, key: string, userId: number,
): Promise<{ file: AttachmentFile; release(): Promise<void>; done(): Promise<void> } | null> {
  const raw = await store.get(PREFIX + key);
  const stray = raw === null ? null : (JSON.parse(raw) as StrayFile);
  if (!stray || stray.userId !== userId) return null;
  if (!(await store.setIfAbsent(`${PREFIX}${key}:claimed`, '1', TTL_MS))) return null;
  return {
    file: stray.file,
    release: () => store.delete(`${PREFIX}${key}:claimed`),
    done: () => store.delete(PREFIX + key),
  };
}

/** Forgets the file (❌ under the question). */
export const dropStrayFile = (store: KeyValueStore, key: string): Promise<void> => store.delete(PREFIX + key);
