import type { TeamTexts } from './en.team.js';
import { plurals } from './plural.js';

const count = plurals('uk');
const days = (n: number) => count(n, { one: 'день', few: 'дні', many: 'днів', other: 'дня' });

/** Texts of the team screens (/team, /users, /off and /on, /bulk), in Ukrainian. */
export const ukTeam: TeamTexts = {
  team: {
    title: (n) => `👥 <b>Команда</b> · застарілий = без активності ${days(n)}`,
    member: (name, role, open, capacity) => `<b>${name}</b> (${role}) — відкритих ${open}/${capacity}`,
    stale: (n) => `⚠️ застарілих: ${n}`,
    off: '🌙 недоступний',
    total: (open, stale) => `Разом: відкритих ${open}, застарілих ${stale}.`,
    empty: 'Немає активних користувачів.',
  },
  availability: {
    off: (open) => '🌙 Вас позначено недоступним: нові ліди отримують інші.' +
      (open > 0 ? ` У вас лишається відкритих лідів: ${open} — /leads.` : '') + ' Надішліть /on, коли повернетеся.',
    on: '✅ Ви знову доступні: нові ліди можуть надходити вам.',
  },
  users: {
    title: (page, pages) => `👥 <b>Користувачі</b> (${page}/${pages}) — відкриті ліди / ліміт`,
    empty: 'Користувачів ще немає.',
    role: 'Роль',
    status: 'Статус',
    active: '🟢 активний',
    inactive: '🚫 деактивований',
    load: 'Відкриті ліди / ліміт',
    availability: 'Доступність',
    available: '✅ доступний',
    away: '🌙 недоступний',
    yourself: 'ℹ️ Це ви: не можна змінити власну роль або деактивувати себе.',
    capacityOther: '✍️ Інше…',
    deactivate: '🚫 Деактивувати',
    reactivate: '✅ Активувати знову',
    backToList: '↩️ Користувачі',
    roleSet: (name, role) => `✅ ${name} тепер <b>${role}</b>.`,
    capacitySet: (name, capacity) => `✅ Ліміт для ${name}: <b>${capacity}</b>.`,
    capacityAsk: (name, min, max) => `✍️ Новий ліміт для ${name}: ціле число від ${min} до ${max}, або /cancel.`,
    capacityInvalid: (min, max) => `Надішліть ціле число від ${min} до ${max}, або /cancel.`,
    deactivateAsk: (name, open) =>
      `❓ Деактивувати ${name}? Доступ зникне одразу; відкриті ліди (${open}) отримають агенти з вільним лімітом.`,
    deactivated: (name, moved, unassigned, failed) =>
      `🚫 ${name} деактивовано. Лідів передано: ${moved}; лишилися без відповідального (менеджерам повідомлено): ${unassigned}` +
      (failed > 0 ? `; помилок: ${failed}` : '') + '.',
    leadMoved: (id, name) => `#${id} → ${name}`,
    leadUnassigned: (id) => `#${id} → без відповідального`,
    leadFailed: (id, message) => `#${id} ❌ ${message}`,
    reactivated: (name) => `✅ ${name} знову активний.`,
    youWereDeactivated: '⛔ Адміністратор вимкнув ваш доступ до CRM.',
    youWereReactivated: '✅ Ваш доступ до CRM відновлено. Надішліть /leads, щоб побачити свої ліди.',
    yourRoleIs: (role) => `ℹ️ Ваша роль у CRM тепер <b>${role}</b>.`,
  },
  bulk: {
    title: (page, selected, max) =>
      `🧰 <b>Групові дії</b> — сторінка ${page}\nВибрано: <b>${selected}</b> (до ${max}). Позначте ліди, потім оберіть дію.`,
    empty: 'Немає відкритих лідів.',
    stage: '➡️ Етап…',
    assign: '👤 Призначити…',
    delete: '🗑 Видалити…',
    clear: '✖️ Зняти вибір',
    nothingSelected: 'Спершу виберіть хоча б один лід.',
    tooMany: (max) => `Групова дія охоплює щонайбільше ${count(max, { one: 'лід', few: 'ліди', many: 'лідів', other: 'ліда' })}.`,
    stageAsk: (n) => `➡️ Перевести вибрані ліди (${n}) на етап:`,
    lostAsk: (n) => `❌ Чому вибрані ліди (${n}) втрачено?`,
    assignAsk: (n) => `👤 Кому призначити вибрані ліди (${n})? (відкриті / ліміт; 🔴 заповнено, 🌙 недоступний):`,
    nobody: 'Немає активного агента чи менеджера, якому можна призначити.',
    person: (name, load, capacity, available) =>
      `${load >= capacity ? '🔴' : '🟢'} ${name} · ${load}/${capacity}${available ? '' : ' 🌙'}`,
    deleteAsk: (n) => `❓ Видалити ці ліди (${n})? Адміністратори зможуть їх відновити.`,
    deleteConfirm: (n) => `🗑 Так, видалити ${n}`,
    summary: (done, failed) => failed > 0
      ? `✅ Виконано: ${done}, ❌ помилок: ${failed} (лишаються вибраними):`
      : `✅ Виконано: ${done}.`,
    failure: (id, message) => `#${id} ${message}`,
    more: (n) => `… і ще ${n}`,
  },
};
