import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryStateStore,
  createTransport,
  ProviderError,
  type ExternalIssue,
  type IssueInput,
  type ProviderStateStore,
  type WebhookDelivery,
} from '../src/index.js';
import { fakeClock } from './helpers/fake-clock.js';
import { testPlugin } from './helpers/test-plugins.js';

const API = 'https://api.acme.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A server with a budget: answers 200 with x-ratelimit headers while it lasts, then 403 rate limited. */
function budgetedServer(budget: number, resetAtSec: number) {
  const counts = { served: 0, refused: 0 };
  server.use(
    http.get(`${API}/items`, () => {
      const headers = { 'x-ratelimit-limit': String(budget), 'x-ratelimit-reset': String(resetAtSec) };
      if (counts.served >= budget) {
        counts.refused += 1;
        return HttpResponse.json({ message: 'API rate limit exceeded' }, { status: 403, headers: { ...headers, 'x-ratelimit-remaining': '0' } });
      }
      counts.served += 1;
      return HttpResponse.json([], { headers: { ...headers, 'x-ratelimit-remaining': String(budget - counts.served) } });
    }),
  );
  return counts;
}

describe('transport with a shared rate-limit budget', () => {
  it('two transports sharing a store never send more than the server said is left, and fail fast with rate_limited', async () => {
    const counts = budgetedServer(7, Math.floor(Date.now() / 1000) + 3600);
    const store = createMemoryStateStore();
    const replicas = [1, 2].map(() =>
      createTransport({ provider: 'acme', rateLimitBudget: { store }, retry: { maxRetries: 0, maxRetryAfterMs: 1_000 } }),
    );
    const calls = Array.from({ length: 20 }, (_, i) =>
      replicas[i % 2]!.fetch(`${API}/items`, { headers: { authorization: 'token abc123456' } }),
    );
    const results = await Promise.allSettled(calls);
    expect(counts.served).toBe(7);
    expect(counts.refused).toBe(0);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as ProviderError);
    expect(failures).toHaveLength(13);
    for (const failure of failures) {
      expect(ProviderError.isInstance(failure)).toBe(true);
      expect(failure.code).toBe('rate_limited');
      expect(failure.retryAfterMs).toBeGreaterThan(3_000_000);
    }
    expect(replicas[0]!.stats().requests + replicas[1]!.stats().requests).toBe(7);
  });

  it('without a shared store each transport spends the whole budget on its own', async () => {
    const counts = budgetedServer(7, Math.floor(Date.now() / 1000) + 3600);
    const replicas = [1, 2].map(() =>
      createTransport({ provider: 'acme', rateLimitBudget: { store: createMemoryStateStore() }, retry: { maxRetries: 0, maxRetryAfterMs: 1_000 } }),
    );
    for (let i = 0; i < 20; i++) {
      await replicas[i % 2]!.fetch(`${API}/items`, { headers: { authorization: 'token abc123456' } }).catch(() => undefined);
    }
    expect(counts.served).toBe(7);
    expect(counts.refused).toBeGreaterThan(0);
  });

  it('waits for the reset when it comes within maxRetryAfterMs', async () => {
    const clock = fakeClock();
    const store = createMemoryStateStore({ now: clock.now });
    const reset = Math.floor(clock.now() / 1000) + 30;
    let served = 0;
    server.use(
      http.get(`${API}/items`, () => {
        served += 1;
        const remaining = served === 1 ? 0 : 10;
        const resetAt = served === 1 ? reset : reset + 3600;
        return HttpResponse.json([], { headers: { 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetAt) } });
      }),
    );
    const t = createTransport({ provider: 'acme', rateLimitBudget: { store }, now: clock.now, sleep: clock.sleep });
    await t.fetch(`${API}/items`);
    const second = await t.fetch(`${API}/items`);
    expect(second.status).toBe(200);
    expect(served).toBe(2);
    // The probe of the new window waited for the reset, 30 s after the first answer.
    expect(clock.state.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30_000 - 1_000);
  });

  it('fails with upstream_unavailable and sends nothing when the store cannot be reached', async () => {
    let served = 0;
    server.use(http.get(`${API}/items`, () => { served += 1; return HttpResponse.json([]); }));
    const broken = { ...createMemoryStateStore(), reserveRateLimit: async () => { throw new Error('ECONNREFUSED 127.0.0.1:6379'); } } as ProviderStateStore;
    const t = createTransport({ provider: 'acme', rateLimitBudget: { store: broken } });
    await expect(t.fetch(`${API}/items`)).rejects.toMatchObject({ code: 'upstream_unavailable', provider: 'acme' });
    expect(served).toBe(0);
  });
});

describe('webhooks.process', () => {
  const delivery = (id: string): WebhookDelivery => ({ provider: 'acme', deliveryId: id, nativeEvent: 'issues', dedupeKey: `acme:${id}`, events: [] });
  const plugin = testPlugin('acme', { issueTracking: { operations: ['getIssue'] } }, () => ({
    webhooks: { receive: async (request) => delivery(String((request.headers as Record<string, string>)['x-id'])) },
  }));
  const request = (id: string) => ({ headers: { 'x-id': id }, rawBody: '{}' });

  it('runs the handler once when two replicas get the same delivery at once', async () => {
    const state = createMemoryStateStore();
    const a = plugin.create({ token: 't0000001' }, { state });
    const b = plugin.create({ token: 't0000001' }, { state });
    const handled: string[] = [];
    const handler = async (d: WebhookDelivery) => {
      handled.push(d.deliveryId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'ok';
    };
    const [ra, rb] = await Promise.all([a.webhooks!.process(request('1'), handler), b.webhooks!.process(request('1'), handler)]);
    expect(handled).toEqual(['1']);
    expect([ra.outcome, rb.outcome].sort()).toEqual(['in_progress', 'processed']);
    expect((await b.webhooks!.process(request('1'), handler)).outcome).toBe('duplicate');
  });

  it('processes the redelivery of a delivery whose handler failed', async () => {
    const state = createMemoryStateStore();
    const a = plugin.create({ token: 't0000001' }, { state });
    const b = plugin.create({ token: 't0000001' }, { state });
    await expect(a.webhooks!.process(request('2'), async () => { throw new Error('database down'); })).rejects.toThrow('database down');
    const result = await b.webhooks!.process(request('2'), async () => 42);
    expect(result).toMatchObject({ outcome: 'processed', result: 42 });
  });

  it('dedupes within the instance when the host gives no store', async () => {
    const a = plugin.create({ token: 't0000001' });
    expect((await a.webhooks!.process(request('3'), () => 1)).outcome).toBe('processed');
    expect((await a.webhooks!.process(request('3'), () => 1)).outcome).toBe('duplicate');
  });

  it('keeps trying to record a processed delivery while the store is briefly unreachable', async () => {
    const memory = createMemoryStateStore();
    let failures = 2;
    const flaky = {
      ...memory,
      confirmDelivery: async (...args: Parameters<ProviderStateStore['confirmDelivery']>) => {
        if (failures-- > 0) throw new Error('ECONNRESET');
        return memory.confirmDelivery(...args);
      },
    } as ProviderStateStore;
    const a = plugin.create({ token: 't0000001' }, { state: flaky });
    let ran = 0;
    expect(await a.webhooks!.process(request('5'), () => (ran += 1))).toMatchObject({ outcome: 'processed' });
    expect((await a.webhooks!.process(request('5'), () => (ran += 1))).outcome).toBe('duplicate');
    expect(ran).toBe(1);
  });

  it('says the handler ran when the delivery cannot be recorded, and keeps redeliveries out', async () => {
    const memory = createMemoryStateStore();
    const broken = { ...memory, confirmDelivery: async () => { throw new Error('ECONNREFUSED'); } } as ProviderStateStore;
    const a = plugin.create({ token: 't0000001' }, { state: broken });
    let ran = 0;
    const error = await a.webhooks!.process(request('6'), () => (ran += 1), { confirmRetryMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: false, hint: expect.stringContaining('the handler ran') });
    expect((await a.webhooks!.process(request('6'), () => (ran += 1))).outcome).toBe('in_progress');
    expect(ran).toBe(1);
  });

  it('runs nothing and fails with upstream_unavailable when the store cannot be reached', async () => {
    const broken = { ...createMemoryStateStore(), claimDelivery: async () => { throw new Error('ECONNREFUSED'); } } as ProviderStateStore;
    const a = plugin.create({ token: 't0000001' }, { state: broken });
    let ran = 0;
    await expect(a.webhooks!.process(request('4'), () => { ran += 1; })).rejects.toMatchObject({ code: 'upstream_unavailable', provider: 'acme' });
    expect(ran).toBe(0);
  });
});

describe('writes with an idempotency key and a shared store', () => {
  function issuesPlugin(backend: Map<string, ExternalIssue>, calls: string[]) {
    return testPlugin('acme', { issueTracking: { operations: ['getIssue', 'createIssue'] } }, () => ({
      issueTracking: {
        async createIssue(input: IssueInput) {
          calls.push('create');
          await new Promise((resolve) => setTimeout(resolve, 10));
          const id = String(backend.size + 1);
          const issue = { ref: { scope: input.scope, id }, title: input.title } as unknown as ExternalIssue;
          backend.set(id, issue);
          return issue;
        },
        async getIssue(ref) {
          calls.push('get');
          return backend.get(ref.id)!;
        },
      },
    }));
  }

  it('a create retried on another replica returns the first object; the backend holds one', async () => {
    const backend = new Map<string, ExternalIssue>();
    const calls: string[] = [];
    const plugin = issuesPlugin(backend, calls);
    const state = createMemoryStateStore();
    const [a, b] = [plugin.create({ token: 't0000001' }, { state }), plugin.create({ token: 't0000001' }, { state })];
    const input = { scope: 'o/r', title: 'Hello', idempotencyKey: 'k-1' };
    const [first, second] = await Promise.all([a.issueTracking!.createIssue(input), b.issueTracking!.createIssue(input)]);
    const third = await b.issueTracking!.createIssue(input);
    expect(backend.size).toBe(1);
    expect(first.ref).toEqual({ scope: 'o/r', id: '1' });
    expect(second.ref).toEqual(first.ref);
    expect(third.ref).toEqual(first.ref);
    expect(calls.filter((c) => c === 'create')).toHaveLength(1);
    // Another key is another object.
    await a.issueTracking!.createIssue({ ...input, idempotencyKey: 'k-2' });
    expect(backend.size).toBe(2);
  });

  it('a failed keyed write keeps its own error, records nothing and frees the key for a retry', async () => {
    let attempts = 0;
    const plugin = testPlugin('acme', { issueTracking: { operations: ['getIssue', 'createIssue'] } }, () => ({
      issueTracking: {
        async createIssue(input: IssueInput) {
          attempts += 1;
          if (attempts === 1) throw new ProviderError({ code: 'conflict', message: 'already exists elsewhere' });
          return { ref: { scope: input.scope, id: '9' }, title: input.title } as unknown as ExternalIssue;
        },
        async getIssue(ref) {
          return { ref, title: 'read back' } as unknown as ExternalIssue;
        },
      },
    }));
    const state = createMemoryStateStore();
    const [a, b] = [plugin.create({ token: 't0000001' }, { state }), plugin.create({ token: 't0000001' }, { state })];
    const input = { scope: 'o/r', title: 'Hello', idempotencyKey: 'k-3' };
    await expect(a.issueTracking!.createIssue(input)).rejects.toMatchObject({ code: 'conflict', provider: 'acme', operation: 'createIssue' });
    expect((await b.issueTracking!.createIssue(input)).ref).toEqual({ scope: 'o/r', id: '9' });
    expect(await a.issueTracking!.createIssue(input)).toMatchObject({ title: 'read back' });
    expect(attempts).toBe(2);
  });

  it('without a store the provider alone decides (no records kept by core)', async () => {
    const backend = new Map<string, ExternalIssue>();
    const calls: string[] = [];
    const a = issuesPlugin(backend, calls).create({ token: 't0000001' });
    const input = { scope: 'o/r', title: 'Hello', idempotencyKey: 'k-1' };
    await a.issueTracking!.createIssue(input);
    await a.issueTracking!.createIssue(input);
    expect(calls).toEqual(['create', 'create']);
  });
});
