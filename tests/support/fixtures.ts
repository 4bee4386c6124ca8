import { readFileSync } from 'node:fs';

/**
 * A form builder's payload from tests/fixtures/forms, byte for byte (copied
 * verbatim from shared/fixtures; .ci/run checks they have not drifted).
 */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/forms/${name}`, import.meta.url));
}

/** readFixture as UTF-8 text. */
export const readFixtureText = (name: string): string => readFixture(name).toString('utf8');

/**
 * A payload from tests/fixtures/forms-more (the form builders added in
 * issue 10; see its README for where each came from), byte for byte.
 */
export function readMoreFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/forms-more/${name}`, import.meta.url));
}
