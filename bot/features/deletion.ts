import { Composer } from 'grammy';
import {
  assertCanDeleteLeads, deleteLead, listDeletedLeads, restoreLead,
} from '../../core/leads/lead-deletion.service.js';
import { rememberUndo } from '../../core/leads/undo.service.js';
import { deleteAskData, deleteConfirmData, deletedPageData, restoreData } from '../callback-data/team-actions.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, loadCardData, sendView } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { renderDeleteConfirm, renderDeleted, renderDeletedList } from '../views/deletion.view.js';

const PAGE_SIZE = 8;

/**
 * 🗑 Delete and /deleted (§6, admins; core refuses everyone else):
 * delete asks first, then soft-deletes with ↩️ Undo for 30 s; /deleted
 * lists deleted leads in keyset pages with ♻️ Restore on each.
 */
export function deletionFeature({ db, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  async function deletedPage(ctx: ActiveContext, page: number, cursor: string | null, notice?: string) {
    const result = await listDeletedLeads(db, ctx.user, { cursor, limit: PAGE_SIZE });
    return renderDeletedList(ctx.t, { items: result.items, page, nextCursor: result.nextCursor }, notice);
  }

  onCallback(composer, deleteAskData, db, async (ctx, data) => {
    assertCanDeleteLeads(ctx.user);
    const card = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderDeleteConfirm(ctx.t, card));
  });

  onCallback(composer, deleteConfirmData, db, async (ctx, data) => {
    const lead = await deleteLead(db, { leadId: data.leadId, actor: ctx.user, expectedVersion: data.version });
    ctx.log.info({ lead_id: lead.id }, 'lead_deleted');
    const token = await rememberUndo(store, {
      kind: 'delete', leadId: lead.id, versionAfter: lead.version, actorId: ctx.user.id, previous: null,
    });
    await editTapped(ctx, renderDeleted(ctx.t, lead.id, token));
  });

  composer.command('deleted', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await deletedPage(ctx, 1, null));
  });

  onCallback(composer, deletedPageData, db, async (ctx, data) => {
    await editTapped(ctx, await deletedPage(ctx, data.page, data.cursor || null));
  });

  onCallback(composer, restoreData, db, async (ctx, data) => {
    const lead = await restoreLead(db, { leadId: data.leadId, actor: ctx.user });
    ctx.log.info({ lead_id: lead.id }, 'lead_restored');
    await editTapped(ctx, await deletedPage(ctx, 1, null, ctx.t.deletion.restored(lead.id)));
  });

  return composer;
}
