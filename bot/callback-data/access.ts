import { defineCallbackData, int, oneOf } from './codec.js';

/** An admin's decision on a pending user: approve as agent / manager, or reject (§1). */
export const ACCESS_DECISIONS = ['agent', 'manager', 'reject'] as const;
export type AccessDecisionCode = (typeof ACCESS_DECISIONS)[number];

export const accessDecisionData = defineCallbackData('ad1', { decision: oneOf(ACCESS_DECISIONS), userId: int });
