import type { Context } from 'grammy';
import type { ConversationFlavor } from '@grammyjs/conversations';
import { type Language, type User } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { PendingAnswer } from './callback-answer.js';
import type { Texts } from './texts/index.js';

/** What the middlewares in bot/middlewares put on every context. */
export interface CrmFlavor {
  /** Child logger with update_id (house style rule 13). */
  log: Logger;
  /** The registered user behind ctx.from, loaded fresh for every update; null when unknown. */
  user: User | null;
  lang: Language;
  t: Texts;
  /** Set by the error boundary so the metrics middleware can count the update as failed. */
  failed: boolean;
  /** Whether this update's callback query has been answered (the error edge answers it otherwise). */
  callbackAnswered: boolean;
  /** The words this tap's answer will carry (bot/callback-answer.ts: setAnswer). */
  pendingAnswer: PendingAnswer | null;
}

export type BotContext = ConversationFlavor<Context & CrmFlavor>;

/** Past the access gate: an active user is guaranteed. */
export type ActiveContext = BotContext & { user: User };

export const isActiveUser = (ctx: BotContext): ctx is ActiveContext => ctx.user?.status === 'active';
