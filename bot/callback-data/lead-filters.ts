import {
  COLD_STAGES, LEAD_SOURCES, QUALITY_TIERS, UNASSIGNED, type AssigneeFilter, type ColdStage, type LeadSource, type QualityTier,
} from '../../core/index.js';
import { defineCallbackData, int, token, type Field } from './codec.js';

/** One filter value a toggle button switches on or off (§2, §6). */
export type FilterToggle =
  | { dim: 'stage'; value: ColdStage }
  | { dim: 'tier'; value: QualityTier }
  | { dim: 'source'; value: LeadSource }
  | { dim: 'assignee'; value: AssigneeFilter };

const ENUMS = { s: ['stage', COLD_STAGES], t: ['tier', QUALITY_TIERS], o: ['source', LEAD_SOURCES] } as const;
const CODES = { stage: 's', tier: 't', source: 'o', assignee: 'a' } as const;
const NOBODY = '-';

/**
 * Wire form "<dim>.<value>": s.NEW, t.HOT, o.LEAD_MAGNET, a.12, a.- (unassigned).
 * Values are checked against the one enum of each filter, so forged data
 * never decodes (and core checks the filters again).
 */
export const filterToggle: Field<FilterToggle> = {
  parse(raw) {
    const [code, value, ...rest] = raw.split('.');
    if (value === undefined || rest.length) return null;
    if (code === 'a') {
      if (value === NOBODY) return { dim: 'assignee', value: UNASSIGNED };
      const id = int.parse(value);
      return id ? { dim: 'assignee', value: id } : null;
    }
    const entry = ENUMS[code as keyof typeof ENUMS] as (typeof ENUMS)[keyof typeof ENUMS] | undefined;
    if (!entry || !(entry[1] as readonly string[]).includes(value)) return null;
    return { dim: entry[0], value } as FilterToggle;
  },
  format: (toggle) =>
    `${CODES[toggle.dim]}.${toggle.value === UNASSIGNED ? NOBODY : String(toggle.value)}`,
};

// Every button below carries the short store key of a /leads list state
// (bot/lead-list-state.ts); the filters themselves live in the store.

/** 🔎 Filters: the filter panel for the list state `key`. */
export const leadFiltersData = defineCallbackData('lfp1', { key: token });
/** A toggle on the panel: a new state with one value switched, shown on the same panel. */
export const leadFilterToggleData = defineCallbackData('lft1', { key: token, toggle: filterToggle });
/** 👤 Assignee… (managers and admins): the assignee choices for the state `key`. */
export const leadFilterAssigneesData = defineCallbackData('lfa1', { key: token });
/** ♻️ Reset: a state without filters, shown on the panel. */
export const leadFilterResetData = defineCallbackData('lfr1', { key: token });
/** 📋 Show: the list with the panel's filters, which the panel offers again next time. */
export const leadFilterShowData = defineCallbackData('lfs1', { key: token });
