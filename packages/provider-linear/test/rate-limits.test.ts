import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { classifyLinearResponse, linearRetryAfterMs, readLinearRateLimit } from '../src/linear-errors.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();

function rateLimited(withType: boolean, resetInMs: number): Response {
  const extensions: Record<string, unknown> = { code: 'RATELIMITED', statusCode: 429 };
  if (withType) extensions.type = 'ratelimited';
  const reset = String(Date.now() + resetInMs);
  return new Response(JSON.stringify({ data: null, errors: [{ message: 'Rate limit exceeded', extensions }] }), {
    status: 400,
    headers: {
      'content-type': 'application/json',
      'x-ratelimit-requests-limit': '1500',
      'x-ratelimit-requests-remaining': '0',
      'x-ratelimit-requests-reset': reset,
      'x-ratelimit-complexity-limit': '3000000',
      'x-ratelimit-complexity-remaining': '2999000',
      'x-ratelimit-complexity-reset': reset,
    },
  });
}

describe('Linear rate limits: HTTP 400 with extensions.code RATELIMITED', () => {
  it.each([
    ['with extensions.type', true],
    ['without extensions.type (the SDK calls this unknown)', false],
  ])('the classifier reads a 400 %s as a rate limit, the wait from the epoch-ms reset', async (_name, withType) => {
    const reading = await classifyLinearResponse(rateLimited(withType, 5_000));
    expect(reading?.rateLimited).toBe(true);
    expect(reading?.retryAfterMs).toBeGreaterThan(4_000);
    expect(reading?.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it('any other 400 is a final answer, not a rate limit', async () => {
    const response = new Response(JSON.stringify({ errors: [{ message: 'Argument Validation Error', extensions: { code: 'INPUT_ERROR', type: 'invalid input' } }] }), { status: 400 });
    expect(await classifyLinearResponse(response)).toEqual({ rateLimited: false });
  });

  it('retry-after wins over the reset headers; the spent budget\'s reset is used otherwise', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    const headers = new Headers({
      'x-ratelimit-requests-remaining': '12',
      'x-ratelimit-requests-reset': String(now + 900_000),
      'x-ratelimit-complexity-remaining': '0',
      'x-ratelimit-complexity-reset': String(now + 30_000),
    });
    expect(linearRetryAfterMs(headers, now)).toBe(30_000);
    headers.set('retry-after', '7');
    expect(linearRetryAfterMs(headers, now)).toBe(7_000);
  });

  it('the rate-limit snapshot names the tighter budget, resets read as epoch milliseconds', () => {
    const reset = Date.parse('2026-03-01T01:00:00Z');
    const snapshot = readLinearRateLimit(new Headers({
      'x-ratelimit-requests-limit': '1500', 'x-ratelimit-requests-remaining': '1400', 'x-ratelimit-requests-reset': String(reset),
      'x-ratelimit-complexity-limit': '3000000', 'x-ratelimit-complexity-remaining': '30000', 'x-ratelimit-complexity-reset': String(reset),
    }));
    expect(snapshot).toEqual({ resource: 'complexity', limit: 3_000_000, remaining: 30_000, resetAt: '2026-03-01T01:00:00.000Z' });
  });

  it.each([
    ['code-and-type' as const],
    ['code-only' as const],
  ])('a %s rate limit past the longest wait fails as rate_limited with retryAfterMs, in one request', async (shape) => {
    const { fake, instance } = startProvider(server, plugin, createFake, { fake: { rateLimitShape: shape } });
    const ref = fake.seed.issue!('ENG', { title: 'limited' });
    fake.faults.rateLimit({ retryAfterSeconds: 30, times: Infinity });
    const error = await errorOf(instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(400);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    // The wait (30 s) is longer than maxRetryAfterMs (100 ms in the fake's config): not slept, not retried.
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['code-and-type' as const],
    ['code-only' as const],
  ])('a short %s rate limit is waited out by core\'s transport and retried', async (shape) => {
    const { fake, instance } = startProvider(server, plugin, createFake, {
      fake: { rateLimitShape: shape },
      config: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 } },
    });
    const ref = fake.seed.issue!('ENG', { title: 'limited once' });
    fake.faults.rateLimit({ retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const issue = await instance.issueTracking!.getIssue(ref);
    expect(issue.title).toBe('limited once');
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
    // The transport waited for the reset Linear named (about a second), not a blind backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(instance.rateLimit()?.resource).toBe('requests');
  });
});

describe('a rate limit whose budget resets now', () => {
  it('is retried at once by the transport: two requests, the call succeeds', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { fake: { rateLimitShape: 'code-only' } });
    const ref = fake.seed.issue!('ENG', { title: 'reset now' });
    fake.faults.rateLimit({ retryAfterSeconds: 0, times: 1 });
    expect((await instance.issueTracking!.getIssue(ref)).title).toBe('reset now');
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
  });
});
