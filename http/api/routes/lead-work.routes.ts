import { createRoute } from '@hono/zod-openapi';
import type { Core } from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, send } from '../api-route.js';
import { attachmentJson, noteJson } from '../api-serialize.js';
import {
  Assign, Attachment, History, IdParam, Lead, Lost, Note, NoteCreate, OffsetQuery, Rollback, StageChange, offsetPageOf,
} from '../api-schemas.js';
import { versionFor } from './leads.routes.js';

const tags = ['Lead work'];
const CHANGE_ERRORS = errors(...AUTHED, 403, 404, 409);

/** Working a lead (§3–§5): stage moves, rollback, lost, assign, notes, history, attachments. */
export function leadWorkRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/stage', tags, security: bearer, summary: 'Move one stage forward, or to LOST',
    description: 'NEW → CONTACTED → QUALIFIED, one step at a time (409 INVALID_TRANSITION names expected_stage); LOST needs a reason; TRANSFERRED only through the transfer to sales. One stage_transition of the caller (§16).',
    request: { params: IdParam, ...body(StageChange) },
    responses: { 200: json(Lead, 'The lead'), ...CHANGE_ERRORS },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const expectedVersion = await versionFor(core, viewer, id, b.expected_version);
    if (b.stage === 'LOST') {
      const { lead } = await core.leads.markLost(viewer, { leadId: id, expectedVersion, reason: { text: b.reason ?? '' } });
      return send(c, lead);
    }
    const { lead } = await core.leads.transition(viewer, { leadId: id, to: b.stage, expectedVersion, reason: b.reason ?? null });
    return send(c, lead);
  });

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/rollback', tags, security: bearer, summary: 'One stage back (managers, admins)',
    description: 'CONTACTED → NEW, QUALIFIED → CONTACTED, with a reason of at least 10 characters.',
    request: { params: IdParam, ...body(Rollback) },
    responses: { 200: json(Lead, 'The lead'), ...CHANGE_ERRORS },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const { lead } = await core.leads.rollback(viewer, {
      leadId: id, reason: b.reason, expectedVersion: await versionFor(core, viewer, id, b.expected_version),
    });
    return send(c, lead);
  });

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/lost', tags, security: bearer, summary: 'Mark lost with a reason',
    request: { params: IdParam, ...body(Lost) },
    responses: { 200: json(Lead, 'The lead'), ...CHANGE_ERRORS },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const { lead } = await core.leads.markLost(viewer, {
      leadId: id, expectedVersion: await versionFor(core, viewer, id, b.expected_version),
      reason: b.reason_code ? { code: b.reason_code } : { text: b.reason ?? '' },
    });
    return send(c, lead);
  });

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/assign', tags, security: bearer, summary: 'Reassign (managers, admins)',
    description: "The target's fresh load is checked against their capacity (409 CAPACITY_FULL).",
    request: { params: IdParam, ...body(Assign) },
    responses: { 200: json(Lead, 'The lead'), ...CHANGE_ERRORS },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    const { lead } = await core.leads.reassign(viewer, {
      leadId: id, toUserId: b.user_id, expectedVersion: await versionFor(core, viewer, id, b.expected_version),
    });
    return send(c, lead);
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}/notes', tags, security: bearer, summary: 'Notes, newest first',
    request: { params: IdParam, query: OffsetQuery },
    responses: { 200: json(offsetPageOf(Note, 'NotePage'), 'A page'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.notes.list(c.get('viewer'), c.req.valid('param').id, q);
    return send(c, { items: page.items.map(noteJson), total: page.total, limit: q.limit, offset: q.offset });
  });

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/notes', tags, security: bearer, summary: 'Add a note',
    request: { params: IdParam, ...body(NoteCreate) },
    responses: { 201: json(Note, 'The note'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const viewer = c.get('viewer');
    const note = await core.notes.add(viewer, { leadId: c.req.valid('param').id, body: c.req.valid('json').body });
    return send(c, noteJson({ ...note, author_name: viewer.full_name }), 201);
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}/history', tags, security: bearer, summary: 'History, newest first',
    request: { params: IdParam, query: OffsetQuery },
    responses: { 200: json(offsetPageOf(History, 'HistoryPage'), 'A page'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.leads.history(c.get('viewer'), c.req.valid('param').id, q);
    return send(c, { items: page.items, total: page.total, limit: q.limit, offset: q.offset });
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}/attachments', tags, security: bearer, summary: "Attachments' metadata",
    request: { params: IdParam, query: OffsetQuery },
    responses: { 200: json(offsetPageOf(Attachment, 'AttachmentPage'), 'A page'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.attachments.list(c.get('viewer'), c.req.valid('param').id, q);
    return send(c, { items: page.items.map(attachmentJson), total: page.total, limit: q.limit, offset: q.offset });
  });
  return app;
}
