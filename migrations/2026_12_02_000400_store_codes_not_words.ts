import { sql, type Kysely } from 'kysely';

/**
 * Issue 9: store codes, render words. A preset lost reason, the stale
 * alert's history line and the "contacted after a stale alert" note were
 * stored as English text, so a Ukrainian reader saw English. They become
 * codes the bot renders in the reader's language; typed text stays text.
 * Also each user's own time zone (null: the team's, TEAM_TIMEZONE).
 * The English labels below are the ones the code stored before this
 * migration, frozen here on purpose.
 */
const PRESETS: [code: string, label: string][] = [
  ['no_budget', 'No budget'], ['no_response', 'No response'], ['competitor', 'Chose a competitor'],
  ['not_fit', 'Not a fit'], ['spam', 'Spam'],
];
const CONTACT_NOTE = '📞 Contacted (after a stale-lead alert)';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users add column timezone text`.execute(db);
  const codes = sql.join(PRESETS.map(([code]) => sql.lit(code)));
  await sql`alter table leads add column lost_reason_code text
    constraint leads_lost_reason_code check (lost_reason_code in (${codes}))`.execute(db);
  await sql`alter table lead_history add column reason_code text`.execute(db);
  // A system note is its code alone: the words come from the reader's language.
  await sql`alter table lead_notes add column system_code text
    constraint lead_notes_system_code check (system_code in ('stale_contact'))`.execute(db);
  await sql`alter table lead_notes drop constraint lead_notes_body_check`.execute(db);
  await sql`alter table lead_notes add constraint lead_notes_body_check check (
    (system_code is null and char_length(body) between 1 and 4096) or (system_code is not null and body = ''))`.execute(db);
  for (const [code, label] of PRESETS) {
    await sql`update leads set lost_reason_code = ${code}, lost_reason = null where lost_reason = ${label}`.execute(db);
    await sql`update lead_history set reason_code = ${code}, reason = null
      where reason = ${label} and to_stage = 'LOST'`.execute(db);
  }
  // "No activity for N days": the days are in details already.
  await sql`update lead_history set reason = null
    where action = 'NURTURE' and reason ~ '^No activity for [0-9]+ days$'`.execute(db);
  await sql`update lead_notes set system_code = 'stale_contact', body = '' where body = ${CONTACT_NOTE}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table lead_notes drop constraint lead_notes_body_check`.execute(db);
  await sql`update lead_notes set body = ${CONTACT_NOTE} where system_code = 'stale_contact'`.execute(db);
  await sql`alter table lead_notes add constraint lead_notes_body_check
    check (char_length(body) between 1 and 4096)`.execute(db);
  await sql`update lead_history set reason = 'No activity for ' || (details->>'days') || ' days'
    where action = 'NURTURE' and reason is null and details ? 'days'`.execute(db);
  for (const [code, label] of PRESETS) {
    await sql`update leads set lost_reason = ${label} where lost_reason_code = ${code}`.execute(db);
    await sql`update lead_history set reason = ${label} where reason_code = ${code}`.execute(db);
  }
  await sql`alter table lead_notes drop column system_code`.execute(db);
  await sql`alter table lead_history drop column reason_code`.execute(db);
  await sql`alter table leads drop column lost_reason_code`.execute(db);
  await sql`alter table users drop column timezone`.execute(db);
}
