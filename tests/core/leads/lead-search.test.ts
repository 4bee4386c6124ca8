import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { Lead, User } from '../../../core/database.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import { parseSearchQuery } from '../../../core/leads/lead-search.query.js';
import { searchLeads } from '../../../core/leads/lead-search.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { seedLeads } from '../../support/seed-leads.js';
import { createTestDb } from '../../support/test-db.js';

const SEEDED = 10_000;

let h: DbHandle;
let manager: User;
let agent: User;
let otherAgent: User;
let petrov: Lead;
let smith: Lead;
let acme: Lead;
let nakamura: Lead;
let nakamuro: Lead;
let maryana: Lead;

beforeAll(async () => {
  h = await createTestDb();
  manager = await makeUser(h.db, { role: 'manager' });
  agent = await makeUser(h.db);
  otherAgent = await makeUser(h.db);
  // Look-alikes included: Petrenko, Petrovych, Peterson, Smyth, Johnson …
  await seedLeads(h.db, { from: 1, to: SEEDED, assigneeIds: [agent.id, otherAgent.id, manager.id] });
  petrov = await makeLead(h.db, {
    full_name: 'Dmitri Petrov', phone: '+79991234567', email: 'd.petrov@acme.io', assigned_to: agent.id,
  });
  smith = await makeLead(h.db, {
    full_name: 'John Smith', phone: '+380501112233', email: 'john.smith@example.org', assigned_to: otherAgent.id,
  });
  acme = await makeLead(h.db, { full_name: null, company: 'Zephyr Robotics', email: 'sales@zephyr.io', assigned_to: agent.id });
  // Every word of "Ilse Nakamura", but apart: trigram similarity ranks the typo above it.
  nakamura = await makeLead(h.db, { full_name: 'Ilse Brandvold Nakamura', assigned_to: agent.id });
  nakamuro = await makeLead(h.db, { full_name: 'Ilse Nakamuro', assigned_to: agent.id });
  maryana = await makeLead(h.db, { full_name: "Мар'яна Ковальчук-Дорош", company: 'Квітка', assigned_to: agent.id });
  await makeLead(h.db, { full_name: 'Gone Petrov', phone: '+79990000000', is_deleted: true, deleted_at: new Date() });
  await sql`analyze leads`.execute(h.db);
}, 120_000);
afterAll(async () => { await h.close(); });

const find = (query: string, actor: User = manager) => searchLeads(h.db, actor, query);
const firstId = async (query: string, actor: User = manager) => (await find(query, actor))[0]?.id;

describe('/find by phone, typed in any format (§2)', () => {
  it('seeded enough leads to make the look-up mean something', async () => {
    const n = await h.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThanOrEqual(SEEDED);
  });

  it.each(['+7 (999) 123-45-67', '+79991234567', '7 999 123 45 67', '89991234567', '8 (999) 123-45-67', '999 123 4567', '(999) 123-4567'])(
    'finds +79991234567 from "%s"', async (typed) => {
      const hits = await find(typed);
      expect(hits.map((l) => l.id)).toEqual([petrov.id]);
    });

  it('finds a Ukrainian number from its national format (trunk 0)', async () => {
    expect(await firstId('050 111 22 33')).toBe(smith.id);
    expect(await firstId('+380 (50) 111-22-33')).toBe(smith.id);
  });

  it('ranks the number typed in full above the same last ten digits', async () => {
    expect((await find('+7 999 123 45 67'))[0]!.score).toBeGreaterThan((await find('8 999 123 45 67'))[0]!.score);
  });

  it('finds a number by its last digits (5 to 9 typed)', async () => {
    expect((await find('1234567')).map((l) => l.id)).toContain(petrov.id);
  });
});

describe('/find by name, company or email (§2)', () => {
  it.each([
    ['Petorv', 'petrov'], ['Dmitri Petorv', 'petrov'], ['dmitri petrov', 'petrov'], ['PETROV', 'petrov'],
    ['Jonh Smith', 'smith'], ['john smiht', 'smith'], ['Zephyr Robotcs', 'acme'], ['zephir', 'acme'],
  ])('puts the right lead first for "%s" among 10,000 look-alikes', async (query, who) => {
    const expected = { petrov, smith, acme }[who as 'petrov' | 'smith' | 'acme'];
    expect(await firstId(query)).toBe(expected.id);
  });

  it('puts a lead with every word typed, whole, before a closer typo', async () => {
    const hits = await find('Ilse Nakamura');
    expect(hits.map((l) => l.id).slice(0, 2)).toEqual([nakamura.id, nakamuro.id]);
  });

  it('answers a surname thousands share with leads that have it whole, not its look-alikes', async () => {
    const hits = await searchLeads(h.db, manager, 'Kovalenko', { limit: 50 });
    expect(hits).toHaveLength(50);
    expect(hits.every((l) => /(^| )Kovalenko( |$)/.test(l.full_name ?? ''))).toBe(true);
  });

  it.each(['Дорош', "мар'яна ковальчук", 'КОВАЛЬЧУК-ДОРОШ', 'квітка'])('finds a Ukrainian name or company by whole words: "%s"', async (query) => {
    expect(await firstId(query)).toBe(maryana.id);
  });

  it('finds an email whatever its case, exact match first', async () => {
    const hits = await find('D.Petrov@ACME.io');
    expect(hits[0]).toMatchObject({ id: petrov.id, score: 3 });
    expect(await firstId('  JOHN.SMITH@example.org ')).toBe(smith.id);
  });

  it('finds a lead by a word inside its email, and an address with a typo', async () => {
    expect(await firstId('sales@zephyr')).toBe(acme.id);
    expect(await firstId('john.smtih@example.org')).toBe(smith.id);
  });

  it('takes LIKE wildcards literally', async () => {
    expect(await find('%%%')).toEqual([]);
    expect(await find('___')).toEqual([]);
  });

  it('returns at most `limit` hits, best first', async () => {
    const hits = await searchLeads(h.db, manager, 'Kovalenko', { limit: 7 });
    expect(hits).toHaveLength(7);
    expect(hits.map((l) => l.score)).toEqual([...hits.map((l) => l.score)].sort((a, b) => b - a));
  });
});

describe('/find rights and refusals', () => {
  it("never shows an agent someone else's lead, by phone, name or email", async () => {
    for (const q of ['+380501112233', 'John Smith', 'john.smith@example.org']) {
      expect((await find(q, agent)).map((l) => l.id)).not.toContain(smith.id);
      expect(await firstId(q, otherAgent)).toBe(smith.id);
    }
    for (const limit of [5, 50]) { // enough leads with the word whole, and too few (the typo look-up too)
      const hits = await searchLeads(h.db, agent, 'Kovalenko', { limit });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((l) => l.assigned_to === agent.id)).toBe(true);
    }
  });

  it('leaves deleted leads out', async () => {
    expect(await find('+79990000000')).toEqual([]);
    expect((await find('Gone Petrov')).map((l) => l.full_name)).not.toContain('Gone Petrov');
  });

  it.each(['', '   ', 'ab', '1234', '+7 (9'])('refuses "%s" as too short', async (query) => {
    const error = await find(query).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('query');
  });

  it('refuses a user who is not active', async () => {
    await expect(find('Petrov', await makeUser(h.db, { status: 'pending' }))).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('reading a /find text', () => {
  it('maps phone formats to their trailing ten digits', () => {
    expect(parseSearchQuery('+7 (999) 123-45-67')).toEqual({ kind: 'phone', digits: '79991234567', suffix: '9991234567', whole: true });
    expect(parseSearchQuery('8 999 123-45-67')).toMatchObject({ suffix: '9991234567', whole: true });
    expect(parseSearchQuery('123-45-67')).toEqual({ kind: 'phone', digits: '1234567', suffix: '1234567', whole: false });
  });

  it('lower-cases text and splits it into words of two or more characters', () => {
    expect(parseSearchQuery('  Jonh   SMITH ')).toEqual({ kind: 'text', text: 'jonh smith', words: ['jonh', 'smith'], wholeWords: ['jonh', 'smith'] });
    expect(parseSearchQuery('J Smith 2')).toMatchObject({ words: ['smith'] });
    expect(parseSearchQuery('Petrov 1')).toMatchObject({ kind: 'text' });
  });

  it('cuts the whole words at spaces and punctuation, and none from an email', () => {
    expect(parseSearchQuery("O'Brien-Smith, Jr.")).toMatchObject({ wholeWords: ['o', 'brien', 'smith', 'jr'] });
    expect(parseSearchQuery('sales@zephyr')).toMatchObject({ wholeWords: [] });
    expect(parseSearchQuery('%%%')).toMatchObject({ wholeWords: [] });
  });
});
