import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import {
  DuplicateLeadError, ForbiddenError, InvalidTransitionError, LeadChangedError, NotFoundError,
  RateLimitedError, ReasonRequiredError, UnauthorizedError, ValidationError,
} from '../../core/errors.js';
import { startHttpServer } from '../../http/app.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';
import { buildApp, captureLogger } from './http-harness.js';

let handle: DbHandle;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

/** A sub-app that throws whatever ?e= names, mounted like a feature route. */
function throwingApp() {
  const errors: Record<string, () => Error> = {
    duplicate: () => new DuplicateLeadError(7),
    validation: () => new ValidationError('email', 'is malformed'),
    notfound: () => new NotFoundError('lead', 9),
    forbidden: () => new ForbiddenError(),
    transition: () => new InvalidTransitionError('NEW', 'QUALIFIED', 'CONTACTED', 'skip'),
    reason: () => new ReasonRequiredError(10),
    changed: () => new LeadChangedError(3, 5),
    unauthorized: () => new UnauthorizedError(),
    ratelimited: () => new RateLimitedError('stage_transition', 100, 1500),
    http: () => new HTTPException(413, { message: 'Body too large' }),
    crash: () => new Error('something broke: password=hunter2'),
    dbdown: () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
    dbrestart: () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
  };
  return new Hono().get('/:kind', (c) => { throw errors[c.req.param('kind')]!(); });
}

async function call(path: string, headers: Record<string, string> = {}) {
  const logs = captureLogger();
  const { app } = buildApp({ handle, store, logger: logs.logger, routes: [{ path: '/boom', app: throwingApp() }] });
  const res = await app.request(path, { headers });
  return { res, body: await res.json() as Record<string, unknown>, logs };
}

describe('createServer error boundary', () => {
  it.each([
    ['duplicate', 409, { error: 'DUPLICATE_LEAD', message: 'Duplicate lead', existing_lead_id: 7 }],
    ['validation', 422, { error: 'VALIDATION', message: 'email: is malformed', field: 'email' }],
    ['notfound', 404, { error: 'NOT_FOUND', message: 'lead 9 not found' }],
    ['forbidden', 403, { error: 'FORBIDDEN', message: 'Not allowed' }],
    ['transition', 409, { error: 'INVALID_TRANSITION', message: 'Cannot move from NEW to QUALIFIED. Expected CONTACTED', expected_stage: 'CONTACTED', rule: 'skip' }],
    ['reason', 422, { error: 'REASON_REQUIRED', message: 'A reason of at least 10 characters is required', min_length: 10 }],
    ['changed', 409, { error: 'LEAD_CHANGED', message: 'Lead #3 has changed meanwhile', current_version: 5 }],
    ['unauthorized', 401, { error: 'UNAUTHORIZED', message: 'Invalid secret or signature' }],
    ['http', 413, { message: 'Body too large' }],
  ])('maps %s to %i with its data', async (kind, status, body) => {
    const res = await call(`/boom/${kind}`);

    expect(res.res.status).toBe(status);
    expect(res.body).toEqual(body);
  });

  it('tells a rate-limited caller when to retry', async () => {
    const { res } = await call('/boom/ratelimited');

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
  });

  it.each(['dbdown', 'dbrestart'])('answers %s — the database away — with 503 and Retry-After, which form builders retry', async (kind) => {
    const { res, body } = await call(`/boom/${kind}`);

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(body).toEqual({ error: 'SERVICE_UNAVAILABLE', message: 'The database is temporarily unavailable' });
  });

  it('answers an unknown error with a bare 500 and logs the details instead', async () => {
    const { res, body, logs } = await call('/boom/crash');

    expect(res.status).toBe(500);
    expect(body).toEqual({ message: 'Internal server error' });
    expect(logs.lines.find((l) => l.msg === 'http_unhandled_error')).toBeDefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { res, body } = await call('/nowhere');

    expect(res.status).toBe(404);
    expect(body).toEqual({ message: 'Not found' });
  });
});

describe('createServer request context', () => {
  it('echoes a valid X-Request-Id and binds it to the request log line', async () => {
    const { res, logs } = await call('/boom/notfound', { 'X-Request-Id': 'abc-123' });

    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(logs.lines.find((l) => l.msg === 'http_request')).toMatchObject({
      req_id: 'abc-123', method: 'GET', route: '/boom/:kind', status: 404,
    });
  });

  it('generates a request id when none (or a malformed one) is sent', async () => {
    const { res } = await call('/health', { 'X-Request-Id': 'bad id with spaces' });

    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs the query string or the raw path', async () => {
    const { logs } = await call('/boom/validation?secret=s3cr3t-value&token=t0k3n');

    expect(logs.text()).not.toContain('s3cr3t-value');
    expect(logs.text()).not.toContain('t0k3n');
    expect(logs.text()).not.toContain('/boom/validation');
  });
});

describe('startHttpServer', () => {
  it('listens on the given port (0: any free one) and closes', async () => {
    const { app } = buildApp({ handle, store });
    const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const { app } = buildApp({ handle, store });
    const first = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    try {
      await expect(startHttpServer(app, { host: '127.0.0.1', port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
