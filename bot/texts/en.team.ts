import { type Role } from '../../core/index.js';
import { plurals } from './plural.js';

const count = plurals('en');

/** Texts of the team screens (/team, /users, /off and /on, /bulk), in English. */
export const enTeam = {
  team: {
    title: (days: number) => `👥 <b>Team</b> · stale = no activity for ${count(days, { one: 'day', other: 'days' })}`,
    member: (name: string, role: string, open: number, capacity: number) =>
      `<b>${name}</b> (${role}) — ${open}/${capacity} open`,
    stale: (n: number) => `⚠️ ${n} stale`,
    off: '🌙 off',
    total: (open: number, stale: number) => `Total: ${open} open, ${stale} stale.`,
    empty: 'No active users.',
  },
  availability: {
    off: (open: number) => '🌙 You are off: new leads go to others.' +
      (open > 0 ? ` You still hold ${open} open lead${open === 1 ? '' : 's'} — /leads.` : '') + ' Send /on when you are back.',
    on: '✅ You are back: new leads can come to you again.',
  },
  users: {
    title: (page: number, pages: number) => `👥 <b>Users</b> (${page}/${pages}) — open leads / capacity`,
    empty: 'No users yet.',
    role: 'Role',
    status: 'Status',
    active: '🟢 active',
    inactive: '🚫 deactivated',
    load: 'Open leads / capacity',
    availability: 'Availability',
    available: '✅ on',
    away: '🌙 off',
    yourself: 'ℹ️ This is you: you cannot change your own role or deactivate yourself.',
    capacityOther: '✍️ Other…',
    deactivate: '🚫 Deactivate',
    reactivate: '✅ Reactivate',
    backToList: '↩️ Users',
    roleSet: (name: string, role: string) => `✅ ${name} is now <b>${role}</b>.`,
    capacitySet: (name: string, capacity: number) => `✅ Capacity of ${name}: <b>${capacity}</b>.`,
    capacityAsk: (name: string, min: number, max: number) =>
      `✍️ New capacity for ${name}: a whole number from ${min} to ${max}, or /cancel.`,
    capacityInvalid: (min: number, max: number) => `Please send a whole number from ${min} to ${max}, or /cancel.`,
    deactivateAsk: (name: string, open: number) =>
      `❓ Deactivate ${name}? They lose access at once; their ${open} open leads go to agents with free capacity.`,
    deactivated: (name: string, moved: number, unassigned: number, failed: number) =>
      `🚫 ${name} deactivated. Leads reassigned: ${moved}; left unassigned (managers told): ${unassigned}` +
      (failed > 0 ? `; failed: ${failed}` : '') + '.',
    leadMoved: (id: number, name: string) => `#${id} → ${name}`,
    leadUnassigned: (id: number) => `#${id} → unassigned`,
    leadFailed: (id: number, message: string) => `#${id} ❌ ${message}`,
    reactivated: (name: string) => `✅ ${name} reactivated.`,
    youWereDeactivated: '⛔ Your access to the CRM was switched off by an admin.',
    youWereReactivated: '✅ Your access to the CRM is back. Send /leads to see your leads.',
    yourRoleIs: (role: string) => `ℹ️ Your role in the CRM is now <b>${role}</b>.`,
  },
  bulk: {
    title: (page: number, selected: number, max: number) =>
      `🧰 <b>Bulk actions</b> — page ${page}\nSelected: <b>${selected}</b> (up to ${max}). Tap leads to select them, then choose an action.`,
    empty: 'No open leads.',
    stage: '➡️ Stage…',
    assign: '👤 Assign…',
    delete: '🗑 Delete…',
    clear: '✖️ Clear selection',
    nothingSelected: 'Select at least one lead first.',
    tooMany: (max: number) => `At most ${max} leads per bulk action.`,
    stageAsk: (n: number) => `➡️ Move the ${n} selected leads to:`,
    lostAsk: (n: number) => `❌ Why are the ${n} selected leads lost?`,
    assignAsk: (n: number) => `👤 Assign the ${n} selected leads to (open leads / capacity; 🔴 full, 🌙 off):`,
    nobody: 'There is no active agent or manager to assign to.',
    person: (name: string, load: number, capacity: number, available: boolean) =>
      `${load >= capacity ? '🔴' : '🟢'} ${name} · ${load}/${capacity}${available ? '' : ' 🌙'}`,
    deleteAsk: (n: number) => `❓ Delete ${n === 1 ? 'this lead' : `these ${n} leads`}? Admins can restore deleted leads.`,
    deleteConfirm: (n: number) => `🗑 Yes, delete ${n}`,
    summary: (done: number, failed: number) => failed > 0
      ? `✅ ${done} done, ❌ ${failed} failed (still selected):`
      : `✅ ${done} done.`,
    failure: (id: number, message: string) => `#${id} ${message}`,
    more: (n: number) => `… and ${n} more`,
  },
};

export type TeamTexts = typeof enTeam;
