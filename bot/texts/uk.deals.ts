import type { enDeals } from './en.deals.js';
import { plurals } from './plural.js';

const count = plurals('uk');
const days = (n: number) => count(n, { one: 'день', few: 'дні', many: 'днів', other: 'дня' });
const chars = (n: number) => count(n, { one: 'символ', few: 'символи', many: 'символів', other: 'символу' });
const deals = (n: number) => count(n, { one: 'угода', few: 'угоди', many: 'угод', other: 'угоди' });
const decimals = (n: number) => count(n, { one: 'знак', few: 'знаки', many: 'знаків', other: 'знака' });

/** Тексти продажів (§8 передача, §9 угоди, /deals) українською; той самий вигляд, що en.deals.ts. */
export const ukDeals: typeof enDeals = {
  deals: {
    /** How amounts are written (Intl locale). */
    numberLocale: 'uk-UA',
    title: (id) => `<b>Угода #${id}</b>`,
    fromLead: (leadId) => `з ліда #${leadId}`,
    lead: 'Лід',
    company: 'Компанія',
    contact: 'Контакт',
    domain: 'Сфера',
    score: 'AI-оцінка',
    stage: 'Етап',
    amount: 'Сума',
    noAmount: 'ще не вказана',
    owner: 'Відповідальний',
    opened: 'Відкрито',
    paid: 'Оплачено',
    duration: (n) => `${days(n)} від відкриття`,
    lostReason: 'Причина втрати',
    lastActivity: 'Остання активність',
    stages: { NEW: 'НОВА', KYC: 'KYC', AGREEMENT: 'ДОГОВІР', PAID: 'ОПЛАЧЕНО', LOST: 'ВТРАЧЕНО' },
    buttons: {
      kyc: '➡️ KYC', agreement: '➡️ Договір', paid: '✅ Оплачено', lost: '❌ Втрачено', history: '🕘 Історія',
      lead: (id) => `📇 Лід #${id}`, card: '💼 Картка угоди', undo: '↩️ Скасувати',
    },
    confirmStage: (id, stage) => `❓ Перевести угоду #${id} на етап <b>${stage}</b>?`,
    confirmPaid: (id, amount) => `❓ Угоду #${id} оплачено: <b>${amount}</b>? Це закриває угоду.`,
    moved: (id, stage) => `✅ Угоду #${id} переведено на етап <b>${stage}</b>.`,
    askAmount: (id) =>
      `💰 Напишіть суму угоди #${id}, напр. <code>12 500</code>, <code>12,500.50</code> або <code>12 500,50 грн</code>, або /cancel.`,
    amountAgain: (problem) => `${problem}\nНапишіть суму ще раз або /cancel.`,
    askLostReason: (id, max) => `✍️ Напишіть, чому угоду #${id} втрачено (до ${chars(max)}), або /cancel.`,
    undone: (id, stage) => `↩️ Скасовано: угода #${id} знову на етапі ${stage}.`,
    movedBelow: (id) => `⤵️ Угода #${id}: картка нижче.`,
    historyTitle: (id, page, pages) => `🕘 <b>Історія угоди #${id}</b> (${page}/${pages})`,
    historyActions: {
      CREATED: 'Створено з ліда', STAGE_CHANGED: 'Зміна етапу', UNDONE: 'Скасовано', STALE_ALERT: 'Нагадування про бездіяльність',
    },
    noActivity: (n) => `без активності ${days(n)}`,
  },
  dealList: {
    usage: 'Як: /deal &lt;id&gt;, напр. /deal 12. /deals — список ваших угод.',
    title: (filter, page) => `💼 <b>Угоди</b> · ${filter} · сторінка ${page}`,
    titleAll: (filter, page) => `💼 <b>Усі угоди</b> · ${filter} · сторінка ${page}`,
    open: 'відкриті',
    empty: 'Тут угод немає.',
    totals: 'Разом',
    totalLine: (stage, n, amounts) => `${stage}: ${deals(n)}${amounts ? ` · ${amounts}` : ''}`,
    row: (id, stage, who, amount) => `#${id} · ${stage} · ${who}${amount ? ` · ${amount}` : ''}`,
    filterOpen: '📂 Відкриті',
    first: '⏮',
  },
  transfer: {
    button: '💼 Передати в продажі',
    confirm: (leadId, owner) => `❓ Передати лід #${leadId} у продажі? Відповідальний за угоду: <b>${owner}</b>.`,
    chooseOwner: '👤 Інший відповідальний',
    pickOwner: (leadId) => `👤 Хто відповідатиме за угоду з ліда #${leadId}?`,
    ownerLine: (name, load) => `${name} · ${load}`,
    noOwnerYet: 'нікого — оберіть відповідального',
    done: (leadId, dealId) => `💼 Лід #${leadId} передано в продажі: угода #${dealId}.`,
    refused: (leadId) => `⛔ Лід #${leadId} поки не можна передати в продажі:`,
    refusals: {
      not_qualified: (stage) => `• Лід на етапі ${stage}: передати можна лише QUALIFIED.`,
      not_analyzed: () => '• Лід ще не проаналізовано: AI-оцінки немає.',
      score_too_low: (score, min) => `• Оцінка ${score} нижча за ${min}.`,
      no_domain: () => '• Вкажіть сферу бізнесу.',
    },
    fixDomain: '✏️ Змінити: сфера бізнесу',
    analyze: '🤖 Аналізувати',
    analyzeAgain: '🤖 Аналізувати знову',
    openDeal: (id) => `💼 Угода #${id}`,
  },
  dealNotify: {
    newDeal: (by) => `💼 <b>Нова угода — ваша</b> (передав(ла) ${by}).`,
    salesChat: '💼 <b>Нова угода</b>',
    changed: (who, id, from, to) => `✏️ <b>${who}</b> перевів(ла) вашу угоду #${id}: ${from} → <b>${to}</b>.`,
    undone: (who, id, to) => `↩️ <b>${who}</b> скасував(ла) зміну вашої угоди #${id}: знову <b>${to}</b>.`,
    stale: (id, n) => `⚠️ Угода #${id} без активності ${days(n)}.`,
  },
  dealKinds: {
    deal_card: 'Картка угоди', sales_chat_deal: 'Картка угоди для чату продажів', deal_changed: 'Угоду змінили інші',
    deal_stale_alert: 'Нагадування про угоду',
  },
  dealErrors: {
    TRANSFER_REFUSED: (lines) => `⛔ Поки не можна передати в продажі:\n${lines}`,
    INVALID_DEAL_TRANSITION: {
      skip: (from, to, expected) => `⛔ Угода не може перейти з ${from} на ${to}. Очікується ${expected}.`,
      backward: (from, to) => `⛔ ${from} → ${to} — це крок назад: угоди рухаються лише вперед (↩️ Скасувати виправляє помилку протягом 30 с).`,
      same: (_from, to) => `ℹ️ Угода вже на етапі ${to}.`,
      terminal: (from) => `⛔ ${from} — остаточний етап: угоду більше не можна змінити.`,
      amount_required: (_from, to) => `💰 Для етапу ${to} потрібна сума угоди.`,
    },
    DEAL_CHANGED: (id) => `⚠️ Угоду #${id} тим часом змінили — ось актуальна картка.`,
    INVALID_AMOUNT: {
      empty: () => '⚠️ Суму не вказано: напишіть число, напр. 12 500.',
      not_a_number: () => '⚠️ Це не сума: напишіть цифри, напр. 12 500 або 12 500,50 грн.',
      not_positive: () => '⚠️ Сума має бути більшою за 0.',
      too_many_decimals: (d) => d.maxDecimals ? `⚠️ У ${d.currency} щонайбільше ${decimals(d.maxDecimals)} після коми.` : `⚠️ У ${d.currency} немає дробової частини.`,
      grouping: () => '⚠️ Групи цифр виглядають неправильно: групуйте тисячі по три, напр. 1 250 000.',
      too_large: (d) => `⚠️ Забагато: щонайбільше ${d.max} ${d.currency}.`,
      unknown_currency: (d) => `⚠️ Невідома валюта «${d.text ?? ''}»: вкажіть код, напр. UAH, USD або EUR.`,
      two_currencies: () => '⚠️ Дві валюти в одній сумі: вкажіть одну.',
    },
  },
};
