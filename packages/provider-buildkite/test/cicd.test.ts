import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { collect, staticSecretResolver, type ExternalPipeline } from '@krate/core';
import buildkite from '../src/index.js';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { buildkitePlugin } from '../src/buildkite-provider.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();

const failure = errorOf;

describe('scopes', () => {
  it('lists the builds of one pipeline for org/pipeline and of every pipeline for org', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const web = fake.seed.pipeline!('acme/web', {});
    const api = fake.seed.pipeline!('acme/api', {});

    const pipeline = await bk.cicd!.listPipelines('acme/web');
    expect(pipeline.items.map((b) => b.ref)).toEqual([web]);
    const org = await bk.cicd!.listPipelines('acme');
    expect(org.items.map((b) => b.ref)).toEqual([api, web]); // newest first
    expect(org.items.map((b) => b.name)).toEqual(['Api', 'Web']);

    const [first, second] = fake.requests;
    expect(first).toMatchObject({ method: 'GET', path: '/v2/organizations/acme/pipelines/web/builds', query: { exclude_jobs: 'true', per_page: '100', page: '1' } });
    expect(second).toMatchObject({ path: '/v2/organizations/acme/builds', query: { per_page: '100', page: '1' } });
  });

  it('refuses malformed scopes and other organizations before any request', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    for (const scope of ['acme/web/extra', 'acme web', '/web', 'other', 'other/web']) {
      expect((await failure(bk.cicd!.listPipelines(scope))).code).toBe('invalid_input');
    }
    expect((await failure(bk.cicd!.listRunners('acme/web'))).code).toBe('invalid_input');
    expect((await failure(bk.cicd!.getPipeline({ scope: 'acme/web', id: 'latest' }))).code).toBe('invalid_input');
    expect((await failure(bk.cicd!.getJobLog({ scope: 'acme/web', id: '1' }))).code).toBe('invalid_input');
    expect(fake.requests).toHaveLength(0);
  });

  it('answers not_found for a pipeline that does not exist', async () => {
    const { instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const error = await failure(bk.cicd!.listPipelines('acme/nope'));
    expect(error).toMatchObject({ code: 'not_found', status: 404, operation: 'listPipelines' });
    expect(error.message).toContain('Not Found');
  });
});

describe('updatedSince', () => {
  it('runs the created, finished and active passes and keeps exactly the builds changed since', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const at = (s: string) => `2025-0${s}T00:00:00Z`;
    const since = '2025-03-01T00:00:00Z';
    const newRun = fake.seed.pipeline!('acme/web', { status: 'running', createdAt: at('4-01'), updatedAt: at('4-02') });
    const oldFinishedLate = fake.seed.pipeline!('acme/web', { status: 'failed', createdAt: at('1-01'), updatedAt: at('4-01') });
    const oldFinishedEarly = fake.seed.pipeline!('acme/web', { status: 'succeeded', createdAt: at('1-01'), updatedAt: at('2-01') });
    const oldRunningStartedLate = fake.seed.pipeline!('acme/web', { status: 'running', createdAt: at('1-01'), updatedAt: at('5-01') });
    const oldRunningStartedEarly = fake.seed.pipeline!('acme/web', { status: 'running', createdAt: at('1-01'), updatedAt: at('1-02') });
    const oldBlockedLate = fake.seed.pipeline!('acme/web', { status: 'blocked', createdAt: at('1-01'), updatedAt: at('3-05') });

    const all = await collect<ExternalPipeline>((o) => bk.cicd!.listPipelines('acme/web', o), { updatedSince: since });
    const ids = all.map((b) => b.ref.id).sort();
    expect(ids).toEqual([newRun, oldFinishedLate, oldRunningStartedLate, oldBlockedLate].map((r) => r.id).sort());
    expect(ids).not.toContain(oldFinishedEarly.id);
    expect(ids).not.toContain(oldRunningStartedEarly.id);
    for (const build of all) expect(Date.parse(build.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));

    const queries = fake.requests.map((r) => r.query);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatchObject({ created_from: '2025-03-01T00:00:00.000Z' });
    expect(queries[1]).toMatchObject({ finished_from: '2025-03-01T00:00:00.000Z', created_to: '2025-03-01T00:00:00.000Z' });
    expect(queries[2]).toMatchObject({ 'state[]': 'canceling', created_to: '2025-03-01T00:00:00.000Z' });
    expect(fake.requests[2]!.path).toBe('/v2/organizations/acme/pipelines/web/builds');
  });

  it('refuses a cursor of another listing', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    for (let i = 0; i < 3; i++) fake.seed.pipeline!('acme/web', {});
    fake.seed.pipeline!('acme/api', {});
    const page = await bk.cicd!.listPipelines('acme/web', { pageSize: 1 });
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await failure(bk.cicd!.listPipelines('acme/api', { cursor: page.nextCursor! }))).code).toBe('invalid_input');
    expect((await failure(bk.cicd!.listPipelines('acme/web', { cursor: page.nextCursor!, updatedSince: '2020-01-01T00:00:00Z' }))).code).toBe('invalid_input');
    expect((await failure(bk.cicd!.listJobs({ scope: 'acme/web', id: '1' }, { cursor: page.nextCursor! }))).code).toBe('invalid_input');
  });
});

describe('pagination', () => {
  it('clamps page sizes to 100 and keeps the first page size for the whole listing', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    for (let i = 0; i < 5; i++) fake.seed.pipeline!('acme/web', {});
    const big = await bk.cicd!.listPipelines('acme/web', { pageSize: 5000 });
    expect(big.items).toHaveLength(5);
    expect(fake.requests[0]!.query.per_page).toBe('100');
    const first = await bk.cicd!.listPipelines('acme/web', { pageSize: 2 });
    const second = await bk.cicd!.listPipelines('acme/web', { pageSize: 100, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(fake.requests[2]!.query).toMatchObject({ per_page: '2', page: '2' });
  });

  it('refuses a next link that points at another host', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    fake.seed.pipeline!('acme/web', {});
    server.use(
      http.get('https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds', () =>
        HttpResponse.json([], { headers: { link: '<https://collector.example.net/v2/organizations/acme/pipelines/web/builds?page=2>; rel="next"' } })),
    );
    const error = await failure(bk.cicd!.listPipelines('acme/web'));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('another host');
  });

  it('refuses a next link that does not move forward', async () => {
    const { instance: bk } = startProvider(server, buildkitePlugin, createFake);
    server.use(
      http.get('https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds', () =>
        HttpResponse.json([], { headers: { link: '<https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds?page=1>; rel="next"' } })),
    );
    expect((await failure(bk.cicd!.listPipelines('acme/web'))).code).toBe('upstream_unavailable');
  });

  it('refuses a job listing next link to another host', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    server.use(
      http.get('https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds/1/jobs', () =>
        HttpResponse.json({ items: [], links: { next: 'https://collector.example.net/jobs?after=abc' } })),
    );
    const error = await failure(bk.cicd!.listJobs(ref));
    expect(error.message).toContain('another host');
  });

  it('pages jobs with Buildkite cursors', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    for (let i = 1; i <= 5; i++) fake.seed.job!(ref, { name: `Job ${i}` });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bk.cicd!.listJobs(ref, { pageSize: 2, ...(cursor ? { cursor } : {}) });
      names.push(...page.items.map((j) => j.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(names).toEqual(['Job 1', 'Job 2', 'Job 3', 'Job 4', 'Job 5']);
    expect(fake.requests.map((r) => r.query.after !== undefined)).toEqual([false, true, true]);
  });
});

describe('jobs', () => {
  it('lists command, block and trigger jobs and leaves wait steps out', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'blocked' });
    const build = fake.build(ref);
    build.jobs.push(
      fake.state.newJob({ name: 'Build', state: 'passed', exitStatus: 0 }),
      fake.state.newJob({ type: 'waiter', name: '', state: 'passed' }),
      fake.state.newJob({ type: 'manual', name: 'Deploy?', state: 'blocked' }),
      fake.state.newJob({ type: 'trigger', name: 'Deploy pipeline', state: 'scheduled' }),
      fake.state.newJob({ name: 'Flaky', state: 'failed', exitStatus: 1, softFailed: true }),
    );
    const { items } = await bk.cicd!.listJobs(ref);
    expect(items.map((j) => [j.name, j.phase, j.conclusion ?? null, j.external.extensions.fields.type])).toEqual([
      ['Build', 'succeeded', 'success', 'script'],
      ['Deploy?', 'blocked', null, 'manual'],
      ['Deploy pipeline', 'queued', null, 'trigger'],
      ['Flaky', 'failed', 'neutral', 'script'],
    ]);
    for (const job of items) expect(job.pipelineRef).toEqual(ref);
  });
});

describe('job logs', () => {
  it('fetches the log on demand and redacts credentials in it', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    const log = [
      '~~~ Running tests',
      `curl -H "Authorization: Bearer ${fake.config.apiToken}" https://api.buildkite.com/v2/user`,
      `webhook token is ${fake.secrets[1]}`,
      'export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'all good',
    ].join('\n');
    const jobRef = fake.seed.job!(ref, { name: 'Test', log });
    const before = fake.requests.length;
    const result = await bk.cicd!.getJobLog(jobRef);
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual([`/v2/organizations/acme/pipelines/web/builds/1/jobs/${jobRef.id.split('/')[1]}/log`]);
    expect(result.redacted).toBe(true);
    expect(result.truncated).toBe(false);
    expect(result.sizeBytes).toBe(Buffer.byteLength(log));
    expect(result.jobRef).toEqual(jobRef);
    for (const secret of [...fake.secrets, 'ghp_abcdefghijklmnopqrstuvwxyz0123456789']) expect(result.content).not.toContain(secret);
    expect(result.content).toContain('[REDACTED]');
    expect(result.content).toContain('all good');
  });

  it('keeps a clean log as it is', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    const jobRef = fake.seed.job!(ref, { name: 'Test', log: 'nothing secret here\n' });
    expect(await bk.cicd!.getJobLog(jobRef)).toMatchObject({ content: 'nothing secret here\n', redacted: false, truncated: false });
  });

  it('keeps the tail of a log longer than maxLogBytes and reports the full size', async () => {
    const { fake } = startProvider(server, buildkitePlugin, createFake);
    const bk = buildkite.create({ ...fake.config, maxLogBytes: 16 });
    const ref = fake.seed.pipeline!('acme/web', {});
    const log = `${'x'.repeat(100)}\nthe last line ✓`;
    const jobRef = fake.seed.job!(ref, { name: 'Long', log });
    const result = await bk.cicd!.getJobLog(jobRef);
    expect(result.truncated).toBe(true);
    expect(result.sizeBytes).toBe(Buffer.byteLength(log));
    expect(Buffer.byteLength(result.content!)).toBeLessThanOrEqual(16);
    expect(log.endsWith(result.content!)).toBe(true);
  });

  it('is not_found for a job the build does not have', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    const error = await failure(bk.cicd!.getJobLog({ scope: ref.scope, id: `${ref.id}/01900003-0000-4000-8000-00000000dead` }));
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
    expect(error.message).toContain('No job found');
  });
});

describe('artifacts and agents', () => {
  it('lists artifacts with digest and download URL, without deleted ones', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', {});
    const kept = fake.seed.artifact!(ref, { name: 'dist/app.tar.gz', sizeBytes: 529371 });
    const gone = fake.seed.artifact!(ref, { name: 'tmp/old.log' });
    fake.state.artifacts.update(gone.id.split('/')[2]!, { state: 'deleted' });
    const { items } = await bk.cicd!.listArtifacts(ref);
    expect(items.map((a) => a.ref)).toEqual([kept]);
    expect(items[0]).toMatchObject({ name: 'dist/app.tar.gz', sizeBytes: 529371, expired: false, pipelineRef: ref });
    expect(items[0]!.digest).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(items[0]!.downloadUrl).toMatch(/\/artifacts\/[0-9a-f-]+\/download$/);
  });

  it('lists connected agents (Buildkite leaves disconnected ones out) with status and labels', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    fake.seed.runner!('acme', { name: 'idle', labels: ['queue=default', 'os=linux'] });
    fake.seed.runner!('acme', { name: 'working', busy: true });
    fake.seed.runner!('acme', { name: 'gone', status: 'offline' });
    const { items } = await bk.cicd!.listRunners('acme');
    expect(items.map((r) => [r.name, r.status, r.busy])).toEqual([['idle', 'online', false], ['working', 'busy', true]]);
    expect(items[0]).toMatchObject({ labels: ['queue=default', 'os=linux'], os: 'linux', version: '3.100.0', ref: { scope: 'acme' } });
  });
});

describe('rerun and cancel', () => {
  it('rebuilds into a new build that names the original', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'failed' });
    const rebuilt = await bk.cicd!.rerunPipeline(ref);
    expect(rebuilt.ref).toEqual({ scope: 'acme/web', id: '2' });
    expect(rebuilt).toMatchObject({ phase: 'queued', nativeStatus: 'scheduled', event: 'api' });
    expect(rebuilt.external.extensions.fields.rebuiltFrom).toMatchObject({ number: 1 });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/v2/organizations/acme/pipelines/web/builds/1/rebuild' });
  });

  it('never sends a rebuild twice, even when the answer is lost', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'failed' });
    fake.faults.serverError({ method: 'PUT' });
    expect((await failure(bk.cicd!.rerunPipeline(ref))).code).toBe('upstream_unavailable');
    fake.faults.drop({ method: 'PUT', afterWrite: true });
    const lost = await failure(bk.cicd!.rerunPipeline(ref));
    expect(lost.retryable).toBe(false);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    expect(fake.state.listBuilds('acme', 'web')).toHaveLength(2); // the original and one rebuild
  });

  it('retries only the failed jobs of the same build with failedOnly', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'failed' });
    fake.seed.job!(ref, { name: 'Unit', status: 'succeeded' });
    fake.seed.job!(ref, { name: 'Integration', status: 'failed' });
    const retried = await bk.cicd!.rerunPipeline(ref, { failedOnly: true });
    expect(retried.ref).toEqual(ref);
    expect(retried.phase).toBe('queued');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/v2/organizations/acme/pipelines/web/builds/1/retry_failed_jobs', status: 202 });
    const { items } = await bk.cicd!.listJobs(ref);
    expect(items.map((j) => [j.name, j.phase, j.external.extensions.fields.retried])).toEqual([
      ['Unit', 'succeeded', false],
      ['Integration', 'failed', true],
      ['Integration', 'queued', false],
    ]);
  });

  it('cancels a running build and returns a finished one as it is', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const running = fake.seed.pipeline!('acme/web', { status: 'running' });
    expect((await bk.cicd!.cancelPipeline(running)).phase).toBe('canceled');
    const mark = fake.requests.length;
    const again = await bk.cicd!.cancelPipeline(running);
    expect(again.phase).toBe('canceled');
    expect(fake.requests.slice(mark).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 422', 'GET 200']);
    const passed = fake.seed.pipeline!('acme/web', { status: 'succeeded' });
    expect(await bk.cicd!.cancelPipeline(passed)).toMatchObject({ phase: 'succeeded', ref: passed });
  });

  it('reports a refused cancel of a build that is still running as a conflict', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const running = fake.seed.pipeline!('acme/web', { status: 'running' });
    fake.faults.status(422, { method: 'PUT' });
    const error = await failure(bk.cicd!.cancelPipeline(running));
    expect(error).toMatchObject({ code: 'conflict', status: 422, operation: 'cancelPipeline' });
  });
});

describe('rate limits and errors', () => {
  it('exposes the tighter of the organization and user buckets', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    fake.seed.pipeline!('acme/web', {});
    expect(bk.rateLimit()).toBeUndefined();
    await bk.cicd!.listPipelines('acme/web');
    const snapshot = bk.rateLimit()!;
    expect(snapshot).toMatchObject({ limit: 50, remaining: 49, resource: 'rest_user' });
    expect(Date.parse(snapshot.resetAt!)).toBeGreaterThan(Date.now());
  });

  it('reads retryAfterMs from the spent bucket of a 429', async () => {
    const { instance: bk } = startProvider(server, buildkitePlugin, createFake);
    server.use(
      http.get('https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds/7', () =>
        HttpResponse.json(
          { message: 'You have exceeded your API rate limit. Please wait 42 seconds before making more requests.', scope: 'rest_user', limit: 50, current: 55, reset: 42 },
          { status: 429, headers: { 'RateLimit-User-Remaining': '0', 'RateLimit-User-Reset': '42', 'RateLimit-Remaining': '80', 'RateLimit-Reset': '17' } },
        )),
    );
    const error = await failure(bk.cicd!.getPipeline({ scope: 'acme/web', id: '7' }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 42_000 });
    expect(bk.rateLimit()).toMatchObject({ remaining: 0, resource: 'rest_user' });
  });

  it('waits for a short reset and retries a read', async () => {
    const { fake } = startProvider(server, buildkitePlugin, createFake);
    const bk = buildkite.create({ ...fake.config, retry: { ...fake.config.retry, maxRetryAfterMs: 5_000 } });
    const ref = fake.seed.pipeline!('acme/web', {});
    fake.faults.rateLimit({ retryAfterSeconds: 1 });
    const started = Date.now();
    expect((await bk.cicd!.getPipeline(ref)).ref).toEqual(ref);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('is unauthenticated with a wrong token, without showing it', async () => {
    const { fake } = startProvider(server, buildkitePlugin, createFake);
    const wrong = 'bkua_ffffffffffffffffffffffffffffffffffffffff';
    const bk = buildkite.create({ ...fake.config, apiToken: wrong });
    const error = await failure(bk.cicd!.listPipelines('acme/web'));
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(error.message).toContain('Authentication required');
    expect(`${error.message} ${JSON.stringify(error)} ${error.hint}`).not.toContain(wrong);
    expect(fake.requests[0]!.headers.authorization).toBe('[REDACTED]');
  });

  it('resolves the API token from a secret reference', async () => {
    const { fake } = startProvider(server, buildkitePlugin, createFake);
    const bk = buildkite.create(
      { ...fake.config, apiToken: { secretRef: { name: 'buildkite', key: 'token' } } },
      { secrets: staticSecretResolver({ 'buildkite#token': fake.config.apiToken as string }) },
    );
    fake.seed.pipeline!('acme/web', {});
    expect((await bk.cicd!.listPipelines('acme/web')).items).toHaveLength(1);
    const unresolved = buildkite.create({ ...fake.config, apiToken: { secretRef: { name: 'buildkite' } } });
    expect((await failure(unresolved.cicd!.listPipelines('acme/web'))).code).toBe('invalid_config');
  });

  it('validates the config', () => {
    expect(() => buildkite.create({ organization: 'acme' } as never)).toThrow(/apiToken/);
    expect(() => buildkite.create({ apiToken: 'bkua_x', organization: 'acme', baseUrl: 'ftp://example.com' })).toThrow(/baseUrl/);
    expect(() => buildkite.create({ apiToken: 'bkua_x', organization: 'acme', typo: true } as never)).toThrow(/typo|unrecognized/i);
    const instance = buildkite.create({ apiToken: 'bkua_x', organization: 'acme' });
    expect(instance.supports('cicd', 'registerRunner')).toBe(false);
    expect(instance.issueTracking).toBeUndefined();
    expect(instance.gitForge).toBeUndefined();
  });

  it('refuses the undeclared operations without a request', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    expect((await failure(bk.cicd!.registerRunner('acme'))).code).toBe('unsupported_operation');
    expect((await failure(bk.cicd!.createCheck({ scope: 'acme/web', name: 'ci', sha: 'abcdef1234567' }))).code).toBe('unsupported_operation');
    expect(fake.requests).toHaveLength(0);
  });
});
