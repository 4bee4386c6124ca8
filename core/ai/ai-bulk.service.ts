import { DomainError } from '../errors.js';
import type { User } from '../database.js';
import type { QualityTier } from '../leads/lead.constants.js';
import { assertCanBulk, checkBulkIds, type BulkItemResult, type BulkResult } from '../leads/bulk.service.js';
import type { AnalyzedBy, FallbackReason } from './ai.constants.js';
import type { AnalysisOutcome } from './ai-analysis.service.js';

/** One lead of a bulk analysis: §6's item, plus what the analysis said when it ran. */
export interface AiBulkItem extends BulkItemResult {
  analysis?: { score: number; qualityTier: QualityTier | null; analyzedBy: AnalyzedBy; fallbackReason: FallbackReason | null };
}
export interface AiBulkResult extends BulkResult { results: AiBulkItem[] }

/** Analyses run this many at a time: a bulk of 100 takes ~25 model latencies, not 100. */
const BULK_CONCURRENCY = 4;

/**
 * §6 bulk analyze (managers and admins): up to 100 leads, each analysed by
 * `analyze` (the single-lead use case, with its rights check, the user's
 * §16 count and the caps — past a cap a lead is scored by the rules, which
 * is a success, not a failure). Results in the order given; a refused lead
 * (not found, not the viewer's) is an error item. Throws only for the whole
 * batch: ValidationError('leadIds'), ForbiddenError (agents).
 */
export async function bulkAnalyze(
  actor: User, leadIds: readonly number[], analyze: (leadId: number) => Promise<AnalysisOutcome>,
  onUnexpectedError: (leadId: number, err: unknown) => void,
): Promise<AiBulkResult> {
  const ids = checkBulkIds(leadIds);
  assertCanBulk(actor);
  const results: AiBulkItem[] = new Array(ids.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i]!;
      try {
        const o = await analyze(id);
        const tag = o.analyzedBy === 'fallback' ? `, rule-based (${o.fallbackReason})` : '';
        results[i] = {
          id, status: 'ok', message: `Scored ${o.score.score.toFixed(2)}${tag}`,
          analysis: { score: o.score.score, qualityTier: o.lead.quality_tier, analyzedBy: o.analyzedBy, fallbackReason: o.fallbackReason },
        };
      } catch (err) {
        if (!(err instanceof DomainError)) onUnexpectedError(id, err);
        results[i] = err instanceof DomainError
          ? { id, status: 'error', message: err.message, error: err }
          : { id, status: 'error', message: 'Unexpected error' };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, lane));
  const succeeded = results.filter((r) => r.status === 'ok').length;
  return { processed: results.length, succeeded, failed: results.length - succeeded, results };
}
