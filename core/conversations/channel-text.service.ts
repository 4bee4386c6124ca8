import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { Db, User } from '../database.js';
import { ValidationError } from '../errors.js';
import { LANGUAGES, type Language } from '../users/user.constants.js';
import { CHANNEL_TEXT_KEYS, REPLY_TEXT_LIMIT, type ChannelTextKey } from './conversation.constants.js';

/** The admins' own texts, by key and language; a missing one means the built-in default. */
export async function listChannelTexts(db: Db, actor: User): Promise<{ key: ChannelTextKey; language: Language; body: string }[]> {
  assertCan(actor, 'channel.manage');
  return db.selectFrom('channel_texts').select(['key', 'language', 'body']).orderBy('key').orderBy('language').execute();
}

/** The admin's text for key and language, or null (then the edge's default applies). */
export async function channelText(db: Db, key: ChannelTextKey, language: Language): Promise<string | null> {
  const row = await db.selectFrom('channel_texts').select('body').where('key', '=', key).where('language', '=', language)
    .executeTakeFirst();
  return row?.body ?? null;
}

/**
 * An admin sets the text the bot sends customers for `key` in `language`
 * (§12), or restores the default with null. Plain text, 1–4096
 * characters. Throws ForbiddenError, ValidationError('key' | 'language' | 'text').
 */
export async function setChannelText(
  db: Db, actor: User, p: { key: ChannelTextKey; language: Language; body: string | null },
): Promise<void> {
  assertCan(actor, 'channel.manage');
  if (!CHANNEL_TEXT_KEYS.includes(p.key)) throw new ValidationError('key', `must be one of ${CHANNEL_TEXT_KEYS.join(', ')}`);
  if (!LANGUAGES.includes(p.language)) throw new ValidationError('language', `must be one of ${LANGUAGES.join(', ')}`);
  if (p.body === null) {
    await db.deleteFrom('channel_texts').where('key', '=', p.key).where('language', '=', p.language).execute();
    return;
  }
  const body = p.body.replace(/\u0000/g, '').trim();
  if (!body || body.length > REPLY_TEXT_LIMIT) throw new ValidationError('text', `must be 1-${REPLY_TEXT_LIMIT} characters`);
  await db.insertInto('channel_texts').values({ key: p.key, language: p.language, body, updated_by: actor.id })
    .onConflict((oc) => oc.columns(['key', 'language']).doUpdateSet({ body, updated_by: actor.id, updated_at: sql`now()` }))
    .execute();
}
