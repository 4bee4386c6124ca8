import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealStage, User } from '../../core/index.js';
import { makeLead, makeUser } from '../support/factories.js';
import { initDataFor, startMiniApp, type MiniAppHarness } from './miniapp-harness.js';

/** Screenshots for CI's artifacts (tests/artifacts is not committed), beside the leads board's. */
const ARTIFACTS = 'tests/artifacts/miniapp';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const PHONE = { width: 390, height: 844 };

describe('the deals board in a real browser (§9, §14)', () => {
  let m: MiniAppHarness;
  let browser: Browser;
  let mia: User;
  let olena: User;
  const deals: Record<string, number> = {};

  /** A deal put straight in `stage` (transfers are tested elsewhere): its lead is TRANSFERRED. */
  async function seedDeal(owner: User, name: string, stage: DealStage, amountMinor: number | null = null): Promise<number> {
    const lead = await makeLead(m.handle.db, { assigned_to: owner.id, full_name: name, stage: 'TRANSFERRED' });
    const row = await m.handle.db.insertInto('deals').values({
      lead_id: lead.id, owner_id: owner.id, stage, amount_minor: amountMinor, currency: 'UAH', created_by: owner.id,
      ...(stage === 'PAID' ? { closed_at: new Date(), duration_days: 1 } : {}),
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    m = await startMiniApp();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    mia = await makeUser(m.handle.db, { role: 'manager', name: 'Mia' });
    olena = await makeUser(m.handle.db, { name: 'Олена', language: 'uk' });
    deals.fresh = await seedDeal(olena, 'Fresh Deal', 'NEW');
    deals.skip = await seedDeal(olena, 'Skip Deal', 'NEW');
    deals.kyc = await seedDeal(olena, 'Checking', 'KYC');
    deals.paid = await seedDeal(mia, 'Done Deal', 'PAID', 1_250_000);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await m?.close();
  });

  async function openDeals(user: User): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE });
    const hash = new URLSearchParams({
      tgWebAppData: initDataFor(user), tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop',
      tgWebAppThemeParams: JSON.stringify({ bg_color: '#ffffff', text_color: '#000000' }),
    });
    await page.goto(`${m.url}/app/#${hash}`);
    await page.locator('[data-board="deals"]').click();
    await page.locator('[data-column="KYC"]').waitFor();
    return page;
  }

  const card = (page: Page, id: number) => page.locator(`[data-card="${id}"]`);
  const columnOf = (page: Page, id: number) => card(page, id).evaluate((el: any) => el.closest('[data-column]')?.dataset.column as string | undefined);
  const inDb = (id: number) => m.handle.db.selectFrom('deals').select(['stage', 'amount_minor', 'currency']).where('id', '=', id).executeTakeFirstOrThrow();

  /** A pointer drag as a finger or mouse does it: press, move in steps, release over the target. */
  async function drag(page: Page, id: number, target: string): Promise<void> {
    const from = (await card(page, id).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 3 });
    const to = (await page.locator(`[data-drop="${target}"]`).boundingBox())!;
    await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 60), { steps: 8 });
    await page.mouse.up();
  }

  it('renders NEW / KYC / AGREEMENT / PAID with name, amount, owner and age', async () => {
    const page = await openDeals(mia);
    await card(page, deals.paid!).waitFor();
    expect(await page.locator('.column-title').allTextContents()).toEqual(['New · 2', 'KYC · 1', 'Agreement · 0', 'Paid · 1']);
    expect(await card(page, deals.paid!).locator('.card-name').textContent()).toBe(`#${deals.paid} Done Deal`);
    expect(await card(page, deals.paid!).locator('.card-amount').textContent()).toBe('12 500.00 UAH');
    expect(await card(page, deals.fresh!).locator('.card-meta').textContent()).toBe('now · 👤 Олена');
    expect(await card(page, deals.fresh!).locator('.badge').count()).toBe(0);
    expect(await page.locator('.filters-root').isVisible()).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/deals-board-light-en.png`, fullPage: true });
    await page.close();
  });

  it('an agent sees only their own deals', async () => {
    const page = await openDeals(olena);
    await card(page, deals.fresh!).waitFor();
    expect(await card(page, deals.paid!).count()).toBe(0);
    expect(await page.locator('.column-title').allTextContents()).toEqual(['Нові · 2', 'KYC · 1', 'Угода · 0', 'Оплачено · 0']);
    await page.close();
  });

  it('a drag NEW → KYC moves the deal and the database agrees', async () => {
    const page = await openDeals(olena);
    await card(page, deals.fresh!).waitFor();
    await drag(page, deals.fresh!, 'KYC');
    await page.locator('.toast.ok').waitFor();
    expect(await page.locator('.toast').textContent()).toBe(`Угода #${deals.fresh} → KYC`);
    expect((await inDb(deals.fresh!)).stage).toBe('KYC');
    await expect.poll(() => columnOf(page, deals.fresh!)).toBe('KYC');
    await page.close();
  });

  it('a drag to AGREEMENT asks the amount and stores it exactly', async () => {
    const page = await openDeals(mia);
    await card(page, deals.kyc!).waitFor();
    await drag(page, deals.kyc!, 'AGREEMENT');
    await page.locator('.dialog').waitFor();
    expect(await page.locator('.dialog-title').textContent()).toContain(`Deal #${deals.kyc} goes to Agreement: what is the amount?`);
    await page.locator('.dialog textarea').fill('12 345.67 UAH');
    await page.locator('.dialog .ok').click();
    await page.locator('.toast.ok').waitFor();
    expect(await inDb(deals.kyc!)).toEqual({ stage: 'AGREEMENT', amount_minor: 1_234_567, currency: 'UAH' });
    await expect.poll(() => card(page, deals.kyc!).locator('.card-amount').textContent()).toBe('12 345.67 UAH');
    expect(await columnOf(page, deals.kyc!)).toBe('AGREEMENT');
    await page.close();
  });

  it('a refused move snaps back with the reason in the user\'s language; nothing changes', async () => {
    const page = await openDeals(olena);
    await card(page, deals.skip!).waitFor();
    await drag(page, deals.skip!, 'PAID');
    await page.locator('.toast.error').waitFor();
    expect(await page.locator('.toast').textContent()).toBe('Не можна: лише на один етап. Очікується KYC.');
    await expect.poll(() => columnOf(page, deals.skip!)).toBe('NEW');
    expect(await inDb(deals.skip!)).toEqual({ stage: 'NEW', amount_minor: null, currency: 'UAH' });

    await drag(page, deals.skip!, 'AGREEMENT');
    await page.locator('.dialog textarea').fill('lots');
    await page.locator('.dialog .ok').click();
    await expect.poll(() => page.locator('.toast.error').textContent()).toBe('Не вдалося прочитати суму: число, можна з валютою.');
    await expect.poll(() => columnOf(page, deals.skip!)).toBe('NEW');
    expect((await inDb(deals.skip!)).stage).toBe('NEW');
    await page.screenshot({ path: `${ARTIFACTS}/deals-board-refused-uk.png`, fullPage: true });
    await page.close();
  });
});
