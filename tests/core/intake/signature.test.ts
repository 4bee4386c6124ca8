import { describe, expect, it } from 'vitest';
import { secretMatches, typeformSignature, verifyTypeformSignature } from '../../../core/intake/signature.js';
import { readFixtureText } from '../../support/fixtures.js';

const fixture = readFixtureText;

// Vectors from shared/fixtures/forms/README.md, secret test_secret.
const VECTORS = [
  ['typeform.json', 'sha256=KHDuvbF0+sPSzaJcvPuBB2cliFR6cjgPzwktP0BctL8='],
  ['typeform-lead.json', 'sha256=tH4Cajj0rPGbTczPpsRVMoE/PR24PDKefjc4xSxMXwM='],
] as const;

describe('Typeform signature', () => {
  it.each(VECTORS)('matches the published vector for %s', (file, header) => {
    expect(typeformSignature('test_secret', fixture(file))).toBe(header);
    expect(verifyTypeformSignature('test_secret', fixture(file), header)).toBe(true);
  });

  it('fails for a tampered body, another secret, a missing or malformed header', () => {
    const [file, header] = VECTORS[1];
    const body = fixture(file);
    expect(verifyTypeformSignature('test_secret', body.replace('maria@', 'mallory@'), header)).toBe(false);
    expect(verifyTypeformSignature('other_secret', body, header)).toBe(false);
    expect(verifyTypeformSignature('test_secret', body, null)).toBe(false);
    expect(verifyTypeformSignature('test_secret', body, header.replace('sha256=', ''))).toBe(false);
  });
});

describe('shared secret', () => {
  it('matches only the exact secret', () => {
    expect(secretMatches('s3cret-value', 's3cret-value')).toBe(true);
    expect(secretMatches('s3cret-value', 's3cret-valuf')).toBe(false);
    expect(secretMatches('s3cret-value', 's3cret')).toBe(false);
    expect(secretMatches('s3cret-value', '')).toBe(false);
    expect(secretMatches('s3cret-value', undefined)).toBe(false);
  });
});
