import type { Context } from 'grammy';
import { CAPACITY_MAX, CAPACITY_MIN, type Core } from '../../core/index.js';
import { escapeHtml } from '../html.js';
import { sendView } from '../lead-cards.js';
import type { Texts } from '../texts/index.js';
import { renderUserScreen } from '../views/users.view.js';
import { act, askText, type CrmConversation } from './ask-text.js';

export const USER_CAPACITY_CONVERSATION = 'userCapacity';

export interface UserCapacityArgs { userId: number; name: string }

const WHOLE_NUMBER = /^\d{1,5}$/;

/**
 * /users → a user → ✍️ Other… (§4, admins): asks for the capacity as a
 * whole number 0–10000 until it gets one (or /cancel), then sets it through
 * core, which checks again that the person typing is an admin.
 */
export function userCapacityConversation(core: Core) {
  return async function userCapacity(conversation: CrmConversation, _ctx: Context, args: UserCapacityArgs): Promise<void> {
    const name = escapeHtml(args.name);
    let prompt = (t: Texts): string => t.users.capacityAsk(name, CAPACITY_MIN, CAPACITY_MAX);
    let capacity: number | null = null;
    while (capacity === null) {
      const text = await askText(conversation, prompt, { min: 1, max: 16 });
      if (text === null) return;
      const n = WHOLE_NUMBER.test(text) ? Number(text) : NaN;
      if (n >= CAPACITY_MIN && n <= CAPACITY_MAX) capacity = n;
      else prompt = (t) => t.users.capacityInvalid(CAPACITY_MIN, CAPACITY_MAX);
    }
    const chosen = capacity;
    await act(conversation, async (ctx) => {
      const user = await core.users.setCapacity(ctx.user, { userId: args.userId, capacity: chosen });
      ctx.log.info({ target_user_id: user.id, capacity: user.capacity }, 'user_capacity_changed');
      const notice = ctx.t.users.capacitySet(escapeHtml(user.full_name), user.capacity);
      await sendView(ctx.api, ctx.chat!.id, renderUserScreen(ctx.t, await core.users.getManaged(ctx.user, user.id), ctx.user, notice));
    });
  };
}
