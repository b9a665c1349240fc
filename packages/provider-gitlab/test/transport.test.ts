import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { collect, paginate } from '@krate/core';
import gitlab from '../src/index.js';
import { redactGitLabSecrets } from '../src/gitlab-errors.js';
import { GITLAB_FAKE_PROJECT, GITLAB_FAKE_SELF_MANAGED_BASE_URL, createFake } from '../src/testing/index.js';

const server = useFakeServer();
const P = GITLAB_FAKE_PROJECT;

function seedIssues(fake: ReturnType<typeof createFake>, n: number): void {
  for (let i = 0; i < n; i++) fake.seed.issue!(P, { title: `Issue ${i}` });
}

describe('requests go through Krate\'s transport, one page per call', () => {
  it('never lists more than one page per call (gitbeaker alone follows every Link)', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    seedIssues(fake, 250);
    const page = await instance.issueTracking!.listIssues(P);
    expect(page.items).toHaveLength(100);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.query).toMatchObject({ pagination: 'keyset', order_by: 'updated_at', sort: 'asc', per_page: '100', scope: 'all' });
    // gitbeaker would serialize an AbortSignal into the query; the custom requester never does.
    expect(Object.keys(fake.requests[0]!.query).some((k) => k.startsWith('signal'))).toBe(false);
  });

  it('addresses subgroup projects by their URL-encoded path', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.issue!(P, { title: 'deep' });
    await instance.issueTracking!.getIssue(ref);
    expect(fake.requests[0]!.path).toBe('/api/v4/projects/krate-group%2Fplatform%2Fweb/issues/1');
  });

  it('lists correctly past 10,000 issues, where GitLab drops x-total (keyset) and x-total-pages (offset)', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    seedIssues(fake, 10_050);
    const all = await collect((o) => instance.issueTracking!.listIssues(P, o));
    expect(all).toHaveLength(10_050);
    expect(new Set(all.map((i) => i.ref.id)).size).toBe(10_050);
    expect(fake.requests).toHaveLength(Math.ceil(10_050 / 100));
    // The offset listing of the same count carries no totals either.
    const response = await fetch(`${fake.state.apiUrl}/projects/${encodeURIComponent(P)}/issues?per_page=100&page=101`, { headers: { 'private-token': fake.credentials.token } });
    expect(response.headers.get('x-total')).toBeNull();
    expect(response.headers.get('link')).not.toContain('rel="last"');
  }, 60_000);

  it('refuses a next-page link to another host', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    seedIssues(fake, 3);
    server.use(http.get(`${fake.state.apiUrl}/projects/:id/issues`, () => HttpResponse.json([], { headers: { link: '<https://evil.example/api/v4/projects/1/issues?page=2>; rel="next"' } })));
    const error = await errorOf(instance.issueTracking!.listIssues(P));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('another host');
  });

  it('a cursor for another listing is invalid_input', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    seedIssues(fake, 3);
    const page = await instance.issueTracking!.listIssues(P, { pageSize: 1 });
    const error = await errorOf(instance.cicd!.listPipelines(P, { cursor: page.nextCursor! }));
    expect(error.code).toBe('invalid_input');
  });

  it('cancellation by the caller\'s signal reaches the wire', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { config: { timeoutMs: 10_000 } });
    const ref = fake.seed.issue!(P, { title: 'slow' });
    let seen: AbortSignal | undefined;
    server.use(http.get(`${fake.state.apiUrl}/projects/:id/issues/:iid`, async ({ request }) => {
      seen = request.signal;
      await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
      return HttpResponse.error();
    }));
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(instance.issueTracking!.getIssue(ref, { signal: controller.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen?.aborted).toBe(true);
  });

  it('honours Retry-After on 429 instead of hammering (gitbeaker retries 10 times in 0.4 s)', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { config: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 5000 } } });
    const ref = fake.seed.issue!(P, { title: 'limited' });
    fake.faults.rateLimit({ times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const issue = await instance.issueTracking!.getIssue(ref);
    expect(issue.title).toBe('limited');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('a longer wait than maxRetryAfterMs fails fast as rate_limited, with the reset read as epoch seconds', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.issue!(P, { title: 'limited' });
    fake.faults.rateLimit({ times: 1, retryAfterSeconds: 30 });
    const error = await errorOf(instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(30_000);
    expect(fake.requests).toHaveLength(1);
    const snapshot = instance.rateLimit();
    expect(snapshot).toMatchObject({ limit: 2000, remaining: 0, resource: 'throttle_authenticated_api' });
    const resetIn = Date.parse(snapshot!.resetAt!) - Date.now();
    expect(resetIn).toBeGreaterThan(25_000);
    expect(resetIn).toBeLessThan(35_000);
  });
});

describe('auth and self-managed instances', () => {
  it('sends OAuth tokens as Bearer, resolved from secret references', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { fake: { oauth: true, secretRefs: true } });
    fake.seed.issue!(P, { title: 'oauth' });
    const page = await instance.issueTracking!.listIssues(P);
    expect(page.items[0]!.title).toBe('oauth');
    expect(fake.credentials.token.startsWith('gloas-')).toBe(true);
    expect(fake.requests[0]!.headers.authorization).toBe('[REDACTED]');
  });

  it('works under a relative URL root, with web URLs under it', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { fake: { baseUrl: GITLAB_FAKE_SELF_MANAGED_BASE_URL } });
    const ref = fake.seed.issue!(P, { title: 'self-managed' });
    const issue = await instance.issueTracking!.getIssue(ref);
    expect(issue.external.url).toBe('https://git.example.test/gitlab/krate-group/platform/web/-/issues/1');
    expect(fake.requests[0]!.path).toBe('/gitlab/api/v4/projects/krate-group%2Fplatform%2Fweb/issues/1');
    const all = await collect((o) => instance.issueTracking!.listIssues(P, { ...o, pageSize: 1 }));
    expect(all).toHaveLength(1);
  });

  it('refuses a base URL that is not an API root', () => {
    expect(() => gitlab.create({ auth: { type: 'token', token: 'glpat-0123456789abcdefghij' }, baseUrl: 'https://git.example.test/gitlab' })).toThrow(/api\/v4/);
  });

  it('a wrong token is unauthenticated and never shows in the error', async () => {
    const { instance } = startProvider(server, gitlab, createFake, { config: { auth: { type: 'token', token: 'glpat-wrongwrongwrongwrong' } } });
    const error = await errorOf(instance.issueTracking!.listIssues(P));
    expect(error.code).toBe('unauthenticated');
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain('glpat-wrong');
  });

  it('redacts GitLab token shapes wherever they appear', () => {
    const text = 'token glpat-AbCdEf0123456789xyz runner glrt-t1_AbCdEf0123456789 app gloas-0123456789abcdef0123 legacy GR1348941AbCdEf012345';
    const out = redactGitLabSecrets(text);
    for (const secret of ['glpat-AbCd', 'glrt-t1_', 'gloas-0123', 'GR1348941AbCd']) expect(out).not.toContain(secret);
  });

  it('paginate() of core walks every page with one request each', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    seedIssues(fake, 7);
    const it = paginate((o) => instance.issueTracking!.listIssues(P, { ...o, pageSize: 3 }));
    const seen = [];
    for await (const issue of it) seen.push(issue);
    expect(seen).toHaveLength(7);
    expect(it.pages).toBe(3);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('rate-limit state', () => {
  it('follows RateLimit-* on every answer, the reset read as epoch seconds', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.issue!(P, { title: 'x' });
    await instance.issueTracking!.listIssues(P);
    await instance.issueTracking!.listIssues(P);
    const snapshot = instance.rateLimit();
    expect(snapshot).toMatchObject({ limit: 2000, remaining: 1998, resource: 'throttle_authenticated_api' });
    const resetIn = Date.parse(snapshot!.resetAt!) - Date.now();
    expect(resetIn).toBeGreaterThan(50_000);
    expect(resetIn).toBeLessThan(70_000);
  });
});
