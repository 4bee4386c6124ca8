import type { enPlatform } from './en.platform.js';
import { plurals } from './plural.js';

const count = plurals('uk');

/** Тексти /api (доступ до JSON API, ключі) і /webhooks (вихідні події), українською. */
export const ukPlatform: typeof enPlatform = {
  api: {
    title: (base, docs) => `🔌 <b>JSON API</b>\nБазова адреса: <code>${base}</code>\nДокументація: ${docs}`,
    howTo: 'Натисніть 🔑, щоб отримати вхід. Надсилайте токен доступу як <code>Authorization: Bearer …</code>; коли він спливе, ' +
      'надішліть токен оновлення POST-запитом на <code>/auth/refresh</code> — отримаєте нові (кожен токен оновлення діє один раз).',
    newToken: '🔑 Новий вхід',
    signOut: '🚪 Вийти всюди',
    issued: (access, refresh, minutes) =>
      `🔑 <b>Ваш вхід до API</b> (тримайте в таємниці; видаліть це повідомлення, щойно скопіюєте)\n\n` +
      `Токен доступу (${minutes} хв):\n<code>${access}</code>\n\nТокен оновлення:\n<code>${refresh}</code>`,
    signedOut: (n) => `🚪 Вихід виконано: відкликано ${count(n, { one: 'вхід', few: 'входи', many: 'входів', other: 'входу' })}.`,
    keysTitle: '🗝 <b>Ключі API</b> (для інтеграцій)',
    noKeys: 'Ключів ще немає.',
    key: (name, role, prefix, lastUse) => `• <b>${name}</b> · ${role} · <code>${prefix}…</code> · останнє використання: ${lastUse}`,
    keyRevoked: (name, at) => `• <s>${name}</s> · відкликано ${at}`,
    never: 'ніколи',
    keyHelp: 'Новий ключ: <code>/api key &lt;agent|manager|admin&gt; &lt;назва&gt;</code>',
    revoke: (name) => `🚫 ${name}`,
    keyCreated: (name, role, key) => `🗝 Ключ <b>${name}</b> (${role}) — показується лише зараз:\n<code>${key}</code>`,
    keyUsage: 'Як: <code>/api key &lt;agent|manager|admin&gt; &lt;назва&gt;</code>',
    keyRevokedToast: 'Ключ відкликано',
  },
  webhooks: {
    title: '📡 <b>Вихідні вебхуки</b>',
    empty: 'Підписок ще немає.',
    help: (events) => `Підписати: <code>/webhooks add &lt;https-адреса&gt; [події]</code>\nПодії (через кому; типово всі): ${events}`,
    line: (id, url, state, pending, failed) => `<b>#${id}</b> ${url}\n   ${state} · чекають ${pending} · не доставлено ${failed}`,
    active: '🟢 увімкнено',
    failing: (status) => `🔴 збої (остання відповідь: ${status})`,
    off: '⏸ вимкнено',
    gone: '⛔ вимкнено (отримувач відповів 410 Gone)',
    noAnswer: 'без відповіді',
    open: (id) => `#${id}`,
    detail: (id, url, events, state) => `📡 <b>Вебхук #${id}</b>\n${url}\nПодії: ${events}\n${state}`,
    failedTitle: 'Не доставлено:',
    noFailed: 'Недоставлених немає.',
    failedLine: (n, type, status, attempts, at, why) =>
      `${n}. ${type} · ${status} · ${count(attempts, { one: 'спроба', few: 'спроби', many: 'спроб', other: 'спроби' })} · ${at}${why ? `\n   ${why}` : ''}`,
    replay: (n) => `🔁 ${n}`,
    replayAll: (n) => `🔁 Усі (${n})`,
    ping: '📡 Перевірити',
    turnOff: '⏸ Вимкнути',
    turnOn: '▶️ Увімкнути',
    back: '◀️ Вебхуки',
    replayed: (n) => `🔁 Знову в черзі: ${n}`,
    pinged: (result) => `📡 Перевірка: ${result}`,
    result: (status, ms, error) => (status !== null ? `HTTP ${status} за ${ms} мс` : `без відповіді (${error ?? 'помилка'})`),
    created: (id, secret, ping) =>
      `✅ Підписано (#${id}). Секрет підпису (Standard Webhooks), показується лише зараз:\n<code>${secret}</code>\n\nПеревірка: ${ping}`,
    badUrl: '⚠️ Цю адресу не можна підписати: потрібна повна адреса https:// (http — лише не в робочому середовищі), не локальна й не приватна, без імені користувача й пароля.',
    badEvents: (events) => `⚠️ Невідома подія. Оберіть із: ${events}`,
    usage: 'Як: <code>/webhooks add &lt;https-адреса&gt; [подія,подія]</code>',
  },
};
