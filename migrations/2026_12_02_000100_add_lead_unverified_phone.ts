import { sql, type Kysely } from 'kysely';

/**
 * §2, §11: a form lead is never lost to a phone the parser cannot read
 * (no country code, a digit short): the typed text is kept here, shown on
 * the card as unverified, and counts as the lead's contact. It is not a
 * normalised phone, so the §4 duplicate rule and its unique index ignore it.
 * down() fails while a lead's only contact is an unverified phone: the old
 * check would not hold, and dropping the text would lose the lead's contact.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table leads add column phone_unverified text`.execute(db);
  await sql`alter table leads drop constraint leads_has_contact`.execute(db);
  await sql`alter table leads add constraint leads_has_contact
    check (phone is not null or email is not null or phone_unverified is not null or source = 'MESSAGE')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table leads drop constraint leads_has_contact`.execute(db);
  await sql`alter table leads add constraint leads_has_contact
    check (phone is not null or email is not null or source = 'MESSAGE')`.execute(db);
  await sql`alter table leads drop column phone_unverified`.execute(db);
}
