import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { createBot } from '../bot/index.js';
import { leadAskStageData, leadConfirmStageData } from '../bot/callback-data/lead.js';
import { createConfig } from '../config.js';
import { createCore } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createLogger } from '../logger.js';
import { createBenchDb } from './bench-db.js';
import { instantApi } from './fake-api.js';

const AGENTS = 16;
const LEADS_PER_AGENT = Number(process.env.BENCH_LEADS_PER_AGENT ?? 150);
const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const BOT_INFO = {
  id: 1, is_bot: true as const, first_name: 'bench', username: 'bench_bot', can_join_groups: false,
  can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
  has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
  can_manage_bots: false, supports_join_request_queries: false,
};

export interface Rate { updatesPerSecond: number; p50Ms: number; p99Ms: number; count: number }

let updateId = 1;
function tap(telegramId: number, data: string): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId), chat_instance: 'bench', data, from: { id: telegramId, is_bot: false, first_name: 'Agent' },
      message: { message_id: 10, date: 0, chat: { id: telegramId, type: 'private', first_name: 'Agent' }, text: 'card' },
    },
  } as Update;
}

/**
 * Feeds each chat's updates in order (as the runner's per-chat sequencing
 * would), all chats at once; returns the rate and per-update latency.
 */
async function drive(bot: Bot<any>, chats: Update[][]): Promise<Rate> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(chats.map(async (updates) => {
    for (const update of updates) {
      const t = performance.now();
      await bot.handleUpdate(update);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { updatesPerSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), count: latencies.length };
}

/**
 * Callback-query handling through the real bot on PostgreSQL: tapping
 * 📞 Contacted (loads user and lead, edits the card into a confirmation) and
 * ✅ Confirm (the stage change with its lock, version check and history),
 * beside a grammY bot that only answers the callback query.
 */
export async function benchBot(): Promise<{ baseline: Rate; ask: Rate; confirm: Rate }> {
  const database = await createBenchDb('bot');
  try {
    const { db } = database;
    const agents = await db.insertInto('users').values(Array.from({ length: AGENTS }, (_, i) => ({
      telegram_id: 800_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent' as const,
      status: 'active' as const, capacity: 100_000, language: 'en' as const,
    }))).returning(['id', 'telegram_id']).execute();
    const leadsByAgent = await Promise.all(agents.map(async (agent) => db.insertInto('leads').values(
      Array.from({ length: LEADS_PER_AGENT }, (_, j) => ({
        source: 'WEB' as const, full_name: `Lead ${agent.id}-${j}`, email: `a${agent.id}-l${j}@example.com`,
        phone: null, company: null, position: null, intent: 'Wants a demo', pain_points: null, business_domain: null,
        ai_score: null, ai_recommendation: null, ai_reason: null, ai_analyzed_at: null, quality_tier: null,
        assigned_to: agent.id, utm_source: 'google', utm_medium: null, utm_campaign: null, utm_content: null,
        utm_term: null, form_source_id: null, form_reference: null, lost_reason: null, deleted_at: null, deleted_by: null,
      }))).returning(['id', 'version']).execute()));

    const baselineBot = new Bot(TOKEN, { botInfo: BOT_INFO });
    baselineBot.api.config.use(instantApi);
    baselineBot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
    // Each agent confirms more leads than §16 allows in an hour; the limit would refuse
    // the rest. Lifted here: this measures the cost of handling a tap, not the policy.
    const config = createConfig({
      BOT_TOKEN: TOKEN, NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '100000',
    });
    const store = createMemoryStore();
    const logger = createLogger(config);
    const core = createCore({ db, store, config, logger });
    const bot = createBot({ config, core, store, logger, botInfo: BOT_INFO, apiTransformers: [instantApi] });
    const ask = (stage: 'CONTACTED') => agents.map((agent, i) => leadsByAgent[i]!.map((lead) =>
      tap(agent.telegram_id, leadAskStageData.pack({ stage, leadId: lead.id, version: lead.version }))));
    const confirm = agents.map((agent, i) => leadsByAgent[i]!.map((lead) =>
      tap(agent.telegram_id, leadConfirmStageData.pack({ stage: 'CONTACTED', leadId: lead.id, version: lead.version }))));

    await drive(baselineBot, ask('CONTACTED').map((u) => u.slice(0, 10))); // warm-up
    const baseline = await drive(baselineBot, ask('CONTACTED'));
    await drive(bot, ask('CONTACTED').map((u) => u.slice(0, 5))); // warm-up
    const asked = await drive(bot, ask('CONTACTED'));
    const confirmed = await drive(bot, confirm);
    const moved = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', '=', 'CONTACTED').executeTakeFirstOrThrow();
    if (Number(moved.n) !== AGENTS * LEADS_PER_AGENT) throw new Error(`expected every lead CONTACTED, got ${moved.n}`);
    return { baseline, ask: asked, confirm: confirmed };
  } finally {
    await database.close();
  }
}
