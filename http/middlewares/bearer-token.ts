import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Lets a request through only with `Authorization: Bearer <token>`;
 * anything else is a 401 (answered by app.onError). The comparison is
 * timing-safe over SHA-256 digests, so neither the token's bytes nor its
 * length leak through response times.
 */
export function bearerToken(token: string): MiddlewareHandler {
  const expected = sha256(token);
  return async function bearerToken(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match || !timingSafeEqual(sha256(match[1]!), expected)) {
      throw new HTTPException(401, { message: 'Missing or wrong bearer token' });
    }
    await next();
  };
}
