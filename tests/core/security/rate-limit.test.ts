import { afterAll, describe, expect, it } from 'vitest';
import { ForbiddenError, RateLimitedError } from '../../../core/errors.js';
import { createConfig } from '../../../config.js';
import { createRateLimiter, rateLimitsFrom, withQuota } from '../../../core/security/rate-limit.js';
import { createRedisStore } from '../../../core/store/redis-store.js';
import { createTestStore } from '../../support/test-store.js';

const store = createTestStore();
afterAll(() => store.close());
const RATE_LIMITS = rateLimitsFrom(createConfig({}));

describe('per-user rate limits (§16)', () => {
  it('takes each limit from its setting', () => {
    expect(rateLimitsFrom(createConfig({ RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '7' })).stage_transition).toEqual({ limit: 7, windowMs: 3_600_000 });
  });

  it('has the limits §16 names by default', () => {
    expect(RATE_LIMITS).toMatchObject({
      lead_creation: { limit: 10, windowMs: 3_600_000 },
      ai_analysis: { limit: 20, windowMs: 86_400_000 },
      stage_transition: { limit: 100, windowMs: 3_600_000 },
      file_upload: { limit: 5, windowMs: 3_600_000 },
    });
  });

  it('allows the limit, then refuses with the time until the window resets', async () => {
    const limiter = createRateLimiter(store, RATE_LIMITS);
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

describe('uses that did not happen (§16: a refused action does not use up the quota)', () => {
  const limits = { ...RATE_LIMITS, stage_transition: { limit: 2, windowMs: 60_000 } };

  it('a refund gives one use back', async () => {
    const limiter = createRateLimiter(store, limits);
    await limiter.consume(11, 'stage_transition');
    await limiter.consume(11, 'stage_transition');
    await limiter.refund(11, 'stage_transition');
    await expect(limiter.consume(11, 'stage_transition')).resolves.toEqual({ remaining: 0 });
    await expect(limiter.consume(11, 'stage_transition')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('withQuota gives the use back when the action is refused by a rule, and keeps it when it ran', async () => {
    const limiter = createRateLimiter(store, limits);
    const refused = () => Promise.reject(new ForbiddenError('no'));
    for (let i = 0; i < 5; i++) await expect(withQuota(limiter, 12, 'stage_transition', refused)).rejects.toBeInstanceOf(ForbiddenError);
    await withQuota(limiter, 12, 'stage_transition', async () => 'ok');
    await withQuota(limiter, 12, 'stage_transition', async () => 'ok');
    await expect(withQuota(limiter, 12, 'stage_transition', async () => 'ok')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('a refused consume is not counted: the next window is not shortened by refusals', async () => {
    const limiter = createRateLimiter(store, { ...limits, stage_transition: { limit: 1, windowMs: 60_000 } });
    await limiter.consume(13, 'stage_transition');
    for (let i = 0; i < 3; i++) await expect(limiter.consume(13, 'stage_transition')).rejects.toBeInstanceOf(RateLimitedError);
    expect(await store.get('ratelimit:stage_transition:13')).toBe('1');
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
