import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getUser } from '../../core/users/user.service.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { buttonsOf, labelsOf, type ChatMessage } from '../support/fake-telegram.js';
import { makeLead, makeUser } from '../support/factories.js';

const SETTINGS_EN = ['🌐 Language', '🕒 Time zone', '🌙 Pause new leads', '☀️ Daily digest'];
const SETTINGS_UK = ['🌐 Мова', '🕒 Часовий пояс', '🌙 Не отримувати нові ліди', '☀️ Щоденний підсумок'];

describe('/settings (§1, §4)', () => {
  let h: BotHarness;
  beforeAll(async () => { h = await createBotHarness({ TEAM_TIMEZONE: 'UTC' }); });
  afterAll(() => h.close());

  /** Sends /settings and returns the settings message, which later taps redraw in place. */
  const openSettings = async (user: User): Promise<ChatMessage> => {
    await h.tg.send(h.as(user), '/settings');
    return h.fake.lastMessage(user.telegram_id);
  };
  const press = async (user: User, message: ChatMessage, label: string): Promise<ChatMessage> => {
    await h.tg.press(h.as(user), h.current(message), label);
    return h.current(message);
  };

  it('shows the current language, time zone and availability, and navigates to a submenu and back', async () => {
    const user = await makeUser(h.db, { name: 'Ann' });
    const settings = await openSettings(user);
    expect(settings.text).toMatch(/^⚙️ <b>Settings<\/b>\n\n🌐 Language: 🇬🇧 English\n🕒 Time zone: <b>UTC<\/b>, the team’s — now .+\n🟢 New leads: coming to you\n☀️ Daily digest: at <b>09:00<\/b> on working days$/);
    expect(labelsOf(settings)).toEqual(SETTINGS_EN);
    for (const button of buttonsOf(settings)) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

    const languages = await press(user, settings, 'Language');
    expect(languages.text).toBe('🌐 <b>Language</b>\nNow: 🇬🇧 English. Choose yours:');
    expect(labelsOf(languages)).toEqual(['✅ 🇬🇧 English', '🇺🇦 Українська', '↩️ Back']);
    const zones = await press(user, await press(user, languages, 'Back'), 'Time zone');
    expect(zones.text).toMatch(/^🕒 <b>Time zone<\/b>\nNow: <b>UTC<\/b>, .+\. Choose one, or type any other\.$/);
    expect(labelsOf(zones)).toEqual([
      '✅ 👥 The team’s (UTC)', 'Europe/Kyiv', 'Europe/Warsaw', 'Europe/London', 'Europe/Berlin', 'America/New_York',
      'Asia/Dubai', '✍️ Other zone…', '↩️ Back',
    ]);
    for (const button of buttonsOf(zones)) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    // Each tap is answered (no spinner), without a refusal.
    expect(h.tg.lastAnswer()).toMatchObject({ callback_query_id: expect.any(String) });
    expect(h.tg.lastAnswer()!.text).toBeUndefined();
  });

  it('switches the language and redraws the whole menu in Ukrainian; the command menu follows', async () => {
    const user = await makeUser(h.db, { name: 'Bohdan' });
    const settings = await openSettings(user);
    const after = await press(user, await press(user, settings, 'Language'), 'Українська');

    expect(after.text).toMatch(/^⚙️ <b>Налаштування<\/b>\n\n🌐 Мова: 🇺🇦 Українська\n🕒 Часовий пояс: <b>UTC<\/b>, командний — зараз .+\n🟢 Нові ліди: надходять вам\n☀️ Щоденний підсумок: о <b>09:00<\/b> у робочі дні$/);
    expect(labelsOf(after)).toEqual(SETTINGS_UK);
    expect((await getUser(h.db, user.id)).language).toBe('uk');
    expect(h.fake.commandMenu(user.telegram_id)[0]!.description).toBe('Мої відкриті ліди, з фільтрами');

    const languages = await press(user, after, 'Мова');
    expect(languages.text).toBe('🌐 <b>Мова</b>\nЗараз: 🇺🇦 Українська. Оберіть свою:');
    expect(labelsOf(languages)).toEqual(['🇬🇧 English', '✅ 🇺🇦 Українська', '↩️ Назад']);
    const back = await press(user, languages, 'English');
    expect(labelsOf(back)).toEqual(SETTINGS_EN);
  });

  it('moves the times on lead cards to the zone picked from the list, and back to the team\'s', async () => {
    const user = await makeUser(h.db, { name: 'Cyril' });
    const at = new Date('2025-01-15T10:37:00Z'); // winter: Kyiv is UTC+2
    const lead = await makeLead(h.db, { assigned_to: user.id, last_activity_at: at, created_at: at });
    expect((await h.openCard(user, lead.id)).text).toContain('10:37');

    const settings = await openSettings(user);
    const after = await press(user, await press(user, settings, 'Time zone'), 'Europe/Kyiv');
    expect(after.text).toContain('🕒 Time zone: <b>Europe/Kyiv</b> — now ');
    expect((await getUser(h.db, user.id)).timezone).toBe('Europe/Kyiv');
    const card = (await h.openCard(user, lead.id)).text;
    expect(card).toContain('12:37');
    expect(card).not.toContain('10:37');

    const zones = await press(user, after, 'Time zone');
    expect(labelsOf(zones)).toContain('✅ Europe/Kyiv');
    expect(labelsOf(zones)).toContain('👥 The team’s (UTC)');
    await press(user, zones, 'The team’s');
    expect((await getUser(h.db, user.id)).timezone).toBeNull();
    expect((await h.openCard(user, lead.id)).text).toContain('10:37');
  });

  it('accepts a typed zone in any letter case, and refuses what is not a zone (in Ukrainian)', async () => {
    const user = await makeUser(h.db, { name: 'Daryna', language: 'uk' });
    const settings = await openSettings(user);
    await press(user, await press(user, settings, 'Часовий пояс'), 'Інший пояс');
    expect(h.lastText(user)).toBe('✍️ Надішліть свій часовий пояс у форматі IANA, наприклад <code>Europe/Kyiv</code>, ' +
      '<code>America/Chicago</code> чи <code>UTC</code>, або /cancel.');

    await h.tg.send(h.as(user), 'Mars/<Olympus>');
    expect(h.lastText(user)).toBe('⚠️ «Mars/&lt;Olympus&gt;» — не часовий пояс. Надішліть назву на кшталт <code>Europe/Paris</code> (регіон/місто) або /cancel.');
    await h.tg.send(h.as(user), '+02:00');
    expect(h.lastText(user)).toContain('«+02:00» — не часовий пояс');
    expect((await getUser(h.db, user.id)).timezone).toBeNull();

    await h.tg.send(h.as(user), 'asia/tokyo');
    expect(h.lastText(user)).toMatch(/^✅ Часовий пояс: <b>Asia\/Tokyo<\/b>, зараз .+\.$/);
    expect((await getUser(h.db, user.id)).timezone).toBe('Asia/Tokyo');
    // The settings message the question came from shows the new zone; the zone list offers it too.
    const redrawn = h.current(settings);
    expect(redrawn.text).toContain('🕒 Часовий пояс: <b>Asia/Tokyo</b> — зараз ');
    expect(labelsOf(redrawn)).toEqual(SETTINGS_UK);
    expect(labelsOf(await press(user, redrawn, 'Часовий пояс'))).toContain('✅ Asia/Tokyo');

    // Answered: the next text is no longer taken for a zone.
    await h.tg.send(h.as(user), 'Europe/Paris');
    expect((await getUser(h.db, user.id)).timezone).toBe('Asia/Tokyo');
  });

  it('leaves the zone as it was after /cancel', async () => {
    const user = await makeUser(h.db, { name: 'Emil' });
    const settings = await openSettings(user);
    await press(user, await press(user, settings, 'Time zone'), 'Other zone');
    await h.tg.send(h.as(user), '/cancel');
    expect(h.lastText(user)).toBe('Cancelled.');
    expect((await getUser(h.db, user.id)).timezone).toBeNull();
  });

  it('pauses and resumes new leads like /off and /on', async () => {
    const user = await makeUser(h.db, { name: 'Faina', language: 'uk' });
    const settings = await openSettings(user);
    const paused = await press(user, settings, 'Не отримувати');
    expect(paused.text).toContain('🌙 Нові ліди: призупинено, їх отримують інші');
    expect(labelsOf(paused)).toEqual(['🌐 Мова', '🕒 Часовий пояс', '🟢 Отримувати нові ліди', '☀️ Щоденний підсумок']);
    expect((await getUser(h.db, user.id)).is_available).toBe(false);

    const resumed = await press(user, paused, 'Отримувати');
    expect(resumed.text).toContain('🟢 Нові ліди: надходять вам');
    expect((await getUser(h.db, user.id)).is_available).toBe(true);
  });

  describe('buttons of a menu drawn for other settings', () => {
    it('do nothing but redraw it as it is now, with "outdated button" — availability changed by /off', async () => {
      const user = await makeUser(h.db, { name: 'Gleb' });
      const settings = await openSettings(user);
      await h.tg.send(h.as(user), '/off');
      // The old message still offers "Pause"; pausing again must not be taken for "resume" or anything else.
      await h.tg.press(h.as(user), settings, 'Pause new leads');
      expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This button is outdated.' });
      expect((await getUser(h.db, user.id)).is_available).toBe(false);
      const redrawn = h.current(settings);
      expect(redrawn.text).toContain('🌙 New leads: paused, they go to others');
      expect(labelsOf(redrawn)).toEqual(['🌐 Language', '🕒 Time zone', '🟢 Receive new leads', '☀️ Daily digest']);
    });

    it('answer in the language switched to meanwhile, and redraw in it', async () => {
      const user = await makeUser(h.db, { name: 'Halyna' });
      const older = await openSettings(user);
      const newer = await openSettings(user);
      await press(user, await press(user, newer, 'Language'), 'Українська');

      await h.tg.press(h.as(user), older, 'Time zone');
      expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ Ця кнопка застаріла.' });
      expect(h.current(older).text).toContain('⚙️ <b>Налаштування</b>');
      expect(labelsOf(h.current(older))).toEqual(SETTINGS_UK);
    });

    it('refuse forged positions and unknown menus', async () => {
      const user = await makeUser(h.db, { name: 'Ihor' });
      const settings = await openSettings(user);
      const data = h.tg.dataOf(settings, 'Language');
      await h.tg.tap(h.as(user), settings, data.replace(/^stg1\/0\/0\//, 'stg1/9/9/'));
      expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This button is outdated.' });
      await h.tg.tap(h.as(user), settings, data.replace(/^stg1\//, 'stg9/'));
      expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This button is outdated.', show_alert: true });
      expect(h.updates.every((u) => u.ok)).toBe(true);
    });
  });
});

describe('/settings: the daily digest (issue 11)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(async () => h.close());

  it('moves the digest to another time, and turns it off', async () => {
    const user = await makeUser(h.db, { name: 'Dana' });
    await h.tg.send(h.as(user), '/settings');
    const settings = h.fake.lastMessage(user.telegram_id);
    await h.tg.press(h.as(user), settings, '☀️ Daily digest');
    expect(h.current(settings).text).toContain('Pick a time, or turn it off');
    await h.tg.press(h.as(user), h.current(settings), '08:00');
    expect(h.current(settings).text).toContain('☀️ Daily digest: at <b>08:00</b> on working days');
    await h.tg.press(h.as(user), h.current(settings), '☀️ Daily digest');
    await h.tg.press(h.as(user), h.current(settings), 'Off');
    expect(h.current(settings).text).toContain('☀️ Daily digest: off');
    const stored = await h.db.selectFrom('users').select(['digest_enabled', 'digest_minutes']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ digest_enabled: false, digest_minutes: 480 });
  });
});
