import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { COLD_STAGES, LEAD_SOURCES, type AiObserver, type LeadCounts } from './core/index.js';

/** Seconds; §15 fixes these for the AI histogram. */
const AI_BUCKETS = [0.1, 0.5, 1, 2, 5, 10];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BOT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  registry: Registry;
  aiDuration: Histogram;
  aiAnalyses: Counter<'result' | 'fallback_reason'>;
  transfers: Counter<'result' | 'reason'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  botUpdates: Counter<'type' | 'result'>;
  botUpdateDuration: Histogram<'type' | 'result'>;
  notifications: Counter<'kind' | 'result'>;
  staleAlerts: Counter;
}

export interface MetricsOptions {
  /** Where the lead series are counted at scrape time (core.operations.leadCounts). */
  leadCounts?: () => Promise<LeadCounts>;
  /** Node process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

/**
 * One registry per app (not prom-client's global one), so tests and several
 * apps in one process never share series. Lead counts are read from the
 * leads table at scrape time: every instance reports the same truth, and a
 * restart loses nothing (§15).
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];

  const collectErrors = new Counter({
    name: 'crm_metrics_collect_errors_total',
    help: 'Scrapes whose lead counts could not be read from the database (last values kept)',
    registers,
    // Waits for this scrape's read, so a failure is counted in the same scrape.
    async collect() { await readLeadCounts(); },
  });

  // prom-client collects all metrics of a scrape in parallel; they share one
  // read (one grouped query per series) instead of each hitting the database.
  let inFlight: Promise<LeadCounts | null> | undefined;
  function readLeadCounts(): Promise<LeadCounts | null> {
    const leadCounts = options.leadCounts;
    if (!leadCounts) return Promise.resolve(null);
    inFlight ??= leadCounts()
      .catch(() => {
        // A database hiccup must not fail the whole scrape: HTTP and bot
        // series are still worth having, and the lead series keep their last values.
        collectErrors.inc();
        return null;
      })
      .finally(() => { inFlight = undefined; });
    return inFlight;
  }

  // Counted from rows, deleted ones included: a lead once created stays created.
  new Counter({
    name: 'crm_leads_created_total',
    help: 'Leads created, by source (counted from the leads table)',
    labelNames: ['source'] as const,
    registers,
    async collect() {
      const counts = await readLeadCounts();
      if (!counts) return;
      this.reset();
      for (const [source, n] of countsFor(LEAD_SOURCES, counts.bySource)) this.inc({ source }, n);
    },
  });

  new Gauge({
    name: 'crm_leads_by_stage',
    help: 'Live (not deleted) leads per cold stage',
    labelNames: ['stage'] as const,
    registers,
    async collect() {
      const counts = await readLeadCounts();
      if (!counts) return;
      for (const [stage, n] of countsFor(COLD_STAGES, counts.byStage)) this.set({ stage }, n);
    },
  });

  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    aiDuration: new Histogram({
      // No labels: §15 names one histogram; crm_ai_analyses_total splits the analyses by result.
      name: 'crm_ai_duration_seconds', help: 'AI analysis latency: the model call, or the rules when they answered',
      buckets: AI_BUCKETS, registers,
    }),
    aiAnalyses: new Counter({
      name: 'crm_ai_analyses_total', help: 'AI analyses by result (openai|fallback) and why the rules answered (none for the model)',
      labelNames: ['result', 'fallback_reason'] as const, registers,
    }),
    transfers: new Counter({
      name: 'crm_transfers_total', help: 'Transfers to sales by result (success|failed) and, when refused, the first failed §8 condition',
      labelNames: ['result', 'reason'] as const, registers,
    }),
    httpRequests: new Counter({
      name: 'crm_http_requests_total', help: 'HTTP requests served',
      labelNames: ['method', 'route', 'status'] as const, registers,
    }),
    httpDuration: new Histogram({
      name: 'crm_http_request_duration_seconds', help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'] as const, buckets: HTTP_BUCKETS, registers,
    }),
    botUpdates: new Counter({
      name: 'crm_bot_updates_total', help: 'Telegram updates handled', labelNames: ['type', 'result'] as const, registers,
    }),
    botUpdateDuration: new Histogram({
      name: 'crm_bot_update_duration_seconds', help: 'Telegram update handling latency',
      labelNames: ['type', 'result'] as const, buckets: BOT_BUCKETS, registers,
    }),
    notifications: new Counter({
      name: 'crm_notifications_total', help: 'Telegram notifications delivered or failed, by kind',
      labelNames: ['kind', 'result'] as const, registers,
    }),
    staleAlerts: new Counter({ name: 'crm_stale_alerts_total', help: 'Stale-lead alerts queued (§10)', registers }),
  };
}

/** Every known value gets a series (0 when absent), so dashboards never see gaps. */
function countsFor(keys: readonly string[], rows: LeadCounts['bySource']): Map<string, number> {
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const r of rows) counts.set(r.key, Number(r.n));
  return counts;
}


/** Feeds the AI series from core's observer (createCore's ai.observe). */
export function aiObserver(metrics: Pick<Metrics, 'aiDuration' | 'aiAnalyses'>): AiObserver {
  return ({ seconds, analyzedBy, fallbackReason }) => {
    metrics.aiDuration.observe(seconds);
    metrics.aiAnalyses.inc({ result: analyzedBy, fallback_reason: fallbackReason ?? 'none' });
  };
}
