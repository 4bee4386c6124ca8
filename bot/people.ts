import type { Db, User } from '../core/database.js';
import { getUser } from '../core/users/user.service.js';
import { notFoundAsNull } from './lead-cards.js';

/**
 * The users named on one page of a list (note authors, file uploaders), by
 * id: one look-up per distinct id on the page, never the whole list.
 * Ids whose user no longer exists are left out.
 */
export async function loadPeople(db: Db, ids: readonly (number | null)[]): Promise<Map<number, User>> {
  const people = new Map<number, User>();
  const distinct = [...new Set(ids.filter((id): id is number => id !== null))];
  await Promise.all(distinct.map(async (id) => {
    const user = await getUser(db, id).catch(notFoundAsNull);
    if (user) people.set(id, user);
  }));
  return people;
}
