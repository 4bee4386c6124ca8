import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle, User } from '../../../core/index.js';
import {
  claimDueMessages, deferChat, markMessageFailed, markMessageSent, releaseClaims, renewLeases, rescheduleMessage,
} from '../../../core/outbox/outbox.repository.js';
import { queueMessage } from '../../../core/outbox/outbox.writer.js';
import { parseOutboxMessage } from '../../../core/outbox/outbox.messages.js';
import { retryFailedMessages } from '../../../core/outbox/outbox.service.js';
import { ForbiddenError } from '../../../core/errors.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let ann: User;
let bob: User;
beforeAll(async () => {
  h = await createTestDb();
  ann = await makeUser(h.db, { name: 'Ann' });
  bob = await makeUser(h.db, { name: 'Bob' });
});
afterAll(async () => { await h.close(); });
beforeEach(async () => { await h.db.deleteFrom('notifications').execute(); });

const row = (id: number) => h.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const stale = (userId: number, leadId: number) => ({ kind: 'stale_alert' as const, leadId, days: 8, score: null });
const claim = (token = 'pass-a', limit = 10) => claimDueMessages(h.db, { limit, leaseMs: 60_000, token });

describe('outbox: what is due, and who holds it', () => {
  it('hands a queued message to one claimer only, and never again once sent', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    await queueMessage(h.db, { user: ann.id }, stale(ann.id, lead.id));
    const [a, b] = await Promise.all([claim('a'), claim('b')]);
    expect(a.length + b.length).toBe(1);
    const claimed = [...a, ...b][0]!;
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1, chat_id: ann.telegram_id, lead_id: lead.id });
    expect(parseOutboxMessage(claimed.kind, claimed.payload)).toEqual(stale(ann.id, lead.id));
    await markMessageSent(h.db, claimed.id, 42);
    await h.db.updateTable('notifications').set({ lease_until: sql`now() - interval '1 hour'` }).execute();
    expect(await claim()).toEqual([]);
    expect(await row(claimed.id)).toMatchObject({ status: 'sent', telegram_message_id: 42 });
  });

  it("gives one message per chat at a time, in order, and none for a chat whose message is in flight", async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const [first] = await queueMessage(h.db, { user: ann.id }, stale(ann.id, lead.id));
    const [second] = await queueMessage(h.db, { user: ann.id }, { ...stale(ann.id, lead.id), days: 9 });
    const [toBob] = await queueMessage(h.db, { user: bob.id }, { kind: 'account_reactivated' });
    expect((await claim('a')).map((r) => r.id)).toEqual([first, toBob]);
    expect(await claim('b')).toEqual([]);
    await markMessageSent(h.db, first!, 1);
    expect((await claim('b')).map((r) => r.id)).toEqual([second]);
  });

  it('picks up a claim of a dead instance once its short lease runs out; a renewed lease keeps it', async () => {
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_deactivated' });
    const [claimed] = await claim('dead');
    await h.db.updateTable('notifications').set({ lease_until: sql`now() - interval '1 second'` }).execute();
    await renewLeases(h.db, { ids: [claimed!.id], token: 'someone-else', leaseMs: 60_000 });
    const again = await claim('alive');
    expect(again.map((n) => n.id)).toEqual([claimed!.id]);
    expect(again[0]!.attempts).toBe(2);
    await renewLeases(h.db, { ids: [claimed!.id], token: 'alive', leaseMs: 60_000 });
    await h.db.updateTable('notifications').set({ lease_until: sql`lease_until - interval '30 seconds'` }).execute();
    expect(await claim('third')).toEqual([]);
  });

  it('retries later, and gives up (failed, visible) once the message is older than the maximum age', async () => {
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_deactivated' });
    const [n] = await claim();
    expect(await rescheduleMessage(h.db, { id: n!.id, token: 'pass-a', error: 'network', delayMs: 30_000, maxAgeMs: 3_600_000 }))
      .toBe('pending');
    const after = await row(n!.id);
    expect(after.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(25_000);
    expect(await claim()).toEqual([]);

    await h.db.updateTable('notifications').set({ next_attempt_at: sql`now()`, queued_at: sql`now() - interval '2 hours'` }).execute();
    const [old] = await claim();
    expect(await rescheduleMessage(h.db, { id: old!.id, token: 'pass-a', error: '502: Bad Gateway', delayMs: 1_000, maxAgeMs: 3_600_000 }))
      .toBe('failed');
    expect(await row(old!.id)).toMatchObject({ status: 'failed', last_error: '502: Bad Gateway' });
  });

  it("a pass whose lease was taken over cannot overwrite the new holder's outcome", async () => {
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_deactivated' });
    const [n] = await claim('old');
    await h.db.updateTable('notifications').set({ lease_until: sql`now() - interval '1 second'` }).execute();
    await claim('new');
    expect(await rescheduleMessage(h.db, { id: n!.id, token: 'old', error: 'x', delayMs: 1, maxAgeMs: 1e9 })).toBe('not_ours');
    await markMessageFailed(h.db, { id: n!.id, token: 'old', error: 'x' });
    expect(await row(n!.id)).toMatchObject({ status: 'sending', lease_token: 'new' });
  });

  it('holds back every pending message of a chat after a 429, and no other chat', async () => {
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_deactivated' });
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_reactivated' });
    await queueMessage(h.db, { user: bob.id }, { kind: 'account_reactivated' });
    await deferChat(h.db, { chatId: ann.telegram_id, delayMs: 30_000 });
    expect((await claim()).map((r) => r.chat_id)).toEqual([bob.telegram_id]);
  });

  it('hands back claims that were never sent, for at once and without counting the attempt', async () => {
    await queueMessage(h.db, { user: ann.id }, { kind: 'account_deactivated' });
    const [n] = await claim('stopping');
    await releaseClaims(h.db, { ids: [n!.id], token: 'stopping' });
    expect(await row(n!.id)).toMatchObject({ status: 'pending', attempts: 0, lease_token: null });
    expect((await claim('next')).map((r) => r.id)).toEqual([n!.id]);
  });
});

describe('outbox: who a message goes to', () => {
  it("a lead's message goes to its active assignee; for an inactive owner or nobody, to the active managers and admins", async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    await makeUser(h.db, { role: 'manager', status: 'inactive' });
    const gone = await makeUser(h.db, { status: 'inactive' });
    const recipients = async (assignedTo: number | null) => {
      await h.db.deleteFrom('notifications').execute();
      const lead = await makeLead(h.db, { assigned_to: assignedTo });
      await queueMessage(h.db, { leadAudience: lead }, { kind: 'repeat_inquiry', leadId: lead.id, summary: 'again' });
      return (await h.db.selectFrom('notifications').select('recipient_user_id').execute()).map((r) => r.recipient_user_id).sort();
    };
    expect(await recipients(ann.id)).toEqual([ann.id]);
    expect(await recipients(gone.id)).toEqual([manager.id, admin.id].sort());
    expect(await recipients(null)).toEqual([manager.id, admin.id].sort());
  });

  it('keeps the correlation id of what queued it', async () => {
    const { withCorrelationId } = await import('../../../core/correlation.js');
    const [id] = await withCorrelationId('req:abc', () => queueMessage(h.db, { user: ann.id }, { kind: 'account_reactivated' }));
    expect((await row(id!)).correlation_id).toBe('req:abc');
  });

  it('a row that no longer fits its message type is not read as one', () => {
    expect(parseOutboxMessage('stale_alert', { leadId: 'x' })).toBeNull();
    expect(parseOutboxMessage('no_such_kind', {})).toBeNull();
  });
});

describe('outbox: admins send failed messages again', () => {
  it('requeues one or all failed messages with a fresh window; others may not', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const [a] = await queueMessage(h.db, { user: ann.id }, { kind: 'account_reactivated' });
    const [b] = await queueMessage(h.db, { user: bob.id }, { kind: 'account_reactivated' });
    await h.db.updateTable('notifications').set({ status: 'failed', queued_at: sql`now() - interval '3 days'` }).execute();
    await expect(retryFailedMessages(h.db, ann, 'all')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await retryFailedMessages(h.db, admin, { id: a! })).toBe(1);
    expect(await row(a!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await row(a!)).queued_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await retryFailedMessages(h.db, admin, 'all')).toBe(1);
    expect((await row(b!)).status).toBe('pending');
  });
});
