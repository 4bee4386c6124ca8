import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';
import { NOW, ZONE, seedReports, type Seeded } from '../core/reports/report-seed.js';
import { labelsOf } from '../support/fake-telegram.js';

describe('/report and /mystats in the chat (§14)', () => {
  let h: BotHarness;
  let s: Seeded;
  beforeAll(async () => {
    h = await createBotHarness({ TEAM_TIMEZONE: ZONE }, { now: () => NOW });
    s = await seedReports(h.db);
  });
  afterAll(() => h.close());

  const photos = (chatId: number) => h.fake.callsTo('sendPhoto').filter((p) => Number(p.chat_id) === chatId);

  it('a manager picks a report: a chart photo with a short summary, period buttons and 📄 CSV', async () => {
    await h.tg.send(h.as(s.mia), '/report');
    const menu = h.fake.lastMessage(s.mia.telegram_id);
    expect(labelsOf(menu)).toEqual(['🔻 Funnel', '🌐 Sources & campaigns', '🔥 Quality tiers', '👥 Managers']);

    await h.tg.press(h.as(s.mia), menu, 'Funnel');
    await h.charts.idle();
    const photo = h.fake.lastMessage(s.mia.telegram_id);
    expect(photo.media?.method).toBe('sendPhoto');
    expect(photo.media?.fileId).toMatch(/^uploaded-/);
    expect(photo.text).toContain('Funnel');
    expect(photo.text).toContain('3 Nov 2026 – 2 Dec 2026');
    expect(photo.text).toContain('9 leads');
    expect(labelsOf(photo)).toEqual([
      '7 days', '✓ 30 days', '90 days', 'This month', 'Last month', '📄 CSV',
      '🌐 Sources & campaigns', '🔥 Quality tiers', '👥 Managers',
    ]);
    const upload = h.fake.uploads.get(photo.media!.fileId)!.data as Uint8Array;
    expect(Buffer.from(upload).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a period tapped on the photo redraws it in place; the same chart again is resent from cache, not drawn', async () => {
    const photo = h.fake.lastMessage(s.mia.telegram_id);
    const firstFileId = photo.media!.fileId;
    await h.tg.press(h.as(s.mia), photo, '7 days');
    await h.charts.idle();
    const week = h.current(photo);
    expect(week.text).toContain('7 leads\n→ CONTACTED 57.1% of the stage before\n→ QUALIFIED 75% of the stage before\n→ TRANSFERRED 33.3% of the stage before\nlost 2');
    expect(week.media?.fileId).not.toBe(firstFileId);

    const uploads = h.fake.uploads.size;
    await h.tg.press(h.as(s.mia), week, '30 days');
    await h.charts.idle();
    expect(h.current(photo).media?.fileId).toBe(firstFileId);
    expect(h.fake.uploads.size).toBe(uploads);
    expect(photos(s.mia.telegram_id)).toHaveLength(1);
    expect(h.fake.refusals).toEqual([]);
  });

  it('after a change to the leads the chart is drawn again', async () => {
    const photo = h.fake.lastMessage(s.mia.telegram_id);
    await h.db.updateTable('leads').set({ stage: 'CONTACTED', updated_at: new Date() }).where('id', '=', s.leadIds[0]!).execute();
    const uploads = h.fake.uploads.size;
    await h.tg.press(h.as(s.mia), photo, '7 days');
    await h.charts.idle();
    expect(h.fake.uploads.size).toBe(uploads + 1);
    expect(h.current(photo).text).toContain('7 leads\n→ CONTACTED 71.4%');
    await h.db.updateTable('leads').set({ stage: 'NEW', updated_at: new Date() }).where('id', '=', s.leadIds[0]!).execute();
  });

  it('📄 CSV sends the report as a file with every number', async () => {
    const photo = h.fake.lastMessage(s.mia.telegram_id);
    await h.tg.press(h.as(s.mia), photo, 'Managers');
    await h.charts.idle();
    const managers = h.current(photo);
    expect(managers.text).toContain('Manager performance');
    await h.tg.press(h.as(s.mia), managers, '📄 CSV');
    const doc = h.fake.callsTo('sendDocument').at(-1)!;
    const csv = Buffer.from((doc.document as { fileData: Uint8Array }).fileData).toString('utf8');
    expect(csv.replace('\uFEFF', '').split('\r\n')).toEqual([
      'user_id,name,assigned,transferred,lost,conversion_pct,avg_ai_score,avg_days_to_paid',
      `${s.ann.id},Ann,4,1,0,25,0.85,`,
      `${s.bob.id},Bob,2,0,2,0,0.4,`,
      `${s.dan.id},Dan,0,0,0,,,`,
      `${s.mia.id},Mia,0,0,0,,,`,
      '',
    ]);
  });

  it('agents get no team report, but their own /mystats against the team median', async () => {
    await h.tg.send(h.as(s.ann), '/report');
    expect(h.lastText(s.ann)).toContain('not allowed');
    await h.tg.send(h.as(s.ann), '/mystats');
    await h.charts.idle();
    const month = h.fake.lastMessage(s.ann.telegram_id);
    expect(month.media?.method).toBe('sendPhoto');
    // 30 days take in her older lead too (contacted within the hour): (2 + 4 + 6 + 1) / 4 hours.
    expect(month.text).toContain('First contact: 3.3 h');
    await h.tg.press(h.as(s.ann), month, '7 days');
    await h.charts.idle();
    const mine = h.current(month);
    expect(mine.text).toContain('First contact: 4 h (team 7 h)');
    expect(mine.text).toContain('Stale now: 1 (team 0)');
  });

  it('a Ukrainian manager reads the report in Ukrainian', async () => {
    const olena = await makeUser(h.db, { role: 'manager', name: 'Олена', language: 'uk' });
    await h.tg.send(h.as(olena), '/report');
    await h.tg.press(h.as(olena), h.fake.lastMessage(olena.telegram_id), 'Воронка');
    await h.charts.idle();
    const photo = h.fake.lastMessage(olena.telegram_id);
    expect(photo.text).toContain('Воронка');
    expect(photo.text).toContain('9 лідів');
    expect(labelsOf(photo)).toContain('✓ 30 днів');
  });
});
