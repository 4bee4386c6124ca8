import { afterAll, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../core/errors.js';
import { createRateLimiter, RATE_LIMITS } from '../../../core/security/rate-limit.js';
import { createRedisStore } from '../../../core/store/redis-store.js';
import { createTestStore } from '../../support/test-store.js';

const store = createTestStore();
afterAll(() => store.close());

describe('per-user rate limits (§16)', () => {
  it('has the limits §16 names', () => {
    expect(RATE_LIMITS).toMatchObject({
      lead_creation: { limit: 10, windowMs: 3_600_000 },
      ai_analysis: { limit: 20, windowMs: 86_400_000 },
      stage_transition: { limit: 100, windowMs: 3_600_000 },
      file_upload: { limit: 5, windowMs: 3_600_000 },
    });
  });

  it('allows the limit, then refuses with the time until the window resets', async () => {
    const limiter = createRateLimiter(store);
    for (let i = 5; i > 0; i--) expect(await limiter.consume(1, 'file_upload')).toEqual({ remaining: i - 1 });
    const refusal = await limiter.consume(1, 'file_upload').catch((e) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(refusal.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it('counts each user and each action apart', async () => {
    const limiter = createRateLimiter(store, { ...RATE_LIMITS, file_upload: { limit: 1, windowMs: 60_000 } });
    await limiter.consume(2, 'file_upload');
    await expect(limiter.consume(2, 'file_upload')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiter.consume(3, 'file_upload')).resolves.toEqual({ remaining: 0 });
    await expect(limiter.consume(2, 'stage_transition')).resolves.toEqual({ remaining: 99 });
  });

  it('when many requests race, exactly the limit gets through', async () => {
    const limiter = createRateLimiter(store, { ...RATE_LIMITS, stage_transition: { limit: 10, windowMs: 60_000 } });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => limiter.consume(4, 'stage_transition')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });

  it('starts a new window once the old one has passed', async () => {
    const limiter = createRateLimiter(store, { ...RATE_LIMITS, file_upload: { limit: 1, windowMs: 150 } });
    await limiter.consume(5, 'file_upload');
    await expect(limiter.consume(5, 'file_upload')).rejects.toBeInstanceOf(RateLimitedError);
    await new Promise((r) => setTimeout(r, 250));
    await expect(limiter.consume(5, 'file_upload')).resolves.toEqual({ remaining: 0 });
  });
});

describe.runIf(process.env.REDIS_URL)('rate limits shared by instances (Redis)', () => {
  it('two app instances count in the same window', async () => {
    const other = createRedisStore({ url: process.env.REDIS_URL!, keyPrefix: store.keyPrefix });
    const limits = { ...RATE_LIMITS, stage_transition: { limit: 3, windowMs: 60_000 } };
    const [a, b] = [createRateLimiter(store, limits), createRateLimiter(other, limits)];
    await a.consume(6, 'stage_transition');
    await b.consume(6, 'stage_transition');
    await a.consume(6, 'stage_transition');
    await expect(b.consume(6, 'stage_transition')).rejects.toBeInstanceOf(RateLimitedError);
    await other.close();
  });
});
