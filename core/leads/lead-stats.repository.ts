import { sql } from 'kysely';
import type { Db } from '../database.js';

export interface LeadCounts {
  /** Every lead ever created, by source: deleted ones too (a lead once created stays created). */
  bySource: { key: string; n: number }[];
  /** Live (not deleted) leads by cold stage. */
  byStage: { key: string; n: number }[];
}

/** §15 /metrics: two single GROUP BYs, read at scrape time so every instance reports the same truth. */
export async function countLeads(db: Db): Promise<LeadCounts> {
  const [bySource, byStage] = await Promise.all([
    sql<{ key: string; n: number }>`select source as key, count(*)::int as n from leads group by source`.execute(db),
    sql<{ key: string; n: number }>`select stage as key, count(*)::int as n from leads where not is_deleted group by stage`.execute(db),
  ]);
  return { bySource: bySource.rows, byStage: byStage.rows };
}
