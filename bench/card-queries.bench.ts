import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Update } from 'grammy/types';
import { createBot } from '../bot/index.js';
import { createConfig } from '../config.js';
import { createCore, type Database } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createLogger } from '../logger.js';
import { createBenchDb } from './bench-db.js';
import { instantApi } from './fake-api.js';

const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const BOT_INFO = {
  id: 1, is_bot: true as const, first_name: 'bench', username: 'bench_bot', can_join_groups: false,
  can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
  has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
  can_manage_bots: false, supports_join_request_queries: false,
};

/**
 * Database round trips for one card: `/lead <id>` through the real bot,
 * counted at the driver (Kysely's log hook) — the per-update user load plus
 * the card's read model. Issue 7 asks for this figure before and after the
 * read model (before: user, lead, then its assignee — 3).
 */
export async function benchCardQueries(): Promise<{ queries: number; statements: string[] }> {
  const database = await createBenchDb('card', 2);
  const statements: string[] = [];
  const counted = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
    log: (event) => { if (event.level === 'query') statements.push(event.query.sql.split(/\s+/).slice(0, 4).join(' ')); },
  });
  try {
    const config = createConfig({ BOT_TOKEN: TOKEN, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    const logger = createLogger(config);
    const store = createMemoryStore();
    const core = createCore({ db: counted, store, config, logger });
    const bot = createBot({ config, core, store, logger, botInfo: BOT_INFO, apiTransformers: [instantApi] });
    const agent = await counted.insertInto('users').values({
      telegram_id: 700_001, username: null, full_name: 'Agent', role: 'agent', status: 'active', capacity: 10, language: 'en',
    }).returning('id').executeTakeFirstOrThrow();
    const lead = await counted.insertInto('leads').values({ source: 'WEB', full_name: 'Lead', email: 'card@example.com', assigned_to: agent.id })
      .returning('id').executeTakeFirstOrThrow();
    await counted.insertInto('lead_notes').values({ lead_id: lead.id, author_id: agent.id, body: 'called, call back Monday' }).execute();
    statements.length = 0;
    const text = `/lead ${lead.id}`;
    const update = {
      update_id: 1,
      message: {
        message_id: 1, date: 0, text, chat: { id: 700_001, type: 'private', first_name: 'Agent' },
        from: { id: 700_001, is_bot: false, first_name: 'Agent' }, entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    } as Update;
    await bot.handleUpdate(update);
    return { queries: statements.length, statements: [...statements] };
  } finally {
    await counted.destroy();
    await database.close();
  }
}
