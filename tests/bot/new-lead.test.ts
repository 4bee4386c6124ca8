import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/index.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { labelsOf } from '../support/fake-telegram.js';
import { makeLead, makeUser } from '../support/factories.js';

// Leads typed in by a manager (/new, a contact card; §2, §4, §16).

let h: BotHarness;
let manager: User;
let agent: User;
beforeAll(async () => {
  h = await createBotHarness({ RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: '3' });
  manager = await makeUser(h.db, { role: 'manager', name: 'Marta' });
  agent = await makeUser(h.db, { role: 'agent', name: 'Oleh' });
});
afterAll(() => h.close());

async function typeIn(user: User, answers: string[], source: string, assign?: string): Promise<void> {
  const tg = h.as(user);
  await h.tg.send(tg, '/new');
  for (const answer of answers) await h.tg.send(tg, answer);
  await h.tg.press(tg, h.fake.lastMessage(user.telegram_id), source);
  if (assign) await h.tg.press(tg, h.fake.lastMessage(user.telegram_id), assign);
}

describe('/new', () => {
  it('asks name, contact, company, intent, source and who takes it; "assign to me" keeps it with the manager', async () => {
    await typeIn(manager, ['Petro Ivanenko', '+380671112233', 'Acme', 'Wants a demo next week'], 'Callback', 'Assign to me');
    const lead = await h.db.selectFrom('leads').selectAll().where('phone', '=', '+380671112233').executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'CALLBACK', full_name: 'Petro Ivanenko', company: 'Acme', intent: 'Wants a demo next week', assigned_to: manager.id });
    const card = h.fake.lastMessage(manager.telegram_id);
    expect(card.text).toContain(`Lead #${lead.id} created`);
    expect(labelsOf(card)).toContain('📞 Contacted');
    const history = await h.db.selectFrom('lead_history').select(['action', 'actor_user_id']).where('lead_id', '=', lead.id).orderBy('id').execute();
    expect(history).toEqual([{ action: 'CREATED', actor_user_id: manager.id }, { action: 'ASSIGNED', actor_user_id: manager.id }]);
    // Nobody is sent a card of what they typed in themselves.
    await h.deliver();
    expect(h.fake.chat(manager.telegram_id).filter((m) => m.text.includes('New lead for you'))).toEqual([]);
  });

  it('"by free capacity" gives it to the agent with room, who gets the card; "-" leaves a field out', async () => {
    await typeIn(manager, ['-', 'lead-two@example.com', '-', '-'], 'Referral', 'By free capacity');
    const lead = await h.db.selectFrom('leads').selectAll().where('email', '=', 'lead-two@example.com').executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'REFERRAL', full_name: null, company: null, intent: null, assigned_to: agent.id });
    await h.deliver();
    expect(h.lastText(agent)).toContain(`Lead #${lead.id}`);
  });

  it('a contact that is already a lead shows that lead\'s card instead of an error', async () => {
    const existing = await makeLead(h.db, { phone: '+380931234567', email: null, full_name: 'Known' });
    await h.tg.send(h.as(manager), '/new');
    await h.tg.send(h.as(manager), 'Someone');
    await h.tg.send(h.as(manager), '+38 093 123 45 67');
    const shown = h.fake.lastMessage(manager.telegram_id);
    expect(shown.text).toContain(`already lead #${existing.id}`);
    expect(shown.text).toContain('Known');
  });

  it('asks again for a contact it cannot read; /cancel leaves and creates nothing', async () => {
    const before = await h.db.selectFrom('leads').select('id').execute();
    await h.tg.send(h.as(agent), '/new');
    await h.tg.send(h.as(agent), 'Anna');
    await h.tg.send(h.as(agent), 'not a phone');
    expect(h.lastText(agent)).toContain('neither a phone number');
    await h.tg.send(h.as(agent), '/cancel');
    expect(h.lastText(agent)).toBe('Cancelled.');
    expect(await h.db.selectFrom('leads').select('id').execute()).toHaveLength(before.length);
  });

  it('allows RATE_LIMIT_LEAD_CREATIONS_PER_HOUR creations, then says when to try again (§16)', async () => {
    // Marta made 2 already; a refused duplicate did not count.
    await typeIn(manager, ['Third', '+380671112244', '-', '-'], 'Manual', 'Assign to me');
    await typeIn(manager, ['Fourth', '+380671112255', '-', '-'], 'Manual', 'Assign to me');
    expect(h.lastText(manager)).toMatch(/At most 3 new leads an hour/);
    expect(await h.db.selectFrom('leads').select('id').where('phone', '=', '+380671112255').execute()).toEqual([]);
  });
});

describe('a contact card sent to the bot', () => {
  const contact = (user: User, phone: string, name: string): Update => {
    const update = h.tg.messageUpdate(h.as(user), '');
    const { text: _t, entities: _e, ...message } = update.message!;
    return { ...update, message: { ...message, contact: { phone_number: phone, first_name: name } } as Update['message'] };
  };

  it('offers to create a lead from it, with its name and phone already filled in', async () => {
    await h.tg.bot.handleUpdate(contact(agent, '380507778899', 'Svitlana'));
    const offer = h.fake.lastMessage(agent.telegram_id);
    expect(offer.text).toContain('Svitlana');
    expect(offer.text).toContain('+380507778899');
    await h.tg.press(h.as(agent), offer, 'Create lead');
    await h.tg.send(h.as(agent), 'Globex');
    await h.tg.send(h.as(agent), 'Needs 5 seats');
    await h.tg.press(h.as(agent), h.fake.lastMessage(agent.telegram_id), 'Partner');
    await h.tg.press(h.as(agent), h.fake.lastMessage(agent.telegram_id), 'Assign to me');
    const lead = await h.db.selectFrom('leads').selectAll().where('phone', '=', '+380507778899').executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ full_name: 'Svitlana', company: 'Globex', source: 'PARTNER', assigned_to: agent.id });
  });

  it('shows the lead when the contact\'s phone is one already', async () => {
    await h.tg.bot.handleUpdate(contact(agent, '380507778899', 'Svitlana'));
    expect(h.fake.lastMessage(agent.telegram_id).text).toContain('already lead #');
  });
});
