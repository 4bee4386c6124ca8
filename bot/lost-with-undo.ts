import type { Db, Lead, User } from '../core/database.js';
import { getLeadForUser } from '../core/leads/lead.repository.js';
import { transitionStage } from '../core/leads/lead.pipeline.js';
import { lostUndoRecord, rememberUndo } from '../core/leads/undo.service.js';
import type { KeyValueStore } from '../core/store/kv-store.js';
import { assertCardFresh } from './on-callback.js';

/**
 * ❌ Lost (§3) with ↩️ Undo for 30 s, shared by the preset-reason button and
 * the typed-reason conversation. The lead is read first and must be at the
 * card's version; the move then runs with that same expected version, so
 * the stage and reason the undo record keeps are exactly the ones LOST
 * replaced. Throws as transitionStage (LeadChangedError for a stale card).
 */
export async function markLostWithUndo(
  db: Db, store: KeyValueStore, p: { leadId: number; actor: User; reason: string; expectedVersion: number },
): Promise<{ lead: Lead; undoToken: string }> {
  const before = await getLeadForUser(db, p.leadId, p.actor);
  assertCardFresh(before, p.expectedVersion);
  const lead = await transitionStage(db, {
    leadId: p.leadId, to: 'LOST', actor: p.actor, reason: p.reason, expectedVersion: p.expectedVersion,
  });
  return { lead, undoToken: await rememberUndo(store, lostUndoRecord(before, lead, p.actor.id)) };
}
