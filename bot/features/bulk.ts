import { Composer, type CallbackQueryContext } from 'grammy';
import { BULK_LIMIT, can, ForbiddenError, type BulkResult } from '../../core/index.js';
import {
  getSelection, loadPage, savePage, saveSnapshot, setSelection, takeSnapshot, updatePage, type BulkPage,
} from '../bulk-state.js';
import {
  bulkAssignData, bulkAssignMenuData, bulkClearData, bulkDeleteAskData, bulkDeleteData, bulkLostData,
  bulkLostMenuData, bulkPageData, bulkStageData, bulkStageMenuData, bulkToggleData,
} from '../callback-data/bulk.js';
import { bulkAnalyzeData } from '../callback-data/ai.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import {
  renderAssignMenu, renderBulkPage, renderBulkSummary, renderDeleteConfirm, renderLostMenu, renderStageMenu,
} from '../views/bulk.view.js';
import { renderBulkAnalyzeSummary } from '../views/lead-ai.view.js';

const PAGE_SIZE = 8;
type Tap = CallbackQueryContext<ActiveContext>;

/**
 * /bulk (§6, managers and admins): open leads with ☐/☑ toggles in keyset
 * pages, the selection kept per user in the shared store; then a stage
 * change (LOST with a preset reason), an assignment, or — admins, after an
 * explicit confirmation — a delete. Core applies each lead on its own and
 * reports per lead; the list is redrawn, a summary sent, and failed leads
 * stay selected so they can be dealt with next.
 */
export function bulkFeature({ core, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  async function render(ctx: ActiveContext, key: string, state: BulkPage) {
    const result = await core.bulk.candidates(ctx.user, { cursor: state.cursor, limit: PAGE_SIZE });
    let nextKey = result.hasNext ? state.nextKey ?? null : null;
    if (result.hasNext && !nextKey && result.nextCursor) {
      nextKey = await savePage(store, { userId: ctx.user.id, page: state.page + 1, cursor: result.nextCursor, prevKey: key });
      await updatePage(store, key, { ...state, nextKey });
    }
    const selected = new Set(await getSelection(store, ctx.user.id));
    return renderBulkPage(ctx.t, {
      page: state.page, items: result.items, selected, key, prevKey: state.prevKey, nextKey,
      canDelete: can(ctx.user, 'leads.delete'),
    });
  }

  /**
   * A /bulk button: its page must exist and be the tapper's; rights are
   * checked in core on every tap (the candidates read refuses agents). Not onCallback: several taps answer
   * with an alert ("select a lead first", "at most 100") instead of an empty
   * answer, and nothing here carries a lead version to go stale.
   */
  function onBulk<D extends { key: string }>(
    codec: { filter: RegExp; unpack(data: string | undefined): D | null },
    handler: (ctx: Tap, data: D, page: BulkPage) => Promise<unknown>,
  ): void {
    composer.callbackQuery(codec.filter, async (ctx) => {
      await core.bulk.candidates(ctx.user, { limit: 1 });
      const data = codec.unpack(ctx.callbackQuery.data);
      const page = data && await loadPage(store, data.key, ctx.user.id);
      if (!data || !page) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton, show_alert: true });
      await handler(ctx, data, page);
    });
  }

  /** The selection, or an alert when it is empty (then null). Answers the query either way. */
  async function selection(ctx: Tap): Promise<number[] | null> {
    const ids = await getSelection(store, ctx.user.id);
    if (ids.length === 0) {
      await ctx.answerCallbackQuery({ text: ctx.t.bulk.nothingSelected, show_alert: true });
      return null;
    }
    await ctx.answerCallbackQuery();
    return ids;
  }

  async function finish(ctx: Tap, action: string, key: string, page: BulkPage, result: BulkResult, summary = renderBulkSummary(ctx.t, result)) {
    ctx.log.info({ action, processed: result.processed, succeeded: result.succeeded, failed: result.failed }, 'bulk_action');
    await setSelection(store, ctx.user.id, result.results.filter((r) => r.status === 'error').map((r) => r.id));
    await editTapped(ctx, await render(ctx, key, page));
    await ctx.reply(summary, { parse_mode: 'HTML' });
  }

  composer.command('bulk', async (ctx) => {
    const state: BulkPage = { userId: ctx.user.id, page: 1, cursor: null, prevKey: null };
    const key = await savePage(store, state);
    await sendView(ctx.api, ctx.chat.id, await render(ctx, key, state));
  });

  onBulk(bulkPageData, async (ctx, data, page) => {
    await ctx.answerCallbackQuery();
    await editTapped(ctx, await render(ctx, data.key, page));
  });

  onBulk(bulkToggleData, async (ctx, data, page) => {
    const ids = await getSelection(store, ctx.user.id);
    const on = ids.includes(data.leadId);
    if (!on && ids.length >= BULK_LIMIT) {
      return ctx.answerCallbackQuery({ text: ctx.t.bulk.tooMany(BULK_LIMIT), show_alert: true });
    }
    await ctx.answerCallbackQuery();
    await setSelection(store, ctx.user.id, on ? ids.filter((id) => id !== data.leadId) : [...ids, data.leadId]);
    await editTapped(ctx, await render(ctx, data.key, page));
  });

  onBulk(bulkClearData, async (ctx, data, page) => {
    await ctx.answerCallbackQuery();
    await setSelection(store, ctx.user.id, []);
    await editTapped(ctx, await render(ctx, data.key, page));
  });

  onBulk(bulkStageMenuData, async (ctx, data) => {
    const ids = await selection(ctx);
    if (ids) await editTapped(ctx, renderStageMenu(ctx.t, data.key, ids.length));
  });

  onBulk(bulkLostMenuData, async (ctx, data) => {
    const ids = await selection(ctx);
    if (ids) await editTapped(ctx, renderLostMenu(ctx.t, data.key, ids.length));
  });

  onBulk(bulkAssignMenuData, async (ctx, data) => {
    const ids = await selection(ctx);
    if (ids) await editTapped(ctx, renderAssignMenu(ctx.t, data.key, ids.length, await core.leads.assignableUsers(ctx.user)));
  });

  onBulk(bulkStageData, async (ctx, data, page) => {
    const ids = await selection(ctx);
    if (ids) await finish(ctx, `stage:${data.stage}`, data.key, page, await core.bulk.transition(ctx.user, { leadIds: ids, to: data.stage }));
  });

  onBulk(bulkLostData, async (ctx, data, page) => {
    const ids = await selection(ctx);
    const reason = { code: data.reason };
    if (ids) await finish(ctx, 'stage:LOST', data.key, page, await core.bulk.transition(ctx.user, { leadIds: ids, to: 'LOST', reason }));
  });

  onBulk(bulkAssignData, async (ctx, data, page) => {
    const ids = await selection(ctx);
    if (ids) await finish(ctx, 'assign', data.key, page, await core.bulk.assign(ctx.user, { leadIds: ids, toUserId: data.userId }));
  });

  // §6 analyze: each lead scored on its own (past a cap, by the rules); one line per lead in the summary.
  onBulk(bulkAnalyzeData, async (ctx, data, page) => {
    const ids = await selection(ctx);
    if (!ids) return;
    const result = await core.ai.bulkAnalyze(ctx.user, { leadIds: ids });
    await finish(ctx, 'analyze', data.key, page, result, renderBulkAnalyzeSummary(ctx.t, result));
  });

  onBulk(bulkDeleteAskData, async (ctx, data) => {
    // Only who may delete is asked; core refuses the delete itself for everyone else.
    if (!can(ctx.user, 'leads.delete')) throw new ForbiddenError('Only admins delete and restore leads');
    const ids = await selection(ctx);
    if (ids) await editTapped(ctx, renderDeleteConfirm(ctx.t, data.key, await saveSnapshot(store, ctx.user.id, ids), ids));
  });

  onBulk(bulkDeleteData, async (ctx, data, page) => {
    // Exactly the ids the question named, once: a second tap or an expired question does nothing.
    const ids = await takeSnapshot(store, data.snapshot, ctx.user.id);
    if (!ids) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton, show_alert: true });
    await ctx.answerCallbackQuery();
    await finish(ctx, 'delete', data.key, page, await core.bulk.delete(ctx.user, { leadIds: ids }));
  });

  return composer;
}
