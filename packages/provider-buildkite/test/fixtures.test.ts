import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ExternalArtifactSchema, ExternalJobSchema, ExternalLogRefSchema, ExternalPipelineSchema, ExternalRunnerSchema } from '@krate/core';
import buildkite from '../src/index.js';
import { createFake } from '../src/testing/index.js';
import { DOCS_AGENTS, DOCS_ARTIFACTS, DOCS_RATE_LIMIT_BODY, DOCS_RATE_LIMIT_HEADERS } from './fixtures/docs-artifacts-agents.js';
import { DOCS_BUILD } from './fixtures/docs-build.js';
import { DOCS_JOB_LIST, DOCS_JOB_LOG } from './fixtures/docs-jobs.js';
import { useFakeServer } from '@krate/contract-tests';

const server = useFakeServer();

type Json = Record<string, unknown>;

/**
 * Every field of a documented example is in the fake's object, with the same JSON type
 * (null matching anything: the docs and the fake fill optional fields differently).
 * Returns the differences as `path: problem`.
 */
function shapeDifferences(documented: unknown, fake: unknown, path = '$'): string[] {
  if (documented === null || fake === null) return [];
  if (Array.isArray(documented)) {
    if (!Array.isArray(fake)) return [`${path}: expected an array`];
    if (documented.length === 0 || fake.length === 0) return [];
    return shapeDifferences(documented[0], fake[0], `${path}[0]`);
  }
  if (typeof documented === 'object') {
    if (typeof fake !== 'object' || Array.isArray(fake)) return [`${path}: expected an object`];
    // `{}` in the docs (env, meta_data, pull_request) says nothing about fields.
    return Object.keys(documented as Json).flatMap((key) =>
      key in (fake as Json) ? shapeDifferences((documented as Json)[key], (fake as Json)[key], `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return typeof documented === typeof fake ? [] : [`${path}: ${typeof fake}, documented ${typeof documented}`];
}

async function call(fake: ReturnType<typeof createFake>, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.config.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${fake.config.apiToken}`, ...(init.headers ?? {}) } });
}

describe('the fake answers in the documented shapes', () => {
  it('the shape check itself notices missing fields and wrong types', () => {
    expect(shapeDifferences({ a: 1, b: { c: 'x' }, d: [{ e: true }] }, { a: '1', b: {}, d: [{}] })).toEqual(['$.a: string, documented number', '$.b.c: missing', '$.d[0].e: missing']);
  });

  function seeded() {
    const fake = createFake();
    server.use(...fake.handlers);
    const ref = fake.seed.pipeline!('acme/web', { status: 'succeeded' });
    const jobRef = fake.seed.job!(ref, { name: 'RSpec', log: "This is the job's log output" });
    fake.seed.artifact!(ref, { name: 'dist/app.tar.gz', sizeBytes: 529371 });
    fake.seed.runner!('acme', { name: 'my-agent', busy: true, labels: ['key1=val1', 'key2=val2'] });
    fake.state.agents.list()[0]!.job = { ...fake.state.agents.list()[0]!.job!, buildId: fake.build(ref).id, id: fake.job(jobRef).id };
    return { fake, ref, jobRef };
  }

  it('get a build (builds API)', async () => {
    const { fake } = seeded();
    const response = await call(fake, '/organizations/acme/pipelines/web/builds/1');
    const body = (await response.json()) as Json;
    // The fake leaves out what only some builds carry (job signatures, group keys, retry sources).
    const documented = structuredClone(DOCS_BUILD) as Json;
    const job = (documented.jobs as Json[])[0]!;
    delete job.group_key;
    job.step = { id: 'x', signature: null };
    job.retry_source = null;
    expect(shapeDifferences(documented, body)).toEqual([]);
  });

  it('list builds answers an array with a Link header and rate-limit headers', async () => {
    const { fake } = seeded();
    fake.seed.pipeline!('acme/web', {});
    const response = await call(fake, '/organizations/acme/pipelines/web/builds?per_page=1');
    expect(response.headers.get('link')).toMatch(/<https:\/\/api\.buildkite\.com\/v2\/organizations\/acme\/pipelines\/web\/builds\?per_page=1&page=2>; rel="next"/);
    for (const name of Object.keys(DOCS_RATE_LIMIT_HEADERS)) expect(response.headers.has(name)).toBe(true);
    const body = (await response.json()) as Json[];
    expect(body).toHaveLength(1);
    expect(shapeDifferences({ ...DOCS_BUILD, rebuilt_from: null }, body[0])).toEqual([]);
  });

  it('list jobs (jobs API, cursor pagination)', async () => {
    const { fake } = seeded();
    fake.seed.job!({ scope: 'acme/web', id: '1' }, { name: 'Lint' });
    const response = await call(fake, '/organizations/acme/pipelines/web/builds/1/jobs?per_page=1');
    const body = (await response.json()) as Json;
    const documented = structuredClone(DOCS_JOB_LIST) as Json;
    delete ((documented.items as Json[])[0] as Json).retried_by;
    expect(shapeDifferences(documented, body)).toEqual([]);
    expect((body.links as Json).next).toMatch(/after=/);
  });

  it("get a job's log output", async () => {
    const { fake, jobRef } = seeded();
    const response = await call(fake, `/organizations/acme/pipelines/web/builds/1/jobs/${jobRef.id.split('/')[1]}/log`);
    const body = (await response.json()) as Json;
    expect(shapeDifferences(DOCS_JOB_LOG, body)).toEqual([]);
    expect(body).toMatchObject({ content: DOCS_JOB_LOG.content, size: DOCS_JOB_LOG.size });
  });

  it('list artifacts for a build', async () => {
    const { fake } = seeded();
    const body = (await (await call(fake, '/organizations/acme/pipelines/web/builds/1/artifacts')).json()) as Json[];
    expect(shapeDifferences(DOCS_ARTIFACTS, body)).toEqual([]);
    expect(body[0]).toMatchObject({ path: 'dist/app.tar.gz', dirname: 'dist', filename: 'app.tar.gz', mime_type: 'application/x-gzip', file_size: 529371 });
  });

  it('list agents', async () => {
    const { fake } = seeded();
    const body = (await (await call(fake, '/organizations/acme/agents')).json()) as Json[];
    const documented = structuredClone(DOCS_AGENTS) as Json[];
    delete (documented[0]!.job as Json).script_path; // a field of older agent versions
    expect(shapeDifferences(documented, body)).toEqual([]);
  });

  it('errors: 401 and 404 bodies, the 429 body and headers', async () => {
    const { fake } = seeded();
    const unauthorized = await fetch(`${fake.config.baseUrl}/organizations/acme/builds`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: 'Authentication required. Please supply a valid API Access Token: https://buildkite.com/docs/apis/rest-api#authentication' });
    const missing = await call(fake, '/organizations/acme/pipelines/web/builds/99');
    expect([missing.status, await missing.json()]).toEqual([404, { message: 'Not Found' }]);
    fake.faults.rateLimit({ retryAfterSeconds: 42 });
    const limited = await call(fake, '/organizations/acme/builds');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-reset')).toBe('42');
    const body = (await limited.json()) as Json;
    expect(shapeDifferences(DOCS_RATE_LIMIT_BODY, body)).toEqual([]);
    expect(body.message).toBe('You have exceeded your API rate limit. Please wait 42 seconds before making more requests.');
  });

  it('cancel of a finished build is a 422 with a message', async () => {
    const { fake } = seeded();
    const response = await call(fake, '/organizations/acme/pipelines/web/builds/1/cancel', { method: 'PUT' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as Json).message).toEqual(expect.any(String));
  });
});

describe('the provider reads the documented examples', () => {
  const BASE = 'https://api.buildkite.com/v2/organizations/my-great-org';
  const config = { apiToken: 'bkua_0123456789abcdef0123456789abcdef01234567', organization: 'my-great-org', timeoutMs: 1000, retry: { maxRetries: 0 } };

  it('normalizes the documented build, jobs, log, artifacts and agents', async () => {
    server.use(
      http.get(`${BASE}/pipelines/my-pipeline/builds/2`, () => HttpResponse.json(DOCS_BUILD)),
      http.get(`${BASE}/pipelines/my-pipeline/builds/1/jobs`, ({ request }) =>
        HttpResponse.json(new URL(request.url).searchParams.has('after') ? { items: [], links: {} } : DOCS_JOB_LIST)),
      http.get(`${BASE}/pipelines/my-pipeline/builds/1/jobs/:id/log`, () => HttpResponse.json(DOCS_JOB_LOG)),
      http.get(`${BASE}/pipelines/my-pipeline/builds/1/artifacts`, () => HttpResponse.json(DOCS_ARTIFACTS)),
      http.get(`${BASE}/agents`, () => HttpResponse.json(DOCS_AGENTS, { headers: DOCS_RATE_LIMIT_HEADERS })),
    );
    const bk = buildkite.create(config);
    const build = await bk.cicd!.getPipeline({ scope: 'my-great-org/my-pipeline', id: '2' });
    expect(ExternalPipelineSchema.safeParse(build).success).toBe(true);
    expect(build).toMatchObject({
      number: 2, phase: 'succeeded', conclusion: 'success', branch: 'main', sha: 'abcd0b72a1e580e90712cdd9eb26d3fb41cd09c8',
      name: 'Great Pipeline', event: 'webhook', actor: { id: '3d3c3bf0-7d58-4afe-8fe7-b3017d5504de', name: 'Keith Pitt' },
      updatedAt: '2015-05-09T21:08:59.874Z',
    });
    expect(build.external).toMatchObject({ nativeId: DOCS_BUILD.id, nativeNumber: 2, url: DOCS_BUILD.web_url, apiUrl: DOCS_BUILD.url, nodeId: DOCS_BUILD.graphql_id });

    const jobs = await bk.cicd!.listJobs({ scope: 'my-great-org/my-pipeline', id: '1' });
    expect(ExternalJobSchema.safeParse(jobs.items[0]).success).toBe(true);
    expect(jobs.items[0]).toMatchObject({ name: ':package: Build', phase: 'succeeded', ref: { id: '1/b63254c0-3271-4a98-8270-7cfbd6c2f14e' } });
    expect(jobs.nextCursor).toEqual(expect.any(String));
    expect((await bk.cicd!.listJobs({ scope: 'my-great-org/my-pipeline', id: '1' }, { cursor: jobs.nextCursor! })).nextCursor).toBeNull();

    const log = await bk.cicd!.getJobLog(jobs.items[0]!.ref);
    expect(ExternalLogRefSchema.safeParse(log).success).toBe(true);
    expect(log).toMatchObject({ content: "This is the job's log output", sizeBytes: 28, redacted: false, truncated: false });

    const artifacts = await bk.cicd!.listArtifacts({ scope: 'my-great-org/my-pipeline', id: '1' });
    expect(ExternalArtifactSchema.safeParse(artifacts.items[0]).success).toBe(true);
    expect(artifacts.items[0]).toMatchObject({ name: 'dist/app.tar.gz', sizeBytes: 529371, digest: 'sha1:884c4ad3f2545c85c69d0d0ef50c5d4f5266f0b7', downloadUrl: DOCS_ARTIFACTS[0]!.download_url });

    const agents = await bk.cicd!.listRunners('my-great-org');
    expect(ExternalRunnerSchema.safeParse(agents.items[0]).success).toBe(true);
    expect(agents.items[0]).toMatchObject({ name: 'my-agent', status: 'busy', busy: true, labels: ['key1=val1', 'key2=val2'], os: 'linux', version: '2.1.0' });
    // The documented headers: the user bucket (35 left of 50) is tighter than the organization's (80 of 200).
    expect(bk.rateLimit()).toMatchObject({ limit: 50, remaining: 35, resource: 'rest_user' });
  });
});
