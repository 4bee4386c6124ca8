import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, DbHandle, LeadChange, Notification, User } from '../../../core/index.js';
import { LEAD_CHANGE_WINDOW_MS } from '../../../core/index.js';
import { queueLeadChange } from '../../../core/outbox/outbox.writer.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { pollUntil } from '../../support/poll.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

/** Issue 9, "told when others act": others' changes to my lead, merged into one notice a minute. */
let h: DbHandle;
let core: Core;
const store = createTestStore();
const clock = { offsetMs: 0 };
let ann: User;
let bob: User;
let mia: User;
let oleh: User;
let ada: User;

beforeAll(async () => {
  h = await createTestDb();
  core = createTestCore(h, store, {}, undefined, () => new Date(Date.now() + clock.offsetMs));
  ann = await makeUser(h.db, { name: 'Ann Agent' });
  bob = await makeUser(h.db, { name: 'Bob Agent' });
  mia = await makeUser(h.db, { role: 'manager', name: 'Mia' });
  oleh = await makeUser(h.db, { role: 'manager', name: 'Oleh' });
  ada = await makeUser(h.db, { role: 'admin', name: 'Ada' });
});
afterAll(async () => {
  await store.close();
  await h.close();
});
beforeEach(async () => {
  clock.offsetMs = 0;
  await h.db.deleteFrom('notifications').execute();
});

const noticesFor = (leadId: number, userId?: number) => h.db.selectFrom('notifications').selectAll()
  .where('kind', '=', 'lead_changed').where('lead_id', '=', leadId)
  .$if(userId !== undefined, (qb) => qb.where('recipient_user_id', '=', userId!))
  .orderBy('id').execute();
const changesOf = (row: Notification) => (core.outbox.messageOf(row) as { changes: LeadChange[] }).changes;
const actionsOf = (row: Notification) => changesOf(row).map(({ at: _at, ...c }) => c);
const claim = (token: string) => core.outbox.claim({ limit: 50, leaseMs: 60_000, token });
const lead = (p: Parameters<typeof makeLead>[1] = {}) => makeLead(h.db, { assigned_to: ann.id, ...p });

describe('a lead changed by others: one notice for its assignee', () => {
  it("merges a manager's note and stage move into ONE notice due a minute later, with codes, not words", async () => {
    const l = await lead();
    await core.notes.add(mia, { leadId: l.id, body: 'Called, wants a demo' });
    await core.leads.transition(mia, { leadId: l.id, to: 'CONTACTED', expectedVersion: l.version });

    const [row, ...more] = await noticesFor(l.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ recipient_user_id: ann.id, chat_id: ann.telegram_id, status: 'pending' });
    expect(actionsOf(row!)).toEqual([
      { action: 'note_added', byUserId: mia.id },
      { action: 'stage_changed', from: 'NEW', to: 'CONTACTED', byUserId: mia.id },
    ]);
    expect(Number.isNaN(Date.parse(changesOf(row!)[0]!.at))).toBe(false);
    const wait = row!.next_attempt_at.getTime() - row!.created_at.getTime();
    expect(wait).toBeGreaterThanOrEqual(LEAD_CHANGE_WINDOW_MS - 1_000);
    expect(wait).toBeLessThanOrEqual(LEAD_CHANGE_WINDOW_MS + 1_000);

    // Not before the minute is over; then it is due, and claimed once.
    expect(await claim('early')).toEqual([]);
    clock.offsetMs = LEAD_CHANGE_WINDOW_MS + 1_000;
    expect((await claim('due')).map((r) => r.id)).toEqual([row!.id]);
  });

  it('counts every kind of change someone else makes: edit, file, rollback, Lost and its undo, delete and restore', async () => {
    const l = await lead({ stage: 'CONTACTED' });
    const { lead: edited } = await core.leads.updateFields(mia, {
      leadId: l.id, expectedVersion: l.version, changes: { company: 'ACME', position: 'CEO' },
    });
    await core.attachments.add(mia, {
      leadId: l.id, file: { kind: 'document', fileId: 'f1', fileUniqueId: 'u1', fileName: 'offer.pdf', mimeType: 'application/pdf', sizeBytes: 1000 },
    });
    const { lead: back } = await core.leads.rollback(mia, { leadId: l.id, reason: 'Not reached after all', expectedVersion: edited.version });
    const lost = await core.leads.markLost(ada, { leadId: l.id, reason: { code: 'no_budget' }, expectedVersion: back.version });
    const { lead: undone } = await core.leads.undo(ada, lost.undoToken!);
    const { lead: deleted } = await core.leads.delete(ada, { leadId: l.id, expectedVersion: undone.version });
    await core.leads.restore(ada, { leadId: l.id, expectedVersion: deleted.version });

    const rows = await noticesFor(l.id);
    expect(rows).toHaveLength(1);
    expect(actionsOf(rows[0]!)).toEqual([
      { action: 'fields_edited', fields: ['company', 'position'], byUserId: mia.id },
      { action: 'attachment_added', byUserId: mia.id },
      { action: 'rolled_back', from: 'CONTACTED', to: 'NEW', byUserId: mia.id },
      { action: 'stage_changed', from: 'NEW', to: 'LOST', byUserId: ada.id },
      { action: 'undone', undone: 'lost', to: 'NEW', byUserId: ada.id },
      { action: 'deleted', byUserId: ada.id },
      { action: 'restored', byUserId: ada.id },
    ]);
  });

  it('tells each assignee of a bulk move about their own lead', async () => {
    const [a, b] = [await lead(), await lead({ assigned_to: bob.id })];
    const result = await core.bulk.transition(mia, { leadIds: [a.id, b.id], to: 'CONTACTED' });
    expect(result.succeeded).toBe(2);
    expect((await noticesFor(a.id)).map((r) => r.recipient_user_id)).toEqual([ann.id]);
    expect((await noticesFor(b.id)).map((r) => r.recipient_user_id)).toEqual([bob.id]);
  });

  it('tells nobody about their own changes, about an unassigned lead, or an assignee who is not active', async () => {
    const own = await lead();
    await core.notes.add(ann, { leadId: own.id, body: 'My own note' });
    await core.leads.transition(ann, { leadId: own.id, to: 'CONTACTED', expectedVersion: own.version });
    const nobodys = await makeLead(h.db);
    await core.notes.add(mia, { leadId: nobodys.id, body: 'A note' });
    const inactive = await makeUser(h.db, { status: 'inactive' });
    const pending = await makeUser(h.db, { status: 'pending' });
    const [x, y] = [await lead({ assigned_to: inactive.id }), await lead({ assigned_to: pending.id })];
    await core.notes.add(mia, { leadId: x.id, body: 'A note' });
    await core.notes.add(mia, { leadId: y.id, body: 'A note' });
    expect(await h.db.selectFrom('notifications').select('id').where('kind', '=', 'lead_changed').execute()).toEqual([]);
  });

  it('keeps the notice of changes by others when the assignee acts too, and says nothing of their own part', async () => {
    const l = await lead();
    await core.notes.add(mia, { leadId: l.id, body: 'From Mia' });
    await core.notes.add(ann, { leadId: l.id, body: 'From Ann' });
    await core.notes.add(oleh, { leadId: l.id, body: 'From Oleh' });
    const rows = await noticesFor(l.id);
    expect(rows.map((r) => actionsOf(r))).toEqual([[
      { action: 'note_added', byUserId: mia.id }, { action: 'note_added', byUserId: oleh.id },
    ]]);
  });

  it('starts a new notice once delivery has claimed the first, and never touches the claimed one', async () => {
    const l = await lead();
    await core.notes.add(mia, { leadId: l.id, body: 'First' });
    clock.offsetMs = LEAD_CHANGE_WINDOW_MS + 1_000;
    const [claimed] = await claim('pass');
    expect(claimed).toMatchObject({ kind: 'lead_changed', status: 'sending', merge_key: null });
    await core.notes.add(mia, { leadId: l.id, body: 'Second' });

    const rows = await noticesFor(l.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.payload).toEqual(claimed!.payload);
    expect(actionsOf(rows[1]!)).toEqual([{ action: 'note_added', byUserId: mia.id }]);
    expect(rows[1]).toMatchObject({ status: 'pending' });
  });

  it('withdraws the waiting notice when the lead is handed over: the old owner gets only "reassigned away"', async () => {
    const l = await lead();
    await core.notes.add(mia, { leadId: l.id, body: 'Before the hand-over' });
    await core.leads.reassign(mia, { leadId: l.id, toUserId: bob.id, expectedVersion: l.version });
    const kinds = await h.db.selectFrom('notifications').select(['kind', 'recipient_user_id']).where('lead_id', '=', l.id)
      .orderBy('id').execute();
    expect(kinds).toEqual([
      { kind: 'lead_card', recipient_user_id: bob.id },
      { kind: 'lead_reassigned_away', recipient_user_id: ann.id },
    ]);
  });
});

describe('merging under concurrency', () => {
  it('puts changes made at the same moment into one notice, losing none', async () => {
    const l = await lead();
    const authors = [mia, oleh, ada, mia, oleh, ada, mia, oleh];
    await Promise.all(authors.map((a, i) => core.notes.add(a, { leadId: l.id, body: `Note ${i}` })));
    const rows = await noticesFor(l.id);
    expect(rows).toHaveLength(1);
    expect(actionsOf(rows[0]!).map((c) => c.byUserId).sort()).toEqual(authors.map((a) => a.id).sort());
  });

  // Two open transactions at once need a server with more than one connection.
  it.skipIf(!process.env.DATABASE_URL)('a change committed while another is still open waits for it and joins its notice', async () => {
    const l = await lead();
    const change = (byUserId: number) => ({ userId: ann.id, leadId: l.id, change: { action: 'note_added' as const, byUserId }, delayMs: 60_000 });
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => { releaseFirst = r; });
    let firstQueued!: () => void;
    const queued = new Promise<void>((r) => { firstQueued = r; });
    const first = h.db.transaction().execute(async (trx) => {
      await queueLeadChange(trx, change(mia.id));
      firstQueued();
      await firstHolds;
    });
    await queued;
    // The second insert meets the first's uncommitted row on the merge key's index and waits for its commit.
    const second = queueLeadChange(h.db, change(oleh.id));
    await pollUntil(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "notifications"%'`.execute(h.db);
      return rows[0]!.n > 0 ? true : undefined;
    }, { what: 'the second change to wait for the first one\'s commit' });
    releaseFirst();
    await first;
    await second;
    const rows = await noticesFor(l.id);
    expect(rows.map((r) => actionsOf(r).map((c) => c.byUserId))).toEqual([[mia.id, oleh.id]]);
  });

  it('racing a delivery claim, every change lands exactly once, and the claimed notice is never changed after its claim', async () => {
    const l = await lead();
    await queueLeadChange(h.db, { userId: ann.id, leadId: l.id, change: { action: 'note_added', byUserId: mia.id }, delayMs: 0 });
    const n = 12;
    const results = await Promise.all([
      ...Array.from({ length: n }, (_, i) => queueLeadChange(h.db, {
        userId: ann.id, leadId: l.id, change: { action: 'note_added', byUserId: i % 2 ? mia.id : oleh.id }, delayMs: 0,
      })),
      claim('racer').then((rows) => rows.filter((r) => r.lead_id === l.id)),
    ]);
    const claimed = results.at(-1) as Notification[];
    const rows = await noticesFor(l.id);
    const total = rows.reduce((sum, r) => sum + changesOf(r).length, 0);
    expect(total).toBe(n + 1);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(rows.length - claimed.length);
    expect(rows.filter((r) => r.merge_key !== null).length).toBeLessThanOrEqual(1);
    for (const c of claimed) expect(rows.find((r) => r.id === c.id)!.payload).toEqual(c.payload);
  });
});
