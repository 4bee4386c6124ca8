import { InlineKeyboard } from 'grammy';
import { ROLES, type ManagedUser, type User } from '../../core/index.js';
import {
  CAPACITY_PRESETS, userCapacityAskData, userCapacityData, userDeactivateAskData, userDeactivateData,
  userOpenData, userReactivateData, userRoleData, usersPageData,
} from '../callback-data/users.js';
import { truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { personLabel, type View } from './lead-card.view.js';

export const USERS_PAGE_SIZE = 10;

// Button labels are plain text (no parse mode): names need no escaping, only a length cap.
const listLabel = (t: Texts, { user, openLeads }: ManagedUser) =>
  `${user.status === 'active' ? '🟢' : '🚫'} ${truncate(user.full_name, 28)} · ${t.roles[user.role]} · ${openLeads}/${user.capacity}`;

/** /users: one button per user (opens their screen), ◀ ▶ between pages. */
export function renderUserList(t: Texts, p: { items: ManagedUser[]; total: number; page: number }): View {
  const pages = Math.max(1, Math.ceil(p.total / USERS_PAGE_SIZE));
  const kb = new InlineKeyboard();
  for (const m of p.items) kb.text(listLabel(t, m), userOpenData.pack({ userId: m.user.id })).row();
  if (p.page > 1) kb.text(t.common.prev, usersPageData.pack({ page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, usersPageData.pack({ page: p.page + 1 }));
  return { text: p.items.length ? t.users.title(p.page, pages) : t.users.empty, keyboard: kb };
}

export function userScreenText(t: Texts, { user, openLeads }: ManagedUser): string {
  return [
    `👤 <b>${personLabel(user)}</b>`,
    `${t.users.role}: <b>${t.roles[user.role]}</b>`,
    `${t.users.status}: ${user.status === 'active' ? t.users.active : t.users.inactive}`,
    `${t.users.load}: ${openLeads}/${user.capacity}`,
    `${t.users.availability}: ${user.is_available ? t.users.available : t.users.away}`,
  ].join('\n');
}

/**
 * A user's admin screen: role, capacity presets or ✍️ a number,
 * deactivate / reactivate. On their own screen an admin gets no role or
 * deactivate buttons (core refuses those anyway).
 */
export function renderUserScreen(t: Texts, m: ManagedUser, viewer: User, notice?: string): View {
  const { user } = m;
  const self = user.id === viewer.id;
  const kb = new InlineKeyboard();
  if (!self) {
    for (const role of ROLES) {
      const label = role === user.role ? `• ${t.roles[role]}` : t.roles[role];
      kb.text(label, userRoleData.pack({ role, userId: user.id }));
    }
    kb.row();
  }
  for (const capacity of CAPACITY_PRESETS) {
    kb.text(capacity === user.capacity ? `• ${capacity}` : String(capacity), userCapacityData.pack({ capacity, userId: user.id }));
  }
  kb.text(t.users.capacityOther, userCapacityAskData.pack({ userId: user.id })).row();
  if (!self && user.status === 'active') kb.text(t.users.deactivate, userDeactivateAskData.pack({ userId: user.id }));
  if (user.status === 'inactive') kb.text(t.users.reactivate, userReactivateData.pack({ userId: user.id }));
  kb.row().text(t.users.backToList, usersPageData.pack({ page: 1 }));
  const body = userScreenText(t, m) + (self ? `\n\n${t.users.yourself}` : '');
  return { text: notice ? `${notice}\n\n${body}` : body, keyboard: kb };
}

/** 🚫 Deactivate → ✅ / ❌, saying what happens to their leads. */
export function renderDeactivateConfirm(t: Texts, m: ManagedUser): View {
  return {
    text: `${userScreenText(t, m)}\n\n${t.users.deactivateAsk(personLabel(m.user), m.openLeads)}`,
    keyboard: new InlineKeyboard()
      .text(t.common.confirm, userDeactivateData.pack({ userId: m.user.id }))
      .text(t.common.cancel, userOpenData.pack({ userId: m.user.id })),
  };
}
