import { UnprocessableError, UnsupportedMediaTypeError } from '../../errors.js';
import { isRecord, mergeUtm, parseBody, textOf, utmFromFields } from '../intake.body.js';
import { pickFields } from '../intake.fields.js';
import { collectAnswers } from '../intake.shapes.js';
import type { FormAdapter } from '../intake.types.js';

/**
 * Webflow (§11): JSON `{triggerType: "form_submission", payload: {name,
 * siteId, data: {<field name>: value}, schema, submittedAt, id, formId}}`
 * (Webflow's "Working with webhooks" example). Field names are the form's
 * own (matched by intake.fields); a phone field Webflow sends as a JSON
 * number is read as international. The submission id is payload.id; the
 * reference is the form's name. Any other trigger type is acknowledged and
 * creates nothing (a site publish, a CMS change on the same webhook URL).
 * Signed with x-webflow-signature: see intake-auth.rules.
 */
export const parseWebflow: FormAdapter = (rawBody, mediaType) => {
  if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError(mediaType);
  const body = parseBody(rawBody, mediaType);
  // Older (v1) webhooks sent the payload fields at the top level.
  const payload = isRecord(body.payload) ? body.payload : body;
  const trigger = textOf(body.triggerType);
  const data = isRecord(payload.data) ? payload.data : null;
  if (!data && trigger === 'form_submission') throw new UnprocessableError('Webflow form_submission without data');
  const picked = pickFields(data ? collectAnswers(data) : []);
  return {
    externalId: textOf(payload.id) ?? textOf(payload._id),
    isTest: trigger !== null && trigger !== 'form_submission',
    contact: { fullName: picked.fullName, phone: picked.phone, email: picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: mergeUtm(utmFromFields(data ?? {})),
    formReference: textOf(payload.name) ?? textOf(payload.formId),
    extra: picked.extra,
  };
};
