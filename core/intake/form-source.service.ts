import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { FORM_PROVIDERS, type Db, type FormProvider, type FormSource } from '../database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { LEAD_SOURCES, type LeadSource } from '../leads/lead.constants.js';

/** Where http/ mounts the form webhook routes; a source's URL is this + '/' + slug. */
export const WEBHOOK_BASE_PATH = '/webhooks/forms';

const NAME_MAX = 100;
const SLUG_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
// 144 bits for the public path, 256 for the secret; base64url is safe in URLs and form builders.
const newSlug = () => randomBytes(18).toString('base64url');
const newSecret = () => randomBytes(32).toString('base64url');

export interface NewFormSource {
  name: string;
  provider: string;
  /** The lead source of its leads (§2); default WEB. */
  leadSource?: string | null;
  /** Webflow, HubSpot: the key the provider signs with (its webhook secret, the app's client secret). */
  signingSecret?: string | null;
  createdBy?: number | null;
}

/** Providers that can sign with a key they issue (signing_secret); others never use it. */
export const PROVIDER_KEYED: readonly FormProvider[] = ['webflow', 'hubspot'];
/** Providers that sign with the secret we give them (pasted into their webhook settings). */
export const PROVIDER_SIGNED: readonly FormProvider[] = ['typeform', 'tally'];

function checkSigningSecret(provider: FormProvider, value: string | null | undefined): string | null {
  const secret = value?.trim() || null;
  if (secret === null) return null;
  if (!PROVIDER_KEYED.includes(provider)) throw new ValidationError('signing_secret', `only ${PROVIDER_KEYED.join(' and ')} sign with a key of their own`);
  if (secret.length < 8 || secret.length > 512 || /\s/.test(secret)) throw new ValidationError('signing_secret', 'must be 8-512 characters without spaces');
  return secret;
}

/**
 * Registers a form webhook (§11): a unique name, an unguessable slug for
 * its URL and a secret of its own. Returns the row, the secret (also in the
 * row; returned so callers show it once) and the path to mount it under.
 * Throws ValidationError('name'|'provider'|'lead_source').
 */
export async function createFormSource(
  db: Db, p: NewFormSource,
): Promise<{ source: FormSource; secret: string; webhookPath: string }> {
  const name = p.name.trim();
  if (!name || name.length > NAME_MAX || /[\u0000-\u001f]/.test(name)) {
    throw new ValidationError('name', `must be 1-${NAME_MAX} printable characters`);
  }
  // `sources disable <name|id>` must never have to guess which one was meant.
  if (/^\d+$/.test(name)) throw new ValidationError('name', 'must not be a number');
  if (!FORM_PROVIDERS.includes(p.provider as FormProvider)) {
    throw new ValidationError('provider', `must be one of ${FORM_PROVIDERS.join(', ')}`);
  }
  const leadSource = p.leadSource ?? 'WEB';
  if (!LEAD_SOURCES.includes(leadSource as LeadSource)) {
    throw new ValidationError('lead_source', `must be one of ${LEAD_SOURCES.join(', ')}`);
  }
  const signingSecret = checkSigningSecret(p.provider as FormProvider, p.signingSecret);
  if (await findByName(db, name)) throw new ValidationError('name', `a form source named "${name}" already exists`);
  const secret = newSecret();
  const source = await db.insertInto('form_sources').values({
    name, provider: p.provider as FormProvider, slug: newSlug(), secret, signing_secret: signingSecret,
    lead_source: leadSource as LeadSource, created_by: p.createdBy ?? null,
  }).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  // Lost a race with a concurrent create of the same name.
  if (!source) throw new ValidationError('name', `a form source named "${name}" already exists`);
  return { source, secret, webhookPath: `${WEBHOOK_BASE_PATH}/${source.slug}` };
}

/** Every form source, active and disabled, oldest first. */
export async function listFormSources(db: Db): Promise<FormSource[]> {
  return db.selectFrom('form_sources').selectAll().orderBy('id').execute();
}

/** A source by id or name (case-insensitive). Throws NotFoundError('form_source'). */
export async function findFormSource(db: Db, idOrName: number | string): Promise<FormSource> {
  const text = String(idOrName).trim();
  const found = /^\d+$/.test(text)
    ? await db.selectFrom('form_sources').selectAll().where('id', '=', Number(text)).executeTakeFirst()
    : await findByName(db, text);
  if (!found) throw new NotFoundError('form_source', text);
  return found;
}

/**
 * Stops a form source: its webhook answers 404 from now on (§11). Accepts
 * the id or the name; disabling twice is harmless. Throws NotFoundError('form_source').
 */
export async function disableFormSource(db: Db, idOrName: number | string): Promise<FormSource> {
  const found = await findFormSource(db, idOrName);
  return db.updateTable('form_sources')
    .set({ is_active: false, disabled_at: sql`coalesce(disabled_at, now())` })
    .where('id', '=', found.id).returningAll().executeTakeFirstOrThrow();
}

/** The source behind a webhook slug, active or disabled; undefined for an unknown (or malformed) slug. */
export async function findFormSourceBySlug(db: Db, slug: string): Promise<FormSource | undefined> {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  return db.selectFrom('form_sources').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The slug is a credential of sorts: the error never repeats it. */
export const sourceNotFoundForUrl = (): NotFoundError => new NotFoundError('form_source', 'for this URL');

/**
 * Sets (or, with null, clears) the key a Webflow or HubSpot source's
 * deliveries are signed with: set, their signature is checked and the URL
 * needs no secret; cleared, the shared secret in the URL is. Throws
 * NotFoundError('form_source'), ValidationError('signing_secret').
 */
export async function setSigningSecret(db: Db, idOrName: number | string, value: string | null): Promise<FormSource> {
  const found = await findFormSource(db, idOrName);
  const signingSecret = checkSigningSecret(found.provider, value);
  return db.updateTable('form_sources').set({ signing_secret: signingSecret })
    .where('id', '=', found.id).returningAll().executeTakeFirstOrThrow();
}

/** The active source behind a webhook slug. Throws NotFoundError('form_source') for unknown or disabled ones. */
export async function getActiveFormSourceBySlug(db: Db, slug: string): Promise<FormSource> {
  const source = await findFormSourceBySlug(db, slug);
  if (!source?.is_active) throw sourceNotFoundForUrl();
  return source;
}

/**
 * The URL to paste into the form builder, under publicUrl (any path prefix
 * kept). Forms that cannot sign (Tilda, Jotform, generic; Webflow and
 * HubSpot without a signing key) carry `?secret=`; Typeform's and Tally's
 * do not — the secret goes into their webhook's secret field and comes back
 * as a signature header — nor do Webflow and HubSpot sources whose signing
 * key is set. withSecret: false gives the bare URL (listings).
 */
export function webhookUrlFor(
  publicUrl: string, source: Pick<FormSource, 'slug' | 'secret' | 'provider'> & Partial<Pick<FormSource, 'signing_secret'>>,
  opts: { withSecret?: boolean } = {},
): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}${WEBHOOK_BASE_PATH}/${source.slug}`);
  if (needsUrlSecret(source) && opts.withSecret !== false) url.searchParams.set('secret', source.secret);
  return url.toString();
}

/** Whether deliveries authenticate with the shared secret (not a signature). */
export const needsUrlSecret = (source: Pick<FormSource, 'provider'> & Partial<Pick<FormSource, 'signing_secret'>>): boolean =>
  !PROVIDER_SIGNED.includes(source.provider) && !(PROVIDER_KEYED.includes(source.provider) && source.signing_secret);

function findByName(db: Db, name: string): Promise<FormSource | undefined> {
  return db.selectFrom('form_sources').selectAll()
    .where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}
