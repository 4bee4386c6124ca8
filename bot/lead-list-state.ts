import { randomBytes } from 'node:crypto';
import { type KeyValueStore, type LeadListFilters } from '../core/index.js';
import type { FilterToggle } from './callback-data/lead-filters.js';

const STATE_TTL_MS = 24 * 60 * 60 * 1000;
const PREFIX = 'bot:leads-page:';

/**
 * A /leads list as its buttons remember it: whose it is, the filters, and
 * which page. Keyset cursors only go forward and may outgrow the 64 bytes of
 * callback data, so each page's cursor and the key of the page before it
 * live in the store (shared by instances) under a short random key that the
 * buttons carry. A state never changes once saved: switching a filter saves
 * a new one, so a double tap or an old message never acts on a changed list.
 */
export interface ListState {
  userId: number;
  page: number;
  cursor: string | null;
  prevKey: string | null;
  filters: LeadListFilters;
}

/** Page 1 of a list with these filters. */
export const firstPage = (userId: number, filters: LeadListFilters = {}): ListState =>
  ({ userId, page: 1, cursor: null, prevKey: null, filters });

export async function saveListState(store: KeyValueStore, state: ListState): Promise<string> {
  const key = randomBytes(6).toString('base64url');
  await store.set(PREFIX + key, JSON.stringify(state), STATE_TTL_MS);
  return key;
}

/**
 * The state behind a button; null when it expired, never existed, or belongs
 * to someone else (a list is never shown to another user). Filters are
 * checked again by core when the list is read.
 */
export async function loadListState(store: KeyValueStore, key: string, userId: number): Promise<ListState | null> {
  const raw = await store.get(PREFIX + key);
  if (raw === null) return null;
  const state = JSON.parse(raw) as ListState;
  if (state.userId !== userId) return null;
  // States saved before filters existed have none.
  return { ...state, filters: state.filters ?? {} };
}

const LAST_FILTERS_PREFIX = 'bot:leads-filters:';
/** How long /leads remembers someone's last filters after they last used a list. */
const LAST_FILTERS_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The filters of the last list this user looked at, so /leads opens the
 * way they left it (issue 9). Losing them (a store outage) only means an
 * unfiltered list; core checks them again when the list is read.
 */
export async function lastShownFilters(store: KeyValueStore, userId: number): Promise<LeadListFilters> {
  const raw = await store.get(LAST_FILTERS_PREFIX + userId);
  return raw === null ? {} : (JSON.parse(raw) as LeadListFilters);
}

export async function rememberShownFilters(store: KeyValueStore, userId: number, filters: LeadListFilters): Promise<void> {
  await store.set(LAST_FILTERS_PREFIX + userId, JSON.stringify(filters), LAST_FILTERS_TTL_MS);
}

function toggled<T>(values: readonly T[] | undefined, value: T): T[] {
  const list = values ?? [];
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** The filters with one value switched on or off. */
export function applyToggle(filters: LeadListFilters, t: FilterToggle): LeadListFilters {
  switch (t.dim) {
    case 'stage': return { ...filters, stages: toggled(filters.stages, t.value) };
    case 'tier': return { ...filters, qualityTiers: toggled(filters.qualityTiers, t.value) };
    case 'source': return { ...filters, sources: toggled(filters.sources, t.value) };
    case 'assignee': return { ...filters, assignees: toggled(filters.assignees, t.value) };
  }
}

/** Whether a toggle's value is currently on. */
export function isOn(filters: LeadListFilters, t: FilterToggle): boolean {
  switch (t.dim) {
    case 'stage': return filters.stages?.includes(t.value) ?? false;
    case 'tier': return filters.qualityTiers?.includes(t.value) ?? false;
    case 'source': return filters.sources?.includes(t.value) ?? false;
    case 'assignee': return filters.assignees?.includes(t.value) ?? false;
  }
}

const VIEWED_PREFIX = 'bot:leads-last:';

/** Remembers the filters of the list the user looked at last (/export exports "the current /leads filter"). */
export async function rememberViewedFilters(store: KeyValueStore, userId: number, filters: LeadListFilters): Promise<void> {
  await store.set(VIEWED_PREFIX + userId, JSON.stringify(filters), STATE_TTL_MS);
}

/** The filters of the /leads list the user looked at last; none (open leads) when there is none. */
export async function viewedFilters(store: KeyValueStore, userId: number): Promise<LeadListFilters> {
  const raw = await store.get(VIEWED_PREFIX + userId);
  return raw ? JSON.parse(raw) as LeadListFilters : {};
}
