import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LeadChange, User } from '../../core/index.js';
import { LEAD_CHANGE_WINDOW_MS } from '../../core/index.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { textsFor } from '../../bot/texts/index.js';
import { en } from '../../bot/texts/en.js';
import { uk } from '../../bot/texts/uk.js';
import { leadChangedHeading, leadChangeItems } from '../../bot/views/notices.view.js';
import { labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

/** Issue 9, "told when others act", as the people concerned read it in their chats. */
describe('notices when others act', () => {
  let h: BotHarness;
  const clock = { offsetMs: 0 };
  let ann: User;
  let olena: User;
  let bob: User;
  let mia: User;
  let oleh: User;
  let ada: User;
  let olha: User;

  beforeAll(async () => {
    h = await createBotHarness({}, { now: () => new Date(Date.now() + clock.offsetMs) });
    ann = await makeUser(h.db, { name: 'Ann Agent', language: 'en' });
    olena = await makeUser(h.db, { name: 'Olena', language: 'uk' });
    bob = await makeUser(h.db, { name: 'Bob Agent' });
    mia = await makeUser(h.db, { role: 'manager', name: 'Mia' });
    oleh = await makeUser(h.db, { role: 'manager', name: 'Oleh', language: 'uk' });
    ada = await makeUser(h.db, { role: 'admin', name: 'Ada', language: 'en' });
    olha = await makeUser(h.db, { role: 'admin', name: 'Olha', language: 'uk' });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    // Whatever earlier tests left is delivered (or not) before a test starts counting.
    clock.offsetMs += 10 * LEAD_CHANGE_WINDOW_MS;
    await h.deliver();
  });

  /** How many bot messages the person's chat holds; newSince: those after that point, as they read now. */
  const inbox = (u: User) => h.fake.chat(u.telegram_id).length;
  const newSince = (u: User, before: number) => h.fake.chat(u.telegram_id).slice(before);
  const textsSince = (u: User, before: number) => newSince(u, before).map((m) => m.text);
  const aMinuteLater = async () => {
    clock.offsetMs += LEAD_CHANGE_WINDOW_MS + 1_000;
    await h.deliver();
  };

  it("tells the assignee once, a minute later, what a manager did — with the card and the assignee's own buttons", async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id, full_name: 'Nina <Co>' });
    const before = inbox(ann);
    await h.core.notes.add(mia, { leadId: lead.id, body: 'Called, wants a demo' });
    await h.core.leads.transition(mia, { leadId: lead.id, to: 'CONTACTED', expectedVersion: lead.version });
    await h.deliver();
    expect(inbox(ann)).toBe(before);

    await aMinuteLater();
    const [notice, ...more] = newSince(ann, before);
    expect(more).toEqual([]);
    expect(notice!.text.split('\n')[0]).toBe(
      `✏️ <b>Mia</b> changed lead #${lead.id}: 📝 note added · ➡️ moved to <b>CONTACTED</b>`);
    expect(notice!.text).toContain('Nina &lt;Co&gt;');
    expect(notice!.text).toContain('Called, wants a demo');
    const labels = labelsOf(notice!);
    expect(labels).toContain(en.card.qualified);
    expect(labels).not.toContain(en.card.rollback);

    // The buttons work for the assignee.
    await h.tg.press(h.as(ann), notice!, en.card.history);
    expect(h.current(notice!).text).toContain(en.history.title(lead.id, 1, 1).split(' (')[0]!);
  });

  it('merges the changes of several people into one Ukrainian notice, with plural forms', async () => {
    const lead = await makeLead(h.db, { assigned_to: olena.id, stage: 'CONTACTED' });
    const before = inbox(olena);
    for (const body of ['Перша', 'Друга', 'Третя']) await h.core.notes.add(mia, { leadId: lead.id, body });
    await h.core.attachments.add(oleh, {
      leadId: lead.id, file: { kind: 'document', fileId: 'f1', fileUniqueId: 'u1', fileName: 'КП.pdf', mimeType: 'application/pdf', sizeBytes: 2048 },
    });
    await h.core.leads.updateFields(oleh, { leadId: lead.id, expectedVersion: lead.version, changes: { company: 'ТОВ Ромашка' } });
    await aMinuteLater();

    const [notice, ...more] = newSince(olena, before);
    expect(more).toEqual([]);
    expect(notice!.text.split('\n')[0]).toBe(
      `✏️ <b>Лід #${lead.id} змінено</b> (Mia і Oleh): 📝 додано 3 нотатки · 📎 додано файл · ✏️ змінено поле: Компанія`);
    expect(notice!.text).toContain('ТОВ Ромашка');
    expect(labelsOf(notice!)).toContain(uk.card.qualified);
  });

  it('words counts and every change in both languages', () => {
    const at = new Date().toISOString();
    const notes = (n: number): LeadChange[] => Array.from({ length: n }, () => ({ action: 'note_added', byUserId: 1, at }));
    const tEn = textsFor('en', 'Europe/Kyiv');
    const tUk = textsFor('uk', 'Europe/Kyiv');
    expect([1, 2, 5, 21].map((n) => leadChangeItems(tEn, notes(n))[0])).toEqual([
      '📝 note added', '📝 2 notes added', '📝 5 notes added', '📝 21 notes added']);
    expect([1, 2, 5, 11, 21, 22].map((n) => leadChangeItems(tUk, notes(n))[0])).toEqual([
      '📝 додано нотатку', '📝 додано 2 нотатки', '📝 додано 5 нотаток', '📝 додано 11 нотаток', '📝 додано 21 нотатку',
      '📝 додано 22 нотатки']);
    const all: LeadChange[] = [
      { action: 'rolled_back', from: 'CONTACTED', to: 'NEW', byUserId: 1, at },
      { action: 'contact_logged', byUserId: 1, at },
      { action: 'fields_edited', fields: ['phone', 'company'], byUserId: 1, at },
      { action: 'deleted', byUserId: 1, at },
      { action: 'restored', byUserId: 1, at },
      { action: 'undone', undone: 'lost', to: 'QUALIFIED', byUserId: 1, at },
      { action: 'undone', undone: 'delete', to: null, byUserId: 1, at },
    ];
    expect(leadChangeItems(tEn, all)).toEqual([
      '↩️ rolled back to <b>NEW</b>', '📞 contact logged', '✏️ edited: Company, Phone', '🗑 deleted', '♻️ restored',
      '↩️ Lost undone: back in <b>QUALIFIED</b>', '♻️ deletion undone']);
    expect(leadChangeItems(tUk, all)).toEqual([
      '↩️ повернуто на етап <b>Новий</b>', '📞 зафіксовано контакт', '✏️ змінено поля: Компанія, Телефон', '🗑 видалено',
      '♻️ відновлено', '↩️ втрату відмінено: знову на етапі <b>Кваліфікований</b>', '♻️ видалення відмінено']);
    const many: LeadChange[] = Array.from({ length: 12 }, (_, i) => ({
      action: i % 2 ? 'rolled_back' : 'stage_changed', from: 'NEW', to: 'CONTACTED', byUserId: 1, at,
    }) as LeadChange);
    expect(leadChangeItems(tEn, many).at(-1)).toBe('… 5 more changes');
    expect(leadChangeItems(tUk, many).at(-1)).toBe('… і ще 5 змін');
    const names = ['Mia', 'Oleh', 'Ada', 'Bob', 'Ivan', 'Olha', 'Petro'];
    expect(leadChangedHeading(tEn, 7, notes(1), names)).toBe('✏️ <b>Mia, Oleh, Ada, Bob and 3 more</b> changed lead #7: 📝 note added');
    expect(leadChangedHeading(tUk, 7, notes(2), names.slice(0, 2))).toBe('✏️ <b>Лід #7 змінено</b> (Mia і Oleh): 📝 додано 2 нотатки');
    expect(leadChangedHeading(tUk, 7, notes(1), names)).toBe('✏️ <b>Лід #7 змінено</b> (Mia, Oleh, Ada, Bob і ще 3): 📝 додано нотатку');
  });

  it('tells the assignee of a lead an admin deleted, without a card (there is none to show)', async () => {
    const lead = await makeLead(h.db, { assigned_to: olena.id });
    const before = inbox(olena);
    await h.core.leads.delete(ada, { leadId: lead.id, expectedVersion: lead.version });
    await aMinuteLater();
    const [notice, ...more] = newSince(olena, before);
    expect(more).toEqual([]);
    expect(notice!.text).toBe(
      `✏️ <b>Лід #${lead.id} змінено</b> (Ada): 🗑 видалено\n\n${uk.notices.deletedNow}`);
    expect(labelsOf(notice!)).toEqual([]);
  });

  it('tells nobody about their own changes', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const before = inbox(ann);
    await h.core.notes.add(ann, { leadId: lead.id, body: 'My own note' });
    await h.core.leads.transition(ann, { leadId: lead.id, to: 'CONTACTED', expectedVersion: lead.version });
    await aMinuteLater();
    expect(inbox(ann)).toBe(before);
  });

  it('on a reassign, the old owner reads only "reassigned away" and the new one only the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const [annBefore, bobBefore] = [inbox(ann), inbox(bob)];
    await h.core.notes.add(mia, { leadId: lead.id, body: 'Before the hand-over' });
    await h.core.leads.reassign(mia, { leadId: lead.id, toUserId: bob.id, expectedVersion: lead.version });
    await h.deliver();
    await aMinuteLater();
    expect(textsSince(ann, annBefore)).toEqual([
      `👤 Lead #${lead.id} was reassigned to Bob Agent by Mia; it is off your list.`]);
    const toBob = textsSince(bob, bobBefore);
    expect(toBob).toHaveLength(1);
    expect(toBob[0]).toContain('Lead reassigned to you');
  });

  it('a change after the notice went out starts a new one, a minute after it', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const before = inbox(ann);
    await h.core.notes.add(mia, { leadId: lead.id, body: 'One' });
    await aMinuteLater();
    await h.core.notes.add(oleh, { leadId: lead.id, body: 'Two' });
    await h.deliver();
    expect(inbox(ann)).toBe(before + 1);
    await aMinuteLater();
    const texts = textsSince(ann, before).map((t) => t.split('\n')[0]);
    expect(texts).toEqual([
      `✏️ <b>Mia</b> changed lead #${lead.id}: 📝 note added`,
      `✏️ <b>Oleh</b> changed lead #${lead.id}: 📝 note added`,
    ]);
  });

  it('tells every admin, in their language, that a form is failing and what to do — agents hear nothing', async () => {
    const { source } = await createFormSource(h.db, { name: 'Landing <Spring>', provider: 'generic' });
    const [adaBefore, olhaBefore, annBefore] = [inbox(ada), inbox(olha), inbox(ann)];
    const body = '{"name":"Nobody","message":"hi"}';
    for (let i = 0; i < 3; i++) {
      await expect(h.core.intake.receive({ source, rawBody: body, contentType: 'application/json', providedSecret: source.secret }))
        .rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    }
    await h.deliver();
    const [toAda] = textsSince(ada, adaBefore);
    const [toOlha] = textsSince(olha, olhaBefore);
    expect(toAda).toBe([
      '⚠️ <b>Form “Landing &lt;Spring&gt;” is failing</b>',
      en.sourceAlerts.problem.unprocessable(3),
      en.sourceAlerts.fix.unprocessable,
      `<i>${en.sourceAlerts.footer}</i>`,
    ].join('\n\n'));
    expect(toAda).toContain('The last 3 submissions in a row could not be used (HTTP 422)');
    expect(toOlha).toContain('⚠️ <b>Збій форми «Landing &lt;Spring&gt;»</b>');
    expect(toOlha).toContain('Поспіль не вдалося використати 3 заявки (HTTP 422)');
    expect(toOlha).toContain('Що зробити:');
    expect(inbox(ann)).toBe(annBefore);

    await expect(h.core.intake.authenticate(source, { providedSecret: 'wrong' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await h.deliver();
    expect(inbox(ada)).toBe(adaBefore + 1);
  });

  it('names the new kinds in /outbox in both languages', () => {
    expect([en.outbox.kinds.lead_changed, uk.outbox.kinds.lead_changed]).toEqual(['Lead changed by others', 'Зміни в ліді від інших']);
    expect([en.outbox.kinds.form_source_failing, uk.outbox.kinds.form_source_failing]).toEqual(['Failing form', 'Збій форми']);
  });
});
