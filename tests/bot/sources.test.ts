import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { listFormSources } from '../../core/intake/form-source.service.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';
import { queueMessage } from '../../core/outbox/outbox.writer.js';

describe('/sources (§11, admins)', () => {
  let h: BotHarness;
  let admin: User;
  let manager: User;
  beforeAll(async () => {
    h = await createBotHarness({ PUBLIC_URL: 'https://crm.example.com' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada' });
    manager = await makeUser(h.db, { role: 'manager' });
  });
  afterAll(() => h.close());

  it('adds a source in a conversation and replies with the webhook URL and the secret', async () => {
    await h.tg.send(h.as(admin), '/sources');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('No form sources yet.');
    await h.tg.press(h.as(admin), list, 'Add source');
    await h.tg.send(h.as(admin), 'Landing <A&B>');
    await h.tg.press(h.as(admin), h.fake.lastMessage(admin.telegram_id), 'Tilda');

    const [source] = await listFormSources(h.db);
    expect(source).toMatchObject({ name: 'Landing <A&B>', provider: 'tilda', created_by: admin.id, is_active: true });
    const reply = h.fake.lastMessage(admin.telegram_id).text;
    expect(reply).toContain('Landing &lt;A&amp;B&gt;');
    expect(reply).toContain(`https://crm.example.com/webhooks/forms/${source!.slug}?secret=${source!.secret}`);
  });

  it('lists sources and disables one with its button', async () => {
    await h.tg.send(h.as(admin), '/sources');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('🟢');
    await h.tg.press(h.as(admin), list, 'Disable');
    expect((await listFormSources(h.db))[0]!.is_active).toBe(false);
    const redrawn = h.fake.message(list.chatId, list.messageId);
    expect(redrawn.text).toContain('disabled');
    expect(buttonsOf(redrawn).map((b) => b.text)).toEqual(['➕ Add source']);
  });

  it('refuses non-admins, including a forged add or disable button', async () => {
    await h.tg.send(h.as(manager), '/sources');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe('⛔ Only admins can do this.');
    const msg = { chatId: manager.telegram_id, messageId: 1, text: 'x' };
    await h.tg.tap(h.as(manager), msg, 'sa1');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⛔ Only admins can do this.' });
    await h.tg.send(h.as(manager), 'Sneaky source');
    expect(await listFormSources(h.db)).toHaveLength(1);
  });

  it('tells admins about a submission set aside, and its Replay button (alert or /sources) queues it again', async () => {
    const [source] = await listFormSources(h.db);
    const row = await h.db.insertInto('intake_submissions').values({
      form_source_id: source!.id, external_id: null, payload_hash: 'set-aside', content_type: 'application/json',
      raw_body: '{"name":"Jane","email":"jane.aside@example.com"}', lead_id: null, outcome: null,
      last_error: 'timeout exceeded when trying to connect', duplicate_of: null, status: 'failed', attempts: 5,
    }).returning('id').executeTakeFirstOrThrow();
    await queueMessage(h.db, { permission: 'sources.manage' }, { kind: 'intake_failed', submissionId: row.id, formSourceId: source!.id });
    await h.deliver();
    const alert = h.fake.lastMessage(admin.telegram_id);
    expect(alert.text).toContain(`Submission #${row.id} from <b>Landing &lt;A&amp;B&gt;</b> could not become a lead`);
    expect(alert.text).toContain('timeout exceeded');

    await h.tg.send(h.as(admin), '/sources');
    expect(h.fake.lastMessage(admin.telegram_id).text).toContain('Set aside:</b> 1 submission could not become leads.');
    await h.tg.press(h.as(admin), alert, `Replay #${row.id}`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: `🔁 Submission #${row.id} is queued again.` });
    expect(await h.db.selectFrom('intake_submissions').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
    // A second tap, on the same old alert: no longer set aside.
    await h.tg.press(h.as(admin), alert, `Replay #${row.id}`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: 'That submission is no longer set aside.', show_alert: true });
  });
});
