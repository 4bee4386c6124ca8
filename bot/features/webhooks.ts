import { Composer } from 'grammy';
import { can, ValidationError, WEBHOOK_EVENTS, type AttemptReport, type User } from '../../core/index.js';
import {
  webhookActiveData, webhookData, webhookPingData, webhookReplayAllData, webhookReplayData, webhooksData,
} from '../callback-data/platform.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import type { Texts } from '../texts/index.js';
import { renderWebhook, renderWebhooks } from '../views/platform.view.js';

const FAILED_SHOWN = 5;

/**
 * /webhooks (§13, admins): subscriptions with the failing ones marked; one
 * opened shows its failed deliveries with 🔁 each and 🔁 all, 📡 a test
 * ping, ⏸/▶️. `/webhooks add <url> [events]` subscribes and shows the
 * secret and the ping's result. Core refuses everyone but admins.
 */
export function webhooksFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  const result = (t: Texts, r: AttemptReport) => t.webhooks.result(r.status, r.latencyMs, r.error ? escapeHtml(r.error) : null);
  const list = async (ctx: ActiveContext, notice?: string) => renderWebhooks(ctx.t, await core.webhooks.list(ctx.user), WEBHOOK_EVENTS, notice);
  const detail = async (ctx: ActiveContext, user: User, id: number, notice?: string) => {
    const [sub, failed] = await Promise.all([
      core.webhooks.get(user, id), core.webhooks.deliveries(user, { subscriptionId: id, status: 'failed', limit: FAILED_SHOWN }),
    ]);
    return renderWebhook(ctx.t, sub, failed, notice);
  };

  composer.command('webhooks', async (ctx) => {
    if (!can(ctx.user, 'webhooks.manage')) return void await ctx.reply(ctx.t.access.adminsOnly);
    const [sub, url, events] = ctx.match.trim().split(/\s+/);
    if (sub === 'add') {
      if (!url) return void await ctx.reply(ctx.t.webhooks.usage, { parse_mode: 'HTML' });
      let created;
      try {
        created = await core.webhooks.subscribe(ctx.user, {
          url, events: events ? events.split(',').map((e) => e.trim()).filter(Boolean) : WEBHOOK_EVENTS,
        });
      } catch (err) {
        // The admin needs to know what to fix: which rule the URL broke, or which events exist.
        if (!(err instanceof ValidationError) || !['url', 'events'].includes(err.field)) throw err;
        const why = err.field === 'url' ? ctx.t.webhooks.badUrl : ctx.t.webhooks.badEvents(WEBHOOK_EVENTS.join(', '));
        return void await ctx.reply(why, { parse_mode: 'HTML' });
      }
      const { subscription, ping } = created;
      ctx.log.info({ webhook_id: subscription.id, ping_status: ping.status }, 'webhook_subscribed');
      await ctx.reply(ctx.t.webhooks.created(subscription.id, subscription.secret, result(ctx.t, ping)), { parse_mode: 'HTML' });
      return;
    }
    await sendView(ctx.api, ctx.chat.id, await list(ctx));
  });

  onCallback(composer, webhooksData, core, async (ctx) => editTapped(ctx, await list(ctx)));
  onCallback(composer, webhookData, core, async (ctx, data) => editTapped(ctx, await detail(ctx, ctx.user, data.id)));
  onCallback(composer, webhookReplayData, core, async (ctx, data) => {
    const n = await core.webhooks.replay(ctx.user, { subscriptionId: data.id, deliveryId: data.delivery });
    await editTapped(ctx, await detail(ctx, ctx.user, data.id, ctx.t.webhooks.replayed(n)));
  });
  onCallback(composer, webhookReplayAllData, core, async (ctx, data) => {
    const n = await core.webhooks.replay(ctx.user, { subscriptionId: data.id });
    ctx.log.info({ webhook_id: data.id, replayed: n }, 'webhook_replayed');
    await editTapped(ctx, await detail(ctx, ctx.user, data.id, ctx.t.webhooks.replayed(n)));
  });
  onCallback(composer, webhookPingData, core, async (ctx, data) => {
    const ping = await core.webhooks.ping(ctx.user, data.id);
    await editTapped(ctx, await detail(ctx, ctx.user, data.id, ctx.t.webhooks.pinged(result(ctx.t, ping))));
  });
  onCallback(composer, webhookActiveData, core, async (ctx, data) => {
    await core.webhooks.setActive(ctx.user, data.id, data.on === 1);
    await editTapped(ctx, await detail(ctx, ctx.user, data.id));
  });
  return composer;
}
