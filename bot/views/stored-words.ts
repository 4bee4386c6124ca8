import type { Lead, LeadNote } from '../../core/index.js';
import type { Texts } from '../texts/index.js';

/**
 * Core stores codes where the CRM chose the words (a preset lost reason, a
 * system note) and text where a person typed it; these give the words for
 * the reader's language. Not escaped: callers escape what they show.
 */

/** The lead's lost reason: a preset in the reader's language, or the typed text. */
export function lostReasonText(t: Texts, lead: Pick<Lead, 'lost_reason' | 'lost_reason_code'>): string | null {
  return lead.lost_reason_code ? t.lostReasons[lead.lost_reason_code] : lead.lost_reason;
}

/** A note's text: a system note in the reader's language, or what its author wrote. */
export function noteText(t: Texts, note: Pick<LeadNote, 'body' | 'system_code'>): string {
  return note.system_code ? t.systemNotes[note.system_code] : note.body;
}
