import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

// /api (JSON API credentials and keys) and /webhooks (outbound events), in the bot.

let h: BotHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  h = await createBotHarness({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', PUBLIC_URL: 'https://crm.example.com' });
  receiver = await startWebhookReceiver([{ status: 200 }]);
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

describe('/api', () => {
  it('gives a staff member a sign-in whose tokens work against the API', async () => {
    const agent = await makeUser(h.db, { role: 'agent' });
    await h.tg.send(h.as(agent), '/api');
    const screen = h.fake.lastMessage(agent.telegram_id);
    expect(screen.text).toContain('https://crm.example.com/api/v1');
    expect(screen.text).not.toContain('API keys');
    await h.tg.press(h.as(agent), screen, '🔑 New sign-in');
    const issued = h.lastText(agent)!;
    const [access, refresh] = [...issued.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]!);
    const principal = await h.core.api.authenticate(access!);
    expect(principal.viewer.id).toBe(agent.id);
    expect((await h.core.api.refresh(refresh!)).access_token).toBeTruthy();
  });

  it('🚪 signs out everywhere: the refresh tokens stop working', async () => {
    const agent = await makeUser(h.db, { role: 'agent' });
    const tokens = await h.core.api.issueTokens(agent);
    await h.tg.send(h.as(agent), '/api');
    await h.tg.press(h.as(agent), h.fake.lastMessage(agent.telegram_id), '🚪 Sign out everywhere');
    expect(h.current(h.fake.lastMessage(agent.telegram_id)).text).toContain('Signed out: 1 sign-in revoked');
    await expect(h.core.api.refresh(tokens.refresh_token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('admins issue a named key, see its last use, and revoke it; Ukrainian readers read Ukrainian', async () => {
    const admin = await makeUser(h.db, { role: 'admin', language: 'uk' });
    await h.tg.send(h.as(admin), '/api key manager Website form');
    const key = /<code>(aelk_[^<]+)<\/code>/.exec(h.lastText(admin)!)![1]!;
    expect(h.lastText(admin)).toContain('показується лише зараз');
    await h.core.api.authenticate(key);
    await h.tg.send(h.as(admin), '/api');
    const screen = h.fake.lastMessage(admin.telegram_id);
    expect(screen.text).toContain('<b>Website form</b> · менеджер');
    expect(screen.text).not.toContain('ніколи');
    await h.tg.press(h.as(admin), screen, '🚫 Website form');
    expect(h.current(screen).text).toContain('<s>Website form</s>');
    await expect(h.core.api.authenticate(key)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a key to a non-admin', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    await h.tg.send(h.as(manager), '/api key agent Sneaky');
    expect(h.lastText(manager)).toMatch(/Only admins/);
  });
});

describe('/webhooks', () => {
  it('an admin subscribes, sees the ping and the secret, then a failing endpoint and replays it', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    await h.tg.send(h.as(admin), `/webhooks add ${receiver.url} lead.created`);
    const created = h.lastText(admin)!;
    expect(created).toContain('Test ping: HTTP 200');
    const secret = /<code>(whsec_[^<]+)<\/code>/.exec(created)![1]!;
    receiver.useSecret(secret);
    expect(receiver.received[0]!.verified.ok).toBe(true);

    receiver.script([{ status: 400, body: 'bad payload' }]);
    const manager = await makeUser(h.db, { role: 'manager' });
    await h.core.leads.create(manager, { input: { source: 'WEB', email: 'bot-hook@example.com' }, assignToSelf: true });
    await h.core.webhooks.deliverDue();

    await h.tg.send(h.as(admin), '/webhooks');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('🔴 failing (last: HTTP 400)');
    const { id } = await h.db.selectFrom('webhook_subscriptions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await h.tg.press(h.as(admin), list, `#${id}`);
    const detail = h.current(list);
    expect(detail.text).toContain('lead.created · HTTP 400 · 1 try');
    expect(detail.text).toContain('bad payload');
    receiver.script([{ status: 200 }]);
    await h.tg.press(h.as(admin), detail, '🔁 1');
    expect(h.current(list).text).toContain('1 queued again');
    await h.core.webhooks.deliverDue();
    expect(receiver.received.at(-1)!.verified).toMatchObject({ ok: true, payload: { type: 'lead.created' } });
    await h.tg.press(h.as(admin), h.current(list), '📡 Ping');
    expect(h.current(list).text).toContain('Ping: HTTP 200');
  });

  it('refuses a URL it cannot send to and an unknown event, saying what to fix', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    await h.tg.send(h.as(admin), '/webhooks add https://example.com/x lead.eaten');
    expect(h.lastText(admin)).toContain('Unknown event. Choose from: lead.created');
    await h.tg.send(h.as(admin), '/webhooks add ftp://example.com/x');
    expect(h.lastText(admin)).toContain('This URL cannot be subscribed');
  });

  it('is for admins only', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    await h.tg.send(h.as(manager), '/webhooks');
    expect(h.lastText(manager)).toMatch(/Only admins/);
  });
});
