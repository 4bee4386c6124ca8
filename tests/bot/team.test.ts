import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe('/team (§1, §4, §10)', () => {
  let h: BotHarness;
  let manager: User;
  let agent: User;

  beforeAll(async () => {
    h = await createBotHarness({ STALE_AFTER_DAYS: '5' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia <Boss>' });
    agent = await makeUser(h.db, { name: 'Ann Agent', capacity: 10 });
    await makeUser(h.db, { name: 'Otto Off', capacity: 4, isAvailable: false });
    await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED', last_activity_at: daysAgo(6) });
    await makeLead(h.db, { assigned_to: agent.id, stage: 'NEW' });
  });
  afterAll(() => h.close());

  it('shows a manager each active user\'s load, capacity, stale leads and who is off', async () => {
    await h.tg.send(h.as(manager), '/team');
    const text = h.fake.lastMessage(manager.telegram_id).text;
    expect(text).toContain('👥 <b>Team</b> · stale = no activity for 5 days');
    expect(text).toContain('🧭 <b>Mia &lt;Boss&gt;</b> (manager) — 0/20 open');
    expect(text).toContain('👤 <b>Ann Agent</b> (agent) — 2/10 open · ⚠️ 1 stale');
    expect(text).toContain('👤 <b>Otto Off</b> (agent) — 0/4 open · 🌙 off');
    expect(text).toContain('Total: 2 open, 1 stale.');
  });

  it('refuses an agent', async () => {
    await h.tg.send(h.as(agent), '/team');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('⛔ You are not allowed to do this.');
  });
});
