import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, DbHandle, KeyValueStore, User } from '../../core/index.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestCore } from '../support/test-core.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

let handle: DbHandle;
let store: KeyValueStore;
let core: Core;
let admin: User;
// Core's clock runs a minute ahead of the database's, so events the database stamps are due at once.
let clock = Date.now() + 60_000;
const now = () => new Date(clock);
const receivers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
  core = createTestCore(handle, store, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_MAX_ATTEMPTS: '4' }, undefined, now);
  admin = await makeUser(handle.db, { role: 'admin' });
});
beforeEach(async () => {
  // Each test has its own receivers: earlier subscriptions are switched off.
  await handle.db.updateTable('webhook_subscriptions').set({ is_active: false }).execute();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await store.close();
  await handle.close();
});

async function subscribed(events: string[], script?: Parameters<typeof startWebhookReceiver>[0]) {
  const receiver = await startWebhookReceiver([{ status: 200 }]);
  receivers.push(receiver);
  const { subscription, ping } = await core.webhooks.subscribe(admin, { url: receiver.url, events });
  receiver.useSecret(subscription.secret);
  if (script) receiver.script(script);
  return { receiver, subscription, ping };
}
const later = (ms: number) => { clock += ms; };

describe('outbound webhooks', () => {
  it('pings on subscribe and shows the result; the receiver verifies the signature', async () => {
    const { receiver, ping, subscription } = await subscribed(['lead.created']);
    expect(ping).toMatchObject({ status: 200, outcome: 'delivered' });
    expect(receiver.received[0]!.verified).toMatchObject({ ok: true, payload: { type: 'webhook.ping' } });
    expect(receiver.received[0]!.headers['webhook-id']).toMatch(/^msg_/);
    expect(subscription.secret).toMatch(/^whsec_/);
  });

  it('sends lead.updated for an AI score with the lead as scored, and a stage change with the lead as moved', async () => {
    const { receiver } = await subscribed(['lead.updated', 'lead.stage_changed']);
    const manager = await makeUser(handle.db, { role: 'manager' });
    const lead = await makeLead(handle.db, { assigned_to: manager.id, email: 'scored@example.com', phone: '+15550001111' });
    const outcome = await core.ai.analyze(manager, lead.id);
    await core.leads.transition(manager, { leadId: lead.id, to: 'CONTACTED', expectedVersion: outcome.lead.version });
    await core.webhooks.deliverDue();
    const events = receiver.received.slice(1).map((r) => (r.verified as any).payload);
    const scored = events.find((e) => e.type === 'lead.updated' && e.data.action === 'ai_analyzed');
    expect(scored.data.lead).toMatchObject({ id: lead.id, ai_score: outcome.score.score, quality_tier: outcome.lead.quality_tier, stage: 'NEW' });
    expect(events.find((e) => e.type === 'lead.stage_changed').data.lead).toMatchObject({
      id: lead.id, stage: 'CONTACTED', version: outcome.lead.version + 1, ai_score: outcome.score.score,
    });
  });

  it('sends lead.created, lead.stage_changed with both stages, lead.assigned and note.created, signed', async () => {
    const { receiver } = await subscribed(['lead.created', 'lead.stage_changed', 'lead.assigned', 'note.created']);
    const agent = await makeUser(handle.db, { role: 'agent' });
    const manager = await makeUser(handle.db, { role: 'manager' });
    const lead = await core.leads.create(manager, { input: { source: 'WEB', email: 'hook1@example.com' }, assignToSelf: false });
    const moved = await core.leads.transition(manager, { leadId: lead.id, to: 'CONTACTED', expectedVersion: (await core.leads.card(manager, lead.id)).lead.version });
    await core.notes.add(manager, { leadId: lead.id, body: 'Spoke to them' });
    await core.leads.reassign(manager, { leadId: lead.id, toUserId: manager.id, expectedVersion: moved.lead.version });
    await core.webhooks.deliverDue();
    const events = receiver.received.slice(1).map((r) => { expect(r.verified.ok).toBe(true); return (r.verified as any).payload; });
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['lead.created', 'lead.assigned', 'lead.stage_changed', 'note.created']));
    const stage = events.find((e) => e.type === 'lead.stage_changed');
    expect(stage.data).toMatchObject({ previous_stage: 'NEW', stage: 'CONTACTED', actor_user_id: manager.id, lead: { id: lead.id, stage: 'CONTACTED' } });
    expect(events.find((e) => e.type === 'note.created').data.note).toMatchObject({ body: 'Spoke to them', lead_id: lead.id });
    expect(events.filter((e) => e.type === 'lead.assigned').at(-1).data).toMatchObject({ assigned_to: manager.id });
    void agent;
  });

  it('writes no event for a change that rolled back', async () => {
    const { receiver } = await subscribed(['lead.created']);
    const full = await makeUser(handle.db, { role: 'agent', capacity: 0 });
    const manager = await makeUser(handle.db, { role: 'manager' });
    // The lead row and its CREATED history are written, then the full assignee refuses: all rolls back.
    await expect(core.leads.create(full, { input: { source: 'WEB', email: 'rolled@example.com' }, assignToSelf: true })).rejects.toThrow();
    await core.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(1); // the ping only
    const rows = await handle.db.selectFrom('webhook_deliveries').select('id')
      .where(sql`payload->'data'->'lead'->>'email'`, '=', 'rolled@example.com').execute();
    expect(rows).toEqual([]);
    void manager;
  });

  it('500 then 200: retried with backoff, the same webhook-id, every attempt logged', async () => {
    const { receiver, subscription } = await subscribed(['lead.created'], [{ status: 500, body: 'boom' }, { status: 200 }]);
    await makeLeadVia(core, 'retry500@example.com');
    const [first] = await core.webhooks.deliverDue();
    expect(first).toMatchObject({ status: 500, outcome: 'retry' });
    expect(await core.webhooks.deliverDue()).toEqual([]); // not due yet
    later(60 * 60_000);
    const [second] = await core.webhooks.deliverDue();
    expect(second).toMatchObject({ status: 200, outcome: 'delivered' });
    const [a, b] = receiver.received.slice(1);
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    const [delivery] = await core.webhooks.deliveries(admin, { subscriptionId: subscription.id, status: 'delivered', limit: 1 });
    expect(delivery!.attempt_log.map((x) => [x.status_code, x.response_start])).toEqual([[500, 'boom'], [200, 'answer 200']]);
    expect(delivery!.attempt_log.every((x) => x.latency_ms >= 0)).toBe(true);
  });

  it('429 with Retry-After: the next try waits that long', async () => {
    await subscribed(['lead.created'], [{ status: 429, headers: { 'retry-after': '120' } }, { status: 200 }]);
    await makeLeadVia(core, 'retry429@example.com');
    expect((await core.webhooks.deliverDue())[0]).toMatchObject({ status: 429, outcome: 'retry' });
    later(119_000);
    expect(await core.webhooks.deliverDue()).toEqual([]);
    later(2_000);
    expect((await core.webhooks.deliverDue())[0]).toMatchObject({ status: 200, outcome: 'delivered' });
  });

  it('400 is not retried; a replay sends it again with the same id', async () => {
    const { receiver, subscription } = await subscribed(['lead.created'], [{ status: 400 }, { status: 200 }]);
    await makeLeadVia(core, 'bad400@example.com');
    expect((await core.webhooks.deliverDue())[0]).toMatchObject({ status: 400, outcome: 'failed' });
    later(24 * 3_600_000);
    expect(await core.webhooks.deliverDue()).toEqual([]);
    expect((await core.webhooks.get(admin, subscription.id))).toMatchObject({ failed: 1, last_status: 400 });
    expect(await core.webhooks.replay(admin, { subscriptionId: subscription.id })).toBe(1);
    expect((await core.webhooks.deliverDue())[0]).toMatchObject({ status: 200, outcome: 'delivered' });
    const ids = receiver.received.slice(1).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
  });

  it('a receiver that hangs times out and is retried; attempts stop at the cap', async () => {
    const { subscription } = await subscribed(['lead.created'], ['hang']);
    await makeLeadVia(core, 'hang@example.com');
    const [first] = await core.webhooks.deliverDue();
    expect(first).toMatchObject({ status: null, outcome: 'retry', error: 'timeout after 300 ms' });
    for (let i = 0; i < 3; i++) { later(3 * 3_600_000); await core.webhooks.deliverDue(); }
    const [d] = await core.webhooks.deliveries(admin, { subscriptionId: subscription.id, limit: 1 });
    expect(d).toMatchObject({ status: 'failed', attempts: 4 });
  });

  it('410 disables the subscription', async () => {
    const { subscription } = await subscribed(['lead.created'], [{ status: 410 }]);
    await makeLeadVia(core, 'gone@example.com');
    expect((await core.webhooks.deliverDue())[0]).toMatchObject({ status: 410, outcome: 'gone' });
    expect(await core.webhooks.get(admin, subscription.id)).toMatchObject({ is_active: false, disabled_reason: 'gone' });
  });

  it('gives up once the next try would pass the age cap', async () => {
    const aged = createTestCore(handle, store, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_MAX_AGE_HOURS: '1' }, undefined, now);
    const { subscription } = await subscribed(['lead.created'], [{ status: 503 }]);
    await makeLeadVia(aged, 'aged@example.com');
    later(59 * 60_000);
    // Core's clock is a minute ahead of the database's that queued it: the hour is used up.
    const reports = await aged.webhooks.deliverDue();
    expect(reports.at(-1)).toMatchObject({ status: 503, outcome: 'failed' });
    void subscription;
  });
});

describe('subscriptions', () => {
  it('validate the URL and events; loopback is refused unless allowed; https in production', async () => {
    const strict = createTestCore(handle, store, {}, undefined, now);
    await expect(strict.webhooks.subscribe(admin, { url: 'http://127.0.0.1:9/x', events: ['lead.created'] }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'url' });
    await expect(strict.webhooks.subscribe(admin, { url: 'http://localhost/x', events: ['lead.created'] }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'url' });
    await expect(strict.webhooks.subscribe(admin, { url: 'http://[::1]/x', events: ['lead.created'] }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'url' });
    await expect(strict.webhooks.subscribe(admin, { url: 'http://10.1.2.3/x', events: ['lead.created'] }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'url' });
    const prod = createTestCore(handle, store, { NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, undefined, now);
    await expect(prod.webhooks.subscribe(admin, { url: 'http://127.0.0.1:9/x', events: ['lead.created'] }))
      .rejects.toMatchObject({ code: 'VALIDATION', message: 'url: must use https' });
    await expect(core.webhooks.subscribe(admin, { url: 'ftp://x', events: ['lead.created'] })).rejects.toMatchObject({ field: 'url' });
    await expect(core.webhooks.subscribe(admin, { url: 'https://example.com', events: ['lead.nope'] })).rejects.toMatchObject({ field: 'events' });
    await expect(core.webhooks.subscribe(admin, { url: 'https://example.com', events: [] })).rejects.toMatchObject({ field: 'events' });
  });

  it('a failing ping is shown, and the subscription stays for a later fix', async () => {
    const receiver = await startWebhookReceiver([{ status: 503 }]);
    receivers.push(receiver);
    const { ping, subscription } = await core.webhooks.subscribe(admin, { url: receiver.url, events: ['lead.created'] });
    expect(ping).toMatchObject({ status: 503, outcome: 'failed' });
    expect(await core.webhooks.get(admin, subscription.id)).toMatchObject({ is_active: true, failed: 1 });
  });

  it('only admins manage them', async () => {
    const manager = await makeUser(handle.db, { role: 'manager' });
    await expect(core.webhooks.list(manager)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.webhooks.subscribe(manager, { url: 'https://example.com', events: ['lead.created'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

async function makeLeadVia(c: Core, email: string) {
  const m = await makeUser(handle.db, { role: 'manager' });
  return c.leads.create(m, { input: { source: 'WEB', email }, assignToSelf: false });
}
void makeLead;
