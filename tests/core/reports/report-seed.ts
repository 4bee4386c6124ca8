import type { Db, User } from '../../../core/database.js';
import type { ColdStage } from '../../../core/leads/lead.constants.js';
import { makeLead, makeUser } from '../../support/factories.js';

/** The clock of the seeded data set: Wednesday 2 December 2026, 14:00 in Kyiv (UTC+2). */
export const NOW = new Date('2026-12-02T12:00:00Z');
export const ZONE = 'Europe/Kyiv';
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

export interface Seeded { mia: User; ann: User; bob: User; dan: User; admin: User; leadIds: number[] }

/**
 * A small team and leads with every number of every report known (see
 * reports.test.ts). Leads 1–7 fall in the last 7 days as Kyiv reads them;
 * lead 7 at the very first instant, lead 11 one second before it.
 */
export async function seedReports(db: Db): Promise<Seeded> {
  const admin = await makeUser(db, { role: 'admin', name: 'Ada' });
  const mia = await makeUser(db, { role: 'manager', name: 'Mia' });
  const ann = await makeUser(db, { name: 'Ann' });
  const bob = await makeUser(db, { name: 'Bob' });
  const dan = await makeUser(db, { name: 'Dan' });
  await makeUser(db, { name: 'Cid', status: 'inactive' });

  const lead = async (p: {
    created: Date; stage: ColdStage; by?: User | null; source?: 'WEB' | 'REFERRAL' | 'SOCIAL' | 'MESSAGE';
    score?: number; tier?: 'HOT' | 'WARM' | 'COLD' | 'DEAD'; utm?: [string, string]; deleted?: boolean;
    lastActivity?: Date; path?: [ColdStage, number][];
  }) => {
    const l = await makeLead(db, {
      created_at: p.created, stage: p.stage, assigned_to: p.by?.id ?? null, source: p.source ?? 'WEB',
      ai_score: p.score ?? null, quality_tier: p.tier ?? null,
      utm_source: p.utm?.[0] ?? null, utm_campaign: p.utm?.[1] ?? null,
      is_deleted: p.deleted ?? false, last_activity_at: p.lastActivity ?? p.created,
      lost_reason: p.stage === 'LOST' ? 'gone' : null,
    });
    let from: ColdStage = 'NEW';
    for (const [to, afterHours] of p.path ?? []) {
      await db.insertInto('lead_history').values({
        lead_id: l.id, action: 'STAGE_CHANGED', actor_user_id: p.by?.id ?? null, from_stage: from, to_stage: to,
        reason: null, reason_code: null, created_at: new Date(p.created.getTime() + afterHours * HOUR),
      }).execute();
      from = to;
    }
    return l.id;
  };
  const ids = [
    await lead({ created: ago(12), stage: 'NEW', by: ann, score: 0.9, tier: 'HOT', utm: ['google', 'winter'] }),
    // Qualified once, then rolled back to CONTACTED: it still reached QUALIFIED.
    await lead({
      created: ago(24), stage: 'CONTACTED', by: ann, score: 0.7, tier: 'WARM', utm: ['google', 'winter'],
      path: [['CONTACTED', 2], ['QUALIFIED', 5], ['CONTACTED', 6]],
    }),
    await lead({ created: ago(36), stage: 'QUALIFIED', by: ann, source: 'REFERRAL', score: 0.85, tier: 'HOT', path: [['CONTACTED', 4], ['QUALIFIED', 24]] }),
    await lead({
      created: ago(48), stage: 'TRANSFERRED', by: ann, source: 'REFERRAL', score: 0.95, tier: 'HOT',
      path: [['CONTACTED', 6], ['QUALIFIED', 20], ['TRANSFERRED', 30]],
    }),
    await lead({
      created: ago(60), stage: 'LOST', by: bob, score: 0.4, tier: 'COLD', utm: ['google', 'winter'], path: [['CONTACTED', 10], ['LOST', 20]],
    }),
    await lead({ created: ago(72), stage: 'LOST', by: bob, source: 'SOCIAL', utm: ['fb', 'spring'], path: [['LOST', 1]] }),
    // 26 November 00:00 in Kyiv: the first instant of "the last 7 days".
    await lead({ created: new Date('2026-11-25T22:00:00Z'), stage: 'NEW', source: 'MESSAGE', score: 0.1, tier: 'DEAD' }),
    // Deleted: in no report.
    await lead({ created: ago(5), stage: 'NEW', by: ann, deleted: true }),
    // Before the period; CONTACTED and untouched for 9 days: Ann's one stale lead.
    await lead({ created: ago(20 * 24), stage: 'CONTACTED', by: ann, lastActivity: ago(9 * 24), path: [['CONTACTED', 1]] }),
    await lead({ created: ago(40 * 24), stage: 'NEW', by: bob }),
    // One second before the 7 days begin: in the 30 days, not the 7.
    await lead({ created: new Date('2026-11-25T21:59:59Z'), stage: 'NEW' }),
  ];
  return { mia, ann, bob, dan, admin, leadIds: ids };
}
