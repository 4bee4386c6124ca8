import { createHash } from 'node:crypto';
import type { Lead } from '../database.js';
import type { ColdStage, LeadSource } from '../leads/lead.constants.js';

const DAY_MS = 86_400_000;

/**
 * What the model is given about a lead (§7), computed in core. No name,
 * phone, email or free text but the business domain: the model scores the
 * lead's situation, and nothing personal leaves the CRM.
 */
export interface LeadFeatures {
  source: LeadSource;
  stage: ColdStage;
  message_count: number;
  business_domain: string | null;
  /** Whole days since the lead was created (floor, ≥ 0). */
  days_since_created: number;
  /** message_count / max(days_since_created, 1), two decimals. */
  message_velocity: number;
  /** Phone and email both present. */
  contact_completeness: boolean;
  /** Company and position both present. */
  b2b_qualification: boolean;
  /** Whole days since the last activity (floor, ≥ 0). */
  days_since_last_activity: number;
}

const wholeDays = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
const present = (v: string | null) => v !== null && v.trim() !== '';

/** §7 features of `lead` at `now`. Pure. */
export function leadFeatures(
  lead: Pick<Lead, 'source' | 'stage' | 'message_count' | 'business_domain' | 'created_at' | 'last_activity_at'
    | 'phone' | 'email' | 'company' | 'position'>,
  now: Date,
): LeadFeatures {
  const days = wholeDays(new Date(lead.created_at), now);
  return {
    source: lead.source,
    stage: lead.stage,
    message_count: lead.message_count,
    business_domain: present(lead.business_domain) ? lead.business_domain!.trim() : null,
    days_since_created: days,
    message_velocity: Math.round((lead.message_count / Math.max(days, 1)) * 100) / 100,
    contact_completeness: present(lead.phone) && present(lead.email),
    b2b_qualification: present(lead.company) && present(lead.position),
    days_since_last_activity: wholeDays(new Date(lead.last_activity_at), now),
  };
}

/** The features as the model receives them: JSON with keys in a fixed order (the audit hashes exactly this). */
export function featuresJson(features: LeadFeatures): string {
  const ordered = Object.fromEntries(Object.keys(features).sort().map((k) => [k, features[k as keyof LeadFeatures]]));
  return JSON.stringify(ordered);
}

/** SHA-256 hex of the model input (§7 audit): the same lead state gives the same hash. */
export function inputSha256(features: LeadFeatures): string {
  return createHash('sha256').update(featuresJson(features)).digest('hex');
}
