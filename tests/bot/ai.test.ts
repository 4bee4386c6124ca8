import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../support/fake-openai-server.js';

describe('AI analysis in the bot (§7)', () => {
  let h: BotHarness;
  let fake: FakeOpenAiServer;
  let agent: User;
  let admin: User;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    h = await createBotHarness({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseUrl, AI_TIMEOUT_MS: '2000' });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });

  it('🤖 Analyze scores the lead: the card shows score, tier badge, recommendation and reason, then the trend', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, source: 'REFERRAL' });
    const card = await h.openCard(agent, lead.id);
    expect(card.text).not.toContain('AI score');
    expect(labelsOf(card)).toContain('🤖 Analyze');
    expect(labelsOf(card)).not.toContain('👎 Disagree');

    fake.script({ kind: 'ok', score: 0.62, recommendation: 'continue_nurturing', reason: 'Referral <b>without</b> a domain yet.' });
    await h.tg.press(h.as(agent), card, 'Analyze');
    const scored = h.current(card);
    expect(h.tg.lastAnswer()).toMatchObject({ text: '🤖 Analyzing…' });
    expect(scored.text).toContain(`🤖 Lead #${lead.id} scored <b>0.62</b> ☀️ WARM.`);
    expect(scored.text).toContain('AI score: <b>0.62</b> ☀️ WARM');
    expect(scored.text).toContain('Recommendation: keep nurturing');
    expect(scored.text).toContain('Why: <i>Referral &lt;b&gt;without&lt;/b&gt; a domain yet.</i>');
    expect(scored.text).not.toContain('rule-based');
    expect(labelsOf(scored)).toContain('👎 Disagree');

    fake.script({ kind: 'ok', score: 0.91, recommendation: 'transfer_to_sales', reason: 'Now in logistics and responsive.' });
    await h.tg.press(h.as(agent), scored, 'Analyze');
    expect(h.current(card).text).toContain('AI score: <b>0.91</b> 🔥 HOT · ↗️ rising');
  });

  it('when the model is not used, the card says the score is rule-based', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, source: 'WEB', stage: 'CONTACTED' });
    fake.script({ kind: 'server_error' });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Analyze');
    const text = h.current(card).text;
    expect(text).toContain(`⚙️ Lead #${lead.id} scored <b>0.35</b> ❄️ COLD by the rules (AI not used).`);
    expect(text).toContain('⚙️ <b>rule-based</b> — the AI model was not used for this score');
    expect(text).toContain('[AI OFFLINE - RULE BASED]');
  });

  it('renders the AI lines in Ukrainian for a Ukrainian reader, ⚫ for DEAD', async () => {
    const reader = await makeUser(h.db, { role: 'manager', language: 'uk' });
    const lead = await makeLead(h.db, { assigned_to: agent.id, source: 'SOCIAL' });
    fake.script({ kind: 'ok', score: 0.12, recommendation: 'lost', reason: 'No contact for months.' });
    const card = await h.openCard(reader, lead.id);
    await h.tg.press(h.as(reader), card, 'Аналіз');
    const text = h.current(card).text;
    expect(text).toContain('AI-оцінка: <b>0.12</b> ⚫ Неперспективний');
    expect(text).toContain('Рекомендація: ймовірно втрачений');
    expect(labelsOf(h.current(card))).toContain('👎 Не згоден');
  });

  it('👎 Disagree records the verdict against that analysis, then takes an optional comment asked on the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    fake.script({ kind: 'ok', score: 0.85, recommendation: 'transfer_to_sales', reason: 'Looks ready to buy now.' });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Analyze');
    const scoreId = (await h.db.selectFrom('lead_scores').select('id').where('lead_id', '=', lead.id).executeTakeFirstOrThrow()).id;

    await h.tg.press(h.as(agent), h.current(card), 'Disagree');
    expect(h.current(card).text).toContain(`👎 What is wrong with lead #${lead.id}'s analysis?`);
    await h.tg.press(h.as(agent), h.current(card), 'Score too high');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '👎 Noted: thank you.' });
    expect(h.current(card).text).toContain('Add a comment');
    const feedback = () => h.db.selectFrom('ai_feedback').selectAll().where('lead_id', '=', lead.id).execute();
    expect(await feedback()).toMatchObject([{ lead_score_id: scoreId, user_id: agent.id, verdict: 'too_high', comment: null }]);

    await h.tg.send(h.as(agent), 'They have no budget until <spring>');
    expect(await feedback()).toMatchObject([{ verdict: 'too_high', comment: 'They have no budget until' }]);
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text).toContain(`👎 Your comment on lead #${lead.id}'s analysis is saved.`);
    expect(fresh.text).toContain('👎 You disagreed: 📉 Score too high');
  });

  it('an agent cannot analyse or disagree on a lead that is not theirs (forged buttons)', async () => {
    const other = await makeLead(h.db, { assigned_to: null });
    const mine = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, mine.id);
    const before = fake.requests.length;
    await h.tg.tap(h.as(agent), card, `ai1:${other.id}`);
    expect(h.tg.lastAnswer()).toMatchObject({ show_alert: true });
    expect(fake.requests.length).toBe(before);
  });

  it('/aistats shows admins the month: calls, cost, latency, fallbacks with reasons, disagreements, today’s cap', async () => {
    await h.core.ai.flushAudit();
    await h.tg.send(h.as(admin), '/aistats');
    const text = h.lastText(admin)!;
    expect(text).toContain('🤖 <b>AI analysis</b> · last 30 days');
    expect(text).toMatch(/Analyses: <b>\d+<\/b>/);
    expect(text).toMatch(/Model calls: <b>\d+<\/b>/);
    expect(text).toMatch(/Total cost: <b>\$0\.\d+<\/b>/);
    expect(text).toMatch(/Average model latency: <b>\d+ ms<\/b>/);
    expect(text).toContain('Rule-based instead of the model: <b>1</b>');
    expect(text).toContain('  · model error (5xx): 1');
    expect(text).toMatch(/Disagreements: <b>1<\/b> \(\d+\.\d% of analyses\)/);
    expect(text).toMatch(/Today \(UTC\): <b>\d+<\/b> of 500 model calls/);
  });

  it('/aistats is for admins only', async () => {
    await h.tg.send(h.as(agent), '/aistats');
    expect(h.lastText(agent)).not.toContain('AI analysis');
  });

  it('bulk 🤖 Analyze scores each selected lead and reports one line per lead (§6)', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const a = await makeLead(h.db, { assigned_to: agent.id });
    const b = await makeLead(h.db, { assigned_to: agent.id });
    fake.script({ kind: 'ok', score: 0.81 }, { kind: 'refusal' });
    await h.tg.send(h.as(manager), '/bulk');
    const list = h.fake.lastMessage(manager.telegram_id);
    await h.tg.press(h.as(manager), list, `#${b.id}`);
    await h.tg.press(h.as(manager), h.current(list), `#${a.id}`);
    await h.tg.press(h.as(manager), h.current(list), 'Analyze');
    const summary = h.lastText(manager)!;
    expect(summary).toContain('🤖 2 analysed:');
    expect(summary).toMatch(new RegExp(`#${a.id}: <b>0\\.\\d\\d</b>`));
    expect(summary).toMatch(new RegExp(`#${b.id}: <b>0\\.\\d\\d</b>`));
    expect(summary).toContain('⚙️ scored by the rules (AI not used)');
    expect(await h.db.selectFrom('lead_scores').select('lead_id').where('lead_id', 'in', [a.id, b.id]).execute()).toHaveLength(2);
  });

  it('a stale alert shows the saved score (§10)', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED', last_activity_at: new Date(Date.now() - 9 * 86_400_000) });
    fake.script({ kind: 'ok', score: 0.456 });
    await h.core.ai.analyze(agent, lead.id);
    await h.core.operations.raiseStaleAlerts();
    await h.deliver();
    const alert = h.fake.sentTexts(agent.telegram_id).find((t) => t.includes(`Lead #${lead.id} (`));
    expect(alert).toContain('AI score: 0.46');
  });
});
