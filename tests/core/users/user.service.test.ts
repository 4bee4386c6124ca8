import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { AccessAlreadyDecidedError, ForbiddenError, NotFoundError } from '../../../core/errors.js';
import {
  decideAccess, findUserByTelegramId, listPendingUsers, registerTelegramUser, type TelegramProfile,
} from '../../../core/users/user.service.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

const opts = { adminTelegramIds: [777], defaultCapacity: 15 };
// Since staff join by invitation, only configured admins register by /start; other requests predate invites.
const register = async (telegramId: number, p: Partial<TelegramProfile> = {}) => {
  const registered = await registerTelegramUser(h.db, { ...profile(telegramId), ...p }, opts);
  if (registered) return registered.user;
  return makeUser(h.db, { telegramId, status: 'pending', name: 'Olena', language: 'uk', capacity: 15 });
};
const profile = (telegramId: number) => ({ telegramId, username: 'u', fullName: 'Olena', language: 'uk' as const });

describe('access (§1)', () => {
  it('does not register a stranger: without an invite, whoever writes is a customer, and no admin is asked', async () => {
    await makeUser(h.db, { role: 'admin' });
    expect(await registerTelegramUser(h.db, profile(601), opts)).toBeNull();
    expect(await findUserByTelegramId(h.db, 601)).toBeUndefined();
    const rows = await h.db.selectFrom('notifications').selectAll().where('kind', '=', 'access_request').execute();
    expect(rows).toEqual([]);
  });

  it('tells the person the decision through the outbox, in the transaction of the decision', async () => {
    const user = await register(602);
    const admin = await register(777);
    await decideAccess(h.db, admin, user.id, { approve: true, role: 'agent' });
    const [row] = await h.db.selectFrom('notifications').selectAll()
      .where('kind', '=', 'access_decided').where('recipient_user_id', '=', user.id).execute();
    expect(row).toMatchObject({ chat_id: 602, payload: { approved: true, role: 'agent' } });
  });

  it('makes a configured Telegram id an active admin at once', async () => {
    expect(await register(777)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('keeps a request made before invites pending, listed for admins, and refreshes its profile on /start', async () => {
    const user = await register(501);
    expect(user).toMatchObject({ role: 'agent', status: 'pending', capacity: 15, language: 'uk' });
    expect((await listPendingUsers(h.db)).map((u) => u.id)).toContain(user.id);
    const again = await registerTelegramUser(h.db, { ...profile(501), fullName: 'Olena K' }, opts);
    expect(again).toMatchObject({ isNew: false, user: { id: user.id, status: 'pending', full_name: 'Olena K' } });
  });

  it('keeps role, status and language when a known user sends /start again', async () => {
    const user = await register(502);
    const admin = await register(777);
    await decideAccess(h.db, admin, user.id, { approve: true, role: 'manager' });
    const again = await register(502, { fullName: 'Olena K', language: 'en' });
    expect(again).toMatchObject({ id: user.id, role: 'manager', status: 'active', full_name: 'Olena K', language: 'uk' });
  });

  it('lets an admin reject a pending user', async () => {
    const user = await register(503);
    const admin = await register(777);
    expect(await decideAccess(h.db, admin, user.id, { approve: false })).toMatchObject({ status: 'rejected' });
    expect((await findUserByTelegramId(h.db, 503))?.status).toBe('rejected');
  });

  it('refuses access decisions by managers, about oneself, or about unknown users', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    const user = await register(504);
    await expect(decideAccess(h.db, manager, user.id, { approve: true, role: 'admin' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideAccess(h.db, admin, admin.id, { approve: false })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideAccess(h.db, admin, 999_999, { approve: false })).rejects.toBeInstanceOf(NotFoundError);
    expect((await findUserByTelegramId(h.db, 504))?.status).toBe('pending');
  });

  it('when two admins decide the same request at once, one decision stands and the other is told', async () => {
    const user = await register(505);
    const [a, b] = [await makeUser(h.db, { role: 'admin' }), await makeUser(h.db, { role: 'admin' })];
    const results = await Promise.allSettled([
      decideAccess(h.db, a, user.id, { approve: true, role: 'manager' }),
      decideAccess(h.db, b, user.id, { approve: false }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ status: string }>[];
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AccessAlreadyDecidedError);
    expect(lost[0]!.reason.user.status).toBe(won[0]!.value.status);
    expect((await findUserByTelegramId(h.db, 505))?.status).toBe(won[0]!.value.status);
  });
});
