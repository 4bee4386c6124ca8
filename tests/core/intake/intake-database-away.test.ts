import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../core/create-db.js';
import type { FormSource } from '../../../core/database.js';
import { createFormSource } from '../../../core/intake/form-source.service.js';
import { createJournalWriter } from '../../../core/intake/intake-journal.writer.js';
import { receiveSubmission } from '../../../core/intake/intake.service.js';
import { payloadHashOf } from '../../../core/intake/intake-submission.repository.js';
import { asServiceUnavailable } from '../../../core/service-unavailable.js';
import { createTestDb } from '../../support/test-db.js';

// §15: while the database is away a form webhook is told 503 after ONE attempt's bound, not after
// one per retry (a frozen database made some answers take two 2 s timeouts, tests/faults/pg-frozen).
// The "database" here is a loopback port that hangs up on every connection, counting them: each
// statement the app tries costs a connection, so the count is the number of attempts.

let handle: DbHandle;
let source: FormSource;
let server: Server;
let connections = 0;
let away: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
  source = (await createFormSource(handle.db, { name: 'landing', provider: 'generic' })).source;
  server = createServer((socket) => { connections++; socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  away = await createDb({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/crm`, poolSize: 4, connectTimeoutMs: 2_000 });
});
afterAll(async () => {
  await away.close();
  await new Promise((resolve) => server.close(resolve));
  await handle.close();
});

let seq = 0;
const body = () => JSON.stringify({ name: 'Ivan', email: `ivan${++seq}@example.com` });
const entry = (rawBody = body()) => ({
  formSourceId: source.id, externalId: null, payloadHash: payloadHashOf(rawBody), contentType: 'application/json', rawBody,
});
/** Waits until `promise` settles; its error (the test fails if it resolved). */
const failure = async (promise: Promise<unknown>) => promise.then(() => { throw new Error('it was accepted'); }, (err: unknown) => err);

describe('a database that is away', () => {
  it('a delivery is refused as unavailable (→ 503) after one attempt: the journal is not tried again without the health part', async () => {
    connections = 0;
    const err = await failure(receiveSubmission(away.db, {
      source, rawBody: body(), contentType: 'application/json', providedSecret: source.secret,
    }));
    expect(asServiceUnavailable(err)).not.toBeNull();
    expect(connections).toBe(1);
  });

  it('deliveries queued behind a statement that failed so fail with it, instead of trying the same database again', async () => {
    connections = 0;
    const writer = createJournalWriter(away.db, { maxInFlight: 1 });
    const first = failure(writer.write(entry()));
    // The first statement is on its way (its connection attempt is in flight): these two wait for it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const queued = [failure(writer.write(entry())), failure(writer.write(entry()))];
    expect(writer.waiting()).toBe(2);
    const errors = await Promise.all([first, ...queued]);
    for (const err of errors) expect(asServiceUnavailable(err)).not.toBeNull();
    expect(connections).toBe(1);
    expect(writer.waiting()).toBe(0);
  });
});
