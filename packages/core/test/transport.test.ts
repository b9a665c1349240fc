import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, ProviderError, type RequestRecord, type TransportOptions } from '../src/index.js';
import { fakeClock } from './helpers/fake-clock.js';

const API = 'https://api.acme.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Answers the given responses in turn (the last one repeats) and records each request. */
function sequence(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, answers: (() => Response | Promise<Response>)[]) {
  const seen: { body: string; headers: Headers }[] = [];
  server.use(
    http[method](`${API}${path}`, async ({ request }) => {
      seen.push({ body: await request.text(), headers: request.headers });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      return answer();
    }),
  );
  return seen;
}

function transport(extra: Partial<TransportOptions> = {}) {
  const clock = fakeClock();
  const records: RequestRecord[] = [];
  const t = createTransport({
    provider: 'acme',
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRequest: (r) => records.push(r),
    ...extra,
  });
  return { t, clock, records };
}

const ok = () => HttpResponse.json({ ok: true });

describe('retries', () => {
  it('retries a 429 after Retry-After seconds', async () => {
    const seen = sequence('get', '/issues', [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '2' } }), ok]);
    const { t, clock } = transport();
    const response = await t.fetch(`${API}/issues`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${API}/issues`);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    // max(Retry-After 2000, backoff floor(0.5 * 500) = 250)
    expect(clock.state.sleeps).toEqual([2000]);
    expect(t.stats()).toEqual({ requests: 2, retries: 1 });
  });

  it('retries a 503 after a Retry-After HTTP-date', async () => {
    const { t, clock } = transport();
    const at = new Date(clock.state.now + 3000).toUTCString();
    sequence('get', '/issues', [() => new HttpResponse('busy', { status: 503, headers: { 'retry-after': at } }), ok]);
    expect((await t.fetch(`${API}/issues`)).status).toBe(200);
    expect(clock.state.sleeps).toEqual([3000]);
  });

  it('waits for x-ratelimit-reset when x-ratelimit-remaining is 0', async () => {
    const { t, clock } = transport();
    const reset = String(clock.state.now / 1000 + 5);
    sequence('get', '/issues', [
      () => new HttpResponse(null, { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
      ok,
    ]);
    expect((await t.fetch(`${API}/issues`)).status).toBe(200);
    expect(clock.state.sleeps).toEqual([5000]);
  });

  it('waits for RateLimit-Reset given in seconds from now (IETF draft) or as an epoch (GitLab)', async () => {
    const { t, clock } = transport();
    // GitLab's reset is an epoch: 7 s (the first wait) + 11 s from the start.
    const gitlabReset = String(clock.state.now / 1000 + 7 + 11);
    sequence('get', '/builds', [
      () => new HttpResponse(null, { status: 429, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '7' } }),
      () => new HttpResponse(null, { status: 429, headers: { 'ratelimit-reset': gitlabReset } }),
      ok,
    ]);
    expect((await t.fetch(`${API}/builds`)).status).toBe(200);
    expect(clock.state.sleeps).toEqual([7000, 11_000]);
  });

  it('uses backoff with jitter when the answer names no wait', async () => {
    sequence('get', '/x', [() => new HttpResponse(null, { status: 502 }), () => new HttpResponse(null, { status: 504 }), ok]);
    const { t, clock } = transport({ retry: { baseDelayMs: 1000 } });
    expect((await t.fetch(`${API}/x`)).status).toBe(200);
    expect(clock.state.sleeps).toEqual([500, 1000]);
  });

  it('returns the last response as it is when the retries are spent', async () => {
    const seen = sequence('get', '/x', [() => HttpResponse.json({ message: 'unavailable' }, { status: 503 })]);
    const { t, records } = transport({ retry: { maxRetries: 2 } });
    const response = await t.fetch(`${API}/x`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'unavailable' });
    expect(seen).toHaveLength(3);
    expect(records.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(t.stats()).toEqual({ requests: 3, retries: 2 });
  });

  it('does not retry other statuses (500, 404, 403)', async () => {
    for (const status of [500, 404, 403]) {
      const seen = sequence('get', `/s${status}`, [() => new HttpResponse(null, { status }), ok]);
      const { t } = transport();
      expect((await t.fetch(`${API}/s${status}`)).status).toBe(status);
      expect(seen).toHaveLength(1);
    }
  });

  it('returns at once when Retry-After is longer than maxRetryAfterMs', async () => {
    const seen = sequence('get', '/x', [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '3600' } }), ok]);
    const { t, clock } = transport({ retry: { maxRetryAfterMs: 60_000 } });
    const response = await t.fetch(`${API}/x`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3600');
    expect(seen).toHaveLength(1);
    expect(clock.state.sleeps).toEqual([]);
  });

  it('retries what a vendor classifier calls a rate limit (a 403 secondary limit)', async () => {
    const seen = sequence('get', '/x', [
      () => HttpResponse.json({ message: 'You have exceeded a secondary rate limit' }, { status: 403, headers: { 'retry-after': '1' } }),
      () => HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 }),
    ]);
    const { t } = transport({
      classifyResponse: async (response) => {
        if (response.status !== 403) return undefined;
        const body = (await response.clone().json()) as { message: string };
        return { rateLimited: /rate limit/i.test(body.message) };
      },
    });
    const response = await t.fetch(`${API}/x`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Resource not accessible by integration' });
    expect(seen).toHaveLength(2);
  });

  it('a classifier retryAfterMs wins over the headers', async () => {
    sequence('get', '/x', [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }), ok]);
    const { t, clock } = transport({ classifyResponse: (r) => (r.status === 429 ? { rateLimited: true, retryAfterMs: 4000 } : undefined) });
    await t.fetch(`${API}/x`);
    expect(clock.state.sleeps).toEqual([4000]);
  });
});

describe('writes', () => {
  it('never repeats a POST without Idempotency-Key', async () => {
    const seen = sequence('post', '/issues', [() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '1' } }), ok]);
    const { t } = transport();
    const response = await t.fetch(`${API}/issues`, { method: 'POST', body: '{"title":"x"}' });
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('never repeats a PATCH after a network error, and says it may have been applied', async () => {
    const seen = sequence('patch', '/issues/1', [() => HttpResponse.error()]);
    const { t } = transport();
    const error = await t.fetch(`${API}/issues/1`, { method: 'PATCH', body: '{}' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: false, hint: expect.stringContaining('may have reached') });
  });

  it('repeats a POST with an Idempotency-Key and re-sends its body', async () => {
    const seen = sequence('post', '/builds', [() => new HttpResponse(null, { status: 502 }), () => new HttpResponse(null, { status: 429 }), ok]);
    const { t } = transport();
    const body = JSON.stringify({ commit: 'abc', message: 'rebuild' });
    const response = await t.fetch(`${API}/builds`, { method: 'POST', body, headers: { 'idempotency-key': 'k-1' } });
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual([body, body, body]);
    expect(seen.every((s) => s.headers.get('idempotency-key') === 'k-1')).toBe(true);
  });

  it('re-sends the body of a PUT given as a Request, with its headers', async () => {
    const seen = sequence('put', '/labels/bug', [() => new HttpResponse(null, { status: 503 }), ok]);
    const { t } = transport();
    const request = new Request(`${API}/labels/bug`, { method: 'PUT', body: new TextEncoder().encode('{"color":"red"}'), headers: { 'content-type': 'application/json' } });
    expect((await t.fetch(request)).status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual(['{"color":"red"}', '{"color":"red"}']);
    expect(seen[1]!.headers.get('content-type')).toBe('application/json');
  });
});

describe('timeouts, network errors and aborts', () => {
  it('times out each attempt and throws timeout when the retries are spent', async () => {
    let attempts = 0;
    server.use(
      http.get(`${API}/slow`, async () => {
        attempts += 1;
        await delay('infinite');
        return ok();
      }),
    );
    const { t, records } = transport({ timeoutMs: 20, retry: { maxRetries: 2 } });
    const error = await t.fetch(`${API}/slow`).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'timeout', provider: 'acme', retryable: true, message: expect.stringContaining('timed out after 20 ms') });
    expect(attempts).toBe(3);
    expect(records.map((r) => r.error)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('a timed-out attempt is followed by a fresh one with its own timeout', async () => {
    let attempts = 0;
    server.use(
      http.get(`${API}/flaky`, async () => {
        attempts += 1;
        if (attempts === 1) await delay('infinite');
        return ok();
      }),
    );
    const { t } = transport({ timeoutMs: 30 });
    expect((await t.fetch(`${API}/flaky`)).status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('the attempt timeout also bounds a response body that stalls', async () => {
    server.use(
      http.get(`${API}/stall`, () => {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"items":['));
            // ...and nothing more: the connection stays open.
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const { t } = transport({ timeoutMs: 40 });
    const response = await t.fetch(`${API}/stall`);
    expect(response.status).toBe(200);
    const error = await response.text().catch((e: unknown) => e);
    expect(ProviderError.isInstance(error) && error.code).toBe('timeout');
  });

  it('a POST that times out is not repeated', async () => {
    let attempts = 0;
    server.use(
      http.post(`${API}/slow`, async () => {
        attempts += 1;
        await delay('infinite');
        return ok();
      }),
    );
    const { t } = transport({ timeoutMs: 20 });
    await expect(t.fetch(`${API}/slow`, { method: 'POST', body: 'x' })).rejects.toMatchObject({ code: 'timeout', retryable: false });
    expect(attempts).toBe(1);
  });

  it('a network error is retried, then thrown as upstream_unavailable with the cause kept hidden', async () => {
    const seen = sequence('get', '/down', [() => HttpResponse.error()]);
    const { t } = transport({ retry: { maxRetries: 1 } });
    const error = await t.fetch(`${API}/down`).catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ code: 'upstream_unavailable', provider: 'acme', retryable: true });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(Object.keys(error as object)).not.toContain('cause');
  });

  it('recovers when a network error is followed by an answer', async () => {
    const seen = sequence('get', '/blip', [() => HttpResponse.error(), ok]);
    const { t } = transport();
    expect((await t.fetch(`${API}/blip`)).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('the caller aborting stops a pending attempt at once, without retries', async () => {
    let attempts = 0;
    server.use(
      http.get(`${API}/wait`, async () => {
        attempts += 1;
        await delay('infinite');
        return ok();
      }),
    );
    const { t } = transport({ timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = t.fetch(`${API}/wait`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(attempts).toBe(1);
    expect(t.stats().retries).toBe(0);
  });

  it('the caller aborting during the backoff stops the retries', async () => {
    const seen = sequence('get', '/busy', [() => new HttpResponse(null, { status: 503 })]);
    const controller = new AbortController();
    const { t } = transport({
      sleep: async (_ms, signal) => {
        controller.abort(new Error('shutting down'));
        signal?.throwIfAborted();
      },
    });
    await expect(t.fetch(`${API}/busy`, { signal: controller.signal })).rejects.toThrow('shutting down');
    expect(seen).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const seen = sequence('get', '/x', [ok]);
    const { t } = transport();
    await expect(t.fetch(`${API}/x`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(0);
  });
});

describe('rate-limit state and request records', () => {
  it('keeps the last rate-limit snapshot per transport', async () => {
    sequence('get', '/rate', [
      () =>
        HttpResponse.json(
          {},
          { headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4987', 'x-ratelimit-reset': '1778505000', 'x-ratelimit-resource': 'core' } },
        ),
    ]);
    const { t, clock } = transport();
    const other = transport().t;
    expect(t.rateLimit()).toBeUndefined();
    await t.fetch(`${API}/rate`);
    expect(t.rateLimit()).toEqual({
      limit: 5000,
      remaining: 4987,
      resetAt: new Date(1778505000 * 1000).toISOString(),
      resource: 'core',
      observedAt: new Date(clock.state.now).toISOString(),
    });
    expect(other.rateLimit()).toBeUndefined();
  });

  it('reads RateLimit-* headers (reset in seconds from now)', async () => {
    sequence('get', '/rl', [() => HttpResponse.json({}, { headers: { 'ratelimit-limit': '200', 'ratelimit-remaining': '3', 'ratelimit-reset': '30' } })]);
    const { t, clock } = transport();
    await t.fetch(`${API}/rl`);
    expect(t.rateLimit()).toMatchObject({ limit: 200, remaining: 3, resetAt: new Date(clock.state.now + 30_000).toISOString() });
  });

  it('a response without rate-limit headers keeps the previous snapshot; a custom reader is used', async () => {
    sequence('get', '/plain', [() => HttpResponse.json({}, { headers: { 'x-points-left': '42' } })]);
    const { t } = transport({ readRateLimit: (h) => (h.has('x-points-left') ? { remaining: Number(h.get('x-points-left')) } : undefined) });
    await t.fetch(`${API}/plain`);
    expect(t.rateLimit()).toMatchObject({ remaining: 42 });
  });

  it('reports every attempt with a redacted URL and never a credential', async () => {
    const token = 'glpat-abcdefghijklmnopqrstu';
    sequence('get', '/projects', [() => new HttpResponse(null, { status: 502 }), ok]);
    const { t, records } = transport();
    await t.fetch(`${API}/projects?private_token=${token}&page=2`, { headers: { authorization: `Bearer ${token}` } });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ provider: 'acme', method: 'GET', status: 502, attempt: 1, url: `${API}/projects?private_token=[REDACTED]&page=2` });
    expect(records[1]).toMatchObject({ status: 200, attempt: 2 });
    expect(records.every((r) => typeof r.durationMs === 'number' && r.durationMs >= 0)).toBe(true);
    expect(JSON.stringify(records)).not.toContain(token);
    expect(Object.keys(records[0]!).sort()).toEqual(['attempt', 'durationMs', 'method', 'provider', 'status', 'url']);
  });

  it('a throwing onRequest hook does not fail the request', async () => {
    sequence('get', '/x', [ok]);
    const { t } = transport({
      onRequest: () => {
        throw new Error('hook bug');
      },
    });
    expect((await t.fetch(`${API}/x`)).status).toBe(200);
  });

  it('sends through an injected fetch', async () => {
    const urls: string[] = [];
    const { t } = transport({ fetch: async (input) => (urls.push((input as Request).url), new Response('injected')) });
    expect(await (await t.fetch(`${API}/injected`)).text()).toBe('injected');
    expect(urls).toEqual([`${API}/injected`]);
  });

  it('looks the global fetch up at call time', async () => {
    const { t } = transport();
    const original = globalThis.fetch;
    globalThis.fetch = (async () => new Response('patched later')) as typeof fetch;
    try {
      expect(await (await t.fetch(`${API}/any`)).text()).toBe('patched later');
    } finally {
      globalThis.fetch = original;
    }
  });
});
