import type { MiddlewareFn } from 'grammy';
import { withCorrelationId, type Language } from '../../core/index.js';
import type { Logger } from '../../logger.js';
import type { BotContext } from '../context.js';
import { textsFor } from '../texts/index.js';

/**
 * Outermost middleware: one child logger per update (update_id), defaults
 * the error edges can rely on, and the update's latency and outcome for
 * metrics (`onUpdate`; another module turns it into Prometheus series).
 */
export function updateContext(
  logger: Logger, defaultLanguage: Language, teamTimeZone: string, onUpdate?: (type: string, seconds: number, ok: boolean) => void,
): MiddlewareFn<BotContext> {
  return async function updateContext(ctx, next) {
    const started = performance.now();
    ctx.log = logger.child({ update_id: ctx.update.update_id });
    ctx.user = null;
    ctx.lang = defaultLanguage;
    ctx.t = textsFor(defaultLanguage, teamTimeZone);
    ctx.failed = false;
    ctx.callbackAnswered = false;
    ctx.pendingAnswer = null;
    if (ctx.callbackQuery) {
      // ctx.api belongs to this update alone, so this only watches this update's calls.
      ctx.api.config.use((prev, method, payload, signal) => {
        if (method === 'answerCallbackQuery') ctx.callbackAnswered = true;
        return prev(method, payload, signal);
      });
    }
    let ok = false;
    try {
      // Everything this update does (outbox rows included) carries its id (§15).
      await withCorrelationId(`upd:${ctx.update.update_id}`, () => next());
      ok = !ctx.failed;
    } finally {
      const ms = performance.now() - started;
      const type = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
      onUpdate?.(type, ms / 1000, ok);
      ctx.log.debug({ type, ms: Math.round(ms), ok }, 'bot_update_handled');
    }
  };
}
