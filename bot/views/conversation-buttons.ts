import type { InlineKeyboard } from 'grammy';
import type { Lead } from '../../core/index.js';
import { askPhoneData, conversationData, replyData } from '../callback-data/channels.js';
import type { Texts } from '../texts/index.js';

/** 💬 Reply · 🗂 Messages (· 📱 Ask for phone while the lead has none): a conversation's buttons on a card or a notice (§12). */
export function conversationButtons(kb: InlineKeyboard, t: Texts, lead: Pick<Lead, 'id' | 'phone'>): InlineKeyboard {
  kb.text(t.conversations.reply, replyData.pack({ leadId: lead.id }))
    .text(t.conversations.messages, conversationData.pack({ leadId: lead.id, before: 0, edit: 0 }));
  if (!lead.phone) kb.text(t.conversations.askPhone, askPhoneData.pack({ leadId: lead.id }));
  return kb;
}
