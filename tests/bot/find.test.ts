import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '../../core/database.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const USAGE = 'Usage: /find &lt;name, company, phone or email&gt; — at least 3 letters or 5 digits, '
  + 'e.g. /find Petrov or /find 050 123 45 67';

describe('/find (§2)', () => {
  let h: BotHarness;
  let agent: User;
  let otherAgent: User;
  let manager: User;
  let petrov: Lead;
  let petrenko: Lead;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db);
    otherAgent = await makeUser(h.db);
    manager = await makeUser(h.db, { role: 'manager' });
    petrov = await makeLead(h.db, { full_name: 'Dmitri Petrov', phone: '+79991234567', assigned_to: agent.id });
    petrenko = await makeLead(h.db, { full_name: 'Olena Petrenko', phone: '+380501112233', assigned_to: otherAgent.id });
    await makeLead(h.db, { full_name: 'Ivan Kovalenko', company: 'Nord Logistics', assigned_to: agent.id });
  });
  afterAll(() => h.close());

  const reply = (user: User) => h.fake.lastMessage(user.telegram_id);
  const leadButtons = (user: User) => buttonsOf(reply(user)).map((b) => b.text);

  it('finds a lead by a misspelt name and lists it as a button that opens the card', async () => {
    await h.tg.send(h.as(manager), '/find Petorv');
    expect(reply(manager).text).toBe('🔍 Leads for «Petorv», best match first:');
    expect(leadButtons(manager)[0]).toBe(`#${petrov.id} · Dmitri Petrov · NEW`);
    await h.tg.press(h.as(manager), reply(manager), `#${petrov.id}`);
    expect(reply(manager).text).toContain(`<b>Lead #${petrov.id}</b>`);
  });

  it.each(['+7 (999) 123-45-67', '89991234567', '999 123 4567'])('finds a phone typed as "%s"', async (typed) => {
    await h.tg.send(h.as(agent), `/find ${typed}`);
    expect(leadButtons(agent)).toEqual([`#${petrov.id} · Dmitri Petrov · NEW`]);
  });

  it("shows an agent only their own leads, and says so when nothing is theirs", async () => {
    await h.tg.send(h.as(agent), '/find 050 111 22 33');
    expect(reply(agent).text).toBe('🔍 Nothing found for «050 111 22 33».');
    expect(buttonsOf(reply(agent))).toEqual([]);
    await h.tg.send(h.as(otherAgent), '/find 050 111 22 33');
    expect(leadButtons(otherAgent)).toEqual([`#${petrenko.id} · Olena Petrenko · NEW`]);
  });

  it('finds by company with a typo', async () => {
    await h.tg.send(h.as(agent), '/find nord logistcs');
    expect(leadButtons(agent)[0]).toContain('Ivan Kovalenko');
  });

  it.each(['/find', '/find   ', '/find ab', '/find 12-34'])('answers "%s" with the usage', async (command) => {
    await h.tg.send(h.as(agent), command);
    expect(reply(agent).text).toBe(USAGE);
  });

  it('escapes the query it repeats', async () => {
    await h.tg.send(h.as(agent), '/find <b>nobody</b>');
    expect(reply(agent).text).toBe('🔍 Nothing found for «&lt;b&gt;nobody&lt;/b&gt;».');
  });

  it('keeps every callback within 64 bytes', async () => {
    await h.tg.send(h.as(manager), '/find Petrov');
    for (const b of buttonsOf(reply(manager))) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });
});
