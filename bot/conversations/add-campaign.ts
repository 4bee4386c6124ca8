import type { Context } from 'grammy';
import type { Core } from '../../core/index.js';
import { escapeHtml } from '../html.js';
import { campaignLink } from '../views/campaign.view.js';
import { act, askText, type CrmConversation } from './ask-text.js';

export const ADD_CAMPAIGN_CONVERSATION = 'addCampaign';

const UTM_FIELDS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/**
 * /campaigns → ➕ (§12, admins): the /start code, a name, then the UTM
 * values ("-" leaves one out); the t.me link to paste into an ad comes back.
 */
export function addCampaignConversation(core: Core) {
  return async function addCampaign(conversation: CrmConversation, _ctx: Context): Promise<void> {
    const code = await askText(conversation, (t) => t.campaigns.askCode, { min: 1, max: 64 });
    if (code === null) return;
    const name = await askText(conversation, (t) => t.campaigns.askName, { min: 1, max: 100 });
    if (name === null) return;
    const utm: Record<string, string | null> = {};
    for (const field of UTM_FIELDS) {
      const value = await askText(conversation, (t) => t.campaigns.askUtm(field), { min: 1, max: 256 });
      if (value === null) return;
      utm[field] = value === '-' ? null : value;
    }
    await act(conversation, async (ctx) => {
      const link = await core.channel.createCampaign(ctx.user, { code, name: name === '-' ? null : name, utm });
      ctx.log.info({ campaign_link_id: link.id }, 'campaign_link_created');
      await ctx.reply(ctx.t.campaigns.created(escapeHtml(link.name), escapeHtml(campaignLink(ctx.me.username, link.code))), {
        parse_mode: 'HTML', link_preview_options: { is_disabled: true },
      });
    });
  };
}
