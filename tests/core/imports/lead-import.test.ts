import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { OPERATOR } from '../../../core/index.js';
import { decodeCsvBytes, parseCsv } from '../../../core/imports/csv-read.rules.js';
import { neutralizeCell } from '../../../core/imports/csv-write.rules.js';
import { mapColumns } from '../../../core/imports/lead-import.rules.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { leadsCsv } from '../../support/lead-csv.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

let h: DbHandle;
const store = createTestStore();
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => {
  await store.close();
  await h.close();
});

describe('reading spreadsheets\' CSV', () => {
  it('takes , or ; or tab, a BOM, Excel\'s sep= line, quoted cells with line breaks, ragged rows', () => {
    expect(parseCsv('\uFEFFName;Phone\r\n"Ann ""A""";+1\r\n;;\r\nBob\r\n').rows).toEqual([
      { row: 2, cells: ['Ann "A"', '+1'] }, { row: 4, cells: ['Bob'] },
    ]);
    expect(parseCsv('sep=;\nName;Note\nAnn;"a, b\nc"\n')).toMatchObject({ delimiter: ';', rows: [{ cells: ['Ann', 'a, b\nc'] }] });
    expect(parseCsv('Name\tEmail\nAnn\ta@b.co\n').delimiter).toBe('\t');
  });

  it('decodes UTF-16 (Excel\'s "Unicode text") and Windows-1251 (Excel in Ukrainian and Russian locales)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ім\'я\tТелефон\n', 'utf16le')]);
    expect(decodeCsvBytes(utf16)).toBe('Ім\'я\tТелефон\n');
    const cp1251 = Buffer.from([0xcf, 0xb3, 0xe1, 0x3b, 0xd2, 0xe5, 0xeb, 0xe5, 0xf4, 0xee, 0xed]); // "Піб;Телефон"
    expect(decodeCsvBytes(cp1251)).toBe('Піб;Телефон');
  });

  it('matches columns by the same English, Ukrainian and Russian names as form intake', () => {
    expect(mapColumns(['ФИО', 'Мобильный', 'E-mail', 'Организация', 'Посада', 'utm_source', 'Джерело', 'Бюджет'])).toMatchObject({
      fullName: [0], phone: 1, email: 2, company: 3, position: 4, utm: { source: 5 }, source: 6, extra: [7],
    });
    expect(mapColumns(['First name', 'Last name', 'Phone number']).fullName).toEqual([0, 1]);
  });

  it('neutralises cells a spreadsheet would run as formulas (= + - @)', () => {
    expect(['=HYPERLINK("x")', '+380501112233', '-2+3', '@SUM(A1)', 'plain'].map(neutralizeCell))
      .toEqual(['\'=HYPERLINK("x")', "'+380501112233", "'-2+3", "'@SUM(A1)", 'plain']);
  });
});

describe('importing 10,000 rows with duplicates and bad rows', () => {
  it('creates, skips and refuses exactly as the file says; a second import creates nothing', async () => {
    const agents = [await makeUser(h.db, { role: 'agent', capacity: 20 }), await makeUser(h.db, { role: 'agent', capacity: 30 })];
    const manager = await makeUser(h.db, { role: 'manager' });
    const known = [];
    for (let i = 0; i < 100; i++) known.push((await makeLead(h.db, { email: `known-${i}@example.com` })).email!);
    const csv = leadsCsv({ unique: 9_500, fileDuplicates: 300, knownEmails: known, bad: 100, tag: 'import10k' });
    const core = createTestCore(h, store);

    const progress: number[] = [];
    const started = performance.now();
    const first = await core.imports.importCsv(OPERATOR, {
      bytes: Buffer.from(csv), fileName: 'event-leads.csv', onProgress: (done) => { progress.push(done); },
    });
    const seconds = (performance.now() - started) / 1000;
    expect(first).toMatchObject({ total: 10_000, created: 9_500, duplicate: 400, refused: 100 });
    expect(progress.at(-1)).toBe(10_000);
    console.log(`import of 10,000 rows: ${seconds.toFixed(1)} s, ${Math.round(10_000 / seconds)} rows/s`);

    const count = async (q: ReturnType<typeof h.db.selectFrom<'leads'>>) => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count(h.db.selectFrom('leads').where('form_reference', '=', 'CSV import: event-leads.csv'))).toBe(9_500);
    // §4 assignment by free capacity: the agents filled to capacity, the rest unassigned.
    expect(await count(h.db.selectFrom('leads').where('assigned_to', 'in', agents.map((a) => a.id)))).toBe(50);
    const unverified = await h.db.selectFrom('leads').select(['phone', 'phone_unverified']).where('email', '=', 'import10k-3@example.com').executeTakeFirstOrThrow();
    expect(unverified).toEqual({ phone: null, phone_unverified: '12-34' });
    // One notice per assignee and one for the managers, not a card per lead.
    const notices = await h.db.selectFrom('notifications').select(['recipient_user_id', 'payload']).where('kind', '=', 'leads_imported').execute();
    expect(notices.map((n) => [n.recipient_user_id, n.payload.count]).sort()).toEqual(
      [[agents[0]!.id, 20], [agents[1]!.id, 30], [manager.id, 9_450]].sort());
    expect(await h.db.selectFrom('notifications').select('id').where('kind', 'in', ['lead_card', 'unassigned_lead']).execute()).toEqual([]);

    const refused = first.results.filter((r) => r.status === 'refused');
    expect(refused.every((r) => 'reason' in r && /phone|email/.test(r.reason))).toBe(true);
    const duplicates = first.results.filter((r) => r.status === 'duplicate');
    expect(duplicates.every((r) => 'leadId' in r && r.leadId > 0)).toBe(true);

    const second = await core.imports.importCsv(OPERATOR, { bytes: Buffer.from(csv), fileName: 'event-leads.csv' });
    expect(second).toMatchObject({ total: 10_000, created: 0, duplicate: 9_900, refused: 100 });
    expect(await count(h.db.selectFrom('leads'))).toBe(9_600);
    const results = core.imports.resultsCsv(first).toString('utf8');
    expect(results.split('\r\n')[0]).toBe('\uFEFFrow,status,lead_id,assigned_to,reason');
    await sql`select 1`.execute(h.db);
  }, 240_000);
});
