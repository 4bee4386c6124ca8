import type { AiVerdict, FallbackReason, Recommendation, Trend } from '../../core/index.js';
import { plurals } from './plural.js';

const count = plurals('en');

/** Texts of AI analysis (§7): the card's AI lines and buttons, [👎 Disagree], bulk analyze and /aistats, in English. */
export const enAi = {
  ai: {
    analyze: '🤖 Analyze',
    disagree: '👎 Disagree',
    recommendation: 'Recommendation',
    why: 'Why',
    recommendations: {
      transfer_to_sales: 'transfer to sales', continue_nurturing: 'keep nurturing', lost: 'likely lost',
    } satisfies Record<Recommendation, string>,
    trends: { rising: '↗️ rising', falling: '↘️ falling', stable: '→ stable', none: '' } satisfies Record<Trend, string>,
    ruleBased: '⚙️ <b>rule-based</b> — the AI model was not used for this score',
    youDisagreed: (verdict: string) => `👎 You disagreed: ${verdict}`,
    verdicts: {
      too_high: '📉 Score too high', too_low: '📈 Score too low', wrong_recommendation: '🔀 Wrong recommendation',
    } satisfies Record<AiVerdict, string>,
    analyzing: '🤖 Analyzing…',
    scored: (id: number, score: string, tier: string) => `🤖 Lead #${id} scored <b>${score}</b> ${tier}.`,
    scoredRuleBased: (id: number, score: string, tier: string) => `⚙️ Lead #${id} scored <b>${score}</b> ${tier} by the rules (AI not used).`,
    disagreeAsk: (id: number) => `👎 What is wrong with lead #${id}'s analysis?`,
    commentAsk: (id: number, max: number) =>
      `✍️ Thanks — noted. Add a comment on lead #${id}'s analysis (up to ${count(max, { one: 'character', other: 'characters' })}), or tap ❌ Cancel to leave it at that.`,
    disagreementSaved: '👎 Noted: thank you.',
    commentSaved: (id: number) => `👎 Your comment on lead #${id}'s analysis is saved.`,
    bulkAnalyze: '🤖 Analyze',
    bulkSummary: (done: number, failed: number) => failed > 0
      ? `🤖 ${done} analysed, ❌ ${failed} failed (still selected):`
      : `🤖 ${done} analysed:`,
    bulkLine: (id: number, score: string, tier: string, ruleBased: boolean) => `#${id}: <b>${score}</b> ${tier}${ruleBased ? ' ⚙️' : ''}`,
    bulkRuleBasedNote: '⚙️ scored by the rules (AI not used)',
    stats: {
      title: (days: number) => `🤖 <b>AI analysis</b> · last ${count(days, { one: 'day', other: 'days' })}`,
      analyses: (n: number) => `Analyses: <b>${n}</b>`,
      modelCalls: (n: number) => `Model calls: <b>${n}</b>`,
      cost: (usd: string) => `Total cost: <b>$${usd}</b>`,
      latency: (ms: number | null) => `Average model latency: <b>${ms === null ? '—' : `${ms} ms`}</b>`,
      fallbacks: (n: number, rate: string) => `Rule-based instead of the model: <b>${n}</b> (${rate})`,
      reason: (reason: string, n: number) => `  · ${reason}: ${n}`,
      disagreements: (n: number, rate: string) => `Disagreements: <b>${n}</b> (${rate} of analyses)`,
      today: (used: number, cap: number) => `Today (UTC): <b>${used}</b> of ${cap} model calls`,
      none: 'No analyses yet.',
    },
    fallbackReasons: {
      no_api_key: 'no API key', network: 'model unreachable', timeout: 'timed out', rate_limited: 'rate-limited (429)',
      server_error: 'model error (5xx)', api_error: 'request refused', refusal: 'the model declined',
      invalid_output: 'answer failed the schema', daily_cap: 'daily cap reached', user_cap: 'user’s daily analyses used up',
    } satisfies Record<FallbackReason, string>,
  },
};
