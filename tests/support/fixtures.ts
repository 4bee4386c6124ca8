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
