import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { ProviderError } from '@krate/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import plugin, { createGitHubProvider, type GitHubConfigInput } from '../src/index.js';
import { readIdempotencyMarker, stripIdempotencyMarker, withIdempotencyMarker } from '../src/shared/github-idempotency.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();
const SCOPE = 'octo-org/hello-world';
const API = 'https://api.github.com';
const TOKEN = 'ghp_hardeningTestToken0123456789abcdefXY';

function tokenHarness(config: Partial<GitHubConfigInput> = {}) {
  return startProvider(server, plugin, createFake, { config: { auth: { type: 'token', token: TOKEN }, retry: { maxRetries: 0 }, ...config } as never });
}

function configError(config: Record<string, unknown>, context?: Record<string, unknown>): ProviderError {
  try {
    createGitHubProvider({ auth: { type: 'token', token: TOKEN }, ...config } as GitHubConfigInput, context as never);
  } catch (error) {
    expect(ProviderError.isInstance(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('secrets never reach util.inspect through the cause chain', () => {
  it('a server that echoes the token in an error body does not leak it through the Octokit error', async () => {
    const h = tokenHarness();
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Echo' });
    server.use(
      http.get(`${API}/repos/octo-org/hello-world/issues/:n`, ({ request }) =>
        HttpResponse.json(
          { message: 'Bad credentials', echoed: request.headers.get('authorization'), documentation_url: 'https://docs.github.com/rest' },
          { status: 401 },
        ),
      ),
    );
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('unauthenticated');
    const rendered = inspect(error, { depth: 20, showHidden: true });
    expect(rendered).not.toContain(TOKEN);
    expect(rendered).not.toContain('echoed');
  });
});

describe('single reads refuse what is not the JSON GitHub documents', () => {
  const html = () => new HttpResponse('<!DOCTYPE html><html><body>Sign in to GitHub</body></html>', { headers: { 'content-type': 'text/html; charset=utf-8' } });

  it.each([
    ['getIssue', '/repos/octo-org/hello-world/issues/:n'],
    ['getPullRequest', '/repos/octo-org/hello-world/pulls/:n'],
    ['getCommit', '/repos/octo-org/hello-world/commits/:sha'],
  ])('%s: a 200 text/html login page is upstream_unavailable, not an object with id "NaN"', async (operation, path) => {
    const h = tokenHarness();
    server.use(http.get(`${API}${path}`, html));
    const call =
      operation === 'getIssue'
        ? h.instance.issueTracking!.getIssue({ scope: SCOPE, id: '1' })
        : operation === 'getPullRequest'
          ? h.instance.gitForge!.getPullRequest({ scope: SCOPE, id: '1' })
          : operation === 'getRepository'
            ? h.instance.gitForge!.getRepository({ scope: SCOPE, id: SCOPE })
            : h.instance.gitForge!.getCommit(SCOPE, 'a'.repeat(40));
    const error = await errorOf(call);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).not.toMatch(/unexpected error/);
    expect(error.message).toMatch(/text\/html|not JSON|not the JSON/i);
    expect(error.retryable).toBe(true);
  });

  it('a truncated JSON body is a typed upstream_unavailable naming the path, not an internal error', async () => {
    const h = tokenHarness();
    server.use(
      http.get(`${API}/repos/octo-org/hello-world/issues/:n`, () =>
        new HttpResponse('{"id": 1, "number": 1, "title": "Trunc', { headers: { 'content-type': 'application/json; charset=utf-8' } }),
      ),
    );
    const error = await errorOf(h.instance.issueTracking!.getIssue({ scope: SCOPE, id: '1' }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).not.toMatch(/unexpected error/);
    expect(error.message).toContain('/repos/octo-org/hello-world/issues/1');
    expect(error.retryable).toBe(true);
  });

  it('a body that stalls past timeoutMs is a timeout', async () => {
    const h = tokenHarness({ timeoutMs: 150 });
    server.use(
      http.get(`${API}/repos/octo-org/hello-world/issues/:n`, () => {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id": 1, "number": 1,'));
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'application/json; charset=utf-8' } });
      }),
    );
    const error = await errorOf(h.instance.issueTracking!.getIssue({ scope: SCOPE, id: '1' }));
    expect(error.code).toBe('timeout');
  });
});

describe('ambiguous write outcomes', () => {
  it('a create answered 502 is not retryable and says why', async () => {
    const h = tokenHarness();
    h.fake.faults.serverError({ method: 'POST', times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Twice?' }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(false);
    expect(error.hint).toMatch(/may have/);
  });

  it('a create answered 504 with an idempotency key the provider honours is retryable', async () => {
    const h = startProvider(server, plugin, createFake, { config: { retry: { maxRetries: 0 } } as never });
    h.fake.faults.serverError({ method: 'POST', status: 504, times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Keyed', idempotencyKey: 'hardening-1' }));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(true);
  });

  it('a read answered 502 stays retryable', async () => {
    const h = tokenHarness();
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Read' });
    h.fake.faults.serverError({ method: 'GET', times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.retryable).toBe(true);
  });
});

describe('webhook headers that are not strings', () => {
  it.each([
    ['x-hub-signature-256', null],
    ['x-hub-signature-256', [null]],
    ['x-hub-signature-256', 42],
    ['x-github-event', null],
    ['x-github-event', ['issues', 'push'] as unknown],
    ['x-github-delivery', { id: 1 }],
  ])('%s = %j is a typed refusal or a delivery, never a crash', async (name, value) => {
    const h = tokenHarness();
    const request = h.fake.webhook('issues', { action: 'opened' });
    const headers = { ...(request.headers as Record<string, unknown>), [name]: value };
    const outcome = await h.instance.webhooks!.receive({ headers: headers as never, rawBody: request.rawBody }).then(
      (delivery) => ({ delivery }),
      (error: unknown) => ({ error }),
    );
    if ('error' in outcome) {
      expect(ProviderError.isInstance(outcome.error)).toBe(true);
      expect(['webhook_signature_invalid', 'webhook_malformed']).toContain((outcome.error as ProviderError).code);
    } else {
      // Only a list whose first value is the real header may pass.
      expect(Array.isArray(value) && typeof value[0] === 'string').toBe(true);
    }
  });

  it('the default body limit is 25 MB and is documented on the receiver', async () => {
    const h = tokenHarness();
    const request = h.fake.webhook('issues', { action: 'opened' });
    const error = await errorOf(h.instance.webhooks!.receive({ headers: request.headers, rawBody: `${request.rawBody as string}${' '.repeat(25 * 1024 * 1024)}` }));
    expect(error.code).toBe('webhook_malformed');
    expect(error.message).toMatch(/limit of 26214400 bytes/);
  });
});

describe('configuration that can never work is refused at construction', () => {
  it.each([
    [{ timeoutMs: 2 ** 31 }, /timeoutMs/],
    [{ timeoutMs: 1 }, /timeoutMs/],
    [{ retry: { maxRetryAfterMs: 10 * 3_600_000 } }, /maxRetryAfterMs/],
    [{ baseUrl: 'https://user:pass@ghe.example.com/api/v3' }, /user:password/],
    [{ baseUrl: 'https://ghe.example.com/api/v3?x=1' }, /query/],
    [{ baseUrl: 'https://ghe.example.com/api/v3#x' }, /fragment/],
    [{ userAgent: 'krate\r\nX-Injected: 1' }, /control characters/],
    [{ auth: { type: 'token', token: 'ghp_abc\ndef0123456789' } }, /control characters/],
  ])('%j', (config, message) => {
    const error = configError(config);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('pass@');
  });

  it('refuses a fetch that is not a function', () => {
    expect(configError({}, { fetch: 42 }).code).toBe('invalid_config');
  });

  it('refuses an inline private key that is not RSA, before any request', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = configError({ auth: { type: 'app', appId: 1, privateKey: ec } });
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/RSA/);
    expect(inspect(error, { depth: 10 })).not.toContain('PRIVATE KEY');
    const garbage = configError({ auth: { type: 'app', appId: 1, privateKey: 'not a key at all' } });
    expect(garbage.code).toBe('invalid_config');
  });
});

describe('the idempotency marker is found in linear time', () => {
  it('65,536 newlines (GitHub\'s maximum body) are read quickly, with and without a marker', () => {
    const newlines = '\n'.repeat(65_536);
    const marked = `${newlines}<!-- krate:idempotency-key=k1 -->`;
    const started = performance.now();
    expect(readIdempotencyMarker(newlines)).toBeUndefined();
    expect(stripIdempotencyMarker(newlines)).toBe(newlines);
    expect(readIdempotencyMarker(`${newlines}x`)).toBeUndefined();
    expect(readIdempotencyMarker(marked)).toBe('k1');
    expect(stripIdempotencyMarker(marked)).toBe('');
    expect(readIdempotencyMarker(`${'\n<!-- krate:idempotency-key='.repeat(5000)}`)).toBeUndefined();
    // The quadratic regular expression took about 6 s on the first line alone.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('keeps the marker semantics', () => {
    expect(withIdempotencyMarker('Body', 'k-1')).toBe('Body\n\n<!-- krate:idempotency-key=k-1 -->');
    expect(readIdempotencyMarker('Body\n\n<!-- krate:idempotency-key=k-1 -->  \n')).toBe('k-1');
    expect(stripIdempotencyMarker('Body\n\n<!-- krate:idempotency-key=k-1 -->\n')).toBe('Body');
    expect(stripIdempotencyMarker('Body <!-- krate:idempotency-key=k-1 -->')).toBe('Body ');
    expect(readIdempotencyMarker('<!-- krate:idempotency-key=has space -->')).toBeUndefined();
    expect(readIdempotencyMarker(`<!-- krate:idempotency-key=${'a'.repeat(201)} -->`)).toBeUndefined();
    expect(readIdempotencyMarker('<!-- krate:idempotency-key=k -->tail')).toBeUndefined();
    expect(withIdempotencyMarker('Body\n\n<!-- krate:idempotency-key=old -->', 'new')).toBe('Body\n\n<!-- krate:idempotency-key=new -->');
  });
});

describe('listIssues follows the Link URL GitHub returns', () => {
  it('a renamed repository\'s /repositories/{id} link is followed as given', async () => {
    const h = tokenHarness();
    const seen: string[] = [];
    const issue = (n: number) => ({
      id: n, node_id: `I_${n}`, number: n, title: `Issue ${n}`, body: null, state: 'open', state_reason: null, locked: false,
      labels: [], assignees: [], assignee: null, milestone: null, comments: 0, user: { login: 'octocat', id: 1, type: 'User' },
      created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', closed_at: null,
      url: `${API}/repos/octo-org/hello-world/issues/${n}`, html_url: `https://github.com/octo-org/hello-world/issues/${n}`,
    });
    server.use(
      http.get(`${API}/repos/octo-org/hello-world/issues`, ({ request }) => {
        seen.push(new URL(request.url).pathname + new URL(request.url).search);
        return HttpResponse.json([issue(1)], { headers: { link: `<${API}/repositories/4242/issues?state=all&per_page=1&page=2>; rel="next"` } });
      }),
      http.get(`${API}/repositories/4242/issues`, ({ request }) => {
        seen.push(new URL(request.url).pathname + new URL(request.url).search);
        return HttpResponse.json([issue(2)]);
      }),
    );
    const first = await h.instance.issueTracking!.listIssues(SCOPE, { pageSize: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await h.instance.issueTracking!.listIssues(SCOPE, { pageSize: 1, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.title)).toEqual(['Issue 2']);
    expect(seen[1]).toBe('/repositories/4242/issues?state=all&per_page=1&page=2');
  });

  it('a Link to another host is refused', async () => {
    const h = tokenHarness();
    server.use(
      http.get(`${API}/repos/octo-org/hello-world/issues`, () =>
        HttpResponse.json([], { headers: { link: '<https://evil.example/repos/octo-org/hello-world/issues?page=2>; rel="next"' } }),
      ),
    );
    const error = await errorOf(h.instance.issueTracking!.listIssues(SCOPE, { pageSize: 1 }));
    expect(error.code).toBe('upstream_unavailable');
  });
});

describe('listRefs uses a documented route', () => {
  it('asks for git/matching-refs/ with the trailing slash, the documented form (never the bare path)', async () => {
    const h = startProvider(server, plugin, createFake);
    h.fake.seed.gitRef!(SCOPE, { name: 'main' });
    h.fake.reset();
    const page = await h.instance.gitForge!.listRefs(SCOPE);
    expect(page.items.map((r) => r.name)).toContain('main');
    expect(h.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/octo-org/hello-world/git/matching-refs/']);
  });
});
