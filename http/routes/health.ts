import { Hono } from 'hono';
import type { Config } from '../../config.js';
import type { KeyValueStore } from '../../core/index.js';
import type { AppEnv } from '../middlewares/request-logger.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What a check finds; `cause` (the error) is logged, never returned. */
interface CheckResult {
  status: HealthStatus;
  [detail: string]: unknown;
}

export interface ComponentHealth extends CheckResult {
  latency_ms: number;
}

export interface SchedulerStatus {
  running: boolean;
  lastRunAt?: Date | null;
}

/** The bot's side: is it connected to Telegram, and does Telegram take the outbox's messages. */
export interface TelegramStatus {
  connection: 'connecting' | 'connected' | 'stopped';
  delivery: { telegram: 'ok' | 'unreachable'; inFlight: number };
}

export interface HealthDeps {
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_MODEL' | 'JOBS_ENABLED'>;
  /** Resolves when the database answers; throws when it does not (core.operations.pingDatabase). */
  pingDatabase: () => Promise<void>;
  store: KeyValueStore;
  version: string;
  startedAt: Date;
  schedulerStatus?: () => SchedulerStatus;
  /** Absent when the bot is off. */
  telegramStatus?: () => TelegramStatus;
  /** Per-component limit in ms; a check that takes longer is reported as failed. Default 2000. */
  timeoutMs?: number;
}

type Check = () => Promise<CheckResult>;

/**
 * GET /health (§15): every component checked in parallel, each with its
 * latency and a time limit. Without the database nothing works (unhealthy,
 * 503); anything else failing leaves the service up but degraded (200), so
 * orchestrators restart only what a restart can fix.
 */
export function healthRoute(deps: HealthDeps): Hono<AppEnv> {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const checks: Record<string, Check> = {
    database: async () => {
      await deps.pingDatabase();
      return { status: 'healthy' };
    },
    redis: async () => {
      // The in-process store cannot be down; it only serves one instance.
      if (deps.store.kind === 'memory') return { status: 'healthy', mode: 'in-process' };
      await deps.store.ping();
      return { status: 'healthy', mode: 'redis' };
    },
    // Configured is all we can know without a paid call; without a key the
    // rule-based scorer answers (§7), which works but is worse.
    ai: async () => deps.config.OPENAI_API_KEY
      ? { status: 'healthy', mode: 'model', model: deps.config.OPENAI_MODEL }
      : { status: 'degraded', mode: 'fallback', note: 'fallback scoring' },
    scheduler: async () => schedulerHealth(deps),
    telegram: async () => telegramHealth(deps),
  };

  return new Hono<AppEnv>().get('/health', async (c) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name]!, timeoutMs)));
    const components = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    for (const [name, r] of Object.entries(components)) {
      if (r.status !== 'healthy' && r.cause) c.get('logger').warn({ component: name, err: r.cause }, 'health_check_failed');
      delete r.cause; // internals (hosts, driver messages) stay in the log
    }
    const status = overallStatus(components);
    c.header('Cache-Control', 'no-store');
    return c.json({
      status,
      components,
      uptime_seconds: Math.floor((Date.now() - deps.startedAt.getTime()) / 1000),
      version: deps.version,
    }, status === 'unhealthy' ? 503 : 200);
  });
}

/** Connected and taking messages: healthy; still connecting, or Telegram unreachable: degraded (the CRM works, messages wait). */
function telegramHealth(deps: HealthDeps): CheckResult {
  if (!deps.telegramStatus) return { status: 'healthy', enabled: false };
  const { connection, delivery } = deps.telegramStatus();
  const ok = connection === 'connected' && delivery.telegram === 'ok';
  return { status: ok ? 'healthy' : 'degraded', enabled: true, connection, delivery: delivery.telegram, in_flight: delivery.inFlight };
}

function schedulerHealth(deps: HealthDeps): CheckResult {
  if (!deps.config.JOBS_ENABLED || !deps.schedulerStatus) return { status: 'healthy', enabled: false };
  const s = deps.schedulerStatus();
  return {
    status: s.running ? 'healthy' : 'degraded',
    enabled: true,
    running: s.running,
    last_run_at: s.lastRunAt ? s.lastRunAt.toISOString() : null,
  };
}

async function runCheck(check: Check, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
  });
  try {
    const result = await Promise.race([check(), timeout]);
    return { ...result, latency_ms: elapsed(started) };
  } catch (err) {
    const timedOut = err instanceof CheckTimeout;
    return { status: 'unhealthy', latency_ms: elapsed(started), error: timedOut ? 'timeout' : 'unavailable', cause: err };
  } finally {
    clearTimeout(timer);
  }
}

class CheckTimeout extends Error {
  override name = 'CheckTimeout';
}

function overallStatus(components: Record<string, ComponentHealth>): HealthStatus {
  if (components.database?.status === 'unhealthy') return 'unhealthy';
  return Object.values(components).every((c) => c.status === 'healthy') ? 'healthy' : 'degraded';
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
