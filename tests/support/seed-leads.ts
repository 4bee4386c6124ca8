import { sql } from 'kysely';
import type { Db } from '../../core/database.js';
import { COLD_STAGES, LEAD_SOURCES } from '../../core/leads/lead.constants.js';

// Deliberately without Petrov, Smith or John: tests plant those and expect to find them among look-alikes.
const FIRST = [
  'Olena', 'Andrii', 'Iryna', 'Oleksandr', 'Maria', 'Dmytro', 'Natalia', 'Serhii', 'Yulia', 'Mykola',
  'Oksana', 'Taras', 'Halyna', 'Bohdan', 'Svitlana', 'Yaroslav', 'Tetiana', 'Volodymyr', 'Kateryna', 'Ihor',
  'Anastasia', 'Roman', 'Viktoria', 'Pavlo', 'Lesia', 'Vasyl', 'Daria', 'Maksym', 'Nadiia', 'Stepan',
  'Emma', 'Oliver', 'Sophia', 'Liam', 'Isabella', 'Noah', 'Mia', 'James', 'Charlotte', 'William',
  'Amelia', 'Benjamin', 'Harper', 'Lucas', 'Evelyn', 'Henry', 'Abigail', 'Alexander', 'Emily', 'Daniel',
  'Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Hannah', 'Leon', 'Lena', 'Paul', 'Marie',
  'Pablo', 'Lucia', 'Mateo', 'Carmen', 'Javier', 'Elena', 'Diego', 'Sofia', 'Alejandro', 'Valeria',
  'Piotr', 'Agnieszka', 'Tomasz', 'Katarzyna', 'Marcin', 'Magdalena', 'Jakub', 'Joanna', 'Michal', 'Ewa',
];
const LAST = [
  'Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Kravchenko', 'Oliinyk', 'Melnyk', 'Petrenko',
  'Petrovych', 'Peterson', 'Ivanenko', 'Sidorenko', 'Moroz', 'Lysenko', 'Marchenko', 'Rudenko',
  'Savchenko', 'Koval', 'Boiko', 'Shevchuk', 'Polishchuk', 'Kovalchuk', 'Tkachuk', 'Kharchenko', 'Hnatiuk',
  'Levchenko', 'Karpenko', 'Vasylenko', 'Zinchenko', 'Pavlenko', 'Romanenko', 'Yakovenko', 'Klymenko',
  'Ostapenko', 'Semenko', 'Fedorenko', 'Dmytrenko', 'Hrytsenko', 'Bilyk', 'Kuzmenko', 'Honcharenko',
  'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Wilson',
  'Martinez', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'White', 'Harris', 'Clark',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams',
  'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Smyth',
  'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch',
  'Richter', 'Klein', 'Wolf', 'Schroeder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Hartmann', 'Lange',
  'Kowalski', 'Nowak', 'Wisniewski', 'Wojcik', 'Kowalczyk', 'Kaminski', 'Lewandowski', 'Zielinski',
  'Szymanski', 'Wozniak', 'Dabrowski', 'Kozlowski', 'Jankowski', 'Mazur', 'Krawczyk', 'Piotrowski',
  'Lopez', 'Gonzalez', 'Hernandez', 'Perez', 'Sanchez', 'Ramirez', 'Torres', 'Flores', 'Rivera', 'Gomez',
  'Diaz', 'Reyes', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos', 'Ruiz', 'Alvarez', 'Castillo',
];
const COMPANY_A = ['Blue', 'Green', 'Nord', 'Prime', 'Smart', 'Global', 'Silver', 'Bright', 'Rapid', 'Urban'];
const COMPANY_B = ['River', 'Stone', 'Wave', 'Peak', 'Field', 'Bridge', 'Harbor', 'Forge', 'Line', 'Point'];
const COMPANY_C = ['Logistics', 'Systems', 'Foods', 'Energy', 'Media', 'Consulting', 'Retail', 'Labs', 'Agro', 'Build'];
const DOMAINS = ['gmail.com', 'ukr.net', 'outlook.com', 'example.com', 'company.ua', 'mail.de'];

const PHONE_PREFIXES = ['+38067', '+7916', '+1415'];

/** Name and phone of seeded lead number i, as seedLeads writes them (to query for a known lead). */
export function seededLead(i: number): { fullName: string; phone: string } {
  return {
    fullName: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / 7) % LAST.length]}`,
    phone: PHONE_PREFIXES[i % 3] + String(i).padStart(7, '0'),
  };
}

const arr = (values: readonly string[]) => sql`array[${sql.join(values.map((v) => sql.lit(v)))}]::text[]`;

/**
 * Inserts leads number `from`..`to` (inclusive) with one INSERT … SELECT
 * generate_series (fast on PostgreSQL and PGlite): names from a mixed
 * international list, companies for 4 in 5, unique E.164 phones (UA +38067…,
 * RU +7916…, US +1415…) and emails, every source and stage, AI scores and
 * their §2 tiers for 3 in 4, assigned round-robin to `assigneeIds` (every
 * tenth unassigned). Numbers must not overlap between calls (contacts are unique).
 */
export async function seedLeads(db: Db, p: { from: number; to: number; assigneeIds: readonly number[] }): Promise<void> {
  const assignees = p.assigneeIds.length ? sql`array[${sql.join(p.assigneeIds.map((id) => sql.lit(id)))}]::int[]` : sql`array[]::int[]`;
  await sql`
    insert into leads (source, stage, full_name, phone, email, company, ai_score, quality_tier, assigned_to, lost_reason)
    select
      (${arr(LEAD_SOURCES)})[1 + i % ${sql.lit(LEAD_SOURCES.length)}],
      (${arr(COLD_STAGES)})[1 + (i / 3) % ${sql.lit(COLD_STAGES.length)}],
      first || ' ' || last,
      (${arr(PHONE_PREFIXES)})[1 + i % 3] || lpad(i::text, 7, '0'),
      lower(first) || '.' || lower(last) || i || '@' || (${arr(DOMAINS)})[1 + i % ${sql.lit(DOMAINS.length)}],
      case when i % 5 = 0 then null else
        (${arr(COMPANY_A)})[1 + i % 10] || ' ' || (${arr(COMPANY_B)})[1 + (i / 10) % 10] || ' ' ||
        (${arr(COMPANY_C)})[1 + (i / 100) % 10] end,
      score,
      case when score is null then null when score >= 0.8 then 'HOT' when score >= 0.6 then 'WARM'
        when score >= 0.3 then 'COLD' else 'DEAD' end,
      case when i % 10 = 0 or cardinality(${assignees}) = 0 then null
        else (${assignees})[1 + i % greatest(cardinality(${assignees}), 1)] end,
      case when (i / 3) % ${sql.lit(COLD_STAGES.length)} = 4 then 'No budget' end
    from (
      select i,
        (${arr(FIRST)})[1 + i % ${sql.lit(FIRST.length)}] as first,
        (${arr(LAST)})[1 + (i / 7) % ${sql.lit(LAST.length)}] as last,
        case when i % 4 = 0 then null else ((i * 37) % 100) / 100.0 end as score
      from generate_series(${sql.lit(p.from)}::int, ${sql.lit(p.to)}::int) as i
    ) g
  `.execute(db);
}
