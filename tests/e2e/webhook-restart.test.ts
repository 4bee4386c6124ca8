import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { startApp, type RunningApp } from '../../main.js';
import { makeUser } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

// §13 end to end over real HTTP: an admin subscribes through the API, a lead created through the API
// is delivered by the app's own delivery runner to a receiver that fails; the app restarts in the
// middle of the retries, and the next instance delivers it — once, with the same webhook-id.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const apps: RunningApp[] = [];

const configFor = () => createConfig({
  NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', HOST: '127.0.0.1', PORT: '0',
  DATABASE_URL: database.databaseUrl ?? '', DATA_DIR: database.dataDir ?? '',
  JOBS_ENABLED: 'false', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '100', API_JWT_SECRET: 's'.repeat(40),
});

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver([{ status: 200 }]);
}, 60_000);
afterAll(async () => {
  for (const app of apps) await app.close().catch(() => {});
  await receiver.close();
  await database.drop();
});

async function api(app: RunningApp, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as any };
}

describe('outbound webhooks across a restart', () => {
  it('loses and duplicates nothing: the retry after the restart carries the same webhook-id', async () => {
    const first = await startApp({ config: configFor() });
    apps.push(first);
    const admin = await makeUser(first.db, { role: 'admin' });
    const { access_token: token } = await first.core.api.issueTokens(admin);
    const sub = await api(first, token, 'POST', '/webhooks', { url: receiver.url, events: ['lead.created'] });
    expect(sub.status).toBe(201);
    expect(sub.body.ping).toMatchObject({ status: 200, outcome: 'delivered' });
    receiver.useSecret(sub.body.secret);
    receiver.script([{ status: 500 }]);

    const lead = await api(first, token, 'POST', '/leads', { email: 'restart@example.com', source: 'WEB' });
    expect(lead.status).toBe(201);
    await receiver.waitFor(2); // the ping, then the event's first attempt (answered 500)
    await first.close();
    receiver.script([{ status: 200 }]);

    const second = await startApp({ config: configFor() });
    apps.push(second);
    await receiver.waitFor(3);
    // Nothing is left to send: once the pass that delivered it has finished, the next one sends nothing.
    await second.webhookDelivery.runOnce();
    expect(await second.webhookDelivery.runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(3);
    const [, failed, delivered] = receiver.received;
    expect(failed!.headers['webhook-id']).toBe(delivered!.headers['webhook-id']);
    expect(delivered!.verified).toMatchObject({ ok: true, payload: { type: 'lead.created', data: { lead: { id: lead.body.id } } } });
    const { access_token: again } = await second.core.api.issueTokens(admin);
    const deliveries = await api(second, again, 'GET', `/webhooks/${sub.body.webhook.id}/deliveries`);
    const event = deliveries.body.items.find((d: any) => d.event_type === 'lead.created');
    expect(event).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(event.attempt_log.map((a: any) => a.status_code)).toEqual([500, 200]);
  }, 60_000);
});
