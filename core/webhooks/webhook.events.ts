import type { HistoryAction } from '../leads/lead.constants.js';

/** §13: the events an outside system can subscribe to — the one list every validator and menu derives from. */
export const WEBHOOK_EVENTS = [
  'lead.created', 'lead.updated', 'lead.stage_changed', 'lead.assigned', 'lead.transferred', 'sale.stage_changed',
  'note.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The event a subscription gets once, on subscribe (and on demand), to show the URL answers. */
export const PING_EVENT = 'webhook.ping';

/**
 * Which history rows (§5) are which events. Every change of a lead writes a
 * history row in its own transaction, so turning the row into an event
 * there gives "written in the same transaction as the change" to every
 * channel at once (bot, API, intake, bulk, import, jobs). Rows not listed
 * (NURTURE, REPEAT_INQUIRY, ATTACHMENT_ADDED) are not events.
 */
export const HISTORY_EVENTS: Partial<Record<HistoryAction, WebhookEvent>> = {
  CREATED: 'lead.created',
  STAGE_CHANGED: 'lead.stage_changed',
  ROLLBACK: 'lead.stage_changed',
  ASSIGNED: 'lead.assigned',
  NOTE_ADDED: 'note.created',
  TRANSFERRED: 'lead.transferred',
  FIELDS_UPDATED: 'lead.updated',
  AI_ANALYZED: 'lead.updated',
  DELETED: 'lead.updated',
  RESTORED: 'lead.updated',
  UNDONE: 'lead.updated',
};
