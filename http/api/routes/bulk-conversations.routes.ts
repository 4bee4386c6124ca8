import { createRoute, z } from '@hono/zod-openapi';
import { type Core, ValidationError } from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, send } from '../api-route.js';
import { BulkRequest, BulkResult, IdParam, Message, MessagesQuery, Reply } from '../api-schemas.js';

/** Bulk actions (§6) and customers' conversations (§12). */
export function bulkAndConversationRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: '/leads/bulk', tags: ['Bulk'], security: bearer, summary: 'A bulk action on up to 100 leads',
    description: 'stage (CONTACTED, QUALIFIED or LOST with a reason), assign (user_id) or delete (admins; confirm: true). Per-lead results; more than 100 ids is refused (422).',
    request: body(BulkRequest),
    responses: { 200: json(BulkResult, 'Per-lead results'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const b = c.req.valid('json');
    const viewer = c.get('viewer');
    let result;
    if (b.action === 'stage') {
      if (!b.stage) throw new ValidationError('stage', 'is required for action stage');
      const reason = b.reason_code ? { code: b.reason_code } : b.reason ? { text: b.reason } : undefined;
      result = await core.bulk.transition(viewer, { leadIds: b.ids, to: b.stage, ...(reason ? { reason } : {}) });
    } else if (b.action === 'assign') {
      if (!b.user_id) throw new ValidationError('user_id', 'is required for action assign');
      result = await core.bulk.assign(viewer, { leadIds: b.ids, toUserId: b.user_id });
    } else {
      if (b.confirm !== true) throw new ValidationError('confirm', 'delete needs confirm: true');
      result = await core.bulk.delete(viewer, { leadIds: b.ids });
    }
    return send(c, { ...result, results: result.results.map(({ id, status, message }) => ({ id, status, message })) });
  });

  app.openapi(createRoute({
    method: 'get', path: '/conversations', tags: ['Conversations'], security: bearer, summary: 'Inbox: conversations with their last message',
    request: { query: z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(50).default(20) }) },
    responses: {
      200: json(z.object({
        items: z.array(z.record(z.string(), z.unknown())), next_cursor: z.string().nullable(), has_next: z.boolean(), limit: z.number().int(),
      }).openapi('InboxPage'), 'A page'),
      ...errors(...AUTHED, 403),
    },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.conversations.inbox(c.get('viewer'), { cursor: q.cursor ?? null, limit: q.limit });
    return send(c, { items: page.items, next_cursor: page.nextCursor, has_next: page.hasNext, limit: page.limit });
  });

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}/messages', tags: ['Conversations'], security: bearer, summary: "A lead's conversation, newest first",
    description: 'limit 100 by default, 500 at most (§12).',
    request: { params: IdParam, query: MessagesQuery },
    responses: {
      200: json(z.object({
        conversation: z.object({ id: z.number().int(), lead_id: z.number().int(), customer_name: z.string(), username: z.string().nullable(), blocked: z.boolean() }),
        items: z.array(Message), next_cursor: z.string().nullable(), has_next: z.boolean(), limit: z.number().int(),
      }).openapi('MessagePage'), 'A page'),
      ...errors(...AUTHED, 403, 404),
    },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.conversations.page(c.get('viewer'), c.req.valid('param').id, { cursor: q.cursor ?? null, limit: q.limit });
    const cv = page.conversation;
    return send(c, {
      conversation: { id: cv.id, lead_id: cv.leadId, customer_name: cv.customerName, username: cv.username, blocked: cv.blocked },
      items: page.items.map((m) => ({
        id: m.id, conversation_id: m.conversation_id, direction: m.direction, kind: m.kind, text: m.text, file_name: m.file_name,
        mime_type: m.mime_type, sender_user_id: m.sender_user_id, status: m.status, created_at: m.created_at,
      })),
      next_cursor: page.nextCursor, has_next: page.nextCursor !== null, limit: page.limit,
    });
  });

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/messages', tags: ['Conversations'], security: bearer, summary: "Reply to the lead's customer in Telegram",
    request: { params: IdParam, ...body(Reply) },
    responses: { 202: json(z.object({ id: z.number().int(), status: z.string() }), 'Queued for delivery'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const sent = await core.conversations.reply(c.get('viewer'), { leadId: c.req.valid('param').id, content: { kind: 'text', text: c.req.valid('json').text } });
    return send(c, { id: sent.id, status: sent.status }, 202);
  });
  return app;
}
