import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR, type Core, type DbHandle, type FormSource, type User } from '../../../core/index.js';
import { createFormSource } from '../../../core/intake/form-source.service.js';
import { INTAKE_MAX_ATTEMPTS } from '../../../core/intake/intake-worker.service.js';
import { makeUser } from '../../support/factories.js';
import { processJournal } from '../../support/intake-journal.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

/** Issue 14 / §11: accept, journal, then process — the worker's side. */
let h: DbHandle;
const store = createTestStore();
let one: Core;
let two: Core;
let admin: User;
let generic: FormSource;
let seq = 0;

beforeAll(async () => {
  h = await createTestDb();
  // Two instances on one database share the journal.
  one = createTestCore(h, store);
  two = createTestCore(h, store);
  admin = await makeUser(h.db, { role: 'admin', name: 'Ada' });
  await makeUser(h.db, { name: 'Agent' });
  generic = (await createFormSource(h.db, { name: 'Landing', provider: 'generic' })).source;
});
afterAll(async () => {
  await store.close();
  await h.close();
});
beforeEach(async () => {
  for (const t of ['intake_submissions', 'notifications', 'lead_history', 'leads'] as const) await sql`delete from ${sql.table(t)}`.execute(h.db);
});

const deliver = (core: Core, body: object = { name: `Person ${++seq}`, email: `person${seq}@example.com` }) =>
  core.intake.receive({ source: generic, rawBody: JSON.stringify(body), contentType: 'application/json', providedSecret: generic.secret });
const submission = (id: number) => h.db.selectFrom('intake_submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const count = async (t: 'leads' | 'intake_submissions') => Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
/** Makes every claimed attempt fail in the database, as an outage would, until undone. */
const breakLeads = () => sql`alter table leads add constraint speed_test_break check (full_name <> full_name) not valid`.execute(h.db);
const mendLeads = () => sql`alter table leads drop constraint if exists speed_test_break`.execute(h.db);
const dueNow = () => sql`update intake_submissions set next_attempt_at = now() where status = 'pending'`.execute(h.db);

describe('the intake journal', () => {
  it('an accepted delivery is one pending row, and nothing else, until the worker runs', async () => {
    const answer = await deliver(one);
    expect(answer).toEqual({ status: 'accepted', submissionId: expect.any(Number) });
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'pending', outcome: null, lead_id: null, attempts: 0 });
    expect(await count('leads')).toBe(0);
    const results = await processJournal(one);
    expect(results).toEqual([{ submissionId: answer.submissionId, status: 'created', leadId: expect.any(Number) }]);
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'done', outcome: 'created', lead_id: results[0]!.leadId, attempts: 1 });
    const card = await h.db.selectFrom('notifications').select('kind').where('lead_id', '=', results[0]!.leadId!).execute();
    expect(card).toEqual([{ kind: 'lead_card' }]);
  });

  it('two instances processing at once handle each submission exactly once', async () => {
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await deliver(i % 2 ? one : two));
    const [a, b] = await Promise.all([processJournal(one), processJournal(two)]);
    const handled = [...a, ...b].map((r) => r.submissionId).sort((x, y) => x - y);
    expect(handled).toEqual(answers.map((x) => x.submissionId).sort((x, y) => x! - y!));
    expect(await count('leads')).toBe(30);
    const done = await h.db.selectFrom('intake_submissions').select('status').where('status', '<>', 'done').execute();
    expect(done).toEqual([]);
  });

  it('a worker whose claim ran out cannot finish what another worker took over', async () => {
    const answer = await deliver(one);
    // The first claim dies mid-way: its lease runs out, a second worker claims and finishes.
    await sql`update intake_submissions set status = 'processing', attempts = 1, next_attempt_at = now() - interval '1 second'`.execute(h.db);
    const results = await processJournal(two);
    expect(results).toEqual([{ submissionId: answer.submissionId, status: 'created', leadId: expect.any(Number) }]);
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await count('leads')).toBe(1);
  });
});

describe('failures: retried, then set aside for admins, who replay', () => {
  it('a failing submission is retried with a growing wait, then set aside and every admin told', async () => {
    const answer = await deliver(one);
    await breakLeads();
    try {
      for (let attempt = 1; attempt < INTAKE_MAX_ATTEMPTS; attempt++) {
        expect(await processJournal(one)).toEqual([expect.objectContaining({ submissionId: answer.submissionId, status: 'retrying' })]);
        const row = await submission(answer.submissionId!);
        expect(row).toMatchObject({ status: 'pending', attempts: attempt, last_error: expect.stringContaining('speed_test_break') });
        // Not due yet: the worker leaves it alone until its wait is over.
        expect(row.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 500 * 2 ** (attempt - 1));
        expect(await processJournal(one)).toEqual([]);
        await dueNow();
      }
      expect(await processJournal(one)).toEqual([expect.objectContaining({ status: 'set_aside' })]);
    } finally {
      await mendLeads();
    }
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'failed', attempts: INTAKE_MAX_ATTEMPTS, lead_id: null });
    expect(await count('leads')).toBe(0);
    const told = await h.db.selectFrom('notifications').select(['kind', 'recipient_user_id', 'payload']).where('kind', '=', 'intake_failed').execute();
    expect(told).toEqual([{ kind: 'intake_failed', recipient_user_id: admin.id, payload: { submissionId: answer.submissionId, formSourceId: generic.id } }]);
    expect(await one.intake.failed(admin)).toEqual([expect.objectContaining({ id: answer.submissionId, source_name: 'Landing', attempts: INTAKE_MAX_ATTEMPTS })]);
    expect(await one.intake.journalCounts(OPERATOR)).toEqual({ waiting: 0, failed: 1 });
    // Nothing more happens to it by itself.
    expect(await processJournal(one)).toEqual([]);

    await one.intake.replay(admin, answer.submissionId!);
    expect(await processJournal(two)).toEqual([{ submissionId: answer.submissionId, status: 'created', leadId: expect.any(Number) }]);
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'done', outcome: 'created', attempts: 1, last_error: null });
    expect(await one.intake.failed(admin)).toEqual([]);
  });

  it('a body that no longer reads is set aside at once, not retried', async () => {
    const answer = await deliver(one);
    await sql`update intake_submissions set raw_body = '{"name": "no contact any more"}'`.execute(h.db);
    expect(await processJournal(one)).toEqual([expect.objectContaining({ status: 'set_aside', error: expect.stringContaining('UNPROCESSABLE') })]);
    expect(await submission(answer.submissionId!)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('replaying refuses what is not set aside, and people who do not manage sources', async () => {
    const answer = await deliver(one);
    await expect(one.intake.replay(admin, answer.submissionId!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const agent = await makeUser(h.db, { name: 'Not an admin' });
    await expect(one.intake.replay(agent, answer.submissionId!)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(one.intake.failed(agent)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
