import { describe, expect, it } from 'vitest';
import {
  findProviderError, parseRetryAfter, ProviderError, redactUrl, retryAfterFromHeaders, TimeoutError, TransportConfigSchema,
  transportOptionsFromConfig,
} from '../src/index.js';
import { isIdempotentRequest } from '../src/transport/create-transport.js';
import { computeBackoff, resolveRetryPolicy } from '../src/transport/transport-backoff.js';
import { readRateLimitHeaders } from '../src/transport/transport-headers.js';

const NOW = Date.parse('2026-05-11T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['2', 2000],
    [' 120 ', 120_000],
    ['1.5', 1500],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [new Date(NOW - 30_000).toUTCString(), 0],
  ])('%s -> %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([undefined, null, '', '-5', 'soon', '12abc', '1e3'])('unreadable %s -> undefined', (value) => {
    expect(parseRetryAfter(value as string | undefined, NOW)).toBeUndefined();
  });
});

describe('retryAfterFromHeaders', () => {
  const h = (init: Record<string, string>) => new Headers(init);

  it('prefers Retry-After', () => {
    expect(retryAfterFromHeaders(h({ 'retry-after': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBe(3000);
  });

  it('reads x-ratelimit-reset (epoch seconds) only when x-ratelimit-remaining is 0', () => {
    expect(retryAfterFromHeaders(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBe(60_000);
    expect(retryAfterFromHeaders(h({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': String(NOW / 1000 + 60) }), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) }), NOW)).toBe(0);
  });

  it('reads RateLimit-Reset as seconds from now, or as an epoch when it is one', () => {
    expect(retryAfterFromHeaders(h({ 'ratelimit-remaining': '0', 'ratelimit-reset': '42' }), NOW)).toBe(42_000);
    expect(retryAfterFromHeaders(h({ 'ratelimit-reset': String(NOW / 1000 + 9) }), NOW)).toBe(9000);
    expect(retryAfterFromHeaders(h({ 'ratelimit-remaining': '5', 'ratelimit-reset': '42' }), NOW)).toBeUndefined();
  });

  it('is undefined without any of them', () => {
    expect(retryAfterFromHeaders(h({ 'content-type': 'application/json' }), NOW)).toBeUndefined();
  });
});

describe('readRateLimitHeaders', () => {
  it('reads x-ratelimit-* headers', () => {
    expect(
      readRateLimitHeaders(new Headers({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1778505000', 'x-ratelimit-resource': 'graphql' }), NOW),
    ).toEqual({ limit: 5000, remaining: 0, resetAt: '2026-05-11T13:10:00.000Z', resource: 'graphql' });
  });

  it('reads RateLimit-* headers, including list-valued limits', () => {
    expect(readRateLimitHeaders(new Headers({ 'ratelimit-limit': '100, 100;w=60', 'ratelimit-remaining': '99', 'ratelimit-reset': '60' }), NOW)).toEqual({
      limit: 100,
      remaining: 99,
      resetAt: new Date(NOW + 60_000).toISOString(),
    });
  });

  it('is undefined without rate-limit headers', () => {
    expect(readRateLimitHeaders(new Headers({ etag: 'W/"1"' }), NOW)).toBeUndefined();
  });
});

describe('computeBackoff', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });

  it('grows exponentially with full jitter and is capped', () => {
    expect([1, 2, 3, 4, 5, 10, 100].map((a) => computeBackoff(a, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999, 999]);
    expect(computeBackoff(3, policy, () => 0)).toBe(0);
    expect(computeBackoff(1, policy, () => 0.5)).toBe(50);
  });

  it('tolerates a random() outside [0, 1)', () => {
    expect(computeBackoff(2, policy, () => 7)).toBe(200);
    expect(computeBackoff(2, policy, () => Number.NaN)).toBe(0);
  });

  it('resolveRetryPolicy fills defaults and ignores nonsense', () => {
    expect(resolveRetryPolicy()).toEqual({ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 });
    expect(resolveRetryPolicy({ maxRetries: -1, baseDelayMs: Number.NaN, maxDelayMs: 0 })).toEqual({
      maxRetries: 3,
      baseDelayMs: 500,
      maxDelayMs: 0,
      maxRetryAfterMs: 60_000,
    });
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://gitlab.test/api/v4/projects?private_token=abc123&page=2', 'https://gitlab.test/api/v4/projects?private_token=[REDACTED]&page=2'],
    ['https://x.test/a?access_token=t0k&client_secret=s3c#frag', 'https://x.test/a?access_token=[REDACTED]&client_secret=[REDACTED]#frag'],
    [
      'https://bucket.s3.test/log.txt?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef&X-Amz-Expires=60',
      'https://bucket.s3.test/log.txt?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Expires=60',
    ],
    ['https://blob.test/a?sv=2020&sig=abc%3D', 'https://blob.test/a?sv=2020&sig=[REDACTED]'],
    ['https://user:pa55@git.test/repo.git', 'https://[REDACTED]@git.test/repo.git'],
    ['https://api.github.com/repos/a/b/commits?author=octocat&per_page=100', 'https://api.github.com/repos/a/b/commits?author=octocat&per_page=100'],
    ['https://api.test/search?q=a%20b&flag', 'https://api.test/search?q=a%20b&flag'],
    ['not a url ?token=abc', 'not a url ?token=[REDACTED]'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('findProviderError', () => {
  it('walks the cause chain of SDK errors', () => {
    const inner = new TimeoutError({ message: 'GET x timed out' });
    const wrapped = Object.assign(new Error('HttpError: request failed'), { cause: Object.assign(new Error('fetch failed'), { cause: inner }) });
    expect(findProviderError(wrapped)).toBe(inner);
    expect(findProviderError(inner)).toBe(inner);
    expect(findProviderError(new AggregateError([new Error('a'), inner]))).toBe(inner);
  });

  it('returns undefined when there is none, and survives cycles', () => {
    const a: { cause?: unknown } = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(findProviderError(a)).toBeUndefined();
    expect(findProviderError('text')).toBeUndefined();
    expect(findProviderError(null)).toBeUndefined();
    expect(findProviderError(new ProviderError({ code: 'conflict', message: 'x' }))?.code).toBe('conflict');
  });
});

describe('isIdempotentRequest', () => {
  it.each([
    ['GET', {}, true], ['HEAD', {}, true], ['OPTIONS', {}, true], ['PUT', {}, true], ['DELETE', {}, true],
    ['POST', {}, false], ['PATCH', {}, false], ['POST', { 'Idempotency-Key': 'k' }, true], ['PATCH', { 'idempotency-key': 'k' }, true],
  ] as const)('%s %o -> %s', (method, headers, expected) => {
    expect(isIdempotentRequest(new Request('https://x.test/', { method, headers }))).toBe(expected);
  });
});

describe('transport config', () => {
  it('validates timeoutMs and retry strictly', () => {
    expect(TransportConfigSchema.parse({ timeoutMs: 5000, retry: { maxRetries: 1 } })).toEqual({ timeoutMs: 5000, retry: { maxRetries: 1 } });
    expect(TransportConfigSchema.safeParse({ timeoutMs: 0 }).success).toBe(false);
    expect(TransportConfigSchema.safeParse({ timeoutMs: 1.5 }).success).toBe(false);
    expect(TransportConfigSchema.safeParse({ retry: { maxRetries: -1 } }).success).toBe(false);
    expect(TransportConfigSchema.safeParse({ retry: { retries: 2 } }).success).toBe(false);
  });

  it('extends a provider config schema', () => {
    const schema = TransportConfigSchema.extend({ token: TransportConfigSchema.shape.timeoutMs });
    expect(schema.safeParse({ token: 1000, timeoutMs: 2000 }).success).toBe(true);
  });

  it('builds transport options from config and plugin context', () => {
    const fetchImpl = (async () => new Response()) as typeof fetch;
    const onRequest = () => undefined;
    expect(transportOptionsFromConfig('github', { timeoutMs: 10, retry: { maxRetries: 0 } }, { fetch: fetchImpl, onRequest })).toEqual({
      provider: 'github',
      timeoutMs: 10,
      retry: { maxRetries: 0 },
      fetch: fetchImpl,
      onRequest,
    });
    expect(transportOptionsFromConfig('github', undefined)).toEqual({ provider: 'github' });
  });
});
