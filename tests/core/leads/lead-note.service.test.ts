import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { ForbiddenError, LeadChangedError, ValidationError } from '../../../core/errors.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { addNote, listNotes, logContact } from '../../../core/leads/lead-note.service.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

describe('notes (§5)', () => {
  it('adds a note, touches activity and writes NOTE_ADDED history', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, last_activity_at: new Date('2026-01-01T00:00:00Z') });
    const note = await addNote(h.db, { leadId: lead.id, actor: agent, body: '  Called, <b>interested</b>  ' });
    expect(note.body).toBe('Called, interested');
    expect((await getLead(h.db, lead.id)).last_activity_at.getTime()).toBeGreaterThan(lead.last_activity_at.getTime());
    expect((await listHistory(h.db, lead.id, { limit: 5, offset: 0 })).items[0]).toMatchObject({ action: 'NOTE_ADDED' });
  });

  it('refuses empty notes and notes over 4096 characters, instead of cutting them', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(addNote(h.db, { leadId: lead.id, actor: agent, body: '   ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(addNote(h.db, { leadId: lead.id, actor: agent, body: 'я'.repeat(4097) })).rejects.toThrow(/4096/);
    await expect(addNote(h.db, { leadId: lead.id, actor: agent, body: 'я'.repeat(4096) })).resolves.toBeTruthy();
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it("refuses a note on another agent's lead", async () => {
    const lead = await makeLead(h.db, { assigned_to: (await makeUser(h.db)).id });
    await expect(addNote(h.db, { leadId: lead.id, actor: await makeUser(h.db), body: 'hi' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lists notes newest first, a page at a time, with the total', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    for (let i = 1; i <= 7; i++) await addNote(h.db, { leadId: lead.id, actor: agent, body: `note ${i}` });
    const first = await listNotes(h.db, lead.id, { limit: 3, offset: 0 });
    const third = await listNotes(h.db, lead.id, { limit: 3, offset: 6 });
    expect(first.total).toBe(7);
    expect(first.items.map((n) => n.body)).toEqual(['note 7', 'note 6', 'note 5']);
    expect(third.items.map((n) => n.body)).toEqual(['note 1']);
  });
});

describe('logging a contact (§10 stale alerts)', () => {
  it('adds a note, makes the lead fresh and bumps its version; a second tap on the same card is refused', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED', last_activity_at: new Date('2026-01-01T00:00:00Z') });
    const after = await logContact(h.db, { leadId: lead.id, actor: agent, expectedVersion: lead.version });
    expect(after.version).toBe(lead.version + 1);
    expect(after.last_activity_at.getTime()).toBeGreaterThan(lead.last_activity_at.getTime());
    await expect(logContact(h.db, { leadId: lead.id, actor: agent, expectedVersion: lead.version }))
      .rejects.toBeInstanceOf(LeadChangedError);
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it('when two taps arrive at once, logs one contact', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'QUALIFIED' });
    const results = await Promise.allSettled([1, 2, 3].map(() =>
      logContact(h.db, { leadId: lead.id, actor: agent, expectedVersion: lead.version })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(1);
  });
});
