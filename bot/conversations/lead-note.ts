import type { Context } from 'grammy';
import { NOTE_LIMIT, type Core } from '../../core/index.js';
import { act, askText, type CrmConversation } from './ask-text.js';
import { replaceWithCard, type CardRef } from './card-question.js';

export const NOTE_CONVERSATION = 'note';

/**
 * 📝 Note (§5): asks for the text on the card (≤ 4096, ❌ Cancel or /cancel
 * to stop), adds it through core, and the card comes back under the note
 * with "Note added" on top.
 */
export function noteConversation(core: Core) {
  return async function note(conversation: CrmConversation, _ctx: Context, ref: CardRef): Promise<void> {
    const on = { core, ref };
    const body = await askText(conversation, (t) => t.actions.noteAsk(ref.leadId, NOTE_LIMIT), { min: 1, max: NOTE_LIMIT, on });
    if (body === null) return;
    // Core re-checks the user's right to the lead at the moment of writing.
    await act(conversation, async (ctx) => {
      await core.notes.add(ctx.user, { leadId: ref.leadId, body });
      ctx.log.info({ lead_id: ref.leadId }, 'lead_note_added');
      await replaceWithCard(core, ctx, ref, ctx.t.actions.noteSaved(ref.leadId));
    }, on);
  };
}
