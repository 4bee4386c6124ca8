import { Composer } from 'grammy';
import { ForbiddenError } from '../../core/index.js';
import { deleteAskData, deleteConfirmData, deletedPageData, restoreData } from '../callback-data/team-actions.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped, sendView } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { renderDeleteConfirm, renderDeleted, renderDeletedList } from '../views/deletion.view.js';

const PAGE_SIZE = 8;

/**
 * 🗑 Delete and /deleted (§6, admins; core refuses everyone else):
 * delete asks first, then soft-deletes with ↩️ Undo for 30 s; /deleted
 * lists deleted leads in keyset pages with ♻️ Restore on each.
 */
export function deletionFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  async function deletedPage(ctx: ActiveContext, page: number, cursor: string | null, notice?: string) {
    const result = await core.leads.listDeleted(ctx.user, { cursor, limit: PAGE_SIZE });
    return renderDeletedList(ctx.t, { items: result.items, page, nextCursor: result.nextCursor }, notice);
  }

  onCallback(composer, deleteAskData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    // Only who may delete is asked (core's actions); the delete itself is refused in core for everyone else.
    if (!card.actions.includes('delete')) throw new ForbiddenError('Only admins delete and restore leads');
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderDeleteConfirm(ctx.t, card));
  });

  onCallback(composer, deleteConfirmData, core, async (ctx, data) => {
    const { lead, undoToken } = await core.leads.delete(ctx.user, { leadId: data.leadId, expectedVersion: data.version });
    ctx.log.info({ lead_id: lead.id }, 'lead_deleted');
    await editTapped(ctx, renderDeleted(ctx.t, lead.id, undoToken));
  });

  composer.command('deleted', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await deletedPage(ctx, 1, null));
  });

  onCallback(composer, deletedPageData, core, async (ctx, data) => {
    await editTapped(ctx, await deletedPage(ctx, data.page, data.cursor || null));
  });

  onCallback(composer, restoreData, core, async (ctx, data) => {
    const lead = await core.leads.restore(ctx.user, { leadId: data.leadId });
    ctx.log.info({ lead_id: lead.id }, 'lead_restored');
    await editTapped(ctx, await deletedPage(ctx, 1, null, ctx.t.deletion.restored(lead.id)));
  });

  return composer;
}
