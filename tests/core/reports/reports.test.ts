import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core, DbHandle } from '../../../core/index.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { NOW, ZONE, seedReports, type Seeded } from './report-seed.js';

let h: DbHandle;
let core: Core;
let s: Seeded;
beforeAll(async () => {
  h = await createTestDb();
  core = createTestCore(h, createTestStore(), { TEAM_TIMEZONE: ZONE, STALE_AFTER_DAYS: '7' }, undefined, () => NOW);
  s = await seedReports(h.db);
});
afterAll(async () => { await h.close(); });

describe('/report on a seeded team (§14): every number', () => {
  it('funnel: leads now in each stage, how many got that far, and the conversion between steps', async () => {
    const r = await core.reports.report(s.mia, { kind: 'funnel', period: 'd7' });
    expect(r.bounds).toEqual({ from: new Date('2026-11-25T22:00:00Z'), to: NOW });
    expect(r.kind === 'funnel' && r.funnel).toEqual({
      total: 7,
      stages: [
        { stage: 'NEW', now: 2, reached: 7 },
        { stage: 'CONTACTED', now: 1, reached: 4 },
        { stage: 'QUALIFIED', now: 1, reached: 3 },
        { stage: 'TRANSFERRED', now: 1, reached: 1 },
      ],
      lost: 2,
      conversions: [
        { from: 'NEW', to: 'CONTACTED', pct: 57.1 },
        { from: 'CONTACTED', to: 'QUALIFIED', pct: 75 },
        { from: 'QUALIFIED', to: 'TRANSFERRED', pct: 33.3 },
      ],
    });
  });

  it('the 30 days take the older leads in, the deleted one never', async () => {
    const r = await core.reports.report(s.mia, { kind: 'funnel', period: 'd30' });
    expect(r.kind === 'funnel' && [r.funnel.total, r.funnel.stages[0]!.now, r.funnel.stages[1]!.now]).toEqual([9, 3, 2]);
  });

  it('sources and campaigns (UTM) in one report, most leads first', async () => {
    const r = await core.reports.report(s.admin, { kind: 'sources', period: 'd7' });
    if (r.kind !== 'sources') throw new Error('kind');
    const strip = ({ kind: _k, ...rest }: { kind: string }) => rest;
    expect(r.sources.map(strip)).toEqual([
      { source: 'WEB', utm_source: null, utm_campaign: null, leads: 3, converted: 0, lost: 1 },
      { source: 'REFERRAL', utm_source: null, utm_campaign: null, leads: 2, converted: 1, lost: 0 },
      { source: 'MESSAGE', utm_source: null, utm_campaign: null, leads: 1, converted: 0, lost: 0 },
      { source: 'SOCIAL', utm_source: null, utm_campaign: null, leads: 1, converted: 0, lost: 1 },
    ]);
    expect(r.campaigns.map(strip)).toEqual([
      { source: null, utm_source: 'google', utm_campaign: 'winter', leads: 3, converted: 0, lost: 1 },
      { source: null, utm_source: null, utm_campaign: null, leads: 3, converted: 1, lost: 0 },
      { source: null, utm_source: 'fb', utm_campaign: 'spring', leads: 1, converted: 0, lost: 1 },
    ]);
  });

  it('quality tiers, HOT first and the unscored last, with average scores', async () => {
    const r = await core.reports.report(s.mia, { kind: 'tiers', period: 'd7' });
    if (r.kind !== 'tiers') throw new Error('kind');
    expect(r.tiers.map((t) => ({ ...t, avg_score: t.avg_score === null ? null : Number(t.avg_score.toFixed(4)) }))).toEqual([
      { tier: 'HOT', leads: 3, converted: 1, lost: 0, avg_score: 0.9 },
      { tier: 'WARM', leads: 1, converted: 0, lost: 0, avg_score: 0.7 },
      { tier: 'COLD', leads: 1, converted: 0, lost: 1, avg_score: 0.4 },
      { tier: 'DEAD', leads: 1, converted: 0, lost: 0, avg_score: 0.1 },
      { tier: null, leads: 1, converted: 0, lost: 1, avg_score: null },
    ]);
  });

  it('manager performance: per person, active or holding leads of the period; admins and idle inactive users left out', async () => {
    const r = await core.reports.report(s.mia, { kind: 'managers', period: 'd7' });
    if (r.kind !== 'managers') throw new Error('kind');
    expect(r.managers.map((m) => ({ ...m, avg_score: m.avg_score === null ? null : Number(m.avg_score.toFixed(4)) }))).toEqual([
      { user_id: s.ann.id, full_name: 'Ann', assigned: 4, converted: 1, lost: 0, conversion_pct: 25, avg_score: 0.85, avg_days_to_paid: null },
      { user_id: s.bob.id, full_name: 'Bob', assigned: 2, converted: 0, lost: 2, conversion_pct: 0, avg_score: 0.4, avg_days_to_paid: null },
      { user_id: s.dan.id, full_name: 'Dan', assigned: 0, converted: 0, lost: 0, conversion_pct: null, avg_score: null, avg_days_to_paid: null },
      { user_id: s.mia.id, full_name: 'Mia', assigned: 0, converted: 0, lost: 0, conversion_pct: null, avg_score: null, avg_days_to_paid: null },
    ]);
  });

  it('agents are refused the team reports; an unknown period is refused', async () => {
    await expect(core.reports.report(s.ann, { kind: 'funnel', period: 'd7' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(core.reports.report(s.mia, { kind: 'funnel', period: 'd365' as 'd7' })).rejects.toBeInstanceOf(ValidationError);
    await expect(core.reports.report(s.mia, { kind: 'pie' as 'funnel', period: 'd7' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('the data version changes when a lead changes, and only then', async () => {
    const before = await core.reports.dataVersion(s.mia);
    expect(await core.reports.dataVersion(s.mia)).toBe(before);
    await h.db.updateTable('leads').set({ ai_score: 0.5, updated_at: new Date() }).where('id', '=', s.leadIds[0]!).execute();
    expect(await core.reports.dataVersion(s.mia)).not.toBe(before);
    await h.db.updateTable('leads').set({ ai_score: 0.9 }).where('id', '=', s.leadIds[0]!).execute();
  });
});

describe('/mystats (§14): mine against the team median', () => {
  it('Ann: 4 h to first contact, 25 % conversion, 1 stale lead; team medians 7 h, 12.5 %, 0 stale', async () => {
    const m = await core.reports.myStats(s.ann, 'd7');
    expect({ ...m, first_contact_hours: Number(m.first_contact_hours!.toFixed(6)) }).toMatchObject({
      first_contact_hours: 4, assigned: 4, converted: 1, conversion_pct: 25, stale: 1, won: 0,
      team_first_contact_hours: 7, team_conversion_pct: 12.5, team_stale: 0, team_won: 0,
    });
  });

  it('an admin with no leads sees empty numbers of their own beside the team', async () => {
    const m = await core.reports.myStats(s.admin, 'd7');
    expect(m).toMatchObject({
      first_contact_hours: null, assigned: 0, conversion_pct: null, stale: 0, won: 0,
      team_first_contact_hours: 7, team_conversion_pct: 12.5,
    });
  });
});
