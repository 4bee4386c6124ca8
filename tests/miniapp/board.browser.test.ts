import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '../../core/index.js';
import { makeLead, makeUser } from '../support/factories.js';
import { initDataFor, startMiniApp, type MiniAppHarness } from './miniapp-harness.js';

/** Screenshots for CI's artifacts (tests/artifacts is not committed). */
const ARTIFACTS = 'tests/artifacts/miniapp';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const PHONE = { width: 390, height: 844 };
const DARK = { bg_color: '#17212b', text_color: '#f5f5f5', hint_color: '#708499', button_color: '#5288c1', secondary_bg_color: '#232e3c' };

describe('the board in a real browser (§14)', () => {
  let m: MiniAppHarness;
  let browser: Browser;
  let mia: User;
  let olena: User;
  const leads: Record<string, Lead> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    m = await startMiniApp({ BOARD_WIP_LIMIT: '2' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    mia = await makeUser(m.handle.db, { role: 'manager', name: 'Mia' });
    olena = await makeUser(m.handle.db, { name: 'Олена', language: 'uk' });
    const db = m.handle.db;
    leads.fresh = await makeLead(db, { assigned_to: olena.id, full_name: 'Fresh Lead', ai_score: 0.82, quality_tier: 'HOT' });
    leads.skip = await makeLead(db, { assigned_to: olena.id, full_name: 'Skip Me', ai_score: 0.4, quality_tier: 'COLD' });
    leads.talk = await makeLead(db, { assigned_to: olena.id, full_name: 'Talking', stage: 'CONTACTED' });
    leads.q1 = await makeLead(db, { assigned_to: olena.id, full_name: 'Ready One', stage: 'QUALIFIED', ai_score: 0.7, quality_tier: 'WARM' });
    leads.q2 = await makeLead(db, { full_name: 'Ready Two', stage: 'QUALIFIED' });
    leads.q3 = await makeLead(db, { full_name: 'Ready Three', stage: 'QUALIFIED' });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await m?.close();
  });

  async function open(user: User, opts: { theme?: Record<string, string>; initData?: string } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE });
    const hash = new URLSearchParams({
      tgWebAppData: opts.initData ?? initDataFor(user), tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop',
      tgWebAppThemeParams: JSON.stringify(opts.theme ?? { bg_color: '#ffffff', text_color: '#000000' }),
    });
    await page.goto(`${m.url}/app/#${hash}`);
    return page;
  }

  const card = (page: Page, lead: Lead) => page.locator(`[data-card="${lead.id}"]`);
  const columnOf = (page: Page, lead: Lead) => card(page, lead).evaluate((el: any) => el.closest('[data-column]')?.dataset.column as string | undefined);
  const stageInDb = async (lead: Lead) =>
    (await m.handle.db.selectFrom('leads').select(['stage', 'lost_reason_code']).where('id', '=', lead.id).executeTakeFirstOrThrow());

  /** A pointer drag as a finger or mouse does it: press, move in steps, release over the target. */
  async function drag(page: Page, lead: Lead, target: string): Promise<void> {
    const from = (await card(page, lead).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 3 });
    const to = (await page.locator(`[data-drop="${target}"]`).boundingBox())!;
    await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 60), { steps: 8 });
    await page.mouse.up();
  }

  it('renders the columns with name, age, assignee and score badge, in the user\'s language, with the WIP warning', async () => {
    const page = await open(mia);
    await card(page, leads.fresh!).waitFor();
    expect(await page.locator('.column-title').allTextContents()).toEqual(['New · 2', 'Contacted · 1', 'Qualified · 3']);
    expect(await card(page, leads.fresh!).textContent()).toContain(`#${leads.fresh!.id} Fresh Lead`);
    expect(await card(page, leads.fresh!).locator('.badge').textContent()).toBe('0.82');
    expect(await card(page, leads.fresh!).locator('.card-meta').textContent()).toBe('now · 👤 Олена');
    expect(await page.locator('.wip').textContent()).toContain('3 leads in Qualified — over the limit of 2');
    await page.screenshot({ path: `${ARTIFACTS}/leads-board-light-en.png`, fullPage: true });
    await page.close();
  });

  it('a drag moves the card and the database agrees; a refused move goes back with the reason', async () => {
    const page = await open(olena, { theme: DARK });
    await card(page, leads.fresh!).waitFor();
    expect(await page.locator('.column-title').first().textContent()).toBe('Нові · 2');
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.scheme)).toBe('dark');

    await drag(page, leads.fresh!, 'CONTACTED');
    await page.locator('.toast.ok').waitFor();
    expect(await page.locator('.toast').textContent()).toBe(`Лід #${leads.fresh!.id} → Контакт`);
    expect((await stageInDb(leads.fresh!)).stage).toBe('CONTACTED');
    await expect.poll(() => columnOf(page, leads.fresh!)).toBe('CONTACTED');

    await drag(page, leads.skip!, 'QUALIFIED');
    await page.locator('.toast.error').waitFor();
    expect(await page.locator('.toast').textContent()).toBe('Не можна: лише на один етап. Очікується Контакт.');
    await expect.poll(() => columnOf(page, leads.skip!)).toBe('NEW');
    expect((await stageInDb(leads.skip!)).stage).toBe('NEW');
    await page.screenshot({ path: `${ARTIFACTS}/leads-board-dark-uk.png`, fullPage: true });
    await page.close();
  });

  it('Lost asks for the reason; going back a stage asks the manager why', async () => {
    const page = await open(mia);
    await card(page, leads.talk!).waitFor();
    await drag(page, leads.talk!, 'LOST');
    await page.locator('.dialog').waitFor();
    expect(await page.locator('.dialog-title').textContent()).toBe(`Why is lead #${leads.talk!.id} lost?`);
    await page.locator('[data-reason="no_budget"]').click();
    await page.locator('.toast.ok').waitFor();
    expect(await stageInDb(leads.talk!)).toEqual({ stage: 'LOST', lost_reason_code: 'no_budget' });
    await expect.poll(() => card(page, leads.talk!).count()).toBe(0);

    await drag(page, leads.q1!, 'CONTACTED');
    await page.locator('.dialog textarea').fill('Budget not confirmed yet');
    await page.locator('.dialog .ok').click();
    await expect.poll(async () => (await stageInDb(leads.q1!)).stage).toBe('CONTACTED');
    await page.close();
  });

  it('a change made elsewhere appears without a reload', async () => {
    const page = await open(mia);
    await card(page, leads.q2!).waitFor();
    const q2 = await m.handle.db.selectFrom('leads').selectAll().where('id', '=', leads.q2!.id).executeTakeFirstOrThrow();
    await m.core.leads.markLost(mia, { leadId: q2.id, reason: { code: 'spam' }, expectedVersion: q2.version });
    await expect.poll(() => card(page, leads.q2!).count(), { timeout: 10_000 }).toBe(0);
    await page.close();
  });

  it('forged or expired init data gets 401 and the page says to open it from the bot', async () => {
    const forged = initDataFor(mia, { token: '654321:forged-token-abcdefghijklmnopqrstu' });
    const page = await open(mia, { initData: forged });
    await page.locator('.message').waitFor();
    expect(await page.locator('.message').textContent()).toContain('Open the board from the bot');
    const status = await page.evaluate(async (data) =>
      (await fetch('/app/api/board', { headers: { authorization: `tma ${data}` } })).status, forged);
    expect(status).toBe(401);
    const expired = initDataFor(mia, { signedAt: new Date(Date.now() - 2 * 86_400_000) });
    expect(await page.evaluate(async (data) =>
      (await fetch('/app/api/board', { headers: { authorization: `tma ${data}` } })).status, expired)).toBe(401);
    await page.close();
  });
});
