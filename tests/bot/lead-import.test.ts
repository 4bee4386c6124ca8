import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/index.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';
import { fileUpdate, document } from '../support/telegram-files.js';

// CSV import and export in the bot: a manager sends a file, /export sends the current /leads list.

let h: BotHarness;
let manager: User;
let agent: User;
beforeAll(async () => {
  h = await createBotHarness();
  manager = await makeUser(h.db, { role: 'manager', name: 'Marta' });
  agent = await makeUser(h.db, { role: 'agent', name: 'Oleh', capacity: 1 });
});
afterAll(() => h.close());

const CSV = '\uFEFFПІБ;Телефон;Email;Компанія\r\n'
  + Array.from({ length: 1100 }, (_, i) => `Клієнт ${i};+38063${String(3_000_000 + i)};;Компанія ${i}`).join('\r\n')
  + '\r\nБез контакту;;;\r\n';

async function sendCsv(user: User, fileId: string, name: string, caption?: string): Promise<void> {
  h.fake.addFile(fileId, CSV);
  const doc = document({ file_id: fileId, file_name: name, mime_type: 'text/csv', file_size: Buffer.byteLength(CSV) });
  await h.tg.bot.handleUpdate(fileUpdate(h.tg, h.as(user), { document: doc }, caption));
}

describe('importing a CSV file sent to the bot', () => {
  it('imports it, shows its progress in one message, then the counts and the per-row result file', async () => {
    const started = Date.now();
    await sendCsv(manager, 'BQcsv-1', 'expo-2026.csv', 'PARTNER');
    const seconds = (Date.now() - started) / 1000;
    const chat = h.fake.chat(manager.telegram_id);
    const progress = chat.find((m) => m.text.includes('expo-2026.csv'))!;
    expect(progress.text).toContain('1101 rows — 1100 new leads, 0 duplicates, 1 refused');
    const edits = h.fake.callsTo('editMessageText').filter((p) => p.message_id === progress.messageId);
    // At most one edit a second while it ran, plus the final counts.
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(1 + Math.floor(seconds));
    const [results] = h.fake.callsTo('sendDocument').filter((p) => Number(p.chat_id) === manager.telegram_id);
    expect(results?.caption).toContain('Per-row result');
    const lead = await h.db.selectFrom('leads').selectAll().where('phone', '=', '+380633000007').executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ full_name: 'Клієнт 7', company: 'Компанія 7', source: 'PARTNER', form_reference: 'CSV import: expo-2026.csv' });
  });

  it('the same file again creates nothing new; the agent with room got one notice', async () => {
    await sendCsv(manager, 'BQcsv-2', 'expo-2026.csv');
    expect(h.fake.chat(manager.telegram_id).at(-2)!.text).toContain('0 new leads, 1100 duplicates, 1 refused');
    await h.db.updateTable('notifications').set({ next_attempt_at: new Date() }).where('status', '=', 'pending').execute();
    await h.deliver();
    expect(h.fake.sentTexts(agent.telegram_id)).toEqual(['📥 1 imported lead was assigned to you. /leads']);
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toContain('1099 imported leads are unassigned');
  });

  it('agents cannot import; other documents are left to the other features', async () => {
    await sendCsv(agent, 'BQcsv-3', 'mine.csv');
    expect(h.lastText(agent)).toContain('Only managers and admins import leads');
    const pdf = document({ file_name: 'offer.pdf' });
    await h.tg.bot.handleUpdate(fileUpdate(h.tg, h.as(manager), { document: pdf }));
    // Not a CSV: the bot asks which lead the file belongs to (issue 9).
    expect(h.lastText(manager)).toContain('Which lead is this file for?');
  });
});

describe('/export', () => {
  it('sends the current /leads filter as a CSV document (UTF-8 with BOM, formulas neutralised)', async () => {
    await h.tg.send(h.as(manager), '/leads');
    await h.tg.send(h.as(manager), '/export');
    const sent = h.fake.callsTo('sendDocument').at(-1)!;
    expect(sent.caption).toContain('1100 leads');
    const file = sent.document as { fileData?: unknown; filename?: string };
    expect(file.filename).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = Buffer.from(file.fileData as Uint8Array);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain("'+380633000007");
  });

  it('is for managers and admins', async () => {
    await h.tg.send(h.as(agent), '/export');
    expect(h.lastText(agent)).toContain('not allowed');
  });
});
