import { createRoute, z } from '@hono/zod-openapi';
import {
  type AssigneeFilter, type ColdStage, type Core, type LeadSource, type QualityTier, type User, UNASSIGNED, ValidationError,
} from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, list, send } from '../api-route.js';
import { cardJson } from '../api-serialize.js';
import {
  DuplicateBody, EDITABLE_API_FIELDS, IdParam, LeadCard, LeadCreate, LeadListQuery, LeadUpdate, ListedLead, pageOf, Lead,
} from '../api-schemas.js';

const tags = ['Leads'];
const LeadPage = pageOf(ListedLead, 'LeadPage');
const SearchHit = Lead.extend({ score: z.number() }).openapi('LeadSearchHit');

/** The version a write is checked against: the caller's, or the lead's current one. */
export async function versionFor(core: Core, viewer: User, leadId: number, expected: number | undefined): Promise<number> {
  return expected ?? (await core.leads.card(viewer, leadId)).lead.version;
}

function assigneesOf(v: string | undefined): AssigneeFilter[] | undefined {
  return list(v)?.map((a) => {
    if (a === UNASSIGNED) return UNASSIGNED;
    const id = Number(a);
    if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError('assignee', `must be user ids or "${UNASSIGNED}"`);
    return id;
  });
}

/** Leads (§2, §4, §6): create, list with every bot filter, search, read, update — each one core use case. */
export function leadRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: '/leads', tags, security: bearer, summary: 'Create a lead',
    description: 'The §4 duplicate rule applies: a live lead with the same normalized email or phone answers 409 with exactly {"message": "Duplicate lead", "existing_lead_id": N}. One use of the lead_creation limit (§16).',
    request: body(LeadCreate),
    responses: { 201: json(Lead, 'Created'), 409: json(DuplicateBody, 'Duplicate lead'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const b = c.req.valid('json');
    const lead = await core.leads.create(c.get('viewer'), {
      assignToSelf: b.assign_to_me ?? false,
      input: {
        source: b.source ?? 'MANUAL', fullName: b.full_name ?? null, phone: b.phone ?? null, email: b.email ?? null,
        company: b.company ?? null, position: b.position ?? null, intent: b.intent ?? null, painPoints: b.pain_points ?? null,
        businessDomain: b.business_domain ?? null, formReference: b.form_reference ?? null,
        utm: { source: b.utm_source, medium: b.utm_medium, campaign: b.utm_campaign, content: b.utm_content, term: b.utm_term },
      },
    });
    return send(c, lead, 201);
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads', tags, security: bearer, summary: 'List leads (keyset pages)',
    description: 'Agents see their own leads, managers and admins all. Filters combine with AND; values within one are alternatives, e.g. quality_tier=HOT,WARM.',
    request: { query: LeadListQuery },
    responses: { 200: json(LeadPage, 'A page'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.leads.list(c.get('viewer'), {
      cursor: q.cursor ?? null, limit: q.limit,
      filters: {
        ...(list(q.stage) ? { stages: list(q.stage) as ColdStage[] } : {}),
        ...(list(q.quality_tier) ? { qualityTiers: list(q.quality_tier) as QualityTier[] } : {}),
        ...(list(q.source) ? { sources: list(q.source) as LeadSource[] } : {}),
        ...(assigneesOf(q.assignee) ? { assignees: assigneesOf(q.assignee)! } : {}),
      },
    });
    return send(c, { items: page.items, next_cursor: page.nextCursor, has_next: page.hasNext, limit: page.limit });
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/search', tags, security: bearer, summary: 'Search leads by name, company, phone or email',
    request: { query: z.object({ q: z.string().min(1).max(200), limit: z.coerce.number().int().min(1).max(50).default(10) }) },
    responses: { 200: json(z.object({ items: z.array(SearchHit) }), 'Best first'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const q = c.req.valid('query');
    return send(c, { items: await core.leads.search(c.get('viewer'), q.q, { limit: q.limit }) });
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}', tags, security: bearer, summary: 'Read a lead (its card)',
    request: { params: IdParam },
    responses: { 200: json(LeadCard, 'The lead card'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => send(c, cardJson(await core.leads.card(c.get('viewer'), c.req.valid('param').id))));

  app.openapi(createRoute({
    method: 'patch', path: '/leads/{id}', tags, security: bearer, summary: 'Update contact and profile fields',
    request: { params: IdParam, ...body(LeadUpdate) },
    responses: { 200: json(Lead, 'The lead'), 409: json(DuplicateBody, 'Duplicate or changed lead'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { expected_version: expected, ...fields } = c.req.valid('json') as Record<string, string | null | undefined> & { expected_version?: number };
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)
      .map(([k, v]) => [EDITABLE_API_FIELDS[k]!, v ?? null]));
    const viewer = c.get('viewer');
    const { lead } = await core.leads.updateFields(viewer, {
      leadId: id, expectedVersion: await versionFor(core, viewer, id, expected), changes,
    });
    return send(c, lead);
  });

  app.openapi(createRoute({
    method: 'delete', path: '/leads/{id}', tags, security: bearer, summary: 'Soft-delete a lead (admins)',
    request: { params: IdParam },
    responses: { 200: json(Lead, 'The deleted lead'), ...errors(...AUTHED, 403, 404, 409) },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const viewer = c.get('viewer');
    const { lead } = await core.leads.delete(viewer, { leadId: id, expectedVersion: await versionFor(core, viewer, id, undefined) });
    return send(c, lead);
  });
  return app;
}
