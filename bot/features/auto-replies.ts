import { Composer, InlineKeyboard } from 'grammy';
import { can, CHANNEL_TEXT_KEYS, LANGUAGES } from '../../core/index.js';
import { channelTextData } from '../callback-data/channels.js';
import type { ActiveContext } from '../context.js';
import { CHANNEL_TEXT_CONVERSATION } from '../conversations/edit-channel-text.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml, truncate } from '../html.js';
import { sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { textsFor } from '../texts/index.js';

/**
 * /autoreply (§12, admins): what the bot says to customers by itself — the
 * greeting, the off-hours reply, asking for and thanking for the phone — in
 * each language, the admin's own text or the default, with ✏️ to change one.
 */
export function autoRepliesFeature({ core, config }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('autoreply', async (ctx) => {
    if (!can(ctx.user, 'channel.manage')) return void await ctx.reply(ctx.t.access.adminsOnly);
    const custom = await core.channel.listTexts(ctx.user);
    const kb = new InlineKeyboard();
    const lines: string[] = [];
    for (const key of CHANNEL_TEXT_KEYS) {
      for (const language of LANGUAGES) {
        const own = custom.find((c) => c.key === key && c.language === language);
        const text = own?.body ?? textsFor(language, config.TEAM_TIMEZONE).customer.defaults[key];
        lines.push(ctx.t.autoReplies.line(ctx.t.autoReplies.keys[key], language, escapeHtml(truncate(text, 300)), Boolean(own)));
        kb.text(ctx.t.autoReplies.edit(ctx.t.autoReplies.keys[key], language), channelTextData.pack({ key, language }));
      }
      kb.row();
    }
    const title = ctx.t.autoReplies.title(escapeHtml(config.WORKING_HOURS), escapeHtml(config.TEAM_TIMEZONE), core.conversations.isWorkingTime());
    await sendView(ctx.api, ctx.chat.id, { text: [title, '', ...lines].join('\n\n'), keyboard: kb });
  });

  onCallback(composer, channelTextData, core, async (ctx, data) => {
    if (!can(ctx.user, 'channel.manage')) return void await ctx.reply(ctx.t.access.adminsOnly);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(CHANNEL_TEXT_CONVERSATION, { key: data.key, language: data.language });
  });

  return composer;
}
