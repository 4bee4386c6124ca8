import type { ChannelTextKey, LeadSource } from '../../core/index.js';

/**
 * Texts of the ways leads arrive (issue 10): invites, customers who write
 * to the bot and the conversations with them, leads typed in with /new,
 * campaign links, auto-replies, CSV import and export — in English.
 * Arguments that come from users arrive already escaped.
 */
export const enChannels = {
  invites: {
    chooseRole: '👥 <b>Invite to the team</b>\nWhich role will the new person have?',
    chooseExpiry: (role: string) => `👥 Invite as <b>${role}</b>. How long may the link stay unused?`,
    expiry: (hours: number) => (hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`),
    created: (role: string, link: string, until: string) =>
      `✅ Invite link for one <b>${role}</b>, valid until ${until} (UTC):\n<code>${link}</code>\n\n` +
      'Send it to the person; it works once. Whoever opens it joins the team.',
    joined: (name: string, role: string) => `👋 Welcome to the team, <b>${name}</b>! You are <b>${role}</b>.\n\n/leads — my open leads\n/inbox — customers who write to the bot`,
    alreadyStaff: (role: string) => `ℹ️ You are already on the team (${role}); the invite stays unused for someone else.`,
    used: (name: string, role: string) => `✅ ${name} joined the team as <b>${role}</b> with your invite.`,
  },
  customer: {
    /** The defaults of the texts admins can change with /autoreply (plain text). */
    defaults: {
      greeting: 'Hello! Thank you for writing to us. A manager will answer you here shortly.',
      off_hours: 'We are outside working hours right now. We will answer as soon as we are back.',
      ask_phone: 'Please share your phone number so that we can call you back: tap the button below.',
      phone_saved: 'Thank you! We have your number.',
    } satisfies Record<ChannelTextKey, string>,
    sharePhone: '📱 Share my phone number',
  },
  conversations: {
    reply: '💬 Reply',
    messages: '🗂 Messages',
    askPhone: '📱 Ask for phone',
    newCustomer: '💬 <b>New customer in Telegram</b>',
    wrote: (name: string) => `<b>${name}</b> wrote:`,
    noticeTitle: (name: string, leadId: number, n: number) =>
      `💬 <b>${name}</b> (lead #${leadId}) — ${n === 1 ? 'new message' : `${n} new messages`}:`,
    more: (n: number) => `… and ${n} more (🗂 Messages)`,
    kinds: {
      text: '', photo: '🖼 Photo', document: '📄 File', voice: '🎤 Voice message', video: '🎬 Video', audio: '🎵 Audio',
      video_note: '📹 Video message', animation: '🎞 GIF', sticker: '🏷 Sticker', contact: '📇 Contact', location: '📍 Location',
      start: '▶️ Opened the bot', other: '❔',
    },
    botTexts: {
      greeting: '🤖 Greeting', off_hours: '🤖 Off-hours reply', ask_phone: '🤖 Asked for the phone', phone_saved: '🤖 Thanked for the phone',
    } satisfies Record<ChannelTextKey, string>,
    replyAsk: (name: string, leadId: number) =>
      `💬 Your reply to <b>${name}</b> (lead #${leadId}): send text, a photo, a file, a voice or video message, or /cancel.\n` +
      'They see it from the bot, never your account.',
    replyOnly: 'Please send text, a photo, a file, a voice or a video message, or /cancel.',
    replyQueued: (leadId: number) => `✅ Sent to the customer of lead #${leadId}.`,
    replyFailed: (name: string, leadId: number, blocked: boolean) => blocked
      ? `⚠️ Your reply to <b>${name}</b> (lead #${leadId}) was not delivered: they have blocked the bot.`
      : `⚠️ Your reply to <b>${name}</b> (lead #${leadId}) was not delivered: Telegram refused it.`,
    phoneAsked: (leadId: number) => `📱 The customer of lead #${leadId} was asked to share their phone.`,
    noConversation: (leadId: number) => `Lead #${leadId} has no Telegram conversation.`,
    inboxTitle: (page: number) => `💬 <b>Inbox</b> — page ${page}`,
    inboxEmpty: 'No customer has written to the bot yet.',
    inboxLine: (name: string, unread: number) => `${unread ? `🔵 ${unread} · ` : ''}${name}`,
    pageTitle: (name: string, leadId: number) => `🗂 <b>Conversation with ${name}</b> (lead #${leadId})`,
    pageEmpty: 'No messages yet.',
    blocked: '⛔ The customer has blocked the bot: replies cannot reach them.',
    lineIn: (when: string, text: string) => `⬅️ ${when}\n${text}`,
    lineOut: (when: string, who: string, text: string, status: string) => `➡️ ${when} · ${who}${status}\n${text}`,
    failed: ' · ⚠️ not delivered',
    bot: 'bot',
    older: '◀ Older',
    newest: '⏭ Newest',
    file: (n: number) => `📎 ${n}`,
    fileGone: '⚠️ Telegram no longer has this file.',
  },
  newLead: {
    askName: '🆕 <b>New lead</b> — the person\'s name (or "-" to leave it out), or /cancel.',
    askContact: 'Their phone (with the country code) or email, or /cancel.',
    badContact: '⚠️ That is neither a phone number (with its country code, e.g. +380501234567) nor an email. Send it again, or /cancel.',
    askCompany: 'Company (or "-" to leave it out), or /cancel.',
    askIntent: 'What do they want? (or "-" to leave it out), or /cancel.',
    askSource: 'Where does the lead come from?',
    askAssign: 'Who takes the lead?',
    assignMe: '👤 Assign to me',
    assignAuto: '⚖️ By free capacity',
    sources: { MANUAL: '✍️ Manual', REFERRAL: '🤝 Referral', PARTNER: '🏢 Partner', CALLBACK: '📞 Callback' } satisfies Partial<Record<LeadSource, string>>,
    created: (id: number) => `✅ Lead #${id} created.`,
    exists: (id: number) => `ℹ️ This contact is already lead #${id}:`,
    existsHidden: (id: number) => `ℹ️ This contact is already lead #${id}, which someone else works.`,
    rateLimited: (limit: number, minutes: number) => `⏳ At most ${limit} new leads an hour. Try again in ${minutes} min.`,
    contactOffer: (name: string, phone: string) => `📇 <b>${name}</b> ${phone}\nCreate a lead from this contact?`,
    contactCreate: '➕ Create lead',
    contactNoPhone: '📇 This contact has no phone number, so no lead can be made from it.',
  },
  campaigns: {
    title: '📣 <b>Campaign links</b> — paste one into an ad; the leads it brings get its UTM values.',
    empty: 'No campaign links yet.',
    line: (name: string, active: boolean, link: string, utm: string) =>
      `${active ? '🟢' : '⚪️'} <b>${name}</b>\n<code>${link}</code>\n${utm}`,
    add: '➕ New link',
    disable: (name: string) => `⏸ ${name}`,
    askCode: 'The code after ?start= (letters, digits, _ and -, e.g. spring_ads), or /cancel.',
    askName: 'A name for the link (e.g. "Spring ads, Instagram"), or "-" to use the code, or /cancel.',
    askUtm: (field: string) => `utm_${field}: the value (or "-" to leave it out), or /cancel.`,
    created: (name: string, link: string) => `✅ Campaign link <b>${name}</b>:\n<code>${link}</code>`,
    disabled: (name: string) => `⏸ Campaign link <b>${name}</b> disabled.`,
  },
  autoReplies: {
    title: (hours: string, zone: string, now: boolean) =>
      `🤖 <b>What the bot says to customers by itself</b>\nWorking hours: ${hours} (${zone}); now: ${now ? 'working' : 'off-hours'}.`,
    keys: { greeting: 'Greeting', off_hours: 'Off-hours reply', ask_phone: 'Asking for the phone', phone_saved: 'Thanks for the phone' } satisfies Record<ChannelTextKey, string>,
    line: (key: string, language: string, text: string, custom: boolean) => `<b>${key}</b> (${language})${custom ? '' : ' · default'}:\n${text}`,
    edit: (key: string, language: string) => `✏️ ${key} · ${language}`,
    ask: (key: string, language: string) => `✍️ The new text for <b>${key}</b> (${language}), plain text, or "-" for the default, or /cancel.`,
    saved: (key: string, language: string) => `✅ ${key} (${language}) saved.`,
  },
  imports: {
    started: (name: string) => `📥 Importing <b>${name}</b>…`,
    progress: (name: string, done: number, total: number) => `📥 Importing <b>${name}</b>: ${done} of ${total} rows…`,
    done: (name: string, total: number, created: number, duplicate: number, refused: number) =>
      `✅ <b>${name}</b>: ${total} rows — ${created} new leads, ${duplicate} duplicates, ${refused} refused.\nThe result of each row is in the file below.`,
    resultsCaption: 'Per-row result: created, duplicate (of which lead) or refused (why).',
    notCsv: '⚠️ Send the leads as a .csv file (Excel: File → Save as → CSV).',
    tooLarge: (mb: number) => `⚠️ The file is over ${mb} MB.`,
    managersOnly: '⛔ Only managers and admins import leads.',
    exportEmpty: 'No leads match the current /leads filter.',
    exportCaption: (count: number) => `📤 ${count} leads (the current /leads filter).`,
    assigned: (count: number) => `📥 ${count} imported ${count === 1 ? 'lead was' : 'leads were'} assigned to you. /leads`,
    unassigned: (count: number) => `📥 ${count} imported ${count === 1 ? 'lead is' : 'leads are'} unassigned: nobody had capacity.`,
  },
};

export type ChannelTexts = typeof enChannels;
