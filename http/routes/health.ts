import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { type Database, type KeyValueStore } from '../../core/index.js';
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

export interface HealthDeps {
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_MODEL' | 'JOBS_ENABLED'>;
  db: Kysely<Database>;
  store: KeyValueStore;
  version: string;
  startedAt: Date;
  schedulerStatus?: () => SchedulerStatus;
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
      await sql`select 1`.execute(deps.db);
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
