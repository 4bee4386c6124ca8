import { pino } from 'pino';
import { createConfig } from '../../config.js';
import { createCore, type Core, type DbHandle, type KeyValueStore } from '../../core/index.js';
import type { Logger } from '../../logger.js';

/**
 * Core on a test database and store, with test settings (env overrides
 * them, e.g. { STALE_AFTER_DAYS: '7' }) and LISTEN from the database handle.
 * now: core's clock (a controllable one for "an hour later"), default the real one.
 */
export function createTestCore(
  handle: DbHandle, store: KeyValueStore, env: Record<string, string> = {}, logger: Logger = pino({ level: 'silent' }),
  now?: () => Date,
): Core {
  const config = createConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return createCore({ db: handle.db, store, config, logger, listen: handle.listen, ...(now ? { now } : {}) });
}
