import type { Api, MiddlewareFn } from 'grammy';
import type { KeyValueStore } from '../../core/index.js';
import { menuFor } from '../command-menu.js';
import type { BotContext } from '../context.js';
import { errorFields } from '../log-fields.js';

/** bot:cmds:<chat id> → the menu last set for that chat (menuFor's key). */
export const COMMAND_MENU_KEY_PREFIX = 'bot:cmds:';
/** The record expires, so a chat nobody used for a month is checked (and its menu set) afresh. */
const MENU_RECORD_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** After Telegram refused or did not answer, the same menu is not tried again for that chat for this long. */
const RETRY_AFTER_MS = 10 * 60 * 1000;

/**
 * Keeps each private chat's command menu matching its user (§1: their role
 * and language) — lazily, because every menu costs an API call: once the
 * update has been handled (it may have changed the language, or registered
 * the person), the menu the chat should show is compared with the one last
 * set for it, kept in the shared store; only a difference is sent. That is
 * the first update after a role or language change, an approval, a
 * deactivation, or a release that changes the menu's commands or texts.
 * `api` is a client without auto-retry, so a slow Telegram never holds an
 * update up. A failure is logged and tried again later; it never fails the
 * update.
 */
export function syncCommandMenu(api: Api, store: KeyValueStore, boardUrl: string | null = null): MiddlewareFn<BotContext> {
  return async function syncCommandMenu(ctx, next) {
    try {
      await next();
    } finally {
      // Also after a failed update: the first tap after a demotion is often a refused one.
      if (ctx.chat) await syncChat(ctx, api, store, ctx.chat.id, boardUrl);
    }
  };
}

async function syncChat(ctx: BotContext, api: Api, store: KeyValueStore, chatId: number, boardUrl: string | null): Promise<void> {
  let key = 'unknown';
  try {
    const menu = menuFor(ctx.user, chatId);
    // With a board (§14), the chat's menu button opens it for staff; customers and guests keep the default.
    key = boardUrl ? `${menu.key}:board` : menu.key;
    const storeKey = `${COMMAND_MENU_KEY_PREFIX}${chatId}`;
    const last = await store.get(storeKey);
    if (last === key || last === `retry:${key}`) return;
    try {
      // No menu of its own: the chat falls back to the default one (/start, /help).
      if (menu.call) await api.setMyCommands(menu.call.commands, { scope: menu.call.scope });
      else await api.deleteMyCommands({ scope: { type: 'chat', chat_id: chatId } });
      if (boardUrl) {
        await api.setChatMenuButton({
          chat_id: chatId,
          menu_button: menu.call ? { type: 'web_app', text: ctx.t.board.menuButton, web_app: { url: boardUrl } } : { type: 'default' },
        });
      }
    } catch (err) {
      ctx.log.warn({ ...errorFields(err), menu: key }, 'bot_command_menu_not_set');
      await store.set(storeKey, `retry:${key}`, RETRY_AFTER_MS);
      return;
    }
    await store.set(storeKey, key, MENU_RECORD_TTL_MS);
    ctx.log.info({ menu: key }, 'bot_command_menu_set');
  } catch (err) {
    // The store is away (or a bug in the menu): the menu is looked at again on a later update.
    ctx.log.warn({ ...errorFields(err), menu: key }, 'bot_command_menu_not_checked');
  }
}
