import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../app-process.js';
import { TEST_BOT_TOKEN } from '../bot-harness.js';
import { FakeTelegramServer } from '../fake-telegram-server.js';
import { createTestDatabase } from '../test-db.js';

// The harnesses together, as fault tests will use them: the real app in a
// child process, polling the fake Telegram server for updates and answering
// through it.

const ADMIN_ID = 4301;

describe('the app polling the fake Telegram server', () => {
  let telegram: FakeTelegramServer;
  let app: AppProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
    database = await createTestDatabase();
    app = await startAppProcess({
      env: {
        BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'polling', TELEGRAM_API_ROOT: telegram.apiRoot,
        ADMIN_TELEGRAM_IDS: String(ADMIN_ID), JOBS_ENABLED: 'false',
        ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir! }),
      },
      ready: { log: 'bot_started' },
      timeoutMs: 50_000,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await database?.drop();
  });

  it('starts against it (getMe, deleteWebhook, setMyCommands) and answers an update it polls', async () => {
    expect(telegram.callsTo('getMe')).toHaveLength(1);
    expect(telegram.callsTo('deleteWebhook')).toHaveLength(1);
    // The default command menu: in DEFAULT_LANGUAGE, and localized for Ukrainian apps.
    expect(telegram.callsTo('setMyCommands').map((p) => p.language_code)).toEqual([undefined, 'uk']);

    const from = { id: ADMIN_ID, is_bot: false as const, first_name: 'Anna', language_code: 'en' };
    telegram.queueUpdate({
      message: {
        message_id: telegram.telegram.nextMessageId(), date: Math.floor(Date.now() / 1000),
        chat: { id: ADMIN_ID, type: 'private', first_name: 'Anna' }, from, text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    await telegram.waitFor(() => telegram.deliveredCount(ADMIN_ID) > 0, 10_000);
    expect(telegram.sentTexts(ADMIN_ID)[0]).toBeTruthy();
    // After the answer, the admin's chat gets the admins' menu (through the server, which checks it too).
    await telegram.waitFor((calls) => calls.some((c) => c.method === 'setMyCommands' && c.payload.scope?.chat_id === ADMIN_ID
      && c.outcome === 'ok'), 10_000);
    expect(telegram.telegram.commandNames(ADMIN_ID)).toEqual(expect.arrayContaining(['users', 'outbox', 'settings', 'help']));
  });
});
