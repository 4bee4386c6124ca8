import type pg from 'pg';

/**
 * Drops a database once its connections are gone. pg's pool.end() resolves
 * before its sockets close; a forced drop at that moment kills them mid-close
 * and surfaces as an unhandled 57P01 in whoever owned the pool. After 5 s the
 * drop is forced anyway.
 */
export async function dropDatabaseWhenIdle(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
    if (rows[0]!.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await admin.query(`drop database if exists ${name} with (force)`);
}
