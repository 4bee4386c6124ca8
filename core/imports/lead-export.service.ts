import { assertPrincipalCan, OPERATOR, type Principal } from '../access/access-policy.js';
import type { Db, User } from '../database.js';
import { checkLeadFilters, leadFilterCondition, type LeadListFilters } from '../leads/lead-list.filters.js';
import { toCsv } from './csv-write.rules.js';

export const EXPORT_COLUMNS = [
  'id', 'created_at', 'stage', 'source', 'full_name', 'phone', 'phone_unverified', 'email', 'company', 'position',
  'intent', 'pain_points', 'business_domain', 'message_count', 'ai_score', 'quality_tier', 'assigned_to',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'form_reference', 'last_activity_at', 'lost_reason',
] as const;

const PAGE = 1000;

/**
 * The leads of a /leads filter as a CSV document (UTF-8 with BOM, formula
 * cells neutralised — csv-write.rules), newest first, read a keyset page of
 * 1000 at a time. For managers and admins (they see every lead) and the
 * operator. Returns the file and how many leads it holds.
 * Throws ForbiddenError, ValidationError (a filter value).
 */
export async function exportLeadsCsv(db: Db, by: Principal, filters: LeadListFilters = {}): Promise<{ csv: Buffer; count: number }> {
  assertPrincipalCan(by, 'leads.export');
  if (by !== OPERATOR) checkLeadFilters(by as User, filters);
  const rows: unknown[][] = [];
  let after: number | null = null;
  for (;;) {
    const page = await db.selectFrom('leads as l').leftJoin('users as u', 'u.id', 'l.assigned_to')
      .select([
        'l.id', 'l.created_at', 'l.stage', 'l.source', 'l.full_name', 'l.phone', 'l.phone_unverified', 'l.email',
        'l.company', 'l.position', 'l.intent', 'l.pain_points', 'l.business_domain', 'l.message_count', 'l.ai_score',
        'l.quality_tier', 'u.full_name as assigned_to', 'l.utm_source', 'l.utm_medium', 'l.utm_campaign',
        'l.utm_content', 'l.utm_term', 'l.form_reference', 'l.last_activity_at', 'l.lost_reason',
      ])
      .where('l.is_deleted', '=', false)
      .where((eb) => leadFilterCondition(eb as never, filters))
      .$if(after !== null, (qb) => qb.where('l.id', '<', after!))
      .orderBy('l.id', 'desc').limit(PAGE).execute();
    for (const r of page) rows.push(EXPORT_COLUMNS.map((c) => (r as Record<string, unknown>)[c]));
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return { csv: toCsv(EXPORT_COLUMNS, rows), count: rows.length };
}
