import type { EscalationCause, ReminderPreset } from '../../core/index.js';

const plural = new Intl.PluralRules('en');
const count = (n: number, one: string, other: string) => `${n} ${plural.select(n) === 'one' ? one : other}`;

/** "12 min", "3 h 5 min", "2 days 4 h": a duration as a card shows it. */
function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${count(days, 'day', 'days')}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/**
 * Texts of issue 11 — reminders, speed-to-lead, the escalation ladder and
 * the daily digest — in English. Arguments from users arrive escaped.
 */
export const enFollowups = {
  followups: {
    remindButton: '⏰ Remind',
    remindTitle: (leadId: number) => `⏰ <b>Remind me about lead #${leadId}</b> — when?`,
    presets: { m15: '⏰ In 15 min', h1: '⏰ In 1 hour', morning: '🌅 Tomorrow morning' } satisfies Record<ReminderPreset, string>,
    typeTime: '✍️ Type a time…',
    askTime: (leadId: number) => `✍️ When should I remind you about lead #${leadId}? Type a time, and a text if you like: `
      + '<code>in 3 days</code>, <code>fri 15:00 call back</code>, <code>12.03 10:30</code>. Or /cancel.',
    askMove: '✍️ Type the new time: <code>tomorrow 10:00</code>, <code>in 2 hours</code>, <code>12.03 10:30</code>. Or /cancel.',
    notUnderstood: (text: string) => `⚠️ I could not read a time in «${text}». Try <code>tomorrow 10:00</code>, `
      + '<code>in 2 hours</code>, <code>12.03 10:30</code>, or /cancel.',
    pastTime: '⚠️ That time has already passed (or is more than a year away). Type another, or /cancel.',
    set: (leadId: number, when: string) => `⏰ Reminder set: lead #${leadId}, ${when}.`,
    moved: (when: string) => `⏰ Moved to ${when}.`,
    cancelled: '✖ Reminder cancelled.',
    done: '✅ Done.',
    due: (leadId: number) => `⏰ <b>Reminder</b> · lead #${leadId}`,
    doneButton: '✅ Done',
    plusHour: '⏰ +1 h',
    tomorrow: '⏰ Tomorrow',
    listTitle: (n: number) => `⏰ <b>Your reminders</b> (${n})`,
    listEmpty: '⏰ No reminders. Set one with ⏰ Remind on a lead card.',
    listLine: (n: number, when: string, leadId: number, name: string, body: string, failed: boolean) =>
      `${n}. <b>${when}</b> · #${leadId} ${name}${body ? `\n   <i>${body}</i>` : ''}${failed ? '\n   ⚠️ not delivered' : ''}`,
    moveButton: (n: number) => `🕐 ${n}`,
    cancelButton: (n: number) => `✖ ${n}`,
    openButton: (n: number) => `📇 ${n}`,
    moveTitle: (n: number) => `🕐 <b>Move reminder ${n}</b> — when?`,
    failed: (leadId: number, owner: string, reason: 'retries' | 'refused') => reason === 'retries'
      ? `⚠️ A reminder about lead #${leadId} for ${owner} could not be delivered: Telegram did not take it 3 times.`
      : `⚠️ A reminder about lead #${leadId} for ${owner} was refused by Telegram (they may have blocked the bot).`,
    slaBreach: (leadId: number, minutes: number) =>
      `⏱ <b>Lead #${leadId} has waited over ${duration(minutes * 60_000)} for a first contact</b> — reach out now.`,
    causes: { sla: 'no first contact in time', stale: 'no activity' } satisfies Record<EscalationCause, string>,
    escalated: (leadId: number, owner: string, cause: string) =>
      `📣 <b>Lead #${leadId} needs a manager</b>: ${owner} did not act after the alert (${cause}).`,
    reassignButton: '👤 Reassign',
    pingButton: '🔔 Ping owner',
    escalatedAway: (leadId: number, to: string) => `↪️ Lead #${leadId} went to ${to}: nothing happened after the alerts.`,
    escalatedToYou: '📣 <b>This lead is yours now</b>: its owner did not act after the alerts.',
    pickedUp: '🆕 <b>A waiting lead is yours now</b> — you had room for it.',
    pinged: (by: string) => `🔔 <b>${by} asks you to act on this lead.</b>`,
    pingSent: (name: string) => `🔔 ${name} was pinged.`,
    historyRung: (rung: number, cause: EscalationCause) =>
      `${cause === 'sla' ? 'no first contact' : 'no activity'}: ${rung === 1 ? 'owner alerted' : rung === 2 ? 'sent to managers' : 'reassigned'}`,
    firstContact: (ms: number) => `First contact: ${duration(ms)} after it came`,
    notContacted: (ms: number) => `First contact: not yet (waiting ${duration(ms)})`,
    nextStep: (when: string, body: string, who: string) => `⏰ Next step: ${when}${body ? ` — ${body}` : ''} (${who})`,
    digestTitle: (date: string) => `☀️ <b>Your day</b> · ${date}`,
    digestNew: (n: number) => `🆕 <b>New leads</b>: ${n}`,
    digestReminders: (n: number) => `⏰ <b>Reminders today</b>: ${n}`,
    digestStale: (n: number) => `⚠️ <b>Stale leads</b>: ${n}`,
    digestSla: (n: number) => `⏱ <b>Waiting for a first contact</b>: ${n}`,
    digestDeals: (n: number) => `💼 <b>Deals waiting</b>: ${n}`,
    digestMore: (n: number) => `   … and ${n} more`,
    digestEmpty: '✨ Nothing waits for you today.',
    teamFirstContact: (d: string) => `⏱ first contact in ${d}`,
    duration,
  },
  digestSettings: {
    on: (time: string) => `☀️ Daily digest: at <b>${time}</b> on working days`,
    off: '☀️ Daily digest: off',
    button: '☀️ Daily digest',
    title: (state: string) => `☀️ <b>Daily digest</b>\n${state}\nPick a time, or turn it off:`,
    turnOff: '🚫 Off',
  },
};
