import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configSchema, ConfigError, createConfig, loadEnvFile } from '../config.js';

const ROOT = join(import.meta.dirname, '..');
const KEYS = Object.keys(configSchema.shape);

/** The message createConfig refuses env with, or null when it accepts it. */
function refusal(env: Record<string, string>): string | null {
  try {
    createConfig(env);
    return null;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
}

const WEBHOOK_BOT = { BOT_MODE: 'webhook', BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_SECRET: 's3cret' };

describe('config refuses at start, naming the variable, what would only fail later', () => {
  it.each([
    ['STALE_CRON', '99 * * * *', 'invalid expression for minute'],
    ['STALE_CRON', '0 0 31 2 *', 'impossible day of month'],
    ['STALE_CRON', '* * * *', 'expected 5 or 6 fields'],
    ['PUBLIC_URL', 'ftp://crm.example.com', 'http:// or https://'],
    ['PUBLIC_URL', 'https://crm.example.com/?via=ads', '?query'],
    ['TELEGRAM_API_ROOT', 'ws://localhost:8081', 'http:// or https://'],
    ['OPENAI_BASE_URL', 'file:///etc/passwd', 'http:// or https://'],
    ['DATABASE_URL', 'mysql://root@localhost/crm', 'postgres:// or postgresql://'],
    ['DATABASE_URL', 'localhost:5432', ''],
    ['REDIS_URL', 'http://localhost:6379', 'redis:// or rediss://'],
    ['HOST', 'not a host', 'IP address or a host name'],
    ['PORT', ' ', 'whole number'],
    ['PORT', '0x50', 'whole number'],
    ['PORT', '65536', ''],
    ['DEFAULT_CAPACITY', '2.5', 'whole number'],
    ['OUTBOX_POLL_MS', '1e3', 'whole number'],
  ])('%s=%s', (name, value, why) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(`at ${name}`);
    expect(message).toContain(why);
  });

  it('in webhook mode with Telegram\'s own Bot API, PUBLIC_URL must be https on a port Telegram calls', () => {
    expect(refusal({ ...WEBHOOK_BOT, PUBLIC_URL: 'http://crm.example.com' })).toContain('at PUBLIC_URL');
    expect(refusal({ ...WEBHOOK_BOT, PUBLIC_URL: 'https://crm.example.com:3000' })).toContain('at PUBLIC_URL');
    expect(refusal({ ...WEBHOOK_BOT, PUBLIC_URL: 'https://crm.example.com:8443/crm' })).toBeNull();
    // A self-hosted Bot API server calls whatever it is given.
    expect(refusal({ ...WEBHOOK_BOT, PUBLIC_URL: 'http://crm:3000', TELEGRAM_API_ROOT: 'http://bot-api:8081' })).toBeNull();
  });

  it('accepts what is valid, and the defaults', () => {
    expect(refusal({
      STALE_CRON: '30 9 * * MON-FRI', PUBLIC_URL: 'https://crm.example.com/base', HOST: '::', PORT: '0',
      DATABASE_URL: 'postgresql://u:p@db:5432/crm?sslmode=require', REDIS_URL: 'rediss://cache:6380',
      TELEGRAM_API_ROOT: 'http://localhost:8081', OPENAI_BASE_URL: 'https://llm.internal/v1',
    })).toBeNull();
    expect(createConfig({})).toMatchObject({ PORT: 3000, DEFAULT_CAPACITY: 20, OUTBOX_POLL_MS: 5000, STALE_CRON: '0 */6 * * *' });
  });
});

describe('.env.example', () => {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
  const entries = lines.flatMap((line) => {
    const m = /^# ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return m ? [{ key: m[1]!, value: m[2]! }] : [];
  });

  it('lists every variable of the config schema, commented out, in the schema\'s (and README\'s) order', () => {
    expect(entries.map((e) => e.key)).toEqual(KEYS);
    expect(lines.filter((l) => /^[A-Z]/.test(l))).toEqual([]);
  });

  it('shows each variable\'s default (empty where there is none)', () => {
    const defaults = createConfig({}) as Record<string, unknown>;
    for (const { key, value } of entries) {
      expect({ key, parsed: (createConfig({ [key]: value }) as Record<string, unknown>)[key] })
        .toEqual({ key, parsed: defaults[key] });
    }
  });
});

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-env-'));
  const names = ['CRM_TEST_FROM_FILE', 'CRM_TEST_FROM_ENV', 'CRM_TEST_EMPTY_ENV'];
  afterEach(() => {
    for (const n of names) delete process.env[n];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a .env into the environment, and what the environment already has wins', () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'CRM_TEST_FROM_FILE=file\nCRM_TEST_FROM_ENV=file\nCRM_TEST_EMPTY_ENV=file\n');
    process.env.CRM_TEST_FROM_ENV = 'env';
    process.env.CRM_TEST_EMPTY_ENV = '';
    expect(loadEnvFile(path)).toBe(true);
    expect(process.env.CRM_TEST_FROM_FILE).toBe('file');
    expect(process.env.CRM_TEST_FROM_ENV).toBe('env');
    // Set but empty still counts as set (and createConfig reads it as unset).
    expect(process.env.CRM_TEST_EMPTY_ENV).toBe('');
  });

  it('is a no-op without the file', () => {
    expect(loadEnvFile(join(dir, 'missing.env'))).toBe(false);
  });
});

describe('DEFAULT_COUNTRY (§2: phones typed without a country code)', () => {
  it('is optional, with no default', () => {
    expect(createConfig({}).DEFAULT_COUNTRY).toBeUndefined();
    expect(createConfig({ DEFAULT_COUNTRY: '' }).DEFAULT_COUNTRY).toBeUndefined();
  });

  it('takes an ISO 3166-1 alpha-2 code the phone library knows, in either case', () => {
    expect(createConfig({ DEFAULT_COUNTRY: 'UA' }).DEFAULT_COUNTRY).toBe('UA');
    expect(createConfig({ DEFAULT_COUNTRY: ' de ' }).DEFAULT_COUNTRY).toBe('DE');
  });

  it.each(['UKR', 'XX', 'U', 'EU'])('refuses %j on boot, naming the variable', (value) => {
    expect(() => createConfig({ DEFAULT_COUNTRY: value })).toThrow(ConfigError);
    expect(() => createConfig({ DEFAULT_COUNTRY: value })).toThrow(/DEFAULT_COUNTRY/);
  });
});

describe('TEAM_TIMEZONE (times in the bot)', () => {
  it('defaults to UTC and takes IANA zones, in their canonical spelling', () => {
    expect(createConfig({}).TEAM_TIMEZONE).toBe('UTC');
    expect(createConfig({ TEAM_TIMEZONE: 'Europe/Kyiv' }).TEAM_TIMEZONE).toBe('Europe/Kyiv');
    expect(createConfig({ TEAM_TIMEZONE: 'america/new_york' }).TEAM_TIMEZONE).toBe('America/New_York');
  });

  it('reads TIMEZONE as another name for it; TEAM_TIMEZONE wins when both are set', () => {
    expect(createConfig({ TIMEZONE: 'America/New_York' }).TEAM_TIMEZONE).toBe('America/New_York');
    expect(createConfig({ TIMEZONE: 'America/New_York', TEAM_TIMEZONE: 'Asia/Tokyo' }).TEAM_TIMEZONE).toBe('Asia/Tokyo');
  });

  it.each(['Mars/Olympus', '+02:00', 'Kyiv', 'Europe/Kyiv; drop'])('refuses %j on boot, naming the variable', (value) => {
    expect(() => createConfig({ TEAM_TIMEZONE: value })).toThrow(/TEAM_TIMEZONE/);
  });
});
