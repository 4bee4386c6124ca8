import type { Db, User } from '../../core/database.js';
import { queueMessage } from '../../core/outbox/outbox.writer.js';
import type { FakeTelegramServer, ServerCall } from './fake-telegram-server.js';
import { makeLead, makeUser } from './factories.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * Shared set-up for the fault tests (tests/faults) and the outage benchmark:
 * agents to receive cards, cards queued in the outbox, a proxy in front of a
 * test database, and the sends the fake Telegram server saw for each card.
 */

/** The app's database settings for a test database: its URL (PostgreSQL) or its data folder (PGlite). */
export function databaseEnv(database: { databaseUrl?: string; dataDir?: string }): Record<string, string> {
  return database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir! };
}

/** A TCP proxy in front of the PostgreSQL server of `databaseUrl`; `proxy.urlFor(databaseUrl)` is the app's URL. */
export function proxyFor(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  return startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
}

/**
 * `count` active English-speaking agents with room for any load, Telegram
 * ids from `firstTelegramId` on: intake spreads new leads over them, so their
 * cards go to many chats (Telegram allows one message a second per chat).
 */
export async function seedAgents(db: Db, count: number, firstTelegramId: number): Promise<User[]> {
  const agents: User[] = [];
  for (let i = 0; i < count; i++) {
    agents.push(await makeUser(db, { telegramId: firstTelegramId + i, capacity: 100_000, language: 'en', name: `Agent ${i}` }));
  }
  return agents;
}

export interface QueuedCard { notificationId: number; leadId: number; chatId: number }

/** `perAgent` leads for each agent, each with its lead card queued in the outbox (as intake would queue it). */
export async function queueCards(db: Db, agents: readonly User[], perAgent: number): Promise<QueuedCard[]> {
  const cards: QueuedCard[] = [];
  for (let round = 0; round < perAgent; round++) {
    for (const agent of agents) {
      const lead = await makeLead(db, { assigned_to: agent.id });
      const [notificationId] = await queueMessage(db, { user: agent.id }, { kind: 'lead_card', leadId: lead.id, reason: 'new', byUserId: null });
      cards.push({ notificationId: notificationId!, leadId: lead.id, chatId: agent.telegram_id });
    }
  }
  return cards;
}

/** The sendMessage calls the server saw for a lead's card in a chat (any outcome), oldest first. */
export function cardCalls(telegram: FakeTelegramServer, card: { leadId: number; chatId: number }): ServerCall[] {
  const title = new RegExp(`Lead #${card.leadId}(?!\\d)`);
  return telegram.calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === card.chatId
    && title.test(String(c.payload.text)));
}

/** How many times Telegram accepted a lead's card in a chat: 1 is "delivered exactly once". */
export function cardDeliveries(telegram: FakeTelegramServer, card: { leadId: number; chatId: number }): number {
  return cardCalls(telegram, card).filter((c) => c.outcome === 'ok').length;
}

