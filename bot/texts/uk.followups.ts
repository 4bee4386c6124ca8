import type { EscalationCause, ReminderPreset } from '../../core/index.js';
import type { enFollowups } from './en.followups.js';
import { plurals } from './plural.js';

const count = plurals('uk');

/** «12 хв», «3 год 5 хв», «2 дні 4 год». */
function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} хв`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} год${minutes % 60 ? ` ${minutes % 60} хв` : ''}`;
  const days = Math.floor(hours / 24);
  return `${count(days, { one: 'день', few: 'дні', many: 'днів', other: 'дня' })}${hours % 24 ? ` ${hours % 24} год` : ''}`;
}

/** Тексти issue 11 українською (див. en.followups.ts). */
export const ukFollowups: typeof enFollowups = {
  followups: {
    remindButton: '⏰ Нагадати',
    remindTitle: (leadId: number) => `⏰ <b>Нагадати про лід #${leadId}</b> — коли?`,
    presets: { m15: '⏰ За 15 хв', h1: '⏰ За годину', morning: '🌅 Завтра зранку' } satisfies Record<ReminderPreset, string>,
    typeTime: '✍️ Ввести час…',
    askTime: (leadId: number) => `✍️ Коли нагадати про лід #${leadId}? Напишіть час і, якщо хочете, текст: `
      + '<code>через 3 дні</code>, <code>пт 15:00 передзвонити</code>, <code>12.03 10:30</code>. Або /cancel.',
    askMove: '✍️ Напишіть новий час: <code>завтра о 10:00</code>, <code>через 2 години</code>, <code>12.03 10:30</code>. Або /cancel.',
    notUnderstood: (text: string) => `⚠️ Не вдалося прочитати час у «${text}». Спробуйте <code>завтра о 10:00</code>, `
      + '<code>через 2 години</code>, <code>12.03 10:30</code> або /cancel.',
    pastTime: '⚠️ Цей час уже минув (або він більш ніж за рік). Напишіть інший або /cancel.',
    set: (leadId: number, when: string) => `⏰ Нагадування: лід #${leadId}, ${when}.`,
    moved: (when: string) => `⏰ Перенесено на ${when}.`,
    cancelled: '✖ Нагадування скасовано.',
    done: '✅ Готово.',
    due: (leadId: number) => `⏰ <b>Нагадування</b> · лід #${leadId}`,
    doneButton: '✅ Готово',
    plusHour: '⏰ +1 год',
    tomorrow: '⏰ Завтра',
    listTitle: (n: number) => `⏰ <b>Ваші нагадування</b> (${n})`,
    listEmpty: '⏰ Нагадувань немає. Додайте кнопкою ⏰ Нагадати на картці ліда.',
    listLine: (n: number, when: string, leadId: number, name: string, body: string, failed: boolean) =>
      `${n}. <b>${when}</b> · #${leadId} ${name}${body ? `\n   <i>${body}</i>` : ''}${failed ? '\n   ⚠️ не доставлено' : ''}`,
    moveButton: (n: number) => `🕐 ${n}`,
    cancelButton: (n: number) => `✖ ${n}`,
    openButton: (n: number) => `📇 ${n}`,
    moveTitle: (n: number) => `🕐 <b>Перенести нагадування ${n}</b> — коли?`,
    failed: (leadId: number, owner: string, reason: 'retries' | 'refused') => reason === 'retries'
      ? `⚠️ Нагадування про лід #${leadId} для ${owner} не доставлено: Telegram тричі не прийняв його.`
      : `⚠️ Telegram відхилив нагадування про лід #${leadId} для ${owner} (можливо, бота заблоковано).`,
    slaBreach: (leadId: number, minutes: number) =>
      `⏱ <b>Лід #${leadId} чекає на перший контакт понад ${duration(minutes * 60_000)}</b> — зв’яжіться зараз.`,
    causes: { sla: 'немає першого контакту вчасно', stale: 'немає активності' } satisfies Record<EscalationCause, string>,
    escalated: (leadId: number, owner: string, cause: string) =>
      `📣 <b>Лід #${leadId} потребує менеджера</b>: ${owner} нічого не зробив після сповіщення (${cause}).`,
    reassignButton: '👤 Передати',
    pingButton: '🔔 Нагадати власнику',
    escalatedAway: (leadId: number, to: string) => `↪️ Лід #${leadId} передано ${to}: після сповіщень нічого не сталося.`,
    escalatedToYou: '📣 <b>Тепер це ваш лід</b>: попередній власник не відреагував на сповіщення.',
    pickedUp: '🆕 <b>Лід, що чекав, тепер ваш</b> — у вас є місце.',
    pinged: (by: string) => `🔔 <b>${by} просить вас зайнятися цим лідом.</b>`,
    pingSent: (name: string) => `🔔 ${name} отримав нагадування.`,
    historyRung: (rung: number, cause: EscalationCause) =>
      `${cause === 'sla' ? 'немає першого контакту' : 'немає активності'}: ${rung === 1 ? 'сповіщено власника' : rung === 2 ? 'передано менеджерам' : 'перепризначено'}`,
    firstContact: (ms: number) => `Перший контакт: через ${duration(ms)} після надходження`,
    notContacted: (ms: number) => `Перший контакт: ще ні (чекає ${duration(ms)})`,
    nextStep: (when: string, body: string, who: string) => `⏰ Наступний крок: ${when}${body ? ` — ${body}` : ''} (${who})`,
    digestTitle: (date: string) => `☀️ <b>Ваш день</b> · ${date}`,
    digestNew: (n: number) => `🆕 <b>Нові ліди</b>: ${n}`,
    digestReminders: (n: number) => `⏰ <b>Нагадування на сьогодні</b>: ${n}`,
    digestStale: (n: number) => `⚠️ <b>Ліди без активності</b>: ${n}`,
    digestSla: (n: number) => `⏱ <b>Чекають на перший контакт</b>: ${n}`,
    digestDeals: (n: number) => `💼 <b>Угоди, що чекають</b>: ${n}`,
    digestMore: (n: number) => `   … і ще ${n}`,
    digestEmpty: '✨ Сьогодні на вас нічого не чекає.',
    teamFirstContact: (d: string) => `⏱ перший контакт за ${d}`,
    duration,
  },
  digestSettings: {
    on: (time: string) => `☀️ Щоденний підсумок: о <b>${time}</b> у робочі дні`,
    off: '☀️ Щоденний підсумок: вимкнено',
    button: '☀️ Щоденний підсумок',
    title: (state: string) => `☀️ <b>Щоденний підсумок</b>\n${state}\nОберіть час або вимкніть:`,
    turnOff: '🚫 Вимкнути',
  },
};
