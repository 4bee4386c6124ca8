import { InlineKeyboard } from 'grammy';
import type { CampaignLink } from '../../core/index.js';
import { campaignAddData, campaignDisableData } from '../callback-data/channels.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

/** The deep link of a campaign code (§12): what goes into an ad. */
export const campaignLink = (botUsername: string, code: string) => `https://t.me/${botUsername}?start=${code}`;

/** /campaigns: each link with its t.me address and UTM values; ➕ and ⏸ buttons. */
export function renderCampaigns(t: Texts, links: CampaignLink[], botUsername: string, notice?: string): View {
  const kb = new InlineKeyboard();
  const lines = links.map((l) => {
    const utm = ([['source', l.utm_source], ['medium', l.utm_medium], ['campaign', l.utm_campaign], ['content', l.utm_content], ['term', l.utm_term]] as const)
      .filter(([, v]) => v).map(([k, v]) => `utm_${k}=${escapeHtml(v!)}`).join(' · ');
    if (l.is_active) kb.text(t.campaigns.disable(truncate(l.name, 40)), campaignDisableData.pack({ id: l.id })).row();
    return t.campaigns.line(escapeHtml(l.name), l.is_active, escapeHtml(campaignLink(botUsername, l.code)), utm);
  });
  kb.text(t.campaigns.add, campaignAddData.pack({}));
  const body = [t.campaigns.title, '', ...(lines.length ? lines : [t.campaigns.empty])].join('\n\n');
  return { text: notice ? `${notice}\n\n${body}` : body, keyboard: kb };
}
