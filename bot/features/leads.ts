import { Composer } from 'grammy';
import { can, hasLeadFilters, UNASSIGNED, type LeadListFilters, type User } from '../../core/index.js';
import {
  leadFilterAssigneesData, leadFilterResetData, leadFilterShowData, leadFilterToggleData, leadFiltersData,
} from '../callback-data/lead-filters.js';
import { setAnswer } from '../callback-answer.js';
import { leadFromListData, leadsBackData, leadsPageData } from '../callback-data/misc.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView, withButtonRow } from '../lead-cards.js';
import {
  applyToggle, firstPage, lastShownFilters, loadListState, rememberShownFilters, rememberViewedFilters, saveListState,
  type ListState,
} from '../lead-list-state.js';
import { onCallback } from '../on-callback.js';
import { describeFilters, filterValues, renderAssigneePanel, renderFilterPanel } from '../views/lead-filters.view.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { renderLeadList } from '../views/lead-list.view.js';
import { boardUrl, withBoardButton } from '../web-app.js';

const PAGE_SIZE = 8;

/**
 * /leads (§2, §6): my open leads (every lead for managers), newest first,
 * ◀ ▶ keyset pages, and 🔎 Filters — toggles for stage, quality tier,
 * source and (managers/admins) assignee. Each list state sits in the store
 * under a short key (bot/lead-list-state.ts); core applies the rights and
 * checks every filter value.
 */
export function leadsFeature({ core, store, config }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  const board = boardUrl(config);

  async function assigneeNames(user: User, filters: LeadListFilters): Promise<Map<number, string>> {
    if (!filters.assignees?.some((a) => a !== UNASSIGNED)) return new Map();
    return new Map((await core.leads.filterAssignees(user)).map((u) => [u.id, u.full_name]));
  }

  // `ownKey` is the stored key of this state, when it already has one.
  async function listView(ctx: ActiveContext, state: ListState, ownKey: string | null) {
    // Core applies the rights: an agent only ever gets their own leads.
    const result = await core.leads.list(ctx.user, { cursor: state.cursor, limit: PAGE_SIZE, filters: state.filters });
    await rememberViewedFilters(store, ctx.user.id, state.filters);
    const self = ownKey ?? await saveListState(store, state);
    const nextKey = result.hasNext && result.nextCursor
      ? await saveListState(store, { ...state, page: state.page + 1, cursor: result.nextCursor, prevKey: self })
      : null;
    const filtered = hasLeadFilters(state.filters);
    const filtersLine = filtered
      ? describeFilters(ctx.t, state.filters, await assigneeNames(ctx.user, state.filters), false)
      : null;
    const lastFilter = filtered ? null : await lastFilterShortcut(ctx);
    // 🗂 Board: the same leads as a kanban board in the Mini App (§14).
    return withBoardButton(ctx.t, renderLeadList(ctx.t, {
      page: state.page, items: result.items, prevKey: state.prevKey, nextKey, ownKey: self, filtersLine, lastFilter,
    }), board);
  }

  /** The filters last shown with 📋 Show, as a ready list state for a one-tap button; null when there are none. */
  async function lastFilterShortcut(ctx: ActiveContext): Promise<{ key: string; values: string } | null> {
    const filters = await rememberedFilters(ctx);
    if (!hasLeadFilters(filters)) return null;
    const names = await assigneeNames(ctx.user, filters);
    return { key: await saveDraft(ctx, filters), values: filterValues(ctx.t, filters, names) };
  }

  /** A new page-1 state with these filters: what the panel's toggles and 📋 Show start from. */
  const saveDraft = (ctx: ActiveContext, filters: LeadListFilters) => saveListState(store, firstPage(ctx.user.id, filters));

  async function panelView(ctx: ActiveContext, key: string, filters: LeadListFilters) {
    const names = await assigneeNames(ctx.user, filters);
    return renderFilterPanel(ctx.t, { key, filters, canFilterAssignee: can(ctx.user, 'leads.all'), names });
  }

  /** The state behind a tapped button, or null after telling the user (in the tap's answer) that the list expired. */
  async function stateOf(ctx: ActiveContext, key: string): Promise<ListState | null> {
    const state = await loadListState(store, key, ctx.user.id);
    if (!state) setAnswer(ctx, ctx.t.leadFilters.expired, { alert: true });
    return state;
  }

  /** The filters last shown with 📋 Show, unless core no longer allows them (a role changed). */
  async function rememberedFilters(ctx: ActiveContext): Promise<LeadListFilters> {
    const filters = await lastShownFilters(store, ctx.user.id);
    try {
      core.leads.checkFilters(ctx.user, filters);
      return filters;
    } catch {
      return {};
    }
  }

  const showPage = async (ctx: ActiveContext, state: ListState, key: string) =>
    editTapped(ctx, await listView(ctx, state, key));

  composer.command('leads', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await listView(ctx, firstPage(ctx.user.id), null));
  });

  onCallback(composer, leadsPageData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (state) await showPage(ctx, state, data.key);
  });

  onCallback(composer, leadFilterShowData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (!state) return;
    await showPage(ctx, state, data.key);
    await rememberShownFilters(store, ctx.user.id, state.filters);
  });

  // A lead on the list: its card takes the list's place, with 📋 back to this very page.
  onCallback(composer, leadFromListData, core, async (ctx, data) => {
    const card = renderLeadCard(ctx.t, await core.leads.card(ctx.user, data.leadId));
    const back = { text: ctx.t.leads.backToList, callback_data: leadsBackData.pack({ key: data.key }) };
    await editTapped(ctx, withButtonRow(card, back));
  });

  onCallback(composer, leadsBackData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (state) await showPage(ctx, state, data.key);
  });

  onCallback(composer, leadFiltersData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (state) await editTapped(ctx, await panelView(ctx, await saveDraft(ctx, state.filters), state.filters));
  });

  onCallback(composer, leadFilterResetData, core, async (ctx, data) => {
    if (await stateOf(ctx, data.key)) await editTapped(ctx, await panelView(ctx, await saveDraft(ctx, {}), {}));
  });

  onCallback(composer, leadFilterToggleData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (!state) return;
    const filters = applyToggle(state.filters, data.toggle);
    // Refused here, on the tap (ForbiddenError for an agent's assignee toggle), not later on 📋 Show.
    core.leads.checkFilters(ctx.user, filters);
    const key = await saveDraft(ctx, filters);
    if (data.toggle.dim !== 'assignee') return editTapped(ctx, await panelView(ctx, key, filters));
    await editTapped(ctx, renderAssigneePanel(ctx.t, { key, filters, users: await core.leads.filterAssignees(ctx.user) }));
  });

  onCallback(composer, leadFilterAssigneesData, core, async (ctx, data) => {
    const state = await stateOf(ctx, data.key);
    if (!state) return;
    // ForbiddenError for agents: the choices are only for managers and admins.
    const users = await core.leads.filterAssignees(ctx.user);
    await editTapped(ctx, renderAssigneePanel(ctx.t, { key: data.key, filters: state.filters, users }));
  });

  return composer;
}
