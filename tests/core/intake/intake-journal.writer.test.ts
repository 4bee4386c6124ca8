import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle, FormSource } from '../../../core/index.js';
import { createFormSource } from '../../../core/intake/form-source.service.js';
import { payloadHashOf } from '../../../core/intake/intake-submission.repository.js';
import { createJournalWriter } from '../../../core/intake/intake-journal.writer.js';
import { createTestDb } from '../../support/test-db.js';

/** Issue 14 / §11: deliveries arriving together share one statement, and each is answered only for its own row. */
let h: DbHandle;
let source: FormSource;
let seq = 0;

beforeAll(async () => {
  h = await createTestDb();
  source = (await createFormSource(h.db, { name: 'Landing', provider: 'generic' })).source;
});
afterAll(async () => { await h.close(); });
beforeEach(async () => { await sql`delete from intake_submissions`.execute(h.db); });

const entry = (body = JSON.stringify({ email: `p${++seq}@example.com` }), externalId: string | null = null) => ({
  formSourceId: source.id, externalId, payloadHash: payloadHashOf(body), contentType: 'application/json', rawBody: body,
});
const stored = () => h.db.selectFrom('intake_submissions').select(['id', 'raw_body', 'status', 'created_at']).orderBy('id').execute();

describe('the journal writer (group commit)', () => {
  it('a burst of deliveries is stored whole, one row each, every caller told its own id', async () => {
    const writer = createJournalWriter(h.db, { maxInFlight: 1 });
    const entries = Array.from({ length: 40 }, () => entry());
    const ids = await Promise.all(entries.map((e) => writer.write(e)));
    const rows = await stored();
    expect(rows).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    for (const [i, id] of ids.entries()) expect(rows.find((r) => r.id === id)?.raw_body).toBe(entries[i]!.rawBody);
    // One in flight at a time: the burst went in far fewer statements (commits) than deliveries.
    expect(new Set(rows.map((r) => r.created_at.getTime())).size).toBeLessThan(40);
  });

  it('a retry in the same burst as its first delivery (same body, or same provider id) is a retry, not a second row', async () => {
    const writer = createJournalWriter(h.db, { maxInFlight: 1 });
    const body = JSON.stringify({ email: 'twin@example.com' });
    const [first, sameBody, ownId, sameId] = await Promise.all([
      writer.write(entry(body)), writer.write(entry(body)),
      writer.write(entry(JSON.stringify({ email: 'a@example.com' }), 'sub-1')), writer.write(entry(JSON.stringify({ email: 'b@example.com' }), 'sub-1')),
    ]);
    expect(first).toEqual(expect.any(Number));
    expect(sameBody).toBeNull();
    expect(ownId).toEqual(expect.any(Number));
    expect(sameId).toBeNull();
    expect(await stored()).toHaveLength(2);
  });

  it('a row the database refuses fails only its own delivery; the others in its statement are kept', async () => {
    const writer = createJournalWriter(h.db, { maxInFlight: 1 });
    const gone = { ...entry(), formSourceId: 987_654 }; // no such source: a foreign-key violation
    const results = await Promise.allSettled([writer.write(entry()), writer.write(gone), writer.write(entry())]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored()).toHaveLength(2);
  });

  it('a delivery after the burst is written on its own, with nothing waiting', async () => {
    const writer = createJournalWriter(h.db);
    await Promise.all([writer.write(entry()), writer.write(entry())]);
    expect(writer.waiting()).toBe(0);
    expect(await writer.write(entry())).toEqual(expect.any(Number));
    expect(await stored()).toHaveLength(3);
  });
});
