import type { ReportKind, ReportPeriod } from '../../core/index.js';

const n1 = (x: number | null, unit = '') => (x === null ? '—' : `${Math.round(x * 10) / 10}${unit}`);

/** Texts of /report, /mystats and the board buttons (§14), in English. Chart labels are plain text (no HTML). */
export const enReports = {
  reports: {
    choose: '📊 <b>Reports</b> — choose one and a period:',
    kinds: { funnel: '🔻 Funnel', sources: '🌐 Sources & campaigns', tiers: '🔥 Quality tiers', managers: '👥 Managers' } satisfies Record<ReportKind, string>,
    titles: {
      funnel: 'Funnel', sources: 'Leads by source and campaign', tiers: 'Leads by quality tier', managers: 'Manager performance',
    } satisfies Record<ReportKind, string>,
    periods: {
      d7: '7 days', d30: '30 days', d90: '90 days', month: 'This month', last_month: 'Last month',
    } satisfies Record<ReportPeriod, string>,
    /** "26 Nov – 2 Dec 2026" style range of the period, as the reader's zone reads it. */
    range: (first: string, last: string) => (first === last ? first : `${first} – ${last}`),
    csv: '📄 CSV',
    back: '◀ Reports',
    rendering: '⏳ Drawing the chart…',
    failed: '⚠️ The chart could not be drawn. Please try again.',
    empty: 'No leads in this period.',
    reached: 'Got this far',
    now: 'In the stage now',
    leads: 'Leads',
    converted: 'Transferred',
    lost: 'Lost',
    assigned: 'Assigned',
    campaign: (utmSource: string | null, utmCampaign: string | null) =>
      utmSource === null && utmCampaign === null ? 'no campaign' : `campaign ${utmSource ?? '—'} / ${utmCampaign ?? '—'}`,
    noTier: 'not scored',
    summary: {
      funnel: (total: number, steps: string, lost: number) => `${total} leads\n${steps}\nlost ${lost}`,
      step: (to: string, pct: number | null) => `→ ${to} ${n1(pct, '%')} of the stage before`,
      sources: (total: number, top: string) => `${total} leads · most from ${top}`,
      tiers: (scored: number, total: number, hot: number) => `${scored} of ${total} leads scored · ${hot} HOT`,
      managers: (people: number, assigned: number, converted: number) =>
        `${people} people · ${assigned} assigned · ${converted} transferred`,
    },
    csvCaption: (title: string, range: string) => `📄 ${title} · ${range}`,
  },
  myStats: {
    title: 'My numbers',
    me: 'Me',
    team: 'Team median',
    metrics: {
      firstContact: 'Hours to first contact', conversion: 'Conversion, %', stale: 'Stale leads', won: 'Won deals',
    },
    caption: (p: {
      range: string; fc: number | null; teamFc: number | null; conv: number | null; teamConv: number | null;
      stale: number; teamStale: number | null; won: number; teamWon: number | null;
    }) => `📈 <b>My numbers</b> · ${p.range}\n` +
      `⏱ First contact: ${n1(p.fc, ' h')} (team ${n1(p.teamFc, ' h')})\n` +
      `🎯 Conversion: ${n1(p.conv, '%')} (team ${n1(p.teamConv, '%')})\n` +
      `⚠️ Stale now: ${p.stale} (team ${n1(p.teamStale)})\n` +
      `🏆 Won deals: ${p.won} (team ${n1(p.teamWon)})`,
  },
  board: {
    open: '🗂 Board',
    menuButton: 'Board',
  },
};
