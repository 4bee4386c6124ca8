import { assertPrincipalCan, type Principal } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import {
  createFormSource, disableFormSource, findFormSource, getActiveFormSourceBySlug, listFormSources, setSigningSecret,
  webhookUrlFor, type NewFormSource,
} from './form-source.service.js';
import type { FormSource } from '../database.js';
import {
  authenticateSubmission, receiveSubmission, type DeliveryCredentials, type IncomingSubmission,
} from './intake.service.js';

/** Form sources and their webhooks (§11): admins in the bot, the operator on the command line. */
export function formSourceUseCases({ db, config }: CoreContext) {
  return {
    /** A new source with its webhook URL (with the secret, where the provider cannot sign) and secret. */
    create: async (by: Principal, p: Omit<NewFormSource, 'createdBy'>) => {
      assertPrincipalCan(by, 'sources.manage');
      const created = await createFormSource(db, { ...p, createdBy: 'id' in by ? by.id : null });
      return { ...created, url: webhookUrlFor(config.PUBLIC_URL, created.source) };
    },
    list: async (by: Principal) => {
      assertPrincipalCan(by, 'sources.manage');
      return listFormSources(db);
    },
    /** One source by id or name. Throws NotFoundError('form_source'). */
    find: async (by: Principal, idOrName: number | string) => {
      assertPrincipalCan(by, 'sources.manage');
      return findFormSource(db, idOrName);
    },
    disable: async (by: Principal, idOrName: number | string) => {
      assertPrincipalCan(by, 'sources.manage');
      return disableFormSource(db, idOrName);
    },
    /** Webflow/HubSpot: the key their deliveries are signed with (null clears it). Throws NotFoundError, ValidationError. */
    setSigningSecret: async (by: Principal, idOrName: number | string, secret: string | null) => {
      assertPrincipalCan(by, 'sources.manage');
      return setSigningSecret(db, idOrName, secret);
    },
    /** The URL to paste into the form builder (withSecret: false for listings). */
    urlOf: (source: Parameters<typeof webhookUrlFor>[1], opts: { withSecret?: boolean } = {}) =>
      webhookUrlFor(config.PUBLIC_URL, source, opts),
  };
}

/** Intake (§11): a form webhook delivery, from the request's raw parts. */
export function intakeUseCases({ db, config, now }: CoreContext) {
  const opts = config.DEFAULT_COUNTRY ? { defaultCountry: config.DEFAULT_COUNTRY } : {};
  return {
    /** The active source behind a webhook slug. Throws NotFoundError('form_source'). */
    sourceBySlug: (slug: string) => getActiveFormSourceBySlug(db, slug),
    /**
     * The URL a provider that signs it (HubSpot) called: the source's
     * public webhook URL plus the query string it was called with.
     */
    requestUrlOf: (source: FormSource, query: string) => `${webhookUrlFor(config.PUBLIC_URL, source, { withSecret: false })}${query}`,
    /** The delivery's secret or signature (§11, §16), before the body is read. Throws UnauthorizedError. */
    authenticate: (source: FormSource, credentials: DeliveryCredentials) =>
      authenticateSubmission(source, credentials, undefined, now()),
    /** See receiveSubmission. */
    receive: (incoming: IncomingSubmission) => receiveSubmission(db, incoming, { ...opts, now: now() }),
  };
}
