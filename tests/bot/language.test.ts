import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

/**
 * Every word in the reader's language (issue 9): codes are stored, words
 * rendered, so one lead reads in English for one person and in Ukrainian
 * for another, with times in each reader's own zone.
 */
describe('the chat in the reader’s language and time zone (issue 9)', () => {
  let h: BotHarness;
  let ann: User;
  let olena: User;
  let mia: User;

  beforeAll(async () => {
    h = await createBotHarness();
    ann = await makeUser(h.db, { name: 'Ann Agent' });
    olena = await makeUser(h.db, { name: 'Олена', role: 'manager', language: 'uk' });
    mia = await makeUser(h.db, { name: 'Mia Manager', role: 'manager' });
  });
  afterAll(() => h.close());

  it('a preset lost reason an English agent picked reads in Ukrainian for a Ukrainian manager, card and history alike', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id, stage: 'CONTACTED' });
    const card = await h.openCard(ann, lead.id);
    await h.tg.press(h.as(ann), card, 'Lost');
    await h.tg.press(h.as(ann), h.current(card), 'No budget');
    expect(h.current(card).text).toContain('Lost reason: No budget');

    const ukCard = await h.openCard(olena, lead.id);
    expect(ukCard.text).toContain('Причина втрати: Немає бюджету');
    expect(ukCard.text).toContain('Етап: <b>Втрачений</b>');
    await h.tg.press(h.as(olena), ukCard, 'Історія');
    const history = h.current(ukCard).text;
    expect(history).toContain('<b>Зміна етапу</b> Контакт → Втрачений · Ann Agent\n   <i>Немає бюджету</i>');
    expect(history).not.toMatch(/STAGE_CHANGED|CONTACTED|No budget/);
  });

  it('answers a Ukrainian reader’s taps in Ukrainian: the confirmation, a refusal, and a stale card', async () => {
    const lead = await makeLead(h.db, { assigned_to: olena.id });
    const card = await h.openCard(olena, lead.id);
    await h.tg.press(h.as(olena), card, 'Зв’язались');
    expect(h.current(card).text).toContain(`❓ Перевести лід #${lead.id} на етап <b>Контакт</b>?`);
    await h.tg.press(h.as(olena), h.current(card), 'Підтвердити');
    expect(h.tg.lastAnswer()).toMatchObject({ text: `✅ Лід #${lead.id} переведено на етап Контакт.`, show_alert: false });

    await h.tg.tap(h.as(olena), h.current(card), `lk1:CONTACTED:${lead.id}:${lead.version + 1}`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: 'ℹ️ Лід уже на етапі «Контакт».' });

    const miaCard = await h.openCard(mia, lead.id);
    await h.tg.press(h.as(mia), miaCard, 'Qualified');
    await h.tg.press(h.as(mia), h.current(miaCard), 'Confirm');
    await h.tg.press(h.as(olena), h.current(card), 'Кваліфікований');
    expect(h.tg.lastAnswer()?.text).toBe(`⚠️ Лід #${lead.id} тим часом змінився — ось актуальна картка.`);
    expect(h.current(card).text).toContain('Етап: <b>Кваліфікований</b>');
  });

  it('shows a Ukrainian card with the form’s name, labelled UTM values, the source in words and relative times', async () => {
    const source = await h.db.insertInto('form_sources').values({
      name: 'Лендинг «Весна»', provider: 'tilda', slug: 'landing-spring-uk', secret: 's'.repeat(32), lead_source: 'WEB',
    }).returning('id').executeTakeFirstOrThrow();
    const lead = await makeLead(h.db, {
      assigned_to: olena.id, form_source_id: source.id, form_reference: 'form-internal-77', utm_source: 'google',
      utm_medium: 'cpc', created_at: new Date(Date.now() - 2 * 86_400_000 - 60_000),
    });
    const card = await h.openCard(olena, lead.id);
    expect(card.text).toContain('Джерело: Сайт · Форма: Лендинг «Весна»');
    expect(card.text).not.toContain('form-internal-77');
    expect(card.text).toContain('UTM: джерело google · канал cpc');
    expect(card.text).toMatch(/Надійшов: позавчора \(\d{1,2} [а-яі]+\.?, \d\d:\d\d\)/);
    expect(card.text).toContain('Відповідальний: Олена');
    expect(labelsOf(card)).toEqual(['📞 Зв’язались', '❌ Втрачено', '📝 Нотатка', '🗒 Нотатки', '📎 Файл', '⏰ Нагадати',
      '✏️ Змінити', '🕘 Історія', '🤖 Аналіз', '👤 Перепризначити']);
  });

  it('shows times in the reader’s own zone, or the team’s when they have none', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id, created_at: new Date('2026-03-15T22:30:00Z') });
    const utc = await h.openCard(ann, lead.id);
    expect(utc.text).toMatch(/Came in: .* \(15 Mar, 22:30\)/);
    await h.db.updateTable('users').set({ timezone: 'Europe/Kyiv' }).where('id', '=', ann.id).execute();
    const kyiv = await h.openCard(ann, lead.id);
    // 22:30 UTC is half past midnight the next day in Kyiv (UTC+2 in March before the switch).
    expect(kyiv.text).toMatch(/Came in: .* \(16 Mar, 00:30\)/);
    await h.db.updateTable('users').set({ timezone: null }).where('id', '=', ann.id).execute();
  });

  it('lists leads with assignee and age, and renders a system note, in Ukrainian', async () => {
    const lead = await makeLead(h.db, { assigned_to: null, full_name: 'Без власника', stage: 'CONTACTED' });
    await h.tg.send(h.as(olena), '/leads');
    expect(h.fake.lastMessage(olena.telegram_id).text).toContain(`<b>#${lead.id}</b> Без власника · Контакт · 👤 не призначено · щойно`);

    await h.core.leads.logContact(mia, { leadId: lead.id, expectedVersion: lead.version });
    expect((await h.openCard(olena, lead.id)).text)
      .toContain('Остання нотатка (Mia Manager, щойно): <i>📞 Є контакт (після сповіщення про неактивного ліда)</i>');
    expect((await h.openCard(mia, lead.id)).text)
      .toContain('Last note (Mia Manager, just now): <i>📞 Contacted (after a stale-lead alert)</i>');
  });

  it('reports bulk results in the reader’s language', async () => {
    const fresh = await makeLead(h.db, { full_name: 'Свіжий' });
    const ahead = await makeLead(h.db, { full_name: 'Попереду', stage: 'CONTACTED' });
    await h.tg.send(h.as(olena), '/bulk');
    const list = h.fake.lastMessage(olena.telegram_id);
    for (const lead of [fresh, ahead]) await h.tg.press(h.as(olena), h.current(list), `#${lead.id} ·`);
    await h.tg.press(h.as(olena), h.current(list), 'Етап');
    await h.tg.press(h.as(olena), h.current(list), 'Зв’язались');
    expect(h.fake.sentTexts(olena.telegram_id).at(-1))
      .toBe(`✅ Виконано: 1, ❌ помилок: 1 (лишаються вибраними):\n#${ahead.id} ℹ️ Лід уже на етапі «Контакт».`);
  });
});
