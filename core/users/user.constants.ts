/** Roles of §1, weakest first. */
export const ROLES = ['agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** pending: sent /start, waits for an admin; inactive: switched off by an admin. */
export const USER_STATUSES = ['pending', 'active', 'rejected', 'inactive'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const LANGUAGES = ['en', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

