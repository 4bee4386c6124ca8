import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from './database.js';

/**
 * Runs fn in a transaction: opens one on the root handle, or joins the
 * caller's when db already is a Transaction (whoever owns the unit of work
 * opens it; nested calls take part in it).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}
