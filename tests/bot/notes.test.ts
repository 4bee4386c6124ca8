import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { addAttachment } from '../../core/leads/lead-attachment.service.js';
import { failures, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('🗒 Notes and 📎 Files on the lead card (§5)', () => {
  let h: BotHarness;
  let agent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia <Manager>' });
  });
  afterAll(() => h.close());


  /** Notes with one-minute steps, oldest first, so "newest first" is unambiguous. */
  async function addNotes(leadId: number, count: number): Promise<void> {
    for (let i = 1; i <= count; i++) {
      await h.db.insertInto('lead_notes').values({
        lead_id: leadId, author_id: i % 2 ? agent.id : manager.id, body: `note <${i}>`,
        created_at: new Date(Date.UTC(new Date().getUTCFullYear(), 0, 20, 9, i)), // this year: shown without one
      }).execute();
    }
  }
  let fileSeq = 0;
  const attach = (leadId: number, name: string | null, kind: 'document' | 'photo' = 'document') => {
    fileSeq += 1;
    return addAttachment(h.db, {
      leadId, actor: agent,
      file: {
        kind, fileId: `FILE-${fileSeq}`, fileUniqueId: `U-${fileSeq}`, fileName: name,
        mimeType: kind === 'photo' ? 'image/jpeg' : 'application/pdf', sizeBytes: 1536 * fileSeq,
      },
    });
  };

  it('lists notes newest first, five a page, with author and time; ◀ ▶ page through and 📇 returns to the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await addNotes(lead.id, 7);
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Notes');

    const page1 = h.current(card);
    expect(page1.text).toContain(`🗒 <b>Notes on lead #${lead.id}</b> (1/2)`);
    expect(page1.text).toContain('• 1. 20 Jan, 09:07 · <b>Ann Agent</b>\nnote &lt;7&gt;');
    expect(page1.text).toContain('• 2. 20 Jan, 09:06 · <b>Mia &lt;Manager&gt;</b>\nnote &lt;6&gt;');
    const order = [7, 6, 5, 4, 3].map((i) => page1.text.indexOf(`note &lt;${i}&gt;`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page1.text).not.toContain('note &lt;2&gt;');
    expect(labelsOf(page1)).toEqual(['▶', '📎 Files (0)', '📇 Card']);

    await h.tg.press(h.as(agent), page1, '▶');
    const page2 = h.current(card);
    expect(page2.text).toContain('(2/2)');
    expect(page2.text).toContain('note &lt;2&gt;');
    expect(page2.text).toContain('note &lt;1&gt;');
    expect(page2.text).not.toContain('note &lt;3&gt;');
    expect(labelsOf(page2)).toEqual(['◀', '📎 Files (0)', '📇 Card']);

    await h.tg.press(h.as(agent), page2, '◀');
    expect(h.current(card).text).toBe(page1.text);
    await h.tg.press(h.as(agent), h.current(card), 'Card');
    expect(h.current(card).text).toBe(card.text);
  });

  it('says when there are no notes, and shows the first part of a very long note', async () => {
    const empty = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, empty.id);
    await h.tg.press(h.as(agent), card, 'Notes');
    expect(h.current(card).text).toContain('No notes yet. Add one with 📝 Note on the card.');
    expect(labelsOf(h.current(card))).toEqual(['📎 Files (0)', '📇 Card']);

    const long = await makeLead(h.db, { assigned_to: agent.id });
    await h.db.insertInto('lead_notes').values({ lead_id: long.id, author_id: agent.id, body: 'я'.repeat(4096) }).execute();
    const longCard = await h.openCard(agent, long.id);
    await h.tg.press(h.as(agent), longCard, 'Notes');
    const text = h.current(longCard).text;
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain(`${'я'.repeat(599)}…`);
  });

  it('reads a long note in full with 📄, in as many messages as Telegram needs, none over 4096 characters', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const body = `${'<&> '.repeat(900)}\n${'😀 end'.repeat(40)}`;
    await h.db.insertInto('lead_notes').values({ lead_id: lead.id, author_id: agent.id, body: body.slice(0, 4096) }).execute();
    const card = await h.openCard(agent, lead.id);
    // From the card: the last note's start and a button to read it whole.
    expect(card.text).toContain('Last note (Ann Agent, just now): <i>&lt;&amp;&gt;');
    const before = h.fake.sentTexts(agent.telegram_id).length;
    await h.tg.press(h.as(agent), card, 'Last note');
    const parts = h.fake.sentTexts(agent.telegram_id).slice(before);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toMatch(/^🗒 <b>Note on lead #\d+<\/b>/);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(unescape(parts.join('')).replace(/^[^\n]*\n\n/, '')).toBe(body.slice(0, 4096));
  });

  it('reads a long intent in full with 📄 from the card', async () => {
    const intent = `Need a quote for ${'many things, '.repeat(60)}the end.`;
    const lead = await makeLead(h.db, { assigned_to: agent.id, intent });
    const card = await h.openCard(agent, lead.id);
    expect(card.text).not.toContain('the end.');
    await h.tg.press(h.as(agent), card, '📄 Intent');
    expect(h.lastText(agent)).toContain('the end.');
    expect(h.lastText(agent)).toContain(`<b>Lead #${lead.id}</b> · <b>Intent</b>`);
  });

  it('lists files in pages beside the notes, and sends one back by its file id when tapped', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await addNotes(lead.id, 1);
    for (let i = 1; i <= 6; i++) await attach(lead.id, i === 6 ? 'Contract <signed>.pdf' : `file-${i}.pdf`);
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Notes');
    await h.tg.press(h.as(agent), h.current(card), 'Files (6)');

    const files = h.current(card);
    expect(files.text).toContain(`📎 <b>Files of lead #${lead.id}</b> (1/2)`);
    expect(files.text).toMatch(/1\. <b>Contract \.pdf<\/b> · application\/pdf · \d+\.\d KB\n {3}\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d · Ann Agent/);
    expect(files.text).toContain('Tap a file to get it in this chat.');
    expect(labelsOf(files)).toEqual([
      '📄 1. Contract .pdf', '📄 2. file-5.pdf', '📄 3. file-4.pdf', '📄 4. file-3.pdf', '📄 5. file-2.pdf',
      '▶', '🗒 Notes', '📇 Card',
    ]);

    await h.tg.press(h.as(agent), files, '📄 2.');
    expect(h.fake.callsTo('sendDocument').at(-1)).toMatchObject({
      chat_id: agent.telegram_id, document: 'FILE-5', caption: `📎 Lead #${lead.id}: file-5.pdf`, parse_mode: 'HTML',
    });

    await h.tg.press(h.as(agent), files, '▶');
    expect(labelsOf(h.current(card))).toEqual(['📄 6. file-1.pdf', '◀', '🗒 Notes', '📇 Card']);
    await h.tg.press(h.as(agent), h.current(card), '🗒 Notes');
    expect(h.current(card).text).toContain('Notes on lead');
  });

  it('sends a photo back as a photo, and says so when Telegram no longer has a file', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const pic = await attach(lead.id, null, 'photo');
    const doc = await attach(lead.id, 'gone.pdf');
    const card = await h.openCard(agent, lead.id);
    await h.tg.tap(h.as(agent), card, `fp1:${lead.id}:1`);
    expect(labelsOf(h.current(card)).slice(0, 2)).toEqual(['📄 1. gone.pdf', '🖼 2. photo']);

    await h.tg.press(h.as(agent), h.current(card), '🖼 2.');
    expect(h.fake.callsTo('sendPhoto').at(-1)).toMatchObject({ photo: pic.telegram_file_id, caption: `📎 Lead #${lead.id}: photo` });

    h.fake.failNext('sendDocument', failures.badRequest('wrong file identifier/HTTP URL specified'));
    await h.tg.tap(h.as(agent), card, `fs1:${doc.id}`);
    expect(h.lastText(agent)).toBe('⚠️ Telegram no longer has this file, so it cannot be sent.');
  });

  it("shows nothing of someone else's lead: notes, files and file ids are all refused", async () => {
    const other = await makeUser(h.db, { name: 'Oleg Other' });
    const lead = await makeLead(h.db, { assigned_to: other.id });
    await h.db.insertInto('lead_notes').values({ lead_id: lead.id, author_id: other.id, body: 'secret note' }).execute();
    const file = await addAttachment(h.db, {
      leadId: lead.id, actor: other,
      file: { kind: 'document', fileId: 'SECRET-FILE', fileUniqueId: 'S1', fileName: 'secret.pdf', mimeType: 'application/pdf', sizeBytes: 10 },
    });
    const someMessage = { chatId: agent.telegram_id, messageId: 1, text: 'x' };
    const before = h.fake.calls.length;
    await h.tg.tap(h.as(agent), someMessage, `np1:${lead.id}:1`);
    await h.tg.tap(h.as(agent), someMessage, `fp1:${lead.id}:1`);
    await h.tg.tap(h.as(agent), someMessage, `fs1:${file.id}`);
    const calls = h.fake.calls.slice(before);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toMatch(/secret|SECRET/);
    expect(calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload?.text))
      .toEqual(Array(3).fill('⛔ You are not allowed to do this.'));
    expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });
});
