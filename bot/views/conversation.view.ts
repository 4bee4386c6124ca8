import { InlineKeyboard } from 'grammy';
import {
  previewOf, REPLY_MEDIA_KINDS, type ChannelTextKey, type ConversationMessage, type ConversationPage, type InboxPage,
  type LeadCard,
} from '../../core/index.js';
import { conversationData, inboxPageData, messageFileData, replyData } from '../callback-data/channels.js';
import { leadOpenData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { leadCardKeyboard, type View } from './lead-card.view.js';

/** How much of one message a notice or a page shows, in characters. */
const LINE_MAX = 300;
/** Messages shown in one notice (the rest are one tap away). */
export const NOTICE_LINES = 8;
/** Messages on one page of a conversation in the bot (core pages in SQL; the API's default is 100). */
export const CONVERSATION_PAGE_SIZE = 8;

type Shown = Pick<ConversationMessage, 'kind' | 'text' | 'file_name' | 'details'>;

/** One message as a line (HTML): its kind ("🖼 Photo") and its text, caption or contents, escaped and cut. */
export function messageText(t: Texts, m: Shown): string {
  const template = m.details?.template as ChannelTextKey | undefined;
  if (template) return t.conversations.botTexts[template] ?? template;
  const kind = t.conversations.kinds[m.kind as keyof Texts['conversations']['kinds']] ?? '';
  const body = escapeHtml(truncate(previewOf(m), LINE_MAX));
  return [kind, body].filter(Boolean).join(' ');
}

/** The customer as staff see them: name and @username, escaped. */
export const customerLabel = (name: string, username: string | null): string =>
  escapeHtml(name) + (username ? ` (@${escapeHtml(username)})` : '');

/**
 * What a customer wrote since the last notice (§12), compact, with the
 * card's buttons (stage moves, 💬 Reply, 🗂 Messages…) so the assignee acts
 * right there.
 */
export function renderCustomerNotice(
  t: Texts, p: { card: LeadCard; customer: string; items: ConversationMessage[]; total: number },
): View {
  const lines = p.items.map((m) => `• ${messageText(t, m)}`);
  const more = p.total > p.items.length ? [t.conversations.more(p.total - p.items.length)] : [];
  return {
    text: [t.conversations.noticeTitle(p.customer, p.card.lead.id, p.total), ...lines, ...more].join('\n'),
    keyboard: leadCardKeyboard(t, p.card),
  };
}

/** /inbox: one button per conversation (its unread count, name and last message), newest first. */
export function renderInbox(t: Texts, page: InboxPage, p: { page: number }): View {
  const kb = new InlineKeyboard();
  const lines = page.items.map((c) => {
    const last = c.last ? messageText(t, c.last) : '';
    kb.text(truncate(`${c.unread ? `🔵${c.unread} ` : ''}#${c.lead_id} ${c.customer_name}`, 40),
      conversationData.pack({ leadId: c.lead_id, before: 0, edit: 0 })).row();
    return `${t.conversations.inboxLine(customerLabel(c.customer_name, c.username), c.unread)} · #${c.lead_id} · ${t.time.at(c.last_message_at)}` +
      (last ? `\n   ${c.last?.direction === 'out' ? '➡️ ' : ''}${last}` : '');
  });
  if (page.nextCursor) kb.text(t.common.next, inboxPageData.pack({ page: p.page + 1, cursor: page.nextCursor }));
  if (!page.items.length) return { text: t.conversations.inboxEmpty, keyboard: kb };
  return { text: [t.conversations.inboxTitle(p.page), '', ...lines].join('\n'), keyboard: kb };
}

/**
 * A page of a conversation (§12), oldest to newest on screen, with ◀ Older
 * and ⏭ Newest, 💬 Reply, the card, and a 📎 button per file on the page
 * (sent again by its Telegram file id).
 */
export function renderConversationPage(t: Texts, page: ConversationPage, before: number): View {
  const { conversation } = page;
  const kb = new InlineKeyboard();
  let file = 0;
  const lines = [...page.items].reverse().map((m) => {
    const hasFile = m.file_id !== null && (REPLY_MEDIA_KINDS as readonly string[]).includes(m.kind);
    if (hasFile) kb.text(t.conversations.file(++file), messageFileData.pack({ messageId: m.id }));
    const text = `${hasFile ? `[📎 ${file}] ` : ''}${messageText(t, m)}`;
    if (m.direction === 'in') return t.conversations.lineIn(t.time.at(m.created_at), text);
    const who = m.sender_name ? escapeHtml(m.sender_name) : t.conversations.bot;
    return t.conversations.lineOut(t.time.at(m.created_at), who, text, m.status === 'failed' ? t.conversations.failed : '');
  });
  if (file) kb.row();
  if (page.nextCursor && page.nextBefore) kb.text(t.conversations.older, conversationData.pack({ leadId: conversation.leadId, before: page.nextBefore, edit: 1 }));
  if (before > 0) kb.text(t.conversations.newest, conversationData.pack({ leadId: conversation.leadId, before: 0, edit: 1 }));
  kb.row().text(t.conversations.reply, replyData.pack({ leadId: conversation.leadId }))
    .text(t.card.open, leadOpenData.pack({ leadId: conversation.leadId }));
  const head = [
    t.conversations.pageTitle(customerLabel(conversation.customerName, conversation.username), conversation.leadId),
    ...(conversation.blocked ? [t.conversations.blocked] : []),
  ];
  const body = lines.length ? lines.join('\n\n') : t.conversations.pageEmpty;
  // CONVERSATION_PAGE_SIZE lines of at most LINE_MAX characters each keep a page inside Telegram's 4096.
  return { text: `${head.join('\n')}\n\n${body}`, keyboard: kb };
}
