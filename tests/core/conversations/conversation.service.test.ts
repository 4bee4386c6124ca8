import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { receiveCustomerMessage, type IncomingCustomerMessage } from '../../../core/conversations/conversation.service.js';
import { inboxFor, conversationPage } from '../../../core/conversations/conversation.query.js';
import { parseDaysOff, parseSchedule } from '../../../core/conversations/working-hours.rules.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  for (const t of ['notifications', 'conversation_messages', 'conversations', 'lead_history', 'leads'] as const) {
    await sql`delete from ${sql.table(t)}`.execute(h.db);
  }
});

// 2026-12-07 is a Monday; the team works 09:00-18:00 UTC on weekdays.
const hours = { schedule: parseSchedule('mon-fri 09:00-18:00'), timeZone: 'UTC', daysOff: parseDaysOff('') };
let messageId = 1;
const say = (from: number, text: string, at: string, p: Partial<IncomingCustomerMessage> = {}) => receiveCustomerMessage(h.db, {
  telegramUserId: from, chatId: from, username: null, fullName: `Customer ${from}`, language: 'en',
  messageId: messageId++, content: { kind: 'text', text }, ...p,
}, { hours, now: new Date(at) });
const botTexts = async (from: number) => (await h.db.selectFrom('conversation_messages as m')
  .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
  .select(sql<string>`m.details->>'template'`.as('template'))
  .where('c.telegram_user_id', '=', from).where('m.direction', '=', 'out').orderBy('m.id').execute()).map((r) => r.template);

describe('a customer writes to the bot (§12)', () => {
  it('greets the first message of a conversation only — found in the stored conversation, not by time', async () => {
    await say(5001, 'Hi', '2026-12-07T10:00:00Z');
    await say(5001, 'Anyone?', '2026-12-07T10:01:00Z');
    // A week later is still the same conversation: no second greeting.
    await say(5001, 'Back again', '2026-12-14T10:00:00Z');
    expect(await botTexts(5001)).toEqual(['greeting']);
  });

  it('answers outside working hours once per off-hours period', async () => {
    await say(5002, 'Evening question', '2026-12-07T19:00:00Z');
    await say(5002, 'Still there?', '2026-12-07T23:30:00Z');
    await say(5002, 'Morning', '2026-12-08T07:00:00Z');
    await say(5002, 'Working hours now', '2026-12-08T10:00:00Z');
    await say(5002, 'Next evening', '2026-12-08T20:00:00Z');
    expect(await botTexts(5002)).toEqual(['greeting', 'off_hours', 'off_hours']);
  });

  it('stores a redelivered message once and counts messages but not /start', async () => {
    const first = await say(5003, '', '2026-12-07T10:00:00Z', { content: { kind: 'start', payload: null } });
    const again = { messageId: 9_000_001 };
    await say(5003, 'Price?', '2026-12-07T10:00:01Z', again);
    const redelivered = await say(5003, 'Price?', '2026-12-07T10:00:02Z', again);
    expect(redelivered.status).toBe('duplicate');
    const lead = await h.db.selectFrom('leads').selectAll().where('id', '=', first.leadId).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'MESSAGE', message_count: 1, full_name: 'Customer 5003' });
    const stored = await h.db.selectFrom('conversation_messages').select('kind').where('direction', '=', 'in').execute();
    expect(stored.map((m) => m.kind)).toEqual(['start', 'text']);
  });

  it('gathers a burst — even a flood — into one notice, and loses no message', async () => {
    await makeUser(h.db, { role: 'agent' });
    const first = await say(5004, 'm0', '2026-12-07T10:00:00Z');
    for (let i = 1; i <= 40; i++) await say(5004, `m${i}`, '2026-12-07T10:00:01Z');
    const notices = await h.db.selectFrom('notifications').selectAll().where('kind', '=', 'customer_messages').execute();
    expect(notices).toHaveLength(1);
    const ids = await h.db.selectFrom('conversation_messages').select('id').where('direction', '=', 'in').orderBy('id').execute();
    expect(notices[0]!.payload).toMatchObject({ fromMessageId: ids[1]!.id, toMessageId: ids[40]!.id });
    expect(notices[0]!.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    const lead = await h.db.selectFrom('leads').select('message_count').where('id', '=', first.leadId).executeTakeFirstOrThrow();
    expect(lead.message_count).toBe(41);
  });

  it('a shared phone fills the lead; a phone a live lead has joins the customer to that lead (§4)', async () => {
    const own = await say(5005, 'Hello', '2026-12-07T10:00:00Z');
    await say(5005, '', '2026-12-07T10:01:00Z', { content: { kind: 'contact', phone: '+380501112233', firstName: 'Ira' } });
    expect(await h.db.selectFrom('leads').select('phone').where('id', '=', own.leadId).executeTakeFirstOrThrow()).toEqual({ phone: '+380501112233' });

    const known = await makeLead(h.db, { phone: '+380509998877', email: null, source: 'WEB' });
    const other = await say(5006, 'Hi, I filled in your form', '2026-12-07T10:00:00Z');
    await say(5006, '', '2026-12-07T10:02:00Z', { content: { kind: 'contact', phone: '380509998877', firstName: 'Max' } });
    const merged = await h.db.selectFrom('leads').select(['is_deleted']).where('id', '=', other.leadId).executeTakeFirstOrThrow();
    expect(merged.is_deleted).toBe(true);
    const conversation = await h.db.selectFrom('conversations').selectAll().where('telegram_user_id', '=', 5006).executeTakeFirstOrThrow();
    expect(conversation.lead_id).toBe(known.id);
    const target = await h.db.selectFrom('leads').selectAll().where('id', '=', known.id).executeTakeFirstOrThrow();
    expect(target.message_count).toBe(2);
    const later = await say(5006, 'So?', '2026-12-07T10:03:00Z');
    expect(later.leadId).toBe(known.id);
  });
});

describe('the inbox and a conversation (§12)', () => {
  it('lists each conversation with its last message and unread count in one query, newest first', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    for (const [from, n] of [[5101, 3], [5102, 1], [5103, 2]] as const) {
      for (let i = 0; i < n; i++) await say(from, `${from} says ${i}`, '2026-12-07T10:00:00Z');
    }
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => { queries += 1; return args.node; },
      transformResult: async (args) => args.result,
    };
    const page = await inboxFor(h.db.withPlugin(counting), manager, { limit: 10 });
    expect(queries).toBe(1);
    // A single message is followed by the bot's greeting: that is the conversation's last message.
    expect(page.items.map((c) => [c.customer_name, c.unread, c.last?.text ?? c.last?.details?.template])).toEqual([
      ['Customer 5103', 2, '5103 says 1'], ['Customer 5102', 1, 'greeting'], ['Customer 5101', 3, '5101 says 2'],
    ]);
    const agent = await makeUser(h.db, { role: 'agent' });
    expect((await inboxFor(h.db, agent)).items).toEqual([]);
  });

  it('pages a conversation in SQL: 100 by default, 500 at most, and opening it reads it', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    let leadId = 0;
    for (let i = 0; i < 120; i++) leadId = (await say(5201, `n${i}`, '2026-12-07T10:00:00Z')).leadId;
    const first = await conversationPage(h.db, manager, leadId);
    expect(first.items).toHaveLength(100);
    expect(first.items[0]!.text).toBe('n119');
    const rest = await conversationPage(h.db, manager, leadId, { cursor: first.nextCursor, limit: 1000 });
    expect(rest.limit).toBe(500);
    // 120 inbound + the greeting.
    expect(rest.items).toHaveLength(21);
    expect(rest.nextCursor).toBeNull();
    expect((await inboxFor(h.db, manager)).items.find((c) => c.lead_id === leadId)?.unread).toBe(0);
  });
});
