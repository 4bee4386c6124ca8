import { sql } from 'kysely';
import { createConfig } from '../config.js';
import { startApp } from '../main.js';
import { FakeTelegramServer } from '../tests/support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../tests/support/fake-telegram.js';
import { pollUntil } from '../tests/support/poll.js';
import { createBenchDb } from './bench-db.js';

const TOKEN = '123456:BENCH-token-abcdefghijklmnopqrstuvwxyz';
const TELEGRAM_LATENCY_MS = 50;
/** Telegram's overall limit for a bot, messages a second: the ceiling. */
export const TELEGRAM_PER_SECOND = 30;

export interface ReminderFigures {
  reminders: number;
  chats: number;
  seconds: number;
  deliveredPerSecond: number;
  markedSent: number;
  failed: number;
  tooManyRequests: number;
  duplicates: number;
}

/**
 * §10 reminders at scale: `count` reminders, due now, for `chats` people
 * (10 each at the default), delivered by the app as main.ts wires it
 * (startApp: default pacing and delivery) to a fake Bot API that answers in
 * 50 ms and enforces Telegram's flood limits (1 a second a chat, 30 a second
 * overall; a 429 for more). Measured from the app's start to the last one
 * Telegram accepted; then every reminder must be marked sent, once.
 */
export async function benchReminders(count: number, chats: number): Promise<ReminderFigures> {
  const database = await createBenchDb('reminders', 8);
  const telegram = await FakeTelegramServer.start({ token: TOKEN, latencyMs: TELEGRAM_LATENCY_MS, floodLimits: {} });
  try {
    const { db } = database;
    // Seeded in bulk, as the reminders' own writes would leave them (see reminder.service.ts).
    await sql`insert into users (telegram_id, full_name, role, status, capacity, language)
      select 9100000 + g, 'Agent ' || g, 'agent', 'active', 100000, 'en' from generate_series(1, ${chats}) g`.execute(db);
    await sql`insert into leads (source, full_name, email, assigned_to)
      select 'WEB', 'Lead ' || u.id, 'bench' || u.id || '@example.com', u.id from users u`.execute(db);
    await sql`insert into reminders (lead_id, user_id, due_at, body)
      select l.id, l.assigned_to, now() - interval '1 second', 'Call back #' || g
      from leads l, generate_series(1, ${Math.ceil(count / chats)}) g`.execute(db);
    await sql`with q as (
        insert into notifications (kind, payload, chat_id, recipient_user_id, lead_id, max_attempts, next_attempt_at, queued_at)
        select 'reminder', jsonb_build_object('reminderId', r.id, 'leadId', r.lead_id), u.telegram_id, u.id, r.lead_id, 3, r.due_at, r.due_at
        from reminders r join users u on u.id = r.user_id order by r.id
        returning id, (payload->>'reminderId')::int as reminder_id)
      update reminders r set notification_id = q.id from q where q.reminder_id = r.id`.execute(db);
    const total = Number((await db.selectFrom('reminders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    const started = performance.now();
    const app = await startApp({
      config: createConfig({
        NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url,
        BOT_TOKEN: TOKEN, BOT_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'bench', PUBLIC_URL: 'https://crm.example.com',
        TELEGRAM_API_ROOT: telegram.apiRoot, JOBS_ENABLED: 'false',
      }),
      botInfo: TEST_BOT_INFO,
    });
    try {
      // Delivered = Telegram accepted each reminder (a failed one's notice to its owner would count too: see failed).
      await pollUntil(() => (telegram.deliveredCount() >= total ? true : undefined),
        { what: `${total} reminders delivered`, timeoutMs: 1_800_000, intervalMs: 20 });
      const seconds = (performance.now() - started) / 1000;
      const marked = async (status: 'sent' | 'failed') => Number((await db.selectFrom('reminders')
        .select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow()).n);
      await pollUntil(async () => ((await marked('sent')) + (await marked('failed')) >= total ? true : undefined),
        { what: 'reminders marked', timeoutMs: 120_000, intervalMs: 50 });
      return {
        reminders: total, chats, seconds, deliveredPerSecond: total / seconds, markedSent: await marked('sent'),
        failed: await marked('failed'),
        tooManyRequests: telegram.tooManyRequestsCount(), duplicates: telegram.deliveredCount() - total,
      };
    } finally {
      await app.close();
    }
  } finally {
    await telegram.close();
    await database.close();
  }
}

export function remindersReport(f: ReminderFigures): string[] {
  const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  return [
    `\nReminders (§10): ${f.reminders.toLocaleString('en-US')} due at once for ${f.chats} people, fake Bot API at ${TELEGRAM_LATENCY_MS} ms a call with Telegram's flood limits`,
    `  delivered           : ${fmt(f.deliveredPerSecond)} reminders/s over ${fmt(f.seconds)} s (app start included)`,
    `  Telegram's ceiling  : ${TELEGRAM_PER_SECOND} messages/s  →  ${fmt(f.deliveredPerSecond / TELEGRAM_PER_SECOND, 3)} of it`,
    `  marked sent ${f.markedSent.toLocaleString('en-US')} · failed ${f.failed} · 429s answered ${f.tooManyRequests} · sent twice ${f.duplicates}`,
  ];
}
