import { InlineKeyboard } from 'grammy';
import {
  COLD_STAGES, LEAD_SOURCES, QUALITY_TIERS, UNASSIGNED, type LeadListFilters, type User,
} from '../../core/index.js';
import {
  leadFilterAssigneesData, leadFilterResetData, leadFilterShowData, leadFilterToggleData, leadFiltersData, type FilterToggle,
} from '../callback-data/lead-filters.js';
import { leadsPageData } from '../callback-data/misc.js';
import { escapeHtml, truncate } from '../html.js';
import { isOn } from '../lead-list-state.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

export type AssigneeChoice = Pick<User, 'id' | 'full_name'>;

/** "Stage: NEW, LOST · Quality: HOT · Source: any · Assignee: Ann, unassigned" (HTML). */
export function describeFilters(
  t: Texts, f: LeadListFilters, names: ReadonlyMap<number, string>, withAssignee: boolean,
): string {
  const list = (values: readonly string[] | undefined, none: string) => (values?.length ? values.join(', ') : none);
  const assignees = f.assignees?.map((a) => (a === UNASSIGNED ? t.leadFilters.unassigned : escapeHtml(names.get(a) ?? `#${a}`)));
  const parts = [
    `${t.leadFilters.stage}: ${list(f.stages?.map((s) => t.stages[s]), t.leadFilters.openStages)}`,
    `${t.leadFilters.tier}: ${list(f.qualityTiers?.map((q) => t.tiers[q]), t.leadFilters.any)}`,
    `${t.leadFilters.source}: ${list(f.sources?.map((s) => t.leadSources[s]), t.leadFilters.any)}`,
    ...(withAssignee || assignees?.length ? [`${t.leadFilters.assignee}: ${list(assignees, t.leadFilters.any)}`] : []),
  ];
  return `🔎 ${parts.join(' · ')}`;
}

/** "QUALIFIED, 🔥 HOT, Ann": the switched-on values alone, plain text for a button label. */
export function filterValues(t: Texts, f: LeadListFilters, names: ReadonlyMap<number, string>): string {
  return [
    ...(f.stages ?? []).map((s) => t.stages[s]),
    ...(f.qualityTiers ?? []).map((q) => t.tiers[q]),
    ...(f.sources ?? []).map((s) => t.leadSources[s]),
    ...(f.assignees ?? []).map((a) => (a === UNASSIGNED ? t.leadFilters.unassigned : names.get(a) ?? `#${a}`)),
  ].join(', ');
}

function addToggles(
  kb: InlineKeyboard, t: Texts, key: string, f: LeadListFilters, toggles: { toggle: FilterToggle; label: string }[], perRow: number,
): void {
  toggles.forEach(({ toggle, label }, i) => {
    kb.text(isOn(f, toggle) ? `✅ ${label}` : label, leadFilterToggleData.pack({ key, toggle }));
    if (i % perRow === perRow - 1 || i === toggles.length - 1) kb.row();
  });
}

export interface FilterPanel {
  /** The list state these filters belong to (page 1). */
  key: string;
  filters: LeadListFilters;
  /** Managers and admins: show the assignee filter. */
  canFilterAssignee: boolean;
  /** Names of the users in the assignee filter. */
  names: ReadonlyMap<number, string>;
}

/** 🔎 Filters: toggles for stage, quality tier and source, 👤 Assignee… for managers, ♻️ Reset, 📋 Show. */
export function renderFilterPanel(t: Texts, p: FilterPanel): View {
  const kb = new InlineKeyboard();
  const { key, filters: f } = p;
  addToggles(kb, t, key, f, COLD_STAGES.map((value) => ({ toggle: { dim: 'stage', value }, label: t.stages[value] })), 3);
  addToggles(kb, t, key, f, QUALITY_TIERS.map((value) => ({ toggle: { dim: 'tier', value }, label: t.tiers[value] })), 4);
  addToggles(kb, t, key, f, LEAD_SOURCES.map((value) => ({ toggle: { dim: 'source', value }, label: t.leadSources[value] })), 3);
  if (p.canFilterAssignee) kb.text(t.leadFilters.assignees, leadFilterAssigneesData.pack({ key })).row();
  kb.text(t.leadFilters.reset, leadFilterResetData.pack({ key })).text(t.leadFilters.show, leadFilterShowData.pack({ key }));
  const text = `${t.leadFilters.panelTitle}\n\n${describeFilters(t, f, p.names, p.canFilterAssignee)}`;
  return { text, keyboard: kb };
}

/** 👤 Assignee…: unassigned and each active user as toggles, ↩️ Back to the panel. */
export function renderAssigneePanel(t: Texts, p: { key: string; filters: LeadListFilters; users: AssigneeChoice[] }): View {
  const kb = new InlineKeyboard();
  const names = new Map(p.users.map((u) => [u.id, u.full_name]));
  addToggles(kb, t, p.key, p.filters, [
    { toggle: { dim: 'assignee', value: UNASSIGNED }, label: t.leadFilters.unassigned },
    ...p.users.map((u) => ({ toggle: { dim: 'assignee' as const, value: u.id }, label: truncate(u.full_name, 24) })),
  ], 2);
  kb.text(t.common.back, leadFiltersData.pack({ key: p.key }));
  const text = `${t.leadFilters.assigneesTitle}\n\n${describeFilters(t, p.filters, names, true)}`;
  return { text, keyboard: kb };
}
