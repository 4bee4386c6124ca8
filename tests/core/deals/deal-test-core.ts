import { pino } from 'pino';
import { createConfig } from '../../../config.js';
import { createCore, type Core, type DbHandle, type KeyValueStore } from '../../../core/index.js';
import type { Db, Lead, NewLead, User } from '../../../core/database.js';
import { makeLead } from '../../support/factories.js';

/** Core for the sales tests: a clock the test moves, and the transfers counter recorded. */
export function dealTestCore(handle: DbHandle, store: KeyValueStore, env: Record<string, string> = {}) {
  let now = new Date('2030-03-01T09:00:00Z');
  const transfers: { result: string; reason?: string }[] = [];
  const config = createConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const core: Core = createCore({
    db: handle.db, store, config, logger: pino({ level: 'silent' }), now: () => now,
    metrics: { transfers: { inc: (labels) => void transfers.push(labels) } },
  });
  return {
    core, transfers,
    now: () => now,
    advance: (ms: number) => { now = new Date(now.getTime() + ms); },
  };
}

/** A lead that passes every §8 gate, assigned to `owner`. */
export function qualifiedLead(db: Db, owner: User | null, p: Partial<NewLead> = {}): Promise<Lead> {
  return makeLead(db, {
    stage: 'QUALIFIED', ai_score: 0.72, quality_tier: 'WARM', business_domain: 'Logistics',
    assigned_to: owner?.id ?? null, company: 'Acme', ...p,
  });
}

export const DAY_MS = 86_400_000;
