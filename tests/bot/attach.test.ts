import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { listAttachments } from '../../core/leads/lead-attachment.service.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { document, photo, sendFile } from '../support/telegram-files.js';

const ALLOWED = 'image/jpeg, image/png, image/gif, application/pdf, text/plain';

describe('📎 Attach on the lead card (§5, §16)', () => {
  let h: BotHarness;
  let agent: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
  });
  afterAll(() => h.close());

  const filesOf = async (leadId: number) => (await listAttachments(h.db, leadId, { limit: 50, offset: 0 })).items;
  /** Taps 📎 Attach on a fresh card; returns that card (which now shows the question). */
  async function startAttach(user: User, leadId: number) {
    const card = await h.openCard(user, leadId);
    await h.tg.press(h.as(user), card, 'Attach');
    return card;
  }

  it('offers 📎 Attach, 🗒 Notes and ✏️ Edit on the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    expect(buttonsOf(await h.openCard(agent, lead.id)).map((b) => b.text))
      .toEqual(['📞 Contacted', '❌ Lost', '📝 Note', '🗒 Notes', '📎 Attach', '⏰ Remind', '✏️ Edit', '🕘 History', '🤖 Analyze']);
  });

  it('asks for a file naming the limits, attaches the document sent next by its file id, and says so', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await startAttach(agent, lead.id);
    expect(h.current(card).text).toContain(`\n\n📎 Send a document or a photo for lead #${lead.id} (up to 10 MB; ${ALLOWED}), or /cancel.`);
    expect(buttonsOf(h.current(card)).map((b) => b.text)).toEqual(['❌ Cancel']);

    const doc = document({ file_name: 'Offer <v2>.pdf' });
    await sendFile(h.tg, h.as(agent), { document: doc });
    expect(await filesOf(lead.id)).toMatchObject([{
      telegram_file_id: doc.file_id, telegram_file_unique_id: doc.file_unique_id, file_name: 'Offer .pdf',
      mime_type: 'application/pdf', size_bytes: 120_000, kind: 'document', uploaded_by: agent.id,
    }]);
    // The card comes back under the file, with the result on top; the old one is gone.
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
    const reply = h.fake.lastMessage(agent.telegram_id);
    expect(reply.text.startsWith(`📎 Offer .pdf attached to lead #${lead.id}.\n\n<b>Lead #${lead.id}</b>`)).toBe(true);
    expect(buttonsOf(reply).map((b) => b.text)).toContain('📎 Attach');
    expect((await listHistory(h.db, lead.id, { limit: 5, offset: 0 })).items[0]).toMatchObject({ action: 'ATTACHMENT_ADDED' });

    // One file per 📎 Attach: the next one is not taken.
    await sendFile(h.tg, h.as(agent), { document: document() });
    expect(await filesOf(lead.id)).toHaveLength(1);
  });

  it('attaches a photo as its largest size, as image/jpeg', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await startAttach(agent, lead.id);
    const sizes = photo(250_000);
    await sendFile(h.tg, h.as(agent), { photo: sizes });
    expect(await filesOf(lead.id)).toMatchObject([{
      telegram_file_id: sizes[1]!.file_id, kind: 'photo', mime_type: 'image/jpeg', size_bytes: 250_000, file_name: null,
    }]);
    expect(h.lastText(agent)?.startsWith(`📎 photo attached to lead #${lead.id}.`)).toBe(true);
  });

  it('refuses a file over 10 MB, of a type not allowed, or without a type, naming the rule, and waits for another', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await startAttach(agent, lead.id);

    await sendFile(h.tg, h.as(agent), { document: document({ file_size: 10 * 1024 * 1024 + 1 }) });
    expect(h.lastText(agent)).toBe('⚠️ This file is over the 10 MB limit. Send a smaller one, or /cancel.');
    await sendFile(h.tg, h.as(agent), { document: document({ file_name: 'x.zip', mime_type: 'application/zip' }) });
    expect(h.lastText(agent)).toBe(`⚠️ Files of type application/zip are not allowed. Allowed: ${ALLOWED}. Send another file, or /cancel.`);
    await sendFile(h.tg, h.as(agent), { document: document({ mime_type: undefined }) });
    expect(h.lastText(agent)).toBe(`⚠️ This file has no type, so it cannot be accepted. Allowed: ${ALLOWED}. Send another file, or /cancel.`);
    await h.tg.send(h.as(agent), 'here it is');
    expect(h.lastText(agent)).toBe('Please send a document or a photo, or /cancel.');
    expect(await filesOf(lead.id)).toHaveLength(0);

    await sendFile(h.tg, h.as(agent), { document: document({ file_name: 'notes.txt', mime_type: 'text/plain', file_size: 10 * 1024 * 1024 }) });
    expect(await filesOf(lead.id)).toMatchObject([{ file_name: 'notes.txt', mime_type: 'text/plain' }]);
  });

  it('/cancel stops waiting for the file', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await startAttach(agent, lead.id);
    await h.tg.send(h.as(agent), '/cancel');
    expect(h.lastText(agent)).toBe('Cancelled.');
    await sendFile(h.tg, h.as(agent), { document: document() });
    expect(await filesOf(lead.id)).toHaveLength(0);
    // Not waiting any more: a file now is a file sent without 📎, so the bot asks where it belongs.
    expect(h.lastText(agent)).toContain('Which lead is this file for?');
  });

  it('refuses the 6th accepted file in an hour with the time to retry; refused files do not count', async () => {
    const busy = await makeUser(h.db, { name: 'Busy Agent' });
    const lead = await makeLead(h.db, { assigned_to: busy.id });
    await startAttach(busy, lead.id);
    await sendFile(h.tg, h.as(busy), { document: document({ file_size: 11 * 1024 * 1024 }) });
    for (let i = 1; i <= 5; i++) {
      if (i > 1) await startAttach(busy, lead.id);
      await sendFile(h.tg, h.as(busy), { document: document() });
    }
    expect(await filesOf(lead.id)).toHaveLength(5);

    await startAttach(busy, lead.id);
    await sendFile(h.tg, h.as(busy), { document: document() });
    expect(h.lastText(busy)).toBe('⏳ At most 5 files an hour. Try again in 60 minutes.');
    expect(await filesOf(lead.id)).toHaveLength(5);
    // The limit is per user: someone else still uploads.
    const manager = await makeUser(h.db, { role: 'manager' });
    await startAttach(manager, lead.id);
    await sendFile(h.tg, h.as(manager), { photo: photo() });
    expect(await filesOf(lead.id)).toHaveLength(6);
  });

  it("refuses an agent attaching to someone else's lead, also when it is reassigned while the bot waits", async () => {
    const other = await makeUser(h.db, { name: 'Oleg Other' });
    const lead = await makeLead(h.db, { assigned_to: other.id });
    await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' }, `fa1:${lead.id}`);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    await sendFile(h.tg, h.as(agent), { document: document() });
    // No question was opened: the file is offered to the agent's own recent leads, never to this one.
    expect(h.lastText(agent)).toContain('Which lead is this file for?');
    expect(JSON.stringify(h.fake.lastMessage(agent.telegram_id).markup)).not.toContain(`:${lead.id}"`);

    const mine = await makeLead(h.db, { assigned_to: agent.id });
    await startAttach(agent, mine.id);
    await h.db.updateTable('leads').set({ assigned_to: other.id }).where('id', '=', mine.id).execute();
    await sendFile(h.tg, h.as(agent), { document: document() });
    expect(h.lastText(agent)).toBe('⛔ You are not allowed to do this.');
    expect(await filesOf(lead.id)).toHaveLength(0);
    expect(await filesOf(mine.id)).toHaveLength(0);
  });
});
