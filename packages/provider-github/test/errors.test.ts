import { ProviderError } from '@krate/core';
import { describe, expect, it } from 'vitest';
import { GitHubConfigSchema } from '../src/github-config.js';
import { createGitHubContext } from '../src/github-context.js';
import { classifyGitHubResponse, mapGitHubError, readGitHubRateLimit } from '../src/github-errors.js';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { githubPlugin } from '../src/github-provider.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();
const SCOPE = 'octo-org/hello-world';

describe('GitHub error meanings through the fake', () => {
  it('a secondary rate limit (403 + retry-after) is rate_limited, not forbidden, and a long wait is not slept', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Limited' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.rateLimit({ retryAfterSeconds: 30, times: Infinity });
    const mark = h.fake.requests.length;
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(403);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.message).toMatch(/secondary rate limit/);
    expect(error.retryable).toBe(true);
    // 30 s is above maxRetryAfterMs: answered at once, no retry.
    expect(h.fake.requests.slice(mark).map((r) => r.status)).toEqual([403]);
  });

  it('a short secondary limit on a read is waited out and retried', async () => {
    const h = startProvider(server, githubPlugin, createFake, { config: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2000 } } });
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Patient' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.rateLimit({ retryAfterSeconds: 1, times: 1 });
    const mark = h.fake.requests.length;
    const started = Date.now();
    const issue = await h.instance.issueTracking!.getIssue(ref);
    expect(issue.title).toBe('Patient');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.fake.requests.slice(mark).map((r) => r.status)).toEqual([403, 200]);
  });

  it('a write is never retried after a secondary limit', async () => {
    const h = startProvider(server, githubPlugin, createFake, { config: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2000 } } });
    await h.instance.issueTracking!.listIssues(SCOPE);
    h.fake.faults.rateLimit({ retryAfterSeconds: 1, method: 'POST' });
    const mark = h.fake.requests.length;
    const error = await errorOf(h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Once' }));
    expect(error.code).toBe('rate_limited');
    expect(h.fake.requests.slice(mark).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('"Resource not accessible by integration" is forbidden with a hint about app permissions', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const installation = h.fake.core.ensureOwner('octo-org');
    h.fake.core.state.installations.update(installation.id, { permissions: { metadata: 'read', issues: 'read' } });
    await h.instance.issueTracking!.listIssues(SCOPE);
    const mark = h.fake.requests.length;
    const error = await errorOf(h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Not allowed' }));
    expect(error.code).toBe('forbidden');
    expect(error.status).toBe(403);
    expect(error.message).toContain('Resource not accessible by integration');
    expect(error.hint).toMatch(/permission/);
    expect(error.retryable).toBe(false);
    expect(h.fake.requests.slice(mark).map((r) => `${r.method} ${r.status}`)).toEqual(['POST 403']);
  });

  it('bad credentials are unauthenticated', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Locked out' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.status(401, { times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toContain('Bad credentials');
  });

  it('the primary limit (403, x-ratelimit-remaining 0) is rate_limited until x-ratelimit-reset', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Spent' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.rateLimit({ status: 403, retryAfterSeconds: 120, times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/primary rate limit/);
    expect(error.retryAfterMs).toBeGreaterThan(115_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(h.instance.rateLimit()).toMatchObject({ remaining: 0, limit: 5000, resource: 'core' });
  });

  it('the primary limit as 429 is rate_limited with the reset as retryAfterMs', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Spent again' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.rateLimit({ status: 429, retryAfterSeconds: 90, times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(85_000);
  });

  it('spending the hourly budget in the fake gives the primary limit and the snapshot shows it', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.core.rateLimitPerHour = 3;
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Budget' });
    for (let i = 0; i < 3; i++) await h.instance.issueTracking!.getIssue(ref);
    expect(h.instance.rateLimit()).toMatchObject({ limit: 3, remaining: 0 });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('API rate limit exceeded for installation ID');
    expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
  });

  it('a 404 says GitHub hides private resources the same way; 410 (issues disabled) is not_found', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const missing = await errorOf(h.instance.issueTracking!.getIssue({ scope: SCOPE, id: '424242' }));
    expect(missing.code).toBe('not_found');
    expect(missing.hint).toMatch(/cannot see a private resource/);
    const repo = h.fake.core.findRepo('octo-org', 'hello-world')!;
    h.fake.core.state.repos.update(repo.id, { has_issues: false });
    const gone = await errorOf(h.instance.issueTracking!.listIssues(SCOPE));
    expect(gone.code).toBe('not_found');
    expect(gone.status).toBe(410);
    expect(gone.message).toContain('Issues are disabled for this repo');
  });

  it('422 validation errors are invalid_input naming the field; already_exists is a conflict', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.seed.label!(SCOPE, { name: 'bug' });
    const octokit = await createGitHubContext(GitHubConfigSchema.parse(h.fake.config)).octokitFor('octo-org');
    const invalid = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'octo-org', repo: 'hello-world', title: '' }).catch((e: unknown) => e);
    const mappedInvalid = mapGitHubError(invalid, { operation: 'createIssue' });
    expect(mappedInvalid.code).toBe('invalid_input');
    expect(mappedInvalid.message).toContain('Issue title missing_field');
    const duplicate = await octokit.request('POST /repos/{owner}/{repo}/labels', { owner: 'octo-org', repo: 'hello-world', name: 'BUG' }).catch((e: unknown) => e);
    expect(mapGitHubError(duplicate, { operation: 'syncLabels' }).code).toBe('conflict');
  });
});

describe('reading GitHub rate-limit answers', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('tells a secondary limit without retry-after from a plain 403 (waits a minute by default)', () => {
    expect(readGitHubRateLimit(403, {}, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, now)).toEqual({
      rateLimited: true,
      retryAfterMs: 60_000,
    });
    expect(readGitHubRateLimit(403, {}, { message: 'You have triggered an abuse detection mechanism.' }, now)?.rateLimited).toBe(true);
    expect(readGitHubRateLimit(403, { 'x-ratelimit-remaining': '4999' }, { message: 'Resource not accessible by integration' }, now)).toEqual({ rateLimited: false });
    expect(readGitHubRateLimit(404, {}, { message: 'Not Found' }, now)).toBeUndefined();
  });

  it('reads the primary limit reset from x-ratelimit-reset', () => {
    const reset = String(now / 1000 + 300);
    expect(readGitHubRateLimit(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, { message: 'API rate limit exceeded' }, now)).toEqual({
      rateLimited: true,
      retryAfterMs: 300_000,
    });
  });

  it('classifies transport responses without consuming their body', async () => {
    const response = new Response(JSON.stringify({ message: 'You have exceeded a secondary rate limit.' }), { status: 403, headers: { 'retry-after': '7' } });
    expect(await classifyGitHubResponse(response)).toEqual({ rateLimited: true, retryAfterMs: 7000 });
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('secondary') });
    expect(await classifyGitHubResponse(new Response('{}', { status: 500 }))).toBeUndefined();
  });

  it('keeps transport errors (timeouts) as they are and names the operation', () => {
    const timeout = new ProviderError({ code: 'timeout', provider: 'github', message: 'GET https://api.github.com/x timed out after 10 ms' });
    const wrapped = Object.assign(new Error('fetch failed'), { status: 500, cause: timeout });
    const mapped = mapGitHubError(wrapped, { operation: 'listIssues' });
    expect(mapped.code).toBe('timeout');
    expect(mapped.operation).toBe('listIssues');
  });
});
