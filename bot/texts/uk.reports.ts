import type { ReportKind, ReportPeriod } from '../../core/index.js';
import type { enReports } from './en.reports.js';

const n1 = (x: number | null, unit = '') => (x === null ? '—' : `${String(Math.round(x * 10) / 10).replace('.', ',')}${unit}`);

/** Тексти /report, /mystats і кнопок дошки (§14), українською. */
export const ukReports: typeof enReports = {
  reports: {
    choose: '📊 <b>Звіти</b> — оберіть звіт і період:',
    kinds: { funnel: '🔻 Воронка', sources: '🌐 Джерела й кампанії', tiers: '🔥 Якість лідів', managers: '👥 Менеджери' } satisfies Record<ReportKind, string>,
    titles: {
      funnel: 'Воронка', sources: 'Ліди за джерелами й кампаніями', tiers: 'Ліди за якістю', managers: 'Результати менеджерів',
    } satisfies Record<ReportKind, string>,
    periods: {
      d7: '7 днів', d30: '30 днів', d90: '90 днів', month: 'Цей місяць', last_month: 'Минулий місяць',
    } satisfies Record<ReportPeriod, string>,
    range: (first: string, last: string) => (first === last ? first : `${first} – ${last}`),
    csv: '📄 CSV',
    back: '◀ Звіти',
    rendering: '⏳ Малюю графік…',
    failed: '⚠️ Не вдалося намалювати графік. Спробуйте ще раз.',
    empty: 'За цей період лідів немає.',
    reached: 'Дійшли до етапу',
    now: 'Зараз на етапі',
    leads: 'Ліди',
    converted: 'Передані',
    lost: 'Втрачені',
    assigned: 'Призначені',
    campaign: (utmSource: string | null, utmCampaign: string | null) =>
      utmSource === null && utmCampaign === null ? 'без кампанії' : `кампанія ${utmSource ?? '—'} / ${utmCampaign ?? '—'}`,
    noTier: 'без оцінки',
    summary: {
      funnel: (total: number, steps: string, lost: number) => `${total} лідів\n${steps}\nвтрачено ${lost}`,
      step: (to: string, pct: number | null) => `→ ${to} ${n1(pct, '%')} від попереднього етапу`,
      sources: (total: number, top: string) => `${total} лідів · найбільше: ${top}`,
      tiers: (scored: number, total: number, hot: number) => `оцінено ${scored} з ${total} лідів · HOT: ${hot}`,
      managers: (people: number, assigned: number, converted: number) =>
        `людей: ${people} · призначено ${assigned} · передано ${converted}`,
    },
    csvCaption: (title: string, range: string) => `📄 ${title} · ${range}`,
  },
  myStats: {
    title: 'Мої показники',
    me: 'Я',
    team: 'Медіана команди',
    metrics: {
      firstContact: 'Годин до першого контакту', conversion: 'Конверсія, %', stale: 'Застиглі ліди', won: 'Виграні угоди',
    },
    caption: (p) => `📈 <b>Мої показники</b> · ${p.range}\n` +
      `⏱ Перший контакт: ${n1(p.fc, ' год')} (команда ${n1(p.teamFc, ' год')})\n` +
      `🎯 Конверсія: ${n1(p.conv, '%')} (команда ${n1(p.teamConv, '%')})\n` +
      `⚠️ Застиглих зараз: ${p.stale} (команда ${n1(p.teamStale)})\n` +
      `🏆 Виграних угод: ${p.won} (команда ${n1(p.teamWon)})`,
  },
  board: {
    open: '🗂 Дошка',
    menuButton: 'Дошка',
  },
};
