import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../core/errors.js';
import {
  addAttachment, getAttachmentForUser, listAttachments,
} from '../../../core/leads/lead-attachment.service.js';
import { ATTACHMENT_MAX_BYTES, attachmentProblem, type AttachmentFile } from '../../../core/leads/lead-attachment.rules.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

let seq = 0;
const pdf = (p: Partial<AttachmentFile> = {}): AttachmentFile => {
  seq += 1;
  return {
    kind: 'document', fileId: `BQACAgIAAx-${seq}`, fileUniqueId: `AgAD${seq}`, fileName: `offer-${seq}.pdf`,
    mimeType: 'application/pdf', sizeBytes: 120_000, ...p,
  };
};

describe('attachments (§5)', () => {
  it('stores the Telegram file id, touches activity and writes ATTACHMENT_ADDED history', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, last_activity_at: new Date('2026-01-01T00:00:00Z') });
    const file = pdf({ fileName: 'Offer <v2>.pdf', mimeType: 'Application/PDF' });
    const attachment = await addAttachment(h.db, { leadId: lead.id, actor: agent, file });
    expect(attachment).toMatchObject({
      lead_id: lead.id, uploaded_by: agent.id, telegram_file_id: file.fileId, telegram_file_unique_id: file.fileUniqueId,
      file_name: 'Offer .pdf', mime_type: 'application/pdf', size_bytes: 120_000, kind: 'document',
    });
    const after = await getLead(h.db, lead.id);
    expect(after.last_activity_at.getTime()).toBeGreaterThan(lead.last_activity_at.getTime());
    expect(after.version).toBe(lead.version);
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({
      action: 'ATTACHMENT_ADDED', actor_user_id: agent.id,
      details: { attachment_id: attachment.id, kind: 'document', mime_type: 'application/pdf', size_bytes: 120_000 },
    });
  });

  it('accepts a photo (image/jpeg) and a file of exactly 10 MB', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const photo = await addAttachment(h.db, {
      leadId: lead.id, actor: agent, file: pdf({ kind: 'photo', fileName: null, mimeType: 'image/jpeg', sizeBytes: 90_000 }),
    });
    expect(photo).toMatchObject({ kind: 'photo', file_name: null, mime_type: 'image/jpeg' });
    await expect(addAttachment(h.db, { leadId: lead.id, actor: agent, file: pdf({ sizeBytes: ATTACHMENT_MAX_BYTES }) }))
      .resolves.toBeTruthy();
  });

  it.each([
    ['over 10 MB', { sizeBytes: 10 * 1024 * 1024 + 1 }, /at most 10485760 bytes \(10 MB\)/],
    ['of unknown size', { sizeBytes: null }, /size is unknown/],
    ['without a MIME type', { mimeType: null }, /no MIME type; allowed: image\/jpeg, image\/png, image\/gif, application\/pdf, text\/plain/],
    ['of a MIME type not allowed', { mimeType: 'application/zip' }, /MIME type not allowed; allowed: image\/jpeg/],
  ])('refuses a file %s with a ValidationError naming the rule, and writes nothing', async (_name, patch, message) => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const refused = addAttachment(h.db, { leadId: lead.id, actor: agent, file: pdf(patch) });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ field: 'file', message });
    expect((await listAttachments(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(0);
    expect((await listHistory(h.db, lead.id, { limit: 5, offset: 0 })).total).toBe(0);
  });

  it('names each problem for the bot', () => {
    expect(attachmentProblem({ mimeType: 'text/plain', sizeBytes: 10 })).toBeNull();
    expect(attachmentProblem({ mimeType: 'text/plain; charset=utf-8', sizeBytes: 10 })).toBeNull();
    expect(attachmentProblem({ mimeType: 'image/gif', sizeBytes: ATTACHMENT_MAX_BYTES + 1 })).toBe('too_large');
    expect(attachmentProblem({ mimeType: undefined, sizeBytes: 10 })).toBe('no_mime_type');
    expect(attachmentProblem({ mimeType: 'image/webp', sizeBytes: 10 })).toBe('mime_type');
    expect(attachmentProblem({ mimeType: 'image/png' })).toBe('no_size');
  });

  it("refuses an agent attaching to someone else's lead, and a deleted lead", async () => {
    const owner = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: owner.id });
    await expect(addAttachment(h.db, { leadId: lead.id, actor: await makeUser(h.db), file: pdf() }))
      .rejects.toBeInstanceOf(ForbiddenError);
    const manager = await makeUser(h.db, { role: 'manager' });
    await expect(addAttachment(h.db, { leadId: lead.id, actor: manager, file: pdf() })).resolves.toBeTruthy();
    const deleted = await makeLead(h.db, { assigned_to: owner.id, is_deleted: true, deleted_at: new Date() });
    await expect(addAttachment(h.db, { leadId: deleted.id, actor: owner, file: pdf() })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists attachments newest first, a page at a time, with the total', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    for (let i = 1; i <= 7; i++) {
      await addAttachment(h.db, { leadId: lead.id, actor: agent, file: pdf({ fileName: `file ${i}.pdf` }) });
    }
    const first = await listAttachments(h.db, lead.id, { limit: 3, offset: 0 });
    const third = await listAttachments(h.db, lead.id, { limit: 3, offset: 6 });
    expect(first.total).toBe(7);
    expect(first.items.map((a) => a.file_name)).toEqual(['file 7.pdf', 'file 6.pdf', 'file 5.pdf']);
    expect(third.items.map((a) => a.file_name)).toEqual(['file 1.pdf']);
  });

  it("gives an attachment back only to someone who may see its lead", async () => {
    const owner = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: owner.id });
    const attachment = await addAttachment(h.db, { leadId: lead.id, actor: owner, file: pdf() });
    await expect(getAttachmentForUser(h.db, attachment.id, owner)).resolves.toMatchObject({ id: attachment.id });
    await expect(getAttachmentForUser(h.db, attachment.id, await makeUser(h.db))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getAttachmentForUser(h.db, 999_999, owner)).rejects.toBeInstanceOf(NotFoundError);
  });
});
