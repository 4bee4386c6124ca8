import { Composer } from 'grammy';
import { outboxPageData, outboxRetryAllData, outboxRetryData } from '../callback-data/outbox.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { OUTBOX_PAGE_SIZE, renderOutbox } from '../views/outbox.view.js';

/**
 * /outbox (admins): messages Telegram never took — it was away past the
 * outbox's maximum age, or refused them (the bot blocked, a chat gone) —
 * with 🔁 to send one again, or all. Core refuses everyone but admins.
 */
export function outboxFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  async function screen(ctx: ActiveContext, page: number, notice?: string) {
    const [counts, { items, total }] = await Promise.all([
      core.outbox.counts(ctx.user),
      core.outbox.listFailed(ctx.user, { limit: OUTBOX_PAGE_SIZE, offset: (page - 1) * OUTBOX_PAGE_SIZE }),
    ]);
    return renderOutbox(ctx.t, { counts, failed: items, total, page }, notice);
  }

  composer.command('outbox', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await screen(ctx, 1));
  });

  onCallback(composer, outboxPageData, core, async (ctx, data) => {
    await editTapped(ctx, await screen(ctx, Math.max(data.page, 1)));
  });

  onCallback(composer, outboxRetryData, core, async (ctx, data) => {
    const n = await core.outbox.retry(ctx.user, { id: data.id });
    ctx.log.info({ notification_id: data.id }, 'outbox_retry_requested');
    await editTapped(ctx, await screen(ctx, Math.max(data.page, 1), ctx.t.outbox.requeued(n)));
  });

  onCallback(composer, outboxRetryAllData, core, async (ctx) => {
    const n = await core.outbox.retry(ctx.user, 'all');
    ctx.log.info({ requeued: n }, 'outbox_retry_requested');
    await editTapped(ctx, await screen(ctx, 1, ctx.t.outbox.requeued(n)));
  });

  return composer;
}
