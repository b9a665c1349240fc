import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, ProviderError } from '../src/index.js';
import { fakeClock } from './helpers/fake-clock.js';

const API = 'https://api.acme.test';

type Outcome = { kind: 'status'; status: number; retryAfterSeconds?: number | undefined } | { kind: 'network' };

let outcomes: Outcome[] = [];
let attempts = 0;
const server = setupServer(
  http.all(`${API}/op`, () => {
    const outcome = outcomes[Math.min(attempts, outcomes.length - 1)]!;
    attempts += 1;
    if (outcome.kind === 'network') return HttpResponse.error();
    const headers: Record<string, string> = {};
    if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
    return new HttpResponse(null, { status: outcome.status, headers });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const RETRYABLE = new Set([429, 502, 503, 504]);

const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  fc.record({
    kind: fc.constant('status' as const),
    status: fc.constantFrom(200, 201, 404, 409, 429, 500, 502, 503, 504),
    retryAfterSeconds: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  }),
  fc.constant({ kind: 'network' as const }),
);

const caseArb = fc.record({
  policy: fc.record({
    maxRetries: fc.integer({ min: 0, max: 4 }),
    baseDelayMs: fc.integer({ min: 0, max: 2000 }),
    maxDelayMs: fc.integer({ min: 0, max: 5000 }),
    maxRetryAfterMs: fc.integer({ min: 0, max: 120_000 }),
  }),
  method: fc.constantFrom('GET', 'PUT', 'DELETE', 'POST', 'PATCH'),
  idempotencyKey: fc.boolean(),
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 7 }),
  randoms: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 8 }),
});

describe('retry policy (property)', () => {
  it('attempts, delays and the final outcome follow the policy', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        outcomes = c.outcomes;
        attempts = 0;
        const clock = fakeClock();
        let r = 0;
        const transport = createTransport({
          provider: 'acme',
          retry: c.policy,
          now: clock.now,
          sleep: clock.sleep,
          random: () => c.randoms[r++ % c.randoms.length]!,
        });
        const headers: Record<string, string> = c.idempotencyKey ? { 'idempotency-key': 'k' } : {};
        const hasBody = c.method !== 'GET' && c.method !== 'DELETE';
        const result = await transport
          .fetch(`${API}/op`, { method: c.method, headers, ...(hasBody ? { body: '{"x":1}' } : {}) })
          .then((response) => ({ status: response.status }), (error: unknown) => ({ error }));

        const idempotent = ['GET', 'PUT', 'DELETE'].includes(c.method) || c.idempotencyKey;
        const outcomeAt = (i: number) => c.outcomes[Math.min(i, c.outcomes.length - 1)]!;

        // The model: attempt until an answer that is not retryable, the budget, or a too-long Retry-After.
        let expectedAttempts = 0;
        for (;;) {
          const o = outcomeAt(expectedAttempts);
          expectedAttempts += 1;
          const retryable = o.kind === 'network' || RETRYABLE.has(o.status);
          if (!retryable || !idempotent || expectedAttempts > c.policy.maxRetries) break;
          if (o.kind === 'status' && o.retryAfterSeconds !== undefined && o.retryAfterSeconds * 1000 > c.policy.maxRetryAfterMs) break;
        }

        expect(attempts).toBe(expectedAttempts);
        expect(attempts).toBeLessThanOrEqual(c.policy.maxRetries + 1);
        if (!idempotent) expect(attempts).toBe(1);
        expect(transport.stats()).toEqual({ requests: attempts, retries: attempts - 1 });

        const last = outcomeAt(attempts - 1);
        if (last.kind === 'network') {
          expect('error' in result && ProviderError.isInstance(result.error) && result.error.code).toBe('upstream_unavailable');
        } else {
          expect(result).toEqual({ status: last.status });
        }

        expect(clock.state.sleeps).toHaveLength(attempts - 1);
        clock.state.sleeps.forEach((slept, i) => {
          const o = outcomeAt(i);
          const asked = o.kind === 'status' && o.retryAfterSeconds !== undefined ? o.retryAfterSeconds * 1000 : undefined;
          expect(slept).toBeGreaterThanOrEqual(0);
          if (asked === undefined) {
            expect(slept).toBeLessThanOrEqual(c.policy.maxDelayMs);
          } else {
            expect(asked).toBeLessThanOrEqual(c.policy.maxRetryAfterMs);
            expect(slept).toBeGreaterThanOrEqual(asked);
            expect(slept).toBeLessThanOrEqual(Math.max(asked, c.policy.maxDelayMs));
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
