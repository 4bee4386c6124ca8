import type {
  ColdStage, ErrorCode, FormProvider, HistoryAction, LeadSource, LostReasonCode, OutboxKind, QualityTier, Role,
  SystemNoteCode, TransitionRule, UserStatus,
} from '../../core/index.js';
import { enChannels } from './en.channels.js';
import { enFollowups } from './en.followups.js';
import { enNotices } from './en.notices.js';
import { enPlatform } from './en.platform.js';
import { enSettings } from './en.settings.js';
import { enReports } from './en.reports.js';
import { enTeam } from './en.team.js';
import { enAi } from './en.ai.js';
import { enDeals } from './en.deals.js';
import { plurals } from './plural.js';

const count = plurals('en');
const plural = (n: number, one: string, other: string) => count(n, { one, other });

/**
 * English texts, the reference set: `Catalog` is derived from this object, so
 * uk.ts must provide every key with the same shape or tsc fails.
 * Arguments that come from users arrive already escaped (see views/).
 */
export const en = {
  access: {
    welcome: (name: string, role: string) =>
      `👋 Hello, <b>${name}</b>! You are signed in as <b>${role}</b>.\n\n` +
      '/leads — my open leads\n/inbox — customers who write to the bot\n/new — type in a lead\n/lead &lt;id&gt; — open a lead card\n/settings — language, time zone\n/help — all your commands',
    welcomeAdmin: '/sources — form sources (webhooks)\n/invite — invite someone to the team\n/campaigns — campaign links for ads\n/autoreply — what the bot says to customers',
    pending: '⏳ Your access request has been sent to the admins. You will get a message once it is decided.',
    rejected: '⛔ Your access request was rejected.',
    noAccess: '⛔ You have no access to this CRM. Team members join with an invite link from an admin.',
    request: (name: string, username: string, telegramId: number) =>
      `🆕 <b>Access request</b>\n${name} ${username} (id ${telegramId})`,
    approveAgent: '✅ Agent',
    approveManager: '✅ Manager',
    reject: '❌ Reject',
    decidedApproved: (name: string, role: string, admin: string) => `✅ ${name} approved as <b>${role}</b> by ${admin}.`,
    decidedRejected: (name: string, admin: string) => `❌ ${name} rejected by ${admin}.`,
    alreadyDecided: (name: string, status: string) => `ℹ️ ${name} has already been decided: ${status}.`,
    youWereApproved: (role: string) => `✅ Your access was approved (role: <b>${role}</b>). Send /leads to see your leads.`,
    youWereRejected: '❌ Your access request was rejected.',
    adminsOnly: '⛔ Only admins can do this.',
  },
  roles: { agent: 'agent', manager: 'manager', admin: 'admin' } satisfies Record<Role, string>,
  statuses: {
    pending: 'waiting for a decision', active: 'approved', rejected: 'rejected', inactive: 'switched off',
  } satisfies Record<UserStatus, string>,
  common: {
    outdatedButton: '⌛ This button is outdated.',
    somethingWrong: '⚠️ Something went wrong. Please try again.',
    cancelled: 'Cancelled.',
    confirm: '✅ Confirm',
    cancel: '❌ Cancel',
    back: '↩️ Back',
    prev: '◀',
    next: '▶',
    none: '—',
    unknownCommand: 'Unknown command. Try /leads, /lead &lt;id&gt; or /help.',
    conversationLost: '⚠️ If you were answering a question, the bot lost it during a short outage on our side. Please start again: tap the button on the card once more.',
  },
  lang: {
    choose: 'Choose the language:',
    set: '✅ Language: English.',
  },
  card: {
    title: (id: number) => `<b>Lead #${id}</b>`,
    name: 'Name',
    phone: 'Phone',
    phoneUnverified: 'Phone (as typed, unverified)',
    email: 'Email',
    company: 'Company',
    position: 'Position',
    source: 'Source',
    form: 'Form',
    came: 'Came in',
    utm: 'UTM',
    utmLabels: { utm_source: 'source', utm_medium: 'medium', utm_campaign: 'campaign', utm_content: 'content', utm_term: 'term' },
    intent: 'Intent',
    painPoints: 'Pain points',
    domain: 'Domain',
    stage: 'Stage',
    score: 'AI score',
    assignee: 'Assignee',
    unassigned: 'unassigned',
    lostReason: 'Lost reason',
    lastActivity: 'Last activity',
    contacted: '📞 Contacted',
    qualified: '➡️ Qualified',
    lost: '❌ Lost',
    note: '📝 Note',
    history: '🕘 History',
    rollback: '↩️ Roll back',
    open: '📇 Open card',
    movedBelow: (id: number) => `⤵️ Lead #${id}: the card is below.`,
  },
  stages: {
    NEW: 'NEW', CONTACTED: 'CONTACTED', QUALIFIED: 'QUALIFIED', TRANSFERRED: 'TRANSFERRED', LOST: 'LOST',
  } satisfies Record<ColdStage, string>,
  actions: {
    confirmStage: (id: number, stage: string) => `❓ Move lead #${id} to <b>${stage}</b>? It can be rolled back.`,
    moved: (id: number, stage: string) => `✅ Lead #${id} moved to <b>${stage}</b>.`,
    rolledBack: (id: number, stage: string) => `↩️ Lead #${id} rolled back to <b>${stage}</b>.`,
    lostAsk: (id: number) => `❓ Why is lead #${id} lost? Choose a reason:`,
    lostOther: '✍️ Other…',
    lostAskText: (id: number) => `✍️ Type the reason lead #${id} is lost, or /cancel.`,
    rollbackAskText: (id: number, min: number) =>
      `✍️ Type why lead #${id} is rolled back (at least ${plural(min, 'character', 'characters')}), or /cancel.`,
    noteAsk: (id: number, max: number) => `📝 Send the note for lead #${id} (up to ${plural(max, 'character', 'characters')}), or /cancel.`,
    noteSaved: (id: number) => `📝 Note added to lead #${id}.`,
    confirmContact: (id: number) => `❓ Log a contact with lead #${id}? It resets the inactivity timer.`,
    contactLogged: (id: number) => `📞 Contact with lead #${id} logged.`,
    textOnly: 'Please send text, or /cancel.',
    tooShort: (min: number) => `Too short: at least ${plural(min, 'character', 'characters')}, or /cancel.`,
    tooLong: (max: number) => `Too long: at most ${plural(max, 'character', 'characters')}, or /cancel.`,
  },
  tiers: { HOT: '🔥 HOT', WARM: '☀️ WARM', COLD: '❄️ COLD', DEAD: '⚫ DEAD' } satisfies Record<QualityTier, string>,
  leadSources: {
    WEB: 'Website', REFERRAL: 'Referral', SOCIAL: 'Social media', MANUAL: 'Added by hand', SCANNER: 'Card scanner',
    PARTNER: 'Partner', REGISTRATION: 'Registration', CALLBACK: 'Callback request', LEAD_MAGNET: 'Lead magnet',
    MESSAGE: 'Message to the bot',
  } satisfies Record<LeadSource, string>,
  lostReasons: {
    no_budget: 'No budget',
    no_response: 'No response',
    competitor: 'Chose a competitor',
    not_fit: 'Not a fit',
    spam: 'Spam',
  } satisfies Record<LostReasonCode, string>,
  systemNotes: {
    stale_contact: '📞 Contacted (after a stale-lead alert)',
  } satisfies Record<SystemNoteCode, string>,
  historyActions: {
    CREATED: 'Created', STAGE_CHANGED: 'Stage changed', ROLLBACK: 'Rolled back', ASSIGNED: 'Assigned',
    NOTE_ADDED: 'Note added', AI_ANALYZED: 'AI analysis', TRANSFERRED: 'Transferred to sales',
    NURTURE: 'No-activity alert', DELETED: 'Deleted', RESTORED: 'Restored', REPEAT_INQUIRY: 'Sent the form again',
    FIELDS_UPDATED: 'Fields changed', ATTACHMENT_ADDED: 'File attached', UNDONE: 'Undone', ESCALATED: 'Escalated',
  } satisfies Record<HistoryAction, string>,
  history: {
    title: (id: number, page: number, pages: number) => `🕘 <b>History of lead #${id}</b> (${page}/${pages})`,
    empty: 'No history yet.',
    system: 'system',
    card: '📇 Card',
    assignedTo: (name: string) => `→ ${name}`,
    unassigned: 'to nobody (no one has capacity)',
    assignedBy: {
      capacity: 'automatically', manual: '', deactivation: 'the owner was switched off', restore: 'on restore', undo: 'on undo',
      pickup: 'when someone had room', escalation: 'by escalation, the owner did not act',
    } as Record<string, string>,
    noActivity: (days: number) => `no activity for ${plural(days, 'day', 'days')}`,
    contact: 'contact logged',
    fieldNames: {
      phone: 'phone', phone_unverified: 'unverified phone', email: 'email', company: 'company', position: 'position',
      intent: 'intent', pain_points: 'pain points', business_domain: 'domain', full_name: 'name',
    } as Record<string, string>,
  },
  notes: {
    button: '🗒 Notes',
    title: (id: number, page: number, pages: number) => `🗒 <b>Notes on lead #${id}</b> (${page}/${pages})`,
    empty: 'No notes yet. Add one with 📝 Note on the card.',
    line: (when: string, author: string, body: string) => `• ${when} · <b>${author}</b>\n${body}`,
    more: '… (tap the number below for the whole note)',
    open: (n: number) => `📄 ${n}`,
    full: (id: number, when: string, author: string) => `🗒 <b>Note on lead #${id}</b> · ${when} · ${author}`,
    last: 'Last note',
  },
  attachments: {
    listButton: (count: number) => `📎 Files (${count})`,
    notesButton: '🗒 Notes',
    title: (id: number, page: number, pages: number) => `📎 <b>Files of lead #${id}</b> (${page}/${pages})`,
    empty: 'No files yet. Send one with 📎 Attach on the card.',
    hint: 'Tap a file to get it in this chat.',
    line: (n: number, name: string, type: string, size: string, when: string, by: string) =>
      `${n}. <b>${name}</b> · ${type} · ${size}\n   ${when} · ${by}`,
    photo: 'photo',
    caption: (id: number, name: string) => `📎 Lead #${id}: ${name}`,
    gone: '⚠️ Telegram no longer has this file, so it cannot be sent.',
    button: '📎 Attach',
    ask: (id: number, maxMb: number, types: string) =>
      `📎 Send a document or a photo for lead #${id} (up to ${maxMb} MB; ${types}), or /cancel.`,
    fileOnly: 'Please send a document or a photo, or /cancel.',
    tooLarge: (maxMb: number) => `⚠️ This file is over the ${maxMb} MB limit. Send a smaller one, or /cancel.`,
    noSize: (maxMb: number) =>
      `⚠️ Telegram did not say how big this file is, so the ${maxMb} MB limit cannot be checked. Send another file, or /cancel.`,
    noMimeType: (types: string) => `⚠️ This file has no type, so it cannot be accepted. Allowed: ${types}. Send another file, or /cancel.`,
    mimeType: (type: string, types: string) =>
      `⚠️ Files of type ${type} are not allowed. Allowed: ${types}. Send another file, or /cancel.`,
    rateLimited: (limit: number, minutes: number) =>
      `⏳ At most ${plural(limit, 'file', 'files')} an hour. Try again in ${plural(minutes, 'minute', 'minutes')}.`,
    saved: (id: number, name: string) => `📎 ${name} attached to lead #${id}.`,
  },
  strayFile: {
    ask: '📎 Which lead is this file for? Your recent leads:',
    noLeads: '📎 To keep a file with a lead, open the lead (/leads) and tap 📎 Attach.',
    expired: '⌛ This question has expired. Send the file again.',
    notAttached: '📎 The file was not attached.',
  },
  edit: {
    button: '✏️ Edit',
    choose: (id: number) => `✏️ Which field of lead #${id} do you want to change?`,
    ask: (id: number, field: string, current: string) =>
      `✏️ Lead #${id} · <b>${field}</b>\nNow: ${current}\n\nSend the new value, "-" to clear it, or /cancel.`,
    saved: (id: number, field: string) => `✏️ Lead #${id}: ${field} saved.`,
    unchanged: (id: number, field: string) => `Lead #${id} already has this value in ${field}; nothing changed.`,
    changed: (id: number) =>
      `⚠️ Lead #${id} has changed meanwhile, so nothing was saved. Here is the current card; tap ✏️ Edit to try again.`,
    invalidPhone: '⚠️ That is not a phone number. Send it with the country code, e.g. +380501234567, or /cancel.',
    invalidEmail: '⚠️ That is not an email address (like name@example.com). Send another, or /cancel.',
    needsContact: '⚠️ A lead must keep a phone or an email, so this one cannot be cleared. Send a new value, or /cancel.',
    duplicate: (id: number) =>
      `⚠️ This is a duplicate of lead #${id}, which already has this contact. Send another value, or /cancel.`,
  },
  leads: {
    title: (page: number) => `📋 <b>Open leads</b> — page ${page}`,
    empty: 'No open leads.',
    usage: 'Usage: /lead &lt;id&gt;, e.g. /lead 12',
    backToList: '📋 Back to the list',
    row: (id: number, name: string, stage: string, assignee: string, age: string) =>
      `<b>#${id}</b> ${name} · ${stage} · 👤 ${assignee} · ${age}`,
  },
  leadFilters: {
    button: '🔎 Filters',
    title: (page: number) => `📋 <b>Leads</b> — page ${page}`,
    empty: 'No leads match these filters.',
    expired: '⌛ This list has expired. Send /leads again.',
    panelTitle: '🔎 <b>Filters</b> — tap to switch a value on or off, then 📋 Show.',
    stage: 'Stage',
    tier: 'Quality',
    source: 'Source',
    assignee: 'Assignee',
    any: 'any',
    openStages: 'open',
    unassigned: 'unassigned',
    assignees: '👤 Assignee…',
    assigneesTitle: '👤 <b>Assignee</b> — tap to switch someone on or off.',
    reset: '♻️ Reset',
    show: '📋 Show',
    again: (values: string) => `🔁 ${values}`,
  },
  find: {
    usage: 'Usage: /find &lt;name, company, phone or email&gt; — at least 3 letters or 5 digits, ' +
      'e.g. /find Petrov or /find 050 123 45 67',
    results: (query: string) => `🔍 Leads for «${query}», best match first:`,
    nothing: (query: string) => `🔍 Nothing found for «${query}».`,
  },
  notify: {
    newLead: '🆕 <b>New lead for you</b>',
    unassigned: '🔔 <b>New lead — unassigned: no one has capacity.</b>',
    unassignedAgain: '🔔 <b>Lead without an owner — no one has capacity.</b>',
    restoredToYou: (by: string) => `♻️ <b>Lead brought back and given to you</b> by ${by}`,
    repeatInquiry: (id: number) => `🔁 Lead #${id} sent the form again.`,
    staleAlert: (id: number, source: string, days: number, score: string) =>
      `⚠️ Lead #${id} (${source}) has had no activity for ${plural(days, 'day', 'days')}. AI score: ${score}`,
  },
  sources: {
    title: '🔌 <b>Form sources</b>',
    empty: 'No form sources yet.',
    line: (id: number, name: string, provider: string, active: boolean) =>
      `${active ? '🟢' : '⚪️'} #${id} <b>${name}</b> (${provider})`,
    add: '➕ Add source',
    disable: (name: string) => `⏸ Disable ${name}`,
    askName: 'Name of the new form source (e.g. "Landing page"), or /cancel.',
    askProvider: 'Which form builder sends it?',
    created: (name: string, url: string, secret: string) =>
      `✅ Source <b>${name}</b> created.\n\nWebhook URL for the form builder:\n<code>${url}</code>\n\n` +
      `Secret (shown once):\n<code>${secret}</code>`,
    disabled: (name: string) => `⏸ Source <b>${name}</b> disabled.`,
    setAsideTitle: (n: number) => `⚠️ <b>Set aside:</b> ${plural(n, 'submission', 'submissions')} could not become leads.`,
    setAsideLine: (id: number, source: string, attempts: number, when: string, error: string) =>
      `#${id} · ${source} · ${plural(attempts, 'try', 'tries')} · ${when}\n   <i>${error}</i>`,
    replay: (id: number) => `🔁 Replay #${id}`,
    replayed: (id: number) => `🔁 Submission #${id} is queued again.`,
    notSetAside: 'That submission is no longer set aside.',
    setAsideAlert: (id: number, source: string, error: string) =>
      `⚠️ Submission #${id} from <b>${source}</b> could not become a lead and was set aside.\n<i>${error}</i>\n\nReplay it once the cause is fixed (also in /sources).`,
  },
  providers: {
    tilda: 'Tilda', typeform: 'Typeform', generic: 'Generic JSON/form', webflow: 'Webflow', tally: 'Tally', jotform: 'Jotform',
    hubspot: 'HubSpot workflow',
  } satisfies Record<FormProvider, string>,
  reassign: {
    button: '👤 Reassign',
    choose: (id: number, current: string) =>
      `👤 Who should take lead #${id}? Now: ${current}.\nEach person: open leads / capacity; 🔴 is full.`,
    option: (name: string, load: number, capacity: number) =>
      `${load >= capacity ? '🔴' : '🟢'} ${name} · ${load}/${capacity}`,
    nobody: 'There is no other active agent or manager to choose.',
    done: (id: number, name: string) => `👤 Lead #${id} reassigned to <b>${name}</b>.`,
    toYou: (by: string) => `👤 <b>Lead reassigned to you</b> by ${by}`,
    away: (id: number, to: string, by: string) => `👤 Lead #${id} was reassigned to ${to} by ${by}; it is off your list.`,
    awayUnassigned: (id: number, by: string) => `👤 Lead #${id} was taken off your list by ${by}.`,
  },
  deletion: {
    button: '🗑 Delete',
    confirm: (id: number) => `❓ Delete lead #${id}? Admins can restore it.`,
    done: (id: number) => `🗑 Lead #${id} deleted. Admins can restore it from /deleted.`,
    title: (page: number) => `🗑 <b>Deleted leads</b> — page ${page}`,
    empty: 'No deleted leads.',
    line: (id: number, name: string, when: string, by: string) => `#${id} · ${name} · deleted ${when} by ${by}`,
    restore: (id: number) => `♻️ Restore #${id}`,
    restored: (id: number) => `♻️ Lead #${id} restored: /lead ${id}`,
    first: '⏮ First page',
  },
  undo: {
    button: '↩️ Undo',
    lost: (id: number, stage: string) => `↩️ Undone: lead #${id} is back in <b>${stage}</b>.`,
    reassign: (id: number, name: string) => `↩️ Undone: lead #${id} is back with <b>${name}</b>.`,
    delete: (id: number) => `↩️ Undone: lead #${id} is back.`,
  },
  outbox: {
    title: (waiting: number, failed: number) =>
      `📤 <b>Outbox</b> — waiting to be sent: ${waiting}; failed: ${failed}`,
    noFailed: 'No failed messages.',
    line: (n: number, kind: string, to: string, leadId: number | null, when: string, error: string) =>
      `${n}. <b>${kind}</b> → ${to}${leadId ? ` · lead #${leadId}` : ''}\n   ${when} · <i>${error}</i>`,
    retry: (n: number) => `🔁 ${n}`,
    retryAll: (n: number) => `🔁 Send all ${n} again`,
    requeued: (n: number) => `🔁 ${n === 1 ? '1 message goes' : `${n} messages go`} out again.`,
    kinds: {
      lead_card: 'Lead card', unassigned_lead: 'Unassigned lead', repeat_inquiry: 'Repeat inquiry',
      stale_alert: 'Stale alert', lead_reassigned_away: 'Reassigned away', access_request: 'Access request',
      access_decided: 'Access decision', role_changed: 'Role change', account_deactivated: 'Deactivation',
      account_reactivated: 'Reactivation', lead_changed: 'Lead changed by others', form_source_failing: 'Failing form', intake_failed: 'Set-aside submission',
      invite_used: 'Invite used', customer_message: 'Message to a customer',
      customer_messages: 'Customer messages', customer_reply_failed: 'Undelivered reply', leads_imported: 'Imported leads',
      reminder: 'Reminder', reminder_failed: 'Undelivered reminder', sla_breach: 'First-contact alert',
      escalation: 'Escalation', owner_pinged: 'Owner pinged', digest: 'Daily digest',
      ...enDeals.dealKinds,
    } satisfies Record<OutboxKind, string>,
  },
  ...enTeam,
  ...enAi,
  ...enReports,
  ...enDeals,
  ...enNotices,
  ...enChannels,
  ...enFollowups,
  ...enPlatform,
  errors: {
    ...enDeals.dealErrors,
    VALIDATION: (field: string) => `⚠️ Invalid ${field}.`,
    NOT_FOUND: '🔍 Not found (it may have been deleted).',
    FORBIDDEN: '⛔ You are not allowed to do this.',
    DUPLICATE_LEAD: (id: number) => `⚠️ This is a duplicate of lead #${id}.`,
    INVALID_TRANSITION: {
      skip: (from: string, to: string, expected: string) => `⛔ Cannot move from ${from} to ${to}. Expected ${expected}.`,
      backward: (from: string, to: string) => `⛔ ${from} → ${to} goes back a stage: use ↩️ Roll back (managers).`,
      same: (_from: string, to: string) => `ℹ️ The lead is already ${to}.`,
      terminal: (from: string) => `⛔ ${from} is final: the lead cannot move any more.`,
      transfer_only: (_from: string, to: string) => `⛔ ${to} is reached only by the transfer to sales.`,
      not_rollbackable: (from: string) => `⛔ ${from} cannot be rolled back.`,
    } satisfies Record<TransitionRule, (from: string, to: string, expected: string) => string>,
    REASON_REQUIRED: (min: number) => min > 1 ? `✍️ A reason of at least ${plural(min, 'character', 'characters')} is required.` : '✍️ A reason is required.',
    LEAD_CHANGED: (id: number) => `⚠️ Lead #${id} has changed meanwhile — here is the current card.`,
    UNAUTHORIZED: '⛔ Not authorized.',
    UNPROCESSABLE: '⚠️ This could not be processed.',
    UNSUPPORTED_MEDIA_TYPE: '⚠️ Unsupported format.',
    PAYLOAD_TOO_LARGE: '⚠️ Too large.',
    RATE_LIMITED: (minutes: number) => `⏳ Too many actions of this kind. Try again in ${plural(minutes, 'minute', 'minutes')}.`,
    ACCESS_ALREADY_DECIDED: (name: string, status: string) => `ℹ️ ${name} has already been decided: ${status}.`,
    CAPACITY_FULL: (name: string, load: number, capacity: number) => `⛔ ${name} is full: ${load}/${capacity}.`,
    INACTIVE_ASSIGNEE: (name: string) => `⛔ ${name} cannot take leads: not an active agent or manager.`,
    UNDO_EXPIRED: '⌛ Undo is no longer available.',
    CONFIGURED_ADMIN: (name: string) =>
      `⛔ ${name} is an admin by the server's configuration (ADMIN_TELEGRAM_IDS), so this cannot be changed in the bot. Change the setting on the server.`,
    SERVICE_UNAVAILABLE: '⏳ The CRM is temporarily unavailable (its database is not answering). Please try again in a minute.',
    ANALYSIS_IN_PROGRESS: (id: number) => `⏳ Lead #${id} is being analysed right now — its score is on the way.`,
    INVITE_INVALID: {
      unknown: '⛔ This invite link is not valid. Ask an admin for a new one.',
      used: '⛔ This invite link has already been used. Ask an admin for a new one.',
      expired: '⌛ This invite link has expired. Ask an admin for a new one.',
      revoked: '⛔ This invite link was withdrawn. Ask an admin for a new one.',
      deactivated: '⛔ Your account was deactivated; an invite does not bring it back. Ask an admin to reactivate it in /users.',
    },
  } satisfies Record<ErrorCode, unknown>,
  ...enSettings,
};

export type Catalog = typeof en;
