import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { CampaignLink, Db, User } from '../database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { sanitizeText } from '../leads/lead.sanitize.js';
import { INVITE_PREFIX } from './conversation.constants.js';

/** A /start payload: Telegram allows 1–64 of A-Z a-z 0-9 _ -. */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;

export interface NewCampaignLink {
  code: string;
  name?: string | null;
  utm: { source?: string | null; medium?: string | null; campaign?: string | null; content?: string | null; term?: string | null };
}

/**
 * An admin defines a campaign deep link (§12): `t.me/<bot>?start=<code>`
 * gives the leads it brings the link's UTM values. Codes are what Telegram
 * allows in /start (1–64 of A-Z a-z 0-9 _ -), unique ignoring case, and
 * never start with the invite prefix. Throws ForbiddenError, ValidationError('code' | 'utm').
 */
export async function createCampaignLink(db: Db, actor: User, p: NewCampaignLink): Promise<CampaignLink> {
  assertCan(actor, 'channel.manage');
  const code = p.code.trim();
  if (!CODE.test(code)) throw new ValidationError('code', 'must be 1-64 of the letters A-Z a-z, digits, _ and -');
  if (code.toLowerCase().startsWith(INVITE_PREFIX)) throw new ValidationError('code', `must not start with ${INVITE_PREFIX}`);
  const utm = {
    utm_source: sanitizeText(p.utm.source, 256), utm_medium: sanitizeText(p.utm.medium, 256),
    utm_campaign: sanitizeText(p.utm.campaign, 256), utm_content: sanitizeText(p.utm.content, 256),
    utm_term: sanitizeText(p.utm.term, 256),
  };
  if (!Object.values(utm).some(Boolean)) throw new ValidationError('utm', 'at least one UTM value is needed');
  if (await findByCode(db, code)) throw new ValidationError('code', `the code ${code} is taken`);
  const row = await db.insertInto('campaign_links').values({
    code, name: sanitizeText(p.name, 100) ?? code, ...utm, created_by: actor.id,
  }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
  if (!row) throw new ValidationError('code', `the code ${code} is taken`);
  return row;
}

/** Every campaign link, active first, newest first. Throws ForbiddenError. */
export async function listCampaignLinks(db: Db, actor: User): Promise<CampaignLink[]> {
  assertCan(actor, 'channel.manage');
  return db.selectFrom('campaign_links').selectAll().orderBy('is_active', 'desc').orderBy('id', 'desc').limit(50).execute();
}

/** Stops a link attributing new leads (its earlier leads keep their UTM). Throws ForbiddenError, NotFoundError. */
export async function disableCampaignLink(db: Db, actor: User, id: number): Promise<CampaignLink> {
  assertCan(actor, 'channel.manage');
  const row = await db.updateTable('campaign_links').set({ is_active: false }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('campaign_link', id);
  return row;
}

/** The active link behind a /start code (case-insensitive), if any. */
export async function findActiveCampaign(db: Db, code: string): Promise<CampaignLink | undefined> {
  const found = await findByCode(db, code);
  return found?.is_active ? found : undefined;
}

const findByCode = (db: Db, code: string) => db.selectFrom('campaign_links').selectAll()
  .where(sql<string>`lower(code)`, '=', code.trim().toLowerCase()).executeTakeFirst();
