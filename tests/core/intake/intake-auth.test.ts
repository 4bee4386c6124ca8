import { describe, expect, it } from 'vitest';
import type { FormSource } from '../../../core/database.js';
import { authenticateSubmission } from '../../../core/intake/intake.service.js';
import { typeformSignature } from '../../../core/intake/signature.js';

const source = (provider: FormSource['provider']): FormSource => ({
  id: 1, name: provider, provider, slug: 'slug-of-sixteen-chars', secret: 's3cret', signing_secret: null, lead_source: 'WEB',
  is_active: true, created_by: null, created_at: new Date(), disabled_at: null,
});
const BODY = '{"form_response":{}}';

describe('authenticateSubmission (§11, §16): the first check of a delivery', () => {
  it.each(['tilda', 'generic'] as const)('%s: the shared secret decides before the body is read', (provider) => {
    expect(() => authenticateSubmission(source(provider), { providedSecret: 's3cret' })).not.toThrow();
    expect(() => authenticateSubmission(source(provider), { providedSecret: 'wrong' })).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => authenticateSubmission(source(provider), {})).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });

  it('Typeform: a missing signature is refused at once, before the body is read', () => {
    expect(() => authenticateSubmission(source('typeform'), { signature: null })).toThrow(expect.objectContaining({
      code: 'UNAUTHORIZED', message: expect.stringMatching(/signature/i),
    }));
    // The shared secret is not Typeform's credential.
    expect(() => authenticateSubmission(source('typeform'), { providedSecret: 's3cret' })).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });

  it('Typeform: with a signature, the body decides', () => {
    const signature = typeformSignature('s3cret', BODY);
    expect(() => authenticateSubmission(source('typeform'), { signature })).not.toThrow();
    expect(() => authenticateSubmission(source('typeform'), { signature }, BODY)).not.toThrow();
    expect(() => authenticateSubmission(source('typeform'), { signature }, `${BODY} `)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });
});
