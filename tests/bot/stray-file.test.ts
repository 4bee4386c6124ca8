import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { listAttachments } from '../../core/leads/lead-attachment.service.js';
import { buttonsOf, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { document, photo, sendFile } from '../support/telegram-files.js';

describe('a file sent without 📎 Attach (issue 9)', () => {
  let h: BotHarness;
  let agent: User;
  let other: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    other = await makeUser(h.db, { name: 'Oleg Other' });
  });
  afterAll(() => h.close());

  const filesOf = async (leadId: number) => (await listAttachments(h.db, leadId, { limit: 50, offset: 0 })).items;

  it('asks which lead it belongs to, offering my most recently active leads, and attaches it to the one I tap', async () => {
    const older = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Older', last_activity_at: new Date(Date.now() - 86_400_000) });
    const recent = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Recent' });
    const theirs = await makeLead(h.db, { assigned_to: other.id, full_name: 'Not mine' });
    const doc = document({ file_name: 'Contract.pdf' });
    await sendFile(h.tg, h.as(agent), { document: doc });

    const question = h.fake.lastMessage(agent.telegram_id);
    expect(question.text).toBe('📎 Which lead is this file for? Your recent leads:');
    const labels = labelsOf(question);
    expect(labels.indexOf(`#${recent.id} · Recent · NEW`)).toBeLessThan(labels.indexOf(`#${older.id} · Older · NEW`));
    expect(labels.join(' ')).not.toContain('Not mine');
    expect(labels.at(-1)).toBe('❌ Cancel');
    for (const b of buttonsOf(question)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    await h.tg.press(h.as(agent), question, `#${recent.id} ·`);
    expect(await filesOf(recent.id)).toMatchObject([{ telegram_file_id: doc.file_id, file_name: 'Contract.pdf', uploaded_by: agent.id }]);
    expect(h.tg.lastAnswer()?.text).toBe(`📎 Contract.pdf attached to lead #${recent.id}.`);
    // The question becomes the lead's card, in place.
    expect(h.current(question).text).toContain(`<b>Lead #${recent.id}</b>`);
    expect(await filesOf(theirs.id)).toHaveLength(0);
  });

  it('attaches once, however often the buttons are tapped, and says the question is over afterwards', async () => {
    const a = await makeLead(h.db, { assigned_to: agent.id });
    const b = await makeLead(h.db, { assigned_to: agent.id });
    await sendFile(h.tg, h.as(agent), { photo: photo() });
    const question = h.fake.lastMessage(agent.telegram_id);
    const tapA = h.tg.dataOf(question, `#${a.id} ·`);
    const tapB = h.tg.dataOf(question, `#${b.id} ·`);
    await Promise.all([h.tg.tap(h.as(agent), question, tapA), h.tg.tap(h.as(agent), question, tapA)]);
    await h.tg.tap(h.as(agent), question, tapB);
    expect((await filesOf(a.id)).length + (await filesOf(b.id)).length).toBe(1);
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This question has expired. Send the file again.', show_alert: true });
  });

  it('refuses a file the rules refuse at once, and ❌ Cancel attaches nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await sendFile(h.tg, h.as(agent), { document: document({ file_name: 'x.zip', mime_type: 'application/zip' }) });
    expect(h.fake.lastMessage(agent.telegram_id).text).toContain('Files of type application/zip are not allowed');

    await sendFile(h.tg, h.as(agent), { document: document() });
    const question = h.fake.lastMessage(agent.telegram_id);
    await h.tg.press(h.as(agent), question, 'Cancel');
    expect(h.current(question).text).toBe('📎 The file was not attached.');
    expect(labelsOf(h.current(question))).toEqual([]);
    expect(await filesOf(lead.id)).toHaveLength(0);
  });

  it('tells someone without leads how to attach, in their language', async () => {
    const newcomer = await makeUser(h.db, { name: 'Nadia', language: 'uk' });
    await sendFile(h.tg, h.as(newcomer), { document: document() });
    expect(h.fake.lastMessage(newcomer.telegram_id).text)
      .toBe('📎 Щоб зберегти файл у ліді, відкрийте лід (/leads) і натисніть 📎 Файл.');
  });

  it('asks in Ukrainian, with stage names in Ukrainian, and the toast too', async () => {
    const olena = await makeUser(h.db, { name: 'Олена', language: 'uk' });
    const lead = await makeLead(h.db, { assigned_to: olena.id, full_name: 'Петро', stage: 'CONTACTED' });
    await sendFile(h.tg, h.as(olena), { document: document({ file_name: 'Рахунок.pdf' }) });
    const question = h.fake.lastMessage(olena.telegram_id);
    expect(question.text).toBe('📎 До якого ліда цей файл? Ваші останні ліди:');
    expect(labelsOf(question)).toEqual([`#${lead.id} · Петро · Контакт`, '❌ Скасувати']);
    await h.tg.press(h.as(olena), question, `#${lead.id} ·`);
    expect(h.tg.lastAnswer()?.text).toBe(`📎 Рахунок.pdf додано до ліда #${lead.id}.`);
  });
});
