import type { Catalog } from './en.js';
import { plurals } from './plural.js';

const count = plurals('uk');
const days = (n: number) => count(n, { one: 'день', few: 'дні', many: 'днів', other: 'дня' });
const chars = (n: number) => count(n, { one: 'символ', few: 'символи', many: 'символів', other: 'символу' });

/** Тексти AI-аналізу (§7) українською. */
export const ukAi: Pick<Catalog, 'ai'> = {
  ai: {
    analyze: '🤖 Аналіз',
    disagree: '👎 Не згоден',
    recommendation: 'Рекомендація',
    why: 'Чому',
    recommendations: {
      transfer_to_sales: 'передати в продажі', continue_nurturing: 'продовжувати роботу', lost: 'ймовірно втрачений',
    },
    trends: { rising: '↗️ зростає', falling: '↘️ падає', stable: '→ стабільно', none: '' },
    ruleBased: '⚙️ <b>за правилами</b> — AI-модель для цієї оцінки не використовувалась',
    youDisagreed: (verdict) => `👎 Ви не згодні: ${verdict}`,
    verdicts: {
      too_high: '📉 Оцінка завищена', too_low: '📈 Оцінка занижена', wrong_recommendation: '🔀 Хибна рекомендація',
    },
    analyzing: '🤖 Аналізую…',
    scored: (id, score, tier) => `🤖 Лід #${id} оцінено: <b>${score}</b> ${tier}.`,
    scoredRuleBased: (id, score, tier) => `⚙️ Лід #${id} оцінено за правилами: <b>${score}</b> ${tier} (без AI).`,
    disagreeAsk: (id) => `👎 Що не так з аналізом ліда #${id}?`,
    commentAsk: (id, max) =>
      `✍️ Дякуємо, зафіксовано. Додайте коментар до аналізу ліда #${id} (до ${chars(max)}) або натисніть ❌ Скасувати, щоб залишити як є.`,
    disagreementSaved: '👎 Зафіксовано, дякуємо.',
    commentSaved: (id) => `👎 Ваш коментар до аналізу ліда #${id} збережено.`,
    bulkAnalyze: '🤖 Аналіз',
    bulkSummary: (done, failed) => failed > 0
      ? `🤖 Проаналізовано: ${done}, ❌ не вдалося: ${failed} (лишаються вибраними):`
      : `🤖 Проаналізовано: ${done}:`,
    bulkLine: (id, score, tier, ruleBased) => `#${id}: <b>${score}</b> ${tier}${ruleBased ? ' ⚙️' : ''}`,
    bulkRuleBasedNote: '⚙️ оцінено за правилами (без AI)',
    stats: {
      title: (n) => `🤖 <b>AI-аналіз</b> · останні ${days(n)}`,
      analyses: (n) => `Аналізів: <b>${n}</b>`,
      modelCalls: (n) => `Викликів моделі: <b>${n}</b>`,
      cost: (usd) => `Загальна вартість: <b>$${usd}</b>`,
      latency: (ms) => `Середня затримка моделі: <b>${ms === null ? '—' : `${ms} мс`}</b>`,
      fallbacks: (n, rate) => `За правилами замість моделі: <b>${n}</b> (${rate})`,
      reason: (reason, n) => `  · ${reason}: ${n}`,
      disagreements: (n, rate) => `Незгод: <b>${n}</b> (${rate} аналізів)`,
      today: (used, cap) => `Сьогодні (UTC): <b>${used}</b> з ${cap} викликів моделі`,
      none: 'Аналізів ще не було.',
    },
    fallbackReasons: {
      no_api_key: 'немає API-ключа', network: 'модель недоступна', timeout: 'час вичерпано', rate_limited: 'ліміт запитів (429)',
      server_error: 'помилка моделі (5xx)', api_error: 'запит відхилено', refusal: 'модель відмовилась',
      invalid_output: 'відповідь не пройшла схему', daily_cap: 'денний ліміт вичерпано', user_cap: 'денні аналізи користувача вичерпано',
    },
  },
};
