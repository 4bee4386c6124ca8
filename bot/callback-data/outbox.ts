import { defineCallbackData, int } from './codec.js';

// /outbox (admins): undelivered messages. Core checks the admin on every tap.

/** The failed messages, page n (1-based). */
export const outboxPageData = defineCallbackData('ob1', { page: int });
/** 🔁 Send one failed message again. */
export const outboxRetryData = defineCallbackData('or1', { id: int, page: int });
/** 🔁 Send every failed message again. */
export const outboxRetryAllData = defineCallbackData('oa1', {});
