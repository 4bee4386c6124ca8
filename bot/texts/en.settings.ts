import type { GuestCommand, HelpSection, MenuCommand } from '../command-menu.js';

/**
 * Texts of the command menu, /help and /settings, in English. Command
 * descriptions are plain text (Telegram's menu shows no HTML), at most 256
 * characters; the rest is HTML.
 */
export const enSettings = {
  commands: {
    leads: 'My open leads, with filters',
    find: 'Find a lead by name, phone or email',
    lead: 'Open a lead card by its number',
    inbox: 'Customers who write to the bot',
    new: 'Type in a lead',
    deals: 'My open deals, totals per stage',
    deal: 'Open a deal card by its number',
    team: 'Team load and stale leads',
    bulk: 'Bulk actions on leads',
    export: 'The list you looked at last, as CSV',
    report: 'Reports: funnel, sources, tiers, managers',
    mystats: 'My numbers against the team',
    users: 'Users: roles, capacity, access',
    invite: 'Invite someone to the team',
    campaigns: 'Campaign links for ads',
    autoreply: 'What the bot says to customers',
    sources: 'Form sources (webhooks)',
    deleted: 'Deleted leads, to restore',
    outbox: 'Messages Telegram did not take',
    webhooks: 'Outbound webhooks: subscriptions, failures, replay',
    settings: 'Language, time zone, new leads on or off',
    off: 'Pause new leads for me',
    on: 'Receive new leads again',
    lang: 'Language',
    api: 'JSON API sign-in and keys',
    help: 'What you can do here',
    cancel: 'Cancel the current input',
    start: 'Start',
  } satisfies Record<MenuCommand | GuestCommand, string>,
  help: {
    title: (role: string) => `ℹ️ <b>What you can do</b> · your role: <b>${role}</b>`,
    sections: {
      leads: '📋 <b>Leads</b>',
      sales: '💼 <b>Sales</b>',
      team: '👥 <b>Team</b>',
      admin: '🛠 <b>Administration</b>',
      own: '⚙️ <b>Your settings</b>',
      other: 'ℹ️ <b>Also</b>',
    } satisfies Record<HelpSection, string>,
    lines: {
      leads: '/leads — your open leads, a page at a time, with filters',
      find: '/find &lt;name, company, phone or email&gt; — find a lead; typos are forgiven',
      lead: '/lead &lt;number&gt; — open a lead’s card',
      inbox: '/inbox — customers who write to the bot, newest first, to read and answer',
      new: '/new — type in a lead (or send the bot a contact card)',
      deals: '/deals — your open deals, a page at a time, by stage, with the total per stage',
      deal: '/deal &lt;number&gt; — open a deal’s card',
      team: '/team — each person’s open leads, capacity and stale leads',
      export: '/export — the /leads list you looked at last, as a CSV file (or send a .csv to import one)',
      report: '/report — funnel, sources and campaigns, quality tiers and manager performance, as charts with CSV',
      mystats: '/mystats — my time to first contact, conversion, stale leads and won deals against the team’s median',
      invite: '/invite — a one-time link that brings someone into the team with a role',
      campaigns: '/campaigns — t.me links for ads; their leads carry the link’s UTM values',
      autoreply: '/autoreply — the greeting and off-hours texts customers get, per language',
      bulk: '/bulk — select leads, then change their stage, assign or delete them at once',
      users: '/users — roles and capacity; deactivate or reactivate people',
      sources: '/sources — form sources: add one (its URL and secret), disable one',
      deleted: '/deleted — deleted leads, with ♻️ Restore',
      outbox: '/outbox — messages Telegram did not take, to send them again',
      webhooks: '/webhooks — URLs told about lead changes: failing ones, replay, test ping; /webhooks add &lt;url&gt;',
      settings: '/settings — language, time zone and new leads, in one place',
      off: '/off — pause new leads for yourself (holiday, sick day)',
      on: '/on — receive new leads again',
      lang: '/lang — English or Ukrainian',
      api: '/api — sign in to the JSON API (tokens); admins: API keys for integrations',
      help: '/help — this list',
      cancel: '/cancel — stop answering the question the bot asked',
    } satisfies Record<MenuCommand, string>,
    /** /leads for those who see every lead (managers, admins). */
    leadsAll: '/leads — every open lead, a page at a time, with filters (assignee too)',
    /** /deals for those who see every deal (managers, admins). */
    dealsAll: '/deals — every open deal, a page at a time, by stage, with the total per stage',
    footer: 'On a lead card, tap its buttons: you see only those your role and the lead’s stage allow.',
    guest: 'ℹ️ This is the sales team’s CRM bot.\nTo work in it, open the invite link an admin sent you.\n/start — see where you stand.\n/help — this help.',
  },
  settings: {
    title: '⚙️ <b>Settings</b>',
    language: (name: string) => `🌐 Language: ${name}`,
    timeZone: (zone: string, now: string) => `🕒 Time zone: <b>${zone}</b> — now ${now}`,
    teamTimeZone: (zone: string, now: string) => `🕒 Time zone: <b>${zone}</b>, the team’s — now ${now}`,
    available: '🟢 New leads: coming to you',
    away: '🌙 New leads: paused, they go to others',
    languageButton: '🌐 Language',
    timeZoneButton: '🕒 Time zone',
    pause: '🌙 Pause new leads',
    resume: '🟢 Receive new leads',
    languageTitle: (name: string) => `🌐 <b>Language</b>\nNow: ${name}. Choose yours:`,
    timeZoneTitle: (zone: string, now: string) =>
      `🕒 <b>Time zone</b>\nNow: <b>${zone}</b>, ${now}. Choose one, or type any other.`,
    teamZoneButton: (zone: string) => `👥 The team’s (${zone})`,
    otherZone: '✍️ Other zone…',
    zoneAsk: '✍️ Send your time zone as its IANA name, e.g. <code>Europe/Kyiv</code>, ' +
      '<code>America/Chicago</code> or <code>UTC</code>, or /cancel.',
    zoneInvalid: (text: string) =>
      `⚠️ «${text}» is not a time zone. Send a name like <code>Europe/Paris</code> (region/city), or /cancel.`,
    zoneSaved: (zone: string, now: string) => `✅ Time zone: <b>${zone}</b>, now ${now}.`,
  },
};

export type SettingsTexts = typeof enSettings;
