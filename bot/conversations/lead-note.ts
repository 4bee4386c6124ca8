import type { Context } from 'grammy';
import { NOTE_LIMIT, type Core } from '../../core/index.js';
import { act, askText, type CrmConversation } from './ask-text.js';

export const NOTE_CONVERSATION = 'note';

/** 📝 Note (§5): asks for the text (≤ 4096, /cancel to stop), then adds it through core. */
export function noteConversation(core: Core) {
  return async function note(conversation: CrmConversation, _ctx: Context, leadId: number): Promise<void> {
    const body = await askText(conversation, (t) => t.actions.noteAsk(leadId, NOTE_LIMIT), { min: 1, max: NOTE_LIMIT });
    if (body === null) return;
    // Core re-checks the user's right to the lead at the moment of writing.
    await act(conversation, async (ctx) => {
      await core.notes.add(ctx.user, { leadId, body });
      ctx.log.info({ lead_id: leadId }, 'lead_note_added');
      await ctx.reply(ctx.t.actions.noteSaved(leadId), { parse_mode: 'HTML' });
    });
  };
}
