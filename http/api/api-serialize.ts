import type { AttachmentWithUploader, LeadCard, ManagedUser, NoteWithAuthor, User } from '../../core/index.js';

/** The card read model in the API's snake_case (the card itself is built in core). */
export const cardJson = (card: LeadCard) => ({
  lead: card.lead, assignee: card.assignee, form_source_name: card.formSourceName, note_count: card.noteCount,
  attachment_count: card.attachmentCount, conversation_id: card.conversationId, actions: card.actions,
});

export const noteJson = (n: NoteWithAuthor) => ({
  id: n.id, lead_id: n.lead_id, author_id: n.author_id, author_name: n.author_name ?? null, body: n.body,
  system_code: n.system_code, created_at: n.created_at,
});

/** Attachment metadata; the Telegram file ids stay inside. */
export const attachmentJson = (a: AttachmentWithUploader) => ({
  id: a.id, lead_id: a.lead_id, uploaded_by: a.uploaded_by, uploader_name: a.uploader_name ?? null, file_name: a.file_name,
  mime_type: a.mime_type, size_bytes: a.size_bytes, kind: a.kind, created_at: a.created_at,
});

export const userJson = (u: User, openLeads?: number) => ({
  id: u.id, telegram_id: u.telegram_id, username: u.username, full_name: u.full_name, role: u.role, status: u.status,
  capacity: u.capacity, language: u.language, timezone: u.timezone, is_available: u.is_available, created_at: u.created_at,
  ...(openLeads !== undefined ? { open_leads: openLeads } : {}),
});
export const managedJson = (m: ManagedUser) => userJson(m.user, m.openLeads);
