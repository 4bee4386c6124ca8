import { defineCallbackData, int } from './codec.js';

// /api and /webhooks. Core checks the caller's rights on every tap.

/** 🔑 New API sign-in: a fresh access and refresh token for the tapper. */
export const apiTokenData = defineCallbackData('api1', {});
/** 🚪 Sign out of the API everywhere (every refresh token of the tapper). */
export const apiSignOutData = defineCallbackData('apo1', {});
/** 🚫 Revoke an API key (admins). */
export const apiKeyRevokeData = defineCallbackData('akr1', { id: int });
/** The /webhooks list. */
export const webhooksData = defineCallbackData('whl1', {});
/** One subscription with its failing deliveries. */
export const webhookData = defineCallbackData('whd1', { id: int });
/** 🔁 Replay one failed delivery. */
export const webhookReplayData = defineCallbackData('whr1', { id: int, delivery: int });
/** 🔁 Replay every failed delivery of a subscription. */
export const webhookReplayAllData = defineCallbackData('wha1', { id: int });
/** 📡 Send a test ping now. */
export const webhookPingData = defineCallbackData('whp1', { id: int });
/** ⏸ / ▶️ Switch a subscription off (0) or on (1). */
export const webhookActiveData = defineCallbackData('wht1', { id: int, on: int });
