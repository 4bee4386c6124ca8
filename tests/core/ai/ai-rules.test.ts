import { describe, expect, it } from 'vitest';
import { LEAD_SOURCES } from '../../../core/index.js';
import { leadFeatures, inputSha256 } from '../../../core/ai/ai-features.rules.js';
import { ruleBasedAnalysis, SOURCE_WEIGHTS } from '../../../core/ai/ai-fallback.rules.js';
import { qualityTierOf, recommendationFor, trendOf } from '../../../core/ai/ai.rules.js';
import type { LeadFeatures } from '../../../core/ai/ai-features.rules.js';

const base: LeadFeatures = {
  source: 'MANUAL', stage: 'NEW', message_count: 0, business_domain: null, days_since_created: 0,
  message_velocity: 0, contact_completeness: false, b2b_qualification: false, days_since_last_activity: 0,
};

describe('quality tier (§2)', () => {
  it.each([
    [0.8, 'HOT'], [1, 'HOT'], [0.7999, 'WARM'], [0.6, 'WARM'], [0.5999, 'COLD'], [0.3, 'COLD'], [0.2999, 'DEAD'], [0, 'DEAD'],
  ] as const)('a score of %s is %s', (score, tier) => {
    expect(qualityTierOf(score)).toBe(tier);
  });
  it('there is no tier without a score', () => expect(qualityTierOf(null)).toBeNull());
});

describe('score trend from the last two scores (§7)', () => {
  it('is none with fewer than two scores', () => {
    expect(trendOf([])).toBe('none');
    expect(trendOf([0.7])).toBe('none');
  });
  it('is rising or falling beyond ±0.05, stable within it (bounds included)', () => {
    expect(trendOf([0.71, 0.65])).toBe('rising');
    expect(trendOf([0.59, 0.65])).toBe('falling');
    expect(trendOf([0.70, 0.65])).toBe('stable');
    expect(trendOf([0.60, 0.65])).toBe('stable');
    expect(trendOf([0.65, 0.65])).toBe('stable');
  });
  it('looks only at the newest two', () => expect(trendOf([0.9, 0.4, 0.1])).toBe('rising'));
});

describe('the rule-based fallback (§7)', () => {
  it('weighs the sources as §7 says, and the four it leaves open as documented', () => {
    expect(SOURCE_WEIGHTS).toMatchObject({ REFERRAL: 0.35, PARTNER: 0.30, WEB: 0.25, SCANNER: 0.20, SOCIAL: 0.15, MANUAL: 0.10 });
    expect(SOURCE_WEIGHTS).toMatchObject({ CALLBACK: 0.30, MESSAGE: 0.25, REGISTRATION: 0.20, LEAD_MAGNET: 0.15 });
    expect(Object.keys(SOURCE_WEIGHTS).sort()).toEqual([...LEAD_SOURCES].sort());
    for (const source of LEAD_SOURCES) expect(ruleBasedAnalysis({ ...base, source }).score).toBe(SOURCE_WEIGHTS[source]);
  });

  it.each([[1, 0], [2, 0.08], [4, 0.08], [5, 0.15], [9, 0.15], [10, 0.25], [99, 0.25]])(
    '%s messages add %s', (messages, bonus) => {
      const score = ruleBasedAnalysis({ ...base, message_count: messages }).score;
      expect(score).toBeCloseTo(0.10 + bonus, 10);
    });

  it('adds 0.25 for a business domain, 0.20 for QUALIFIED, 0.10 for CONTACTED, and caps at 1.0', () => {
    expect(ruleBasedAnalysis({ ...base, business_domain: 'Logistics' }).score).toBe(0.35);
    expect(ruleBasedAnalysis({ ...base, stage: 'QUALIFIED' }).score).toBe(0.30);
    expect(ruleBasedAnalysis({ ...base, stage: 'CONTACTED' }).score).toBe(0.20);
    const max = ruleBasedAnalysis({ ...base, source: 'REFERRAL', message_count: 12, business_domain: 'Fintech', stage: 'QUALIFIED' });
    expect(max.score).toBe(1);
    expect(max.reason).toContain('(capped)');
  });

  it('recommends transfer_to_sales from 0.6, continue_nurturing from 0.3, else lost — exactly at the bounds', () => {
    // REFERRAL 0.35 + domain 0.25 = 0.60 exactly (no float drift).
    expect(ruleBasedAnalysis({ ...base, source: 'REFERRAL', business_domain: 'Retail' })).toMatchObject({ score: 0.6, recommendation: 'transfer_to_sales' });
    expect(ruleBasedAnalysis({ ...base, source: 'WEB', message_count: 5 })).toMatchObject({ score: 0.4, recommendation: 'continue_nurturing' });
    expect(ruleBasedAnalysis({ ...base, source: 'SOCIAL', stage: 'CONTACTED', message_count: 0 })).toMatchObject({ recommendation: 'lost' });
    expect(recommendationFor(0.3)).toBe('continue_nurturing');
    expect(recommendationFor(0.2999)).toBe('lost');
  });

  it('marks its reason "[AI OFFLINE - RULE BASED]" and lists what made the score', () => {
    const r = ruleBasedAnalysis({ ...base, source: 'PARTNER', message_count: 5, business_domain: 'SaaS', stage: 'CONTACTED' });
    expect(r.reason).toBe('[AI OFFLINE - RULE BASED] source PARTNER +0.30, 5 messages +0.15, business domain +0.25, stage CONTACTED +0.10 = 0.80');
    expect(r.reason.length).toBeGreaterThanOrEqual(10);
  });
});

describe('features (§7)', () => {
  const now = new Date('2030-01-11T12:00:00Z');
  const lead = {
    source: 'WEB' as const, stage: 'CONTACTED' as const, message_count: 7, business_domain: '  Logistics ',
    created_at: new Date('2030-01-01T13:00:00Z'), last_activity_at: new Date('2030-01-09T12:00:00Z'),
    phone: '+380501234567', email: 'a@b.co', company: 'Acme', position: null,
  };
  it('are computed from the lead: days, velocity, completeness, qualification', () => {
    expect(leadFeatures(lead, now)).toEqual({
      source: 'WEB', stage: 'CONTACTED', message_count: 7, business_domain: 'Logistics', days_since_created: 9,
      message_velocity: 0.78, contact_completeness: true, b2b_qualification: false, days_since_last_activity: 2,
    });
  });
  it('velocity divides by at least one day', () => {
    expect(leadFeatures({ ...lead, created_at: now }, now).message_velocity).toBe(7);
  });
  it('hash to the same SHA-256 for the same lead state, and to another for a changed one', () => {
    const a = inputSha256(leadFeatures(lead, now));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(inputSha256(leadFeatures(lead, now))).toBe(a);
    expect(inputSha256(leadFeatures({ ...lead, message_count: 8 }, now))).not.toBe(a);
  });
});
