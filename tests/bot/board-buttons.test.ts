import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/index.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const webApps = (markup: { inline_keyboard: Record<string, any>[][] } | undefined) =>
  (markup?.inline_keyboard ?? []).flat().filter((b) => 'web_app' in b).map((b) => [b.text, b.web_app.url]);

describe('🗂 Board opens the Mini App from the chat (§14)', () => {
  let h: BotHarness;
  let ann: User;
  let leadId: number;
  beforeAll(async () => {
    h = await createBotHarness({ PUBLIC_URL: 'https://crm.example.com' });
    ann = await makeUser(h.db, { name: 'Ann' });
    leadId = (await makeLead(h.db, { assigned_to: ann.id })).id;
  });
  afterAll(() => h.close());

  it('on /leads and on a card, and as the chat\'s menu button', async () => {
    await h.tg.send(h.as(ann), '/leads');
    expect(webApps(h.fake.lastMessage(ann.telegram_id).markup)).toEqual([['🗂 Board', 'https://crm.example.com/app/']]);
    await h.tg.send(h.as(ann), `/lead ${leadId}`);
    expect(webApps(h.fake.lastMessage(ann.telegram_id).markup)).toEqual([['🗂 Board', 'https://crm.example.com/app/']]);
    expect(h.fake.callsTo('setChatMenuButton').at(-1)).toMatchObject({
      chat_id: ann.telegram_id, menu_button: { type: 'web_app', text: 'Board', web_app: { url: 'https://crm.example.com/app/' } },
    });
    expect(h.fake.refusals).toEqual([]);
  });

  it('not on a server without HTTPS, where Telegram would refuse the button', async () => {
    const plain = await createBotHarness();
    try {
      const bob = await makeUser(plain.db);
      await plain.tg.send(plain.as(bob), '/leads');
      expect(webApps(plain.fake.lastMessage(bob.telegram_id).markup)).toEqual([]);
      expect(plain.fake.callsTo('setChatMenuButton')).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
