import { randomUUID } from 'node:crypto';
import type { Db } from '../database.js';
import { ValidationError } from '../errors.js';
import { pickAssignee } from '../leads/assignment.service.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import type { LeadSource } from '../leads/lead.constants.js';
import { prepareLead, type LeadInput } from '../leads/lead.service.js';
import { amendPendingMessages, queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { parseCsv, type CsvTable } from './csv-read.rules.js';
import { mapColumns, rowToLead } from './lead-import.rules.js';
import { recordWebhookEvents } from '../webhooks/webhook-event.writer.js';

export type RowResult =
  | { row: number; status: 'created'; leadId: number; assignedTo: number | null }
  | { row: number; status: 'duplicate'; leadId: number; reason: string }
  | { row: number; status: 'refused'; reason: string };

export interface ImportSummary {
  importId: string;
  total: number;
  created: number;
  duplicate: number;
  refused: number;
  results: RowResult[];
}

export interface ImportOptions {
  defaultSource: LeadSource;
  /** Kept on each lead as its form reference ("CSV import: contacts.csv"). */
  fileName: string;
  actorUserId: number | null;
  defaultCountry?: string | undefined;
  /** Rows per transaction; default 500. */
  batchSize?: number;
  /** Called after every batch with rows done and the total. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** How long an assignee's "leads imported" notice waits for the rest of the import's batches. */
const NOTICE_GATHER_MS = 10_000;

/**
 * Imports a CSV file of leads (§2, §4): every row goes through the same
 * lead preparation (prepareLead: normalised phone and email, sanitised
 * text), the same duplicate rule (a live lead with the phone or email — or
 * an earlier row of this file — is a duplicate, nothing is written) and the
 * same assignment (pickAssignee, by free capacity). Importing a file again
 * therefore creates nothing new. Rows are written in batches, one
 * transaction each, with set-based SQL; a batch that fails leaves the batches
 * before it imported. Instead of a card per lead, each assignee gets one
 * notice per import (and the managers one for leads nobody had room for),
 * updated while the import runs. Batches return per-row outcomes (house
 * style rule 6); only an unreadable file throws (UnprocessableError).
 */
export async function importLeads(db: Db, csv: string | CsvTable, opts: ImportOptions): Promise<ImportSummary> {
  const table = typeof csv === 'string' ? parseCsv(csv) : csv;
  const map = mapColumns(table.header);
  const importId = randomUUID();
  const reference = `CSV import: ${opts.fileName}`.slice(0, 512);
  const results: RowResult[] = [];
  // Contacts already taken in this file: a later row with one is a duplicate of the lead made from the earlier.
  const seen = new Map<string, number>();
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  for (let start = 0; start < table.rows.length; start += batchSize) {
    const batch = table.rows.slice(start, start + batchSize);
    results.push(...await importBatch(db, batch.map(({ row, cells }) => {
      const outcome = rowToLead(table.header, cells, map, { defaultSource: opts.defaultSource, reference, defaultCountry: opts.defaultCountry });
      return { row, outcome };
    }), { ...opts, importId, seen }));
    await opts.onProgress?.(Math.min(start + batchSize, table.rows.length), table.rows.length);
  }
  const count = (s: RowResult['status']) => results.filter((r) => r.status === s).length;
  return { importId, total: results.length, created: count('created'), duplicate: count('duplicate'), refused: count('refused'), results };
}

type Prepared = { row: number; input: LeadInput; values: ReturnType<typeof prepareLead> };

async function importBatch(
  db: Db,
  rows: { row: number; outcome: ReturnType<typeof rowToLead> }[],
  opts: ImportOptions & { importId: string; seen: Map<string, number> },
): Promise<RowResult[]> {
  const results = new Map<number, RowResult>();
  const prepared: Prepared[] = [];
  for (const { row, outcome } of rows) {
    if ('refused' in outcome) {
      results.set(row, { row, status: 'refused', reason: outcome.refused });
      continue;
    }
    try {
      prepared.push({ row, input: outcome.input, values: prepareLead({ ...outcome.input, actorUserId: opts.actorUserId }, opts.defaultCountry) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      results.set(row, { row, status: 'refused', reason: err.message });
    }
  }
  const keysOf = (v: Prepared['values']) => [v.email && `e:${v.email}`, v.phone && `p:${v.phone}`].filter((k): k is string => Boolean(k));

  await inTransaction(db, async (trx) => {
    const existing = await existingByContact(trx, prepared.map((p) => p.values));
    const fresh: Prepared[] = [];
    for (const p of prepared) {
      const keys = keysOf(p.values);
      const earlier = keys.map((k) => opts.seen.get(k) ?? existing.get(k)).find((id) => id !== undefined);
      if (earlier !== undefined) {
        results.set(p.row, { row: p.row, status: 'duplicate', leadId: earlier, reason: `duplicate of lead #${earlier}` });
      } else {
        fresh.push(p);
        // Claim the contact now, so a later row of the same batch is a duplicate (resolved to the lead below).
        for (const k of keys) opts.seen.set(k, -p.row);
      }
    }
    if (fresh.length) await insertFresh(trx, fresh, results, opts);
  });
  // Rows that duplicated a fresh row of the same batch learn its lead id now.
  for (const r of results.values()) {
    if (r.status === 'duplicate' && r.leadId < 0) {
      const winner = results.get(-r.leadId);
      const id = winner && 'leadId' in winner ? winner.leadId : 0;
      r.leadId = id;
      r.reason = `duplicate of lead #${id} (an earlier row of this file)`;
    }
  }
  for (const [key, id] of opts.seen) {
    if (id < 0) {
      const winner = results.get(-id);
      if (winner && 'leadId' in winner && winner.status === 'created') opts.seen.set(key, winner.leadId);
      else opts.seen.delete(key);
    }
  }
  return rows.map(({ row }) => results.get(row)!);
}

/** Live leads holding any of these emails or phones, by "e:<email>" / "p:<phone>" (§4), in one query. */
async function existingByContact(db: Db, values: { email: string | null; phone: string | null }[]): Promise<Map<string, number>> {
  const emails = values.map((v) => v.email).filter((e): e is string => e !== null);
  const phones = values.map((v) => v.phone).filter((p): p is string => p !== null);
  const found = new Map<string, number>();
  if (!emails.length && !phones.length) return found;
  const rows = await db.selectFrom('leads').select(['id', 'email', 'phone']).where('is_deleted', '=', false)
    .where((eb) => eb.or([
      ...(emails.length ? [eb('email', 'in', emails)] : []),
      ...(phones.length ? [eb('phone', 'in', phones)] : []),
    ])).execute();
  for (const r of rows) {
    if (r.email) found.set(`e:${r.email}`, r.id);
    if (r.phone) found.set(`p:${r.phone}`, r.id);
  }
  return found;
}

/**
 * Inserts the batch's new leads in one statement (a concurrent insert of
 * the same contact makes its row a duplicate, found again after), their
 * CREATED history in another, then assigns each by the §4 rule until nobody
 * has room, and updates the import's notices.
 */
async function insertFresh(
  trx: Db, fresh: Prepared[], results: Map<number, RowResult>, opts: ImportOptions & { importId: string },
): Promise<void> {
  const inserted = await trx.insertInto('leads').values(fresh.map((p) => p.values))
    .onConflict((oc) => oc.doNothing()).returning(['id', 'email', 'phone']).execute();
  const byContact = new Map<string, number>();
  for (const r of inserted) {
    if (r.email) byContact.set(`e:${r.email}`, r.id);
    if (r.phone) byContact.set(`p:${r.phone}`, r.id);
  }
  const created: { row: number; id: number }[] = [];
  const raced: Prepared[] = [];
  for (const p of fresh) {
    const id = (p.values.email && byContact.get(`e:${p.values.email}`)) || (p.values.phone && byContact.get(`p:${p.values.phone}`));
    if (id) created.push({ row: p.row, id });
    else raced.push(p);
  }
  if (raced.length) {
    const winners = await existingByContact(trx, raced.map((p) => p.values));
    for (const p of raced) {
      const id = (p.values.email && winners.get(`e:${p.values.email}`)) || (p.values.phone && winners.get(`p:${p.values.phone}`)) || 0;
      results.set(p.row, { row: p.row, status: 'duplicate', leadId: id, reason: `duplicate of lead #${id}` });
    }
  }
  if (!created.length) return;
  await trx.insertInto('lead_history').values(created.map(({ id }) => ({
    lead_id: id, action: 'CREATED' as const, actor_user_id: opts.actorUserId, to_stage: 'NEW' as const,
    details: JSON.stringify({ source: 'import', file: opts.fileName, import_id: opts.importId }),
  }))).execute();
  await recordWebhookEvents(trx, created.map(({ id }) => ({
    type: 'lead.created' as const, leadId: id, data: { action: 'created', actor_user_id: opts.actorUserId ?? null },
  })));

  const perAssignee = new Map<number | null, number>();
  let roomLeft = true;
  for (const { row, id } of created) {
    const assignee = roomLeft ? await pickAssignee(trx) : null;
    if (assignee === null) roomLeft = false;
    else {
      await trx.updateTable('leads').set({ assigned_to: assignee }).where('id', '=', id).execute();
      await recordHistory(trx, {
        lead_id: id, action: 'ASSIGNED', actor_user_id: opts.actorUserId, details: { to_user_id: assignee, by: 'capacity' },
      });
    }
    perAssignee.set(assignee, (perAssignee.get(assignee) ?? 0) + 1);
    results.set(row, { row, status: 'created', leadId: id, assignedTo: assignee });
  }
  for (const [assignee, count] of perAssignee) await noticeImported(trx, opts.importId, assignee, count);
}

/**
 * One notice per assignee per import (and one for the managers about the
 * leads nobody had room for), its count raised while it waits.
 */
async function noticeImported(trx: Db, importId: string, assignee: number | null, count: number): Promise<void> {
  const unassigned = assignee === null;
  const amended = await amendPendingMessages(trx, {
    kind: 'leads_imported', leadId: null, match: { importId, unassigned }, add: { count },
    ...(unassigned ? {} : { recipientUserId: assignee }),
  });
  if (amended > 0) return;
  await queueMessage(trx, unassigned ? { leadAudience: { assigned_to: null } } : { user: assignee },
    { kind: 'leads_imported', importId, count, unassigned }, { delayMs: NOTICE_GATHER_MS });
}
