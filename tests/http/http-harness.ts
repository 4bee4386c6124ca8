import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createConfig, type Config } from '../../config.js';
import type { Core, DbHandle, KeyValueStore } from '../../core/index.js';
import { createServer, type ServerDeps } from '../../http/app.js';
import type { Logger } from '../../logger.js';
import { createMetrics } from '../../metrics.js';
import { createTestCore } from '../support/test-core.js';

/** A logger whose JSON lines land in `lines`, to assert on what is (and is not) logged. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) { raw.push(String(chunk)); done(); },
  });
  const logger = pino({ level: 'debug' }, stream);
  return {
    logger,
    get lines() { return raw.map((l) => JSON.parse(l) as Record<string, unknown>); },
    text: () => raw.join(''),
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return createConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/**
 * createServer with test defaults on a test database and store (core built
 * from them, unless `core` is given, e.g. a bot harness's); override any dependency.
 */
export function buildApp(deps: ({ handle: DbHandle } | { handle?: undefined; core: Core }) & { store: KeyValueStore } & Partial<ServerDeps>) {
  const { handle, ...rest } = deps;
  const config = deps.config ?? testConfig();
  const core = deps.core ?? createTestCore(handle!, deps.store);
  const metrics = deps.metrics ?? createMetrics({ leadCounts: core.operations.leadCounts, defaultMetrics: false });
  const full: ServerDeps = {
    config,
    core,
    logger: pino({ level: 'silent' }),
    version: '1.2.3',
    startedAt: new Date(Date.now() - 5_000),
    ...rest,
    metrics,
  };
  return { app: createServer(full), metrics, core };
}
