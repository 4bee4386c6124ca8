import { ROLES } from '../../core/index.js';
import { defineCallbackData, int, oneOf } from './codec.js';

// /users (admins, §1). Every tap re-checks in core that the tapper is an
// admin; the ids in the data only say which user the screen is about.

/** The list of users, page n (1-based). */
export const usersPageData = defineCallbackData('mul1', { page: int });
/** One user's screen (also ❌ Cancel on a confirmation). */
export const userOpenData = defineCallbackData('muo1', { userId: int });
/** Set the user's role. */
export const userRoleData = defineCallbackData('mur1', { role: oneOf(ROLES), userId: int });
/** A preset capacity. */
export const userCapacityData = defineCallbackData('muc1', { capacity: int, userId: int });
/** ✍️ Other…: ask for the capacity as a number. */
export const userCapacityAskData = defineCallbackData('muw1', { userId: int });
/** 🚫 Deactivate: ask for confirmation. */
export const userDeactivateAskData = defineCallbackData('mux1', { userId: int });
/** ✅ on the confirmation: deactivate and reassign their leads. */
export const userDeactivateData = defineCallbackData('muy1', { userId: int });
/** ✅ Reactivate. */
export const userReactivateData = defineCallbackData('muz1', { userId: int });

/** Capacities offered as one-tap buttons; anything else 0–10000 is typed. */
export const CAPACITY_PRESETS = [5, 10, 20, 50] as const;
