import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { AccessAlreadyDecidedError, ForbiddenError, NotFoundError } from '../../../core/errors.js';
import { decideAccess, findUserByTelegramId, listPendingUsers, registerTelegramUser } from '../../../core/users/user.service.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

const opts = { adminTelegramIds: [777], defaultCapacity: 15 };
const profile = (telegramId: number) => ({ telegramId, username: 'u', fullName: 'Olena', language: 'uk' as const });

describe('access (§1)', () => {
  it('makes a configured Telegram id an active admin at once', async () => {
    expect(await registerTelegramUser(h.db, profile(777), opts)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('registers anyone else as a pending agent with the default capacity, listed for admins', async () => {
    const user = await registerTelegramUser(h.db, profile(501), opts);
    expect(user).toMatchObject({ role: 'agent', status: 'pending', capacity: 15, language: 'uk' });
    expect((await listPendingUsers(h.db)).map((u) => u.id)).toContain(user.id);
  });

  it('keeps role, status and language when a known user sends /start again', async () => {
    const user = await registerTelegramUser(h.db, profile(502), opts);
    const admin = await registerTelegramUser(h.db, profile(777), opts);
    await decideAccess(h.db, admin, user.id, { approve: true, role: 'manager' });
    const again = await registerTelegramUser(h.db, { ...profile(502), fullName: 'Olena K', language: 'en' }, opts);
    expect(again).toMatchObject({ id: user.id, role: 'manager', status: 'active', full_name: 'Olena K', language: 'uk' });
  });

  it('lets an admin reject a pending user', async () => {
    const user = await registerTelegramUser(h.db, profile(503), opts);
    const admin = await registerTelegramUser(h.db, profile(777), opts);
    expect(await decideAccess(h.db, admin, user.id, { approve: false })).toMatchObject({ status: 'rejected' });
    expect((await findUserByTelegramId(h.db, 503))?.status).toBe('rejected');
  });

  it('refuses access decisions by managers, about oneself, or about unknown users', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    const user = await registerTelegramUser(h.db, profile(504), opts);
    await expect(decideAccess(h.db, manager, user.id, { approve: true, role: 'admin' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideAccess(h.db, admin, admin.id, { approve: false })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideAccess(h.db, admin, 999_999, { approve: false })).rejects.toBeInstanceOf(NotFoundError);
    expect((await findUserByTelegramId(h.db, 504))?.status).toBe('pending');
  });

  it('when two admins decide the same request at once, one decision stands and the other is told', async () => {
    const user = await registerTelegramUser(h.db, profile(505), opts);
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
