import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, DbHandle, FormSource, IncomingSubmission, User } from '../../../core/index.js';
import { SOURCE_ALERT_INTERVAL_MS, UNPROCESSABLE_STREAK_ALERT } from '../../../core/index.js';
import { createFormSource, disableFormSource } from '../../../core/intake/form-source.service.js';
import { captureLogger } from '../../http/http-harness.js';
import { makeUser } from '../../support/factories.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

/** §11, issue 9: a failing form is reported to every active admin, at most once an hour per source, across instances. */
let h: DbHandle;
const store = createTestStore();
const log = captureLogger();
const clock = { offsetMs: 0 };
const now = () => new Date(Date.now() + clock.offsetMs);
// Two app instances on one database: the hourly rule must hold across them.
let one: Core;
let two: Core;
let ada: User;
let olha: User;
let sourceSeq = 0;

beforeAll(async () => {
  h = await createTestDb();
  one = createTestCore(h, store, {}, log.logger, now);
  two = createTestCore(h, store, {}, log.logger, now);
  ada = await makeUser(h.db, { role: 'admin', name: 'Ada' });
  olha = await makeUser(h.db, { role: 'admin', name: 'Olha', language: 'uk' });
  await makeUser(h.db, { role: 'admin', status: 'inactive', name: 'Former admin' });
  await makeUser(h.db, { role: 'manager', name: 'Mia' });
});
afterAll(async () => {
  await store.close();
  await h.close();
});
beforeEach(async () => {
  clock.offsetMs = 0;
  await h.db.deleteFrom('notifications').execute();
});

const newSource = async (provider: 'generic' | 'typeform' = 'generic'): Promise<FormSource> =>
  (await createFormSource(h.db, { name: `Landing ${++sourceSeq}`, provider })).source;
const alerts = () => h.db.selectFrom('notifications').select(['recipient_user_id', 'payload'])
  .where('kind', '=', 'form_source_failing').orderBy('id').execute();
const wrongSecret = (core: Core, source: FormSource) =>
  expect(core.intake.authenticate(source, { providedSecret: 'not-the-secret' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
const submission = (source: FormSource, body: string): IncomingSubmission => ({
  source, rawBody: body, contentType: 'application/json', providedSecret: source.secret,
});
const unusable = (core: Core, source: FormSource) =>
  expect(core.intake.receive(submission(source, '{"name":"Nobody","message":"hi"}'))).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
let contactSeq = 0;
const usable = (core: Core, source: FormSource) =>
  core.intake.receive(submission(source, JSON.stringify({ name: 'Jane', email: `jane${++contactSeq}-${process.pid}@example.com` })));

describe('failing form sources, reported to the admins', () => {
  it('reports a wrong secret to every active admin once, not again within the hour on another instance, again after it', async () => {
    const source = await newSource();
    await wrongSecret(one, source);
    expect(await alerts()).toEqual([
      { recipient_user_id: ada.id, payload: { formSourceId: source.id, problem: 'unauthorized', streak: 0 } },
      { recipient_user_id: olha.id, payload: { formSourceId: source.id, problem: 'unauthorized', streak: 0 } },
    ]);

    await wrongSecret(two, source);
    clock.offsetMs = SOURCE_ALERT_INTERVAL_MS - 60_000;
    await wrongSecret(one, source);
    expect(await alerts()).toHaveLength(2);

    clock.offsetMs = SOURCE_ALERT_INTERVAL_MS + 1_000;
    await wrongSecret(two, source);
    expect(await alerts()).toHaveLength(4);
  });

  it('sends one alert for a burst of refusals arriving at once on two instances', async () => {
    const source = await newSource();
    await Promise.all(Array.from({ length: 10 }, (_, i) => wrongSecret(i % 2 ? one : two, source)));
    expect((await alerts()).map((a) => a.recipient_user_id)).toEqual([ada.id, olha.id]);
  });

  it('counts a wrong Typeform signature on the body as a 401 of the source too', async () => {
    const source = await newSource('typeform');
    await expect(one.intake.receive({ source, rawBody: '{}', contentType: 'application/json', signature: 'sha256=forged' }))
      .rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await alerts()).map((a) => a.payload)).toEqual([
      { formSourceId: source.id, problem: 'unauthorized', streak: 0 }, { formSourceId: source.id, problem: 'unauthorized', streak: 0 },
    ]);
  });

  it(`reports unprocessable submissions from the ${UNPROCESSABLE_STREAK_ALERT}rd in a row on; an accepted one resets the run`, async () => {
    const source = await newSource();
    await unusable(one, source);
    await unusable(two, source);
    await usable(one, source);
    await unusable(two, source);
    await unusable(one, source);
    expect(await alerts()).toEqual([]);
    await unusable(two, source);
    expect((await alerts()).map((a) => a.payload)).toEqual([
      { formSourceId: source.id, problem: 'unprocessable', streak: 3 }, { formSourceId: source.id, problem: 'unprocessable', streak: 3 },
    ]);
    // The run goes on, but the admins were told this hour.
    await unusable(one, source);
    expect(await alerts()).toHaveLength(2);
  });

  it('reports a disabled source that still receives submissions; an unknown address reports nothing', async () => {
    const source = await newSource();
    await disableFormSource(h.db, source.id);
    await expect(one.intake.sourceBySlug(source.slug)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(two.intake.sourceBySlug(source.slug)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(one.intake.sourceBySlug('A'.repeat(24))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await alerts()).map((a) => a.payload)).toEqual([
      { formSourceId: source.id, problem: 'disabled', streak: 0 }, { formSourceId: source.id, problem: 'disabled', streak: 0 },
    ]);
  });

  it('keeps one hourly slot per source: another failing source is reported in the same hour', async () => {
    const [a, b] = [await newSource(), await newSource()];
    await wrongSecret(one, a);
    await wrongSecret(two, b);
    expect(new Set((await alerts()).map((x) => (x.payload as { formSourceId: number }).formSourceId))).toEqual(new Set([a.id, b.id]));
  });

  it('never writes the secret or the webhook address to the log', async () => {
    const source = await newSource();
    await wrongSecret(one, source);
    await unusable(one, source);
    const text = log.text();
    expect(text).toContain('form_source_failing_reported');
    expect(text).not.toContain(source.secret);
    expect(text).not.toContain(source.slug);
    expect(text).not.toContain('not-the-secret');
  });

  it('answers as before when the health cannot be recorded', async () => {
    const source = await newSource();
    await sql`alter table form_source_health rename to form_source_health_away`.execute(h.db);
    try {
      await wrongSecret(one, source);
      await expect(usable(one, source)).resolves.toMatchObject({ status: 'accepted' });
    } finally {
      await sql`alter table form_source_health_away rename to form_source_health`.execute(h.db);
    }
    expect(log.text()).toContain('form_source_health_not_recorded');
  });
});
