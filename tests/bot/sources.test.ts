import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { listFormSources } from '../../core/intake/form-source.service.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';

describe('/sources (§11, admins)', () => {
  let h: BotHarness;
  let admin: User;
  let manager: User;
  beforeAll(async () => {
    h = await createBotHarness({ PUBLIC_URL: 'https://crm.example.com' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada' });
    manager = await makeUser(h.db, { role: 'manager' });
  });
  afterAll(() => h.close());

  it('adds a source in a conversation and replies with the webhook URL and the secret', async () => {
    await h.tg.send(h.as(admin), '/sources');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('No form sources yet.');
    await h.tg.press(h.as(admin), list, 'Add source');
    await h.tg.send(h.as(admin), 'Landing <A&B>');
    await h.tg.press(h.as(admin), h.fake.lastMessage(admin.telegram_id), 'Tilda');

    const [source] = await listFormSources(h.db);
    expect(source).toMatchObject({ name: 'Landing <A&B>', provider: 'tilda', created_by: admin.id, is_active: true });
    const reply = h.fake.lastMessage(admin.telegram_id).text;
    expect(reply).toContain('Landing &lt;A&amp;B&gt;');
    expect(reply).toContain(`https://crm.example.com/webhooks/forms/${source!.slug}?secret=${source!.secret}`);
  });

  it('lists sources and disables one with its button', async () => {
    await h.tg.send(h.as(admin), '/sources');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('🟢');
    await h.tg.press(h.as(admin), list, 'Disable');
    expect((await listFormSources(h.db))[0]!.is_active).toBe(false);
    const redrawn = h.fake.message(list.chatId, list.messageId);
    expect(redrawn.text).toContain('disabled');
    expect(buttonsOf(redrawn).map((b) => b.text)).toEqual(['➕ Add source']);
  });

  it('refuses non-admins, including a forged add or disable button', async () => {
    await h.tg.send(h.as(manager), '/sources');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe('⛔ Only admins can do this.');
    const msg = { chatId: manager.telegram_id, messageId: 1, text: 'x' };
    await h.tg.tap(h.as(manager), msg, 'sa1');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⛔ Only admins can do this.' });
    await h.tg.send(h.as(manager), 'Sneaky source');
    expect(await listFormSources(h.db)).toHaveLength(1);
  });
});
