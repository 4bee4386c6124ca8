import { Composer } from 'grammy';
import { can } from '../../core/index.js';
import { campaignAddData, campaignDisableData } from '../callback-data/channels.js';
import type { ActiveContext } from '../context.js';
import { ADD_CAMPAIGN_CONVERSATION } from '../conversations/add-campaign.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { renderCampaigns } from '../views/campaign.view.js';

/**
 * /campaigns (§12, admins): campaign deep links — `t.me/<bot>?start=<code>`
 * to paste into an ad, whose leads get the link's UTM values — listed,
 * added (a short conversation) and disabled. Core checks the admin on every tap.
 */
export function campaignsFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('campaigns', async (ctx) => {
    if (!can(ctx.user, 'channel.manage')) return void await ctx.reply(ctx.t.access.adminsOnly);
    await sendView(ctx.api, ctx.chat.id, renderCampaigns(ctx.t, await core.channel.listCampaigns(ctx.user), ctx.me.username));
  });

  onCallback(composer, campaignAddData, core, async (ctx) => {
    if (!can(ctx.user, 'channel.manage')) return void await ctx.reply(ctx.t.access.adminsOnly);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(ADD_CAMPAIGN_CONVERSATION);
  });

  onCallback(composer, campaignDisableData, core, async (ctx, data) => {
    const link = await core.channel.disableCampaign(ctx.user, data.id);
    ctx.log.info({ campaign_link_id: link.id }, 'campaign_link_disabled');
    await editTapped(ctx, renderCampaigns(ctx.t, await core.channel.listCampaigns(ctx.user), ctx.me.username,
      ctx.t.campaigns.disabled(escapeHtml(link.name))));
  });

  return composer;
}
