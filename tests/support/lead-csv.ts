/**
 * A CSV of leads as a sales team's spreadsheet would hold it, for the
 * import test and bench: `unique` new people, then rows repeating an
 * earlier row's email (`fileDuplicates`), rows with a contact a lead in the
 * database already has (`knownEmails`), and rows nobody can be reached by
 * (`bad`), shuffled together deterministically. `;` separated, with a BOM
 * and Ukrainian headers, as Excel saves it in a Ukrainian locale.
 */
export function leadsCsv(p: { unique: number; fileDuplicates: number; knownEmails: string[]; bad: number; tag: string }): string {
  const rows: string[] = [];
  for (let i = 0; i < p.unique; i++) {
    // Every tenth has a phone the parser cannot read next to a good email: kept, as unverified text.
    const phone = i % 10 === 3 ? '12-34' : `+38067${String(1_000_000 + i).padStart(7, '0')}`;
    rows.push(`Клієнт ${i};${phone};${p.tag}-${i}@example.com;Компанія ${i % 50};"Рядок з ""лапками""; і крапкою з комою"`);
  }
  for (let i = 0; i < p.fileDuplicates; i++) rows.push(`Повтор ${i};;${p.tag}-${(i * 7) % p.unique}@example.com;;`);
  for (const email of p.knownEmails) rows.push(`Відомий;;${email};;`);
  for (let i = 0; i < p.bad; i++) rows.push(i % 2 ? `Без контакту ${i};;;;` : `Поганий ${i};12;not-an-email;;`);
  // A fixed shuffle: duplicates and bad rows spread through the file, and the same file every run.
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const firstOfEach = rows.slice(0, p.unique);
  const rest = rows.slice(p.unique);
  const out = [...firstOfEach];
  for (const row of rest) out.splice(p.unique + Math.floor(random() * (out.length - p.unique + 1)), 0, row);
  // Duplicates must come after the row they repeat: keep all originals first, mix the rest among the tail.
  return `\uFEFFІм'я;Телефон;Email;Компанія;Коментар\r\n${out.join('\r\n')}\r\n`;
}
