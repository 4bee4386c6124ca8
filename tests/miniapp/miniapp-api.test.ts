import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '../../core/index.js';
import { makeLead, makeUser } from '../support/factories.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { initDataFor, MAX_AGE_S, startMiniApp, type MiniAppHarness } from './miniapp-harness.js';

describe('the Mini App\'s server side (§14, §16)', () => {
  let m: MiniAppHarness;
  let mia: User;
  let ann: User;
  let bob: User;
  let annLead: Lead;
  let bobLead: Lead;
  beforeAll(async () => {
    m = await startMiniApp({ BOARD_WIP_LIMIT: '1' });
    mia = await makeUser(m.handle.db, { role: 'manager', name: 'Mia' });
    ann = await makeUser(m.handle.db, { name: 'Ann' });
    bob = await makeUser(m.handle.db, { name: 'Bob' });
    annLead = await makeLead(m.handle.db, { assigned_to: ann.id, full_name: 'Anna Lead', ai_score: 0.85, quality_tier: 'HOT' });
    bobLead = await makeLead(m.handle.db, { assigned_to: bob.id, full_name: 'Bob Lead', stage: 'QUALIFIED' });
    await makeLead(m.handle.db, { assigned_to: bob.id, stage: 'QUALIFIED' });
  });
  afterAll(() => m.close());

  const get = (path: string, auth?: string) =>
    m.app.request(`/app${path}`, { headers: auth === undefined ? {} : { authorization: auth } });
  const post = (path: string, user: User, body: unknown) => m.app.request(`/app${path}`, {
    method: 'POST', headers: { authorization: `tma ${initDataFor(user)}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  it('refuses missing, forged and expired init data with 401, and people who are not active users with 403', async () => {
    expect((await get('/api/board')).status).toBe(401);
    expect((await get('/api/board', 'Bearer x')).status).toBe(401);
    expect((await get('/api/board', `tma ${initDataFor(ann, { token: '654321:forged-token-abcdefghijklmnopqrstu' })}`)).status).toBe(401);
    const tampered = initDataFor(ann).replace(`%22id%22%3A${ann.telegram_id}`, `%22id%22%3A${mia.telegram_id}`);
    expect((await get('/api/board', `tma ${tampered}`)).status).toBe(401);
    const old = new Date(Date.now() - (MAX_AGE_S + 60) * 1000);
    expect((await get('/api/board', `tma ${initDataFor(ann, { signedAt: old })}`)).status).toBe(401);
    const stranger = { telegram_id: 999_999_001, full_name: 'Nobody' };
    expect((await get('/api/board', `tma ${initDataFor(stranger)}`)).status).toBe(403);
    const gone = await makeUser(m.handle.db, { status: 'inactive' });
    expect((await get('/api/me', `tma ${initDataFor(gone)}`)).status).toBe(403);
    expect(TEST_BOT_TOKEN).toBeTruthy();
  });

  it('shows an agent only their own leads and a manager every lead, with the WIP warning past the limit', async () => {
    const annBoard = await (await get('/api/board', `tma ${initDataFor(ann)}`)).json() as any;
    expect(annBoard.columns.map((c: { stage: string; total: number }) => [c.stage, c.total])).toEqual([['NEW', 1], ['CONTACTED', 0], ['QUALIFIED', 0]]);
    expect(annBoard.columns[0].cards[0]).toMatchObject({ id: annLead.id, name: 'Anna Lead', assigneeName: 'Ann', aiScore: 0.85, qualityTier: 'HOT' });
    expect(annBoard.wipExceeded).toBe(false);
    const miaBoard = await (await get('/api/board', `tma ${initDataFor(mia)}`)).json() as any;
    expect(miaBoard.columns.map((c: { total: number }) => c.total)).toEqual([1, 0, 2]);
    expect(miaBoard).toMatchObject({ wipLimit: 1, wipExceeded: true });
    const hot = await (await get('/api/board?quality_tier=HOT', `tma ${initDataFor(mia)}`)).json() as any;
    expect(hot.columns.map((c: { total: number }) => c.total)).toEqual([1, 0, 0]);
    expect((await get('/api/board?quality_tier=LUKEWARM', `tma ${initDataFor(mia)}`)).status).toBe(422);
    expect((await get(`/api/board?assignee=${bob.id}`, `tma ${initDataFor(ann)}`)).status).toBe(403);
  });

  it('a move is the pipeline\'s own transition: skipping is refused with the expected stage, another\'s lead is forbidden', async () => {
    const skip = await post('/api/move', ann, { leadId: annLead.id, to: 'QUALIFIED', expectedVersion: annLead.version });
    expect(skip.status).toBe(409);
    expect(await skip.json() as any).toMatchObject({ error: 'INVALID_TRANSITION', rule: 'skip', expected_stage: 'CONTACTED' });
    expect((await post('/api/move', ann, { leadId: bobLead.id, to: 'LOST', expectedVersion: bobLead.version, lostReasonCode: 'spam' })).status).toBe(403);
    const ok = await post('/api/move', ann, { leadId: annLead.id, to: 'CONTACTED', expectedVersion: annLead.version });
    expect(await ok.json()).toEqual({ id: annLead.id, stage: 'CONTACTED', version: annLead.version + 1 });
    const stale = await post('/api/move', ann, { leadId: annLead.id, to: 'QUALIFIED', expectedVersion: annLead.version + 5 });
    expect((await stale.json() as any).error).toBe('LEAD_CHANGED');
    // Back a stage is a rollback: managers only, with a reason of 10 characters.
    expect((await post('/api/move', ann, { leadId: annLead.id, to: 'NEW', expectedVersion: annLead.version + 1 })).status).toBe(403);
    expect((await post('/api/move', mia, { leadId: annLead.id, to: 'NEW', expectedVersion: annLead.version + 1, reason: 'short' })).status).toBe(422);
    const back = await post('/api/move', mia, { leadId: annLead.id, to: 'NEW', expectedVersion: annLead.version + 1, reason: 'Wrong number, call again' });
    expect((await back.json() as any).stage).toBe('NEW');
    expect((await post('/api/move', mia, { leadId: 'x', to: 'NEW', expectedVersion: 1 })).status).toBe(422);
    const history = await m.handle.db.selectFrom('lead_history').select(['action', 'to_stage']).where('lead_id', '=', annLead.id).orderBy('id').execute();
    expect(history).toEqual([{ action: 'STAGE_CHANGED', to_stage: 'CONTACTED' }, { action: 'ROLLBACK', to_stage: 'NEW' }]);
  });

  it('serves the page for revalidation and its hashed assets for a year', async () => {
    expect((await get('')).headers.get('location')).toBe('/app/');
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const asset = /\/app\/assets\/(index-[\w-]+\.js)/.exec(html)![1]!;
    const js = await get(`/assets/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await get('/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await get('/assets/index-missing.js')).status).toBe(404);
  });
});
