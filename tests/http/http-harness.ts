import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createConfig, type Config } from '../../config.js';
import { createServer, type ServerDeps } from '../../http/app.js';
import type { Logger } from '../../logger.js';
import { createMetrics } from '../../metrics.js';

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

/** createServer with test defaults; override any dependency. */
export function buildApp(deps: Pick<ServerDeps, 'db' | 'store'> & Partial<ServerDeps>) {
  const metrics = deps.metrics ?? createMetrics({ db: deps.db, defaultMetrics: false });
  const full: ServerDeps = {
    config: testConfig(),
    logger: pino({ level: 'silent' }),
    version: '1.2.3',
    startedAt: new Date(Date.now() - 5_000),
    ...deps,
    metrics,
  };
  return { app: createServer(full), metrics };
}
