import { InlineKeyboard } from 'grammy';
import {
  REMINDER_PRESETS, type Digest, type DigestLead, type LeadCard, type Reminder, type ReminderItem,
} from '../../core/index.js';
import { leadCardData, leadOpenData } from '../callback-data/lead.js';
import { dealOpenData } from '../callback-data/deal.js';
import {
  reminderCancelData, reminderDoneData, reminderMoveData, reminderMoveToData, reminderMoveTypeData, remindersListData,
  remindPresetData, remindTypeData,
} from '../callback-data/followups.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, renderLeadCard, type View } from './lead-card.view.js';

const name = (t: Texts, n: string | null) => escapeHtml(truncate(n ?? t.common.none, 60));

/** ⏰ Remind: the card with the time choices instead of its buttons (§10). */
export function renderRemindMenu(t: Texts, card: LeadCard): View {
  const leadId = card.lead.id;
  const kb = new InlineKeyboard();
  for (const preset of REMINDER_PRESETS) kb.text(t.followups.presets[preset], remindPresetData.pack({ leadId, preset })).row();
  kb.text(t.followups.typeTime, remindTypeData.pack({ leadId })).text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, card)}\n\n${t.followups.remindTitle(leadId)}`, keyboard: kb };
}

/** A due reminder: its text on top of the card, ✅ Done / ⏰ +1 h / ⏰ Tomorrow, then the card's own buttons. */
export function renderReminderDue(t: Texts, reminder: Reminder, card: LeadCard): View {
  const body = reminder.body ? `\n<i>${escapeHtml(reminder.body)}</i>` : '';
  const view = renderLeadCard(t, card, `${t.followups.due(reminder.lead_id)}${body}`);
  const reminderId = reminder.id;
  const kb = new InlineKeyboard()
    .text(t.followups.doneButton, reminderDoneData.pack({ reminderId }))
    .text(t.followups.plusHour, reminderMoveToData.pack({ reminderId, preset: 'h1', from: 'due' }))
    .text(t.followups.tomorrow, reminderMoveToData.pack({ reminderId, preset: 'morning', from: 'due' }))
    .row();
  for (const row of view.keyboard.inline_keyboard) kb.row(...row);
  return { text: view.text, keyboard: kb };
}

/** /reminders: mine, soonest first, each with 🕐 move, ✖ cancel and 📇 its card. */
export function renderReminderList(t: Texts, items: ReminderItem[], notice?: string): View {
  const head = notice ? `${notice}\n\n` : '';
  if (!items.length) return { text: `${head}${t.followups.listEmpty}`, keyboard: new InlineKeyboard(), standalone: true };
  const lines = items.map((r, i) => t.followups.listLine(i + 1, t.time.at(r.due_at), r.lead_id, name(t, r.lead_name),
    r.body ? escapeHtml(truncate(r.body, 120)) : '', r.status === 'failed'));
  const kb = new InlineKeyboard();
  items.forEach((r, i) => {
    kb.text(t.followups.moveButton(i + 1), reminderMoveData.pack({ reminderId: r.id }))
      .text(t.followups.cancelButton(i + 1), reminderCancelData.pack({ reminderId: r.id }))
      .text(t.followups.openButton(i + 1), leadOpenData.pack({ leadId: r.lead_id }))
      .row();
  });
  return { text: `${head}${t.followups.listTitle(items.length)}\n\n${lines.join('\n')}`, keyboard: kb, standalone: true };
}

/** 🕐 on /reminders: when to move it to. */
export function renderMoveMenu(t: Texts, reminderId: number, n: number): View {
  const kb = new InlineKeyboard();
  for (const preset of REMINDER_PRESETS) kb.text(t.followups.presets[preset], reminderMoveToData.pack({ reminderId, preset, from: 'list' })).row();
  kb.text(t.followups.typeTime, reminderMoveTypeData.pack({ reminderId })).text(t.common.back, remindersListData.pack({}));
  return { text: t.followups.moveTitle(n), keyboard: kb, standalone: true };
}

/** The daily digest (issue 11): one section per list, each lead a button that opens its card. */
export function renderDigest(t: Texts, d: Digest): View {
  const kb = new InlineKeyboard();
  const opened = new Set<number>();
  const open = (leadId: number, label: string) => {
    if (opened.has(leadId) || opened.size >= 24) return;
    opened.add(leadId);
    kb.text(label, leadOpenData.pack({ leadId }));
    if (opened.size % 3 === 0) kb.row();
  };
  const leadLine = (l: DigestLead) => `   • #${l.id} ${name(t, l.full_name)}`;
  const section = (title: string, total: number, rows: string[]) =>
    (total ? [title, ...rows, ...(total > rows.length ? [t.followups.digestMore(total - rows.length)] : [])] : []);
  const lists: [string, number, DigestLead[]][] = [
    [t.followups.digestSla(d.counts.slaBreached), d.counts.slaBreached, d.slaBreached],
    [t.followups.digestNew(d.counts.newLeads), d.counts.newLeads, d.newLeads],
    [t.followups.digestStale(d.counts.stale), d.counts.stale, d.stale],
  ];
  const lines = [t.followups.digestTitle(d.date), ''];
  lines.push(...section(t.followups.digestReminders(d.counts.reminders), d.counts.reminders, d.reminders.map((r) =>
    `   • ${t.time.at(r.dueAt)} · #${r.leadId} ${name(t, r.leadName)}${r.body ? ` — <i>${escapeHtml(truncate(r.body, 80))}</i>` : ''}`)));
  for (const r of d.reminders) open(r.leadId, `⏰ #${r.leadId}`);
  for (const [title, total, leads] of lists) {
    lines.push(...section(title, total, leads.map(leadLine)));
    for (const l of leads) open(l.id, `📇 #${l.id}`);
  }
  // §9: open deals, each a button to its card.
  if (d.dealsWaiting?.length) {
    lines.push(...section(t.followups.digestDeals(d.dealsWaiting.length), d.dealsWaiting.length,
      d.dealsWaiting.map((deal) => `   • 💼 ${deal.id} ${name(t, deal.full_name)}`)));
    for (const deal of d.dealsWaiting) {
      if (kb.inline_keyboard.flat().length < 30) kb.text(`💼 ${deal.id}`, dealOpenData.pack({ dealId: deal.id }));
    }
  }
  if (lines.length === 2) lines.push(t.followups.digestEmpty);
  return { text: lines.join('\n'), keyboard: kb, standalone: true };
}
