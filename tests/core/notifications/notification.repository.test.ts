import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import {
  MAX_DELIVERY_ATTEMPTS, claimDueNotifications, enqueueNotification, markNotificationFailed, markNotificationSent,
} from '../../../core/notifications/notification.repository.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let userId: number;
beforeAll(async () => { h = await createTestDb(); userId = (await makeUser(h.db)).id; });
afterAll(async () => { await h.close(); });
beforeEach(async () => { await h.db.deleteFrom('notifications').execute(); });

const row = (id: number) => h.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const makeDue = (id: number) => h.db.updateTable('notifications').set({ next_attempt_at: sql`now() - interval '1 second'` }).where('id', '=', id).execute();

describe('notification outbox', () => {
  it('hands a queued notification to one claimer only, and never again once sent', async () => {
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: userId, payload: { a: 1 } });
    const [a, b] = await Promise.all([
      claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 }),
      claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 }),
    ]);
    expect(a.length + b.length).toBe(1);
    const claimed = [...a, ...b][0]!;
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1, payload: { a: 1 } });
    await markNotificationSent(h.db, claimed.id, 42);
    await h.db.updateTable('notifications').set({ lease_until: sql`now() - interval '1 hour'` }).execute();
    expect(await claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(await row(claimed.id)).toMatchObject({ status: 'sent', telegram_message_id: 42 });
  });

  it('re-delivers a notification whose instance died mid-send once its lease runs out', async () => {
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: userId });
    const [claimed] = await claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 });
    expect(await claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 })).toEqual([]);
    await h.db.updateTable('notifications').set({ lease_until: sql`now() - interval '1 second'` }).execute();
    const again = await claimDueNotifications(h.db, { limit: 10, leaseMs: 60_000 });
    expect(again.map((n) => n.id)).toEqual([claimed!.id]);
    expect(again[0]!.attempts).toBe(2);
  });

  it('retries a retryable failure later, with backoff, honouring retry_after', async () => {
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: userId });
    const [n] = await claimDueNotifications(h.db, { limit: 1, leaseMs: 60_000 });
    await markNotificationFailed(h.db, n!.id, { error: '429: Too Many Requests', retryable: true, retryAfterMs: 30_000 });
    const after = await row(n!.id);
    expect(after.status).toBe('pending');
    expect(after.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(25_000);
    expect(await claimDueNotifications(h.db, { limit: 1, leaseMs: 60_000 })).toEqual([]);
  });

  it('fails at once on a permanent error (user blocked the bot), and keeps the error visible', async () => {
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: userId });
    const [n] = await claimDueNotifications(h.db, { limit: 1, leaseMs: 60_000 });
    await markNotificationFailed(h.db, n!.id, { error: '403: Forbidden: bot was blocked by the user', retryable: false });
    expect(await row(n!.id)).toMatchObject({ status: 'failed', last_error: '403: Forbidden: bot was blocked by the user' });
  });

  it(`gives up after ${MAX_DELIVERY_ATTEMPTS} retryable failures`, async () => {
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: userId });
    let id = 0;
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      const [n] = await claimDueNotifications(h.db, { limit: 1, leaseMs: 60_000 });
      expect(n).toBeDefined();
      id = n!.id;
      await markNotificationFailed(h.db, id, { error: 'ETIMEDOUT', retryable: true });
      await makeDue(id);
    }
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS });
    expect(await claimDueNotifications(h.db, { limit: 1, leaseMs: 60_000 })).toEqual([]);
  });
});
