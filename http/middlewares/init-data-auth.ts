import { parse, validate } from '@telegram-apps/init-data-node';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Core, User } from '../../core/index.js';
import type { AppEnv } from './request-logger.js';

export type MiniAppEnv = AppEnv & { Variables: AppEnv['Variables'] & { user: User } };

/**
 * Every Mini App request proves who sends it with Telegram's init data
 * (§16): `Authorization: tma <initData>`, signed by Telegram with the
 * bot's token and younger than maxAgeSeconds (@telegram-apps/init-data-node
 * checks both). Missing, forged or expired → 401. The Telegram user must
 * be a registered, active user of the CRM → else 403; rights beyond that
 * are core's, per call, as for the bot.
 */
export function initDataAuth(p: { core: Core; botToken: string; maxAgeSeconds: number }): MiddlewareHandler<MiniAppEnv> {
  return async function initDataAuth(c, next) {
    const match = /^tma (.+)$/.exec(c.req.header('authorization') ?? '');
    if (!match) throw new HTTPException(401, { message: 'Missing Telegram init data' });
    let telegramId: number | undefined;
    try {
      validate(match[1]!, p.botToken, { expiresIn: p.maxAgeSeconds });
      telegramId = parse(match[1]!).user?.id;
    } catch (err) {
      c.get('logger').warn({ reason: (err as Error).name }, 'miniapp_init_data_refused');
      throw new HTTPException(401, { message: 'Invalid or expired Telegram init data' });
    }
    if (!telegramId) throw new HTTPException(401, { message: 'Telegram init data without a user' });
    const user = await p.core.users.byTelegramId(telegramId);
    if (user?.status !== 'active') throw new HTTPException(403, { message: 'Not an active user of this CRM' });
    c.set('user', user);
    await next();
  };
}
