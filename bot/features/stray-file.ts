import { Composer, InlineKeyboard } from 'grammy';
import { attachmentProblem } from '../../core/index.js';
import { setAnswer } from '../callback-answer.js';
import { strayFileCancelData, strayFileLeadData } from '../callback-data/stray-file.js';
import type { ActiveContext } from '../context.js';
import { attachmentRefusal, fileOf } from '../conversations/lead-attachment.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import { confirmTap, onCallback } from '../on-callback.js';
import { claimStrayFile, dropStrayFile, keepStrayFile } from '../stray-file-state.js';
import { attachmentLabel } from '../views/lead-attachments.view.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { renderStrayFileQuestion } from '../views/stray-file.view.js';

/** How many recent leads the question offers. */
const RECENT_LEADS = 6;

/**
 * A document or photo sent without 📎 Attach (issue 9): instead of
 * "unknown command", the bot asks which lead it belongs to, offering the
 * leads the sender worked on last. A file the rules refuse (§5: size,
 * type) is refused at once. Picking a lead attaches it through core — the
 * same rights and upload limit as 📎 Attach — and the question becomes
 * that lead's card. Runs after the conversations, so a file sent as the
 * answer to 📎 Attach never gets here.
 */
export function strayFileFeature({ core, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.on(['message:document', 'message:photo'], async (ctx) => {
    const file = fileOf(ctx.message)!;
    const problem = attachmentProblem(file);
    if (problem) {
      await ctx.reply(attachmentRefusal(ctx.t, problem, file), { parse_mode: 'HTML' });
      return;
    }
    const leads = await core.leads.recent(ctx.user, RECENT_LEADS);
    if (leads.length === 0) {
      await ctx.reply(ctx.t.strayFile.noLeads, { parse_mode: 'HTML' });
      return;
    }
    const key = await keepStrayFile(store, ctx.user.id, file);
    await sendView(ctx.api, ctx.chat.id, renderStrayFileQuestion(ctx.t, key, leads));
  });

  onCallback(composer, strayFileLeadData, core, async (ctx, data) => {
    const stray = await claimStrayFile(store, data.key, ctx.user.id);
    if (!stray) {
      setAnswer(ctx, ctx.t.strayFile.expired, { alert: true });
      return;
    }
    let attachment;
    try {
      attachment = await core.attachments.add(ctx.user, { leadId: data.leadId, file: stray.file });
    } catch (err) {
      // Refused (no right, the hourly limit): the question stays, another lead can be picked.
      await stray.release();
      throw err;
    }
    await stray.done();
    ctx.log.info({ lead_id: data.leadId, attachment_id: attachment.id, kind: attachment.kind }, 'lead_attachment_added');
    confirmTap(ctx, ctx.t.attachments.saved(data.leadId, escapeHtml(attachmentLabel(ctx.t, attachment))));
    await editTapped(ctx, renderLeadCard(ctx.t, await core.leads.card(ctx.user, data.leadId)));
  });

  onCallback(composer, strayFileCancelData, core, async (ctx, data) => {
    await dropStrayFile(store, data.key);
    confirmTap(ctx, ctx.t.common.cancelled);
    await editTapped(ctx, { text: ctx.t.strayFile.notAttached, keyboard: new InlineKeyboard() });
  });

  return composer;
}
