import type { DomainErrorCode } from '../../core/errors.js';
import type { FormProvider } from '../../core/database.js';
import type { ColdStage } from '../../core/leads/lead.constants.js';
import type { Role } from '../../core/users/user.constants.js';
import type { LostReasonCode } from '../lost-reasons.js';

/**
 * English texts, the reference set: `Texts` is derived from this object, so
 * uk.ts must provide every key with the same shape or tsc fails.
 * Arguments that come from users arrive already escaped (see views/).
 */
export const en = {
  access: {
    welcome: (name: string, role: string) =>
      `👋 Hello, <b>${name}</b>! You are signed in as <b>${role}</b>.\n\n` +
      '/leads — my open leads\n/lead &lt;id&gt; — open a lead card\n/lang — language',
    welcomeAdmin: '/sources — form sources (webhooks)',
    pending: '⏳ Your access request has been sent to the admins. You will get a message once it is decided.',
    rejected: '⛔ Your access request was rejected.',
    noAccess: '⛔ You have no access to this CRM. Send /start to request it.',
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
    unknownCommand: 'Unknown command. Try /leads, /lead &lt;id&gt; or /lang.',
  },
  lang: {
    choose: 'Choose the language:',
    set: '✅ Language: English.',
  },
  card: {
    title: (id: number) => `<b>Lead #${id}</b>`,
    name: 'Name',
    phone: 'Phone',
    email: 'Email',
    company: 'Company',
    position: 'Position',
    source: 'Source',
    utm: 'UTM',
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
      `✍️ Type why lead #${id} is rolled back (at least ${min} characters), or /cancel.`,
    noteAsk: (id: number, max: number) => `📝 Send the note for lead #${id} (up to ${max} characters), or /cancel.`,
    noteSaved: (id: number) => `📝 Note added to lead #${id}.`,
    confirmContact: (id: number) => `❓ Log a contact with lead #${id}? It resets the inactivity timer.`,
    contactLogged: (id: number) => `📞 Contact with lead #${id} logged.`,
    textOnly: 'Please send text, or /cancel.',
    tooShort: (min: number) => `Too short: at least ${min} characters, or /cancel.`,
    tooLong: (max: number) => `Too long: at most ${max} characters, or /cancel.`,
  },
  lostReasons: {
    no_budget: 'No budget',
    no_response: 'No response',
    competitor: 'Chose a competitor',
    not_fit: 'Not a fit',
    spam: 'Spam',
  } satisfies Record<LostReasonCode, string>,
  history: {
    title: (id: number, page: number, pages: number) => `🕘 <b>History of lead #${id}</b> (${page}/${pages})`,
    empty: 'No history yet.',
    system: 'system',
    card: '📇 Card',
  },
  leads: {
    title: (page: number) => `📋 <b>Open leads</b> — page ${page}`,
    empty: 'No open leads.',
    usage: 'Usage: /lead &lt;id&gt;, e.g. /lead 12',
  },
  notify: {
    newLead: '🆕 <b>New lead for you</b>',
    unassigned: '🔔 <b>New lead — unassigned: no one has capacity.</b>',
    repeatInquiry: (id: number) => `🔁 Lead #${id} sent the form again.`,
    staleAlert: (id: number, source: string, days: number, score: string) =>
      `⚠️ Lead #${id} (${source}) has had no activity for ${days} days. AI score: ${score}`,
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
  },
  providers: { tilda: 'Tilda', typeform: 'Typeform', generic: 'Generic JSON/form' } satisfies Record<FormProvider, string>,
  errors: {
    VALIDATION: (field: string) => `⚠️ Invalid ${field}.`,
    NOT_FOUND: '🔍 Not found (it may have been deleted).',
    FORBIDDEN: '⛔ You are not allowed to do this.',
    DUPLICATE_LEAD: (id: number) => `⚠️ This is a duplicate of lead #${id}.`,
    INVALID_TRANSITION: (from: string, to: string, expected: string | null) => expected
      ? `⛔ Cannot move from ${from} to ${to}. Expected ${expected}.`
      : `⛔ Cannot move from ${from} to ${to}: ${from} is final.`,
    REASON_REQUIRED: (min: number) => min > 1 ? `✍️ A reason of at least ${min} characters is required.` : '✍️ A reason is required.',
    LEAD_CHANGED: (id: number) => `⚠️ Lead #${id} has changed meanwhile — here is the current card.`,
    UNAUTHORIZED: '⛔ Not authorized.',
    UNPROCESSABLE: '⚠️ This could not be processed.',
    UNSUPPORTED_MEDIA_TYPE: '⚠️ Unsupported format.',
    PAYLOAD_TOO_LARGE: '⚠️ Too large.',
    RATE_LIMITED: (minutes: number) => `⏳ Too many actions of this kind. Try again in ${minutes} min.`,
    ACCESS_ALREADY_DECIDED: (name: string, status: string) => `ℹ️ ${name} has already been decided: ${status}.`,
  } satisfies Record<DomainErrorCode, unknown>,
};

export type Texts = typeof en;
