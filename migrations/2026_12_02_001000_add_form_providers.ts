import { sql, type Kysely } from 'kysely';

/**
 * §11 more form builders (Webflow, Tally, Jotform, HubSpot). signing_secret
 * holds a key the provider issues and signs with (Webflow's webhook secret
 * or OAuth client secret, HubSpot's app client secret); sources whose
 * provider signs with a secret we choose (Typeform, Tally) use `secret`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table form_sources drop constraint form_sources_provider_check`.execute(db);
  await sql`alter table form_sources add constraint form_sources_provider_check
    check (provider in ('tilda', 'typeform', 'generic', 'webflow', 'tally', 'jotform', 'hubspot'))`.execute(db);
  await sql`alter table form_sources add column signing_secret text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table form_sources drop column signing_secret`.execute(db);
  await sql`delete from form_sources where provider not in ('tilda', 'typeform', 'generic')`.execute(db);
  await sql`alter table form_sources drop constraint form_sources_provider_check`.execute(db);
  await sql`alter table form_sources add constraint form_sources_provider_check
    check (provider in ('tilda', 'typeform', 'generic'))`.execute(db);
}
