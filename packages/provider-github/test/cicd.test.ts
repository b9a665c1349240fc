import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  ExternalCheckSchema,
  ExternalJobSchema,
  ExternalLogRefSchema,
  ExternalPipelineSchema,
  ExternalRunnerSchema,
  ProviderError,
  collect,
  redactSecrets,
  type CicdProvider,
  type ExternalRef,
  type RequestRecord,
} from '@krate/core';
import Ajv from 'ajv';
import { http, HttpResponse } from 'msw';
import { useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import { gitHubPhase, mapCheckRun, mapCommitStatus, mapWorkflowJob, mapWorkflowRun } from '../src/cicd/github-cicd-mapping.js';
import { cicdManifest } from '../src/cicd/github-cicd-manifest.js';
import { createGitHubCicd } from '../src/cicd/github-cicd.js';
import { createGitHubContext } from '../src/github-context.js';
import { GitHubConfigSchema } from '../src/github-config.js';
import { createGitHubProvider } from '../src/github-provider.js';
import { GITHUB_FAKE_LOG_HOST, githubFakeCicd } from '../src/testing/github-fake-cicd.js';
import { createFake, type GitHubFake } from '../src/testing/github-fake.js';
import { randomBytes } from 'node:crypto';

type CicdFake = GitHubFake & { token: string };

/** The GitHub fake, plus a personal token for calling it directly. */
function makeCicdFake(options: { baseUrl?: string } = {}): CicdFake {
  const fake = createFake(options) as CicdFake;
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  fake.core.addPersonalToken(token, 'octocat');
  return Object.assign(fake, { token });
}

const server = useFakeServer();

const SCOPE = 'octo-org/hello-world';

interface Setup {
  fake: CicdFake;
  cicd: CicdProvider;
  records: RequestRecord[];
  /** Every request MSW saw (any host), with whether it carried an Authorization header. */
  seen: Array<{ method: string; url: string; authorization: boolean }>;
}

function setup(options: { baseUrl?: string } = {}): Setup {
  const fake = makeCicdFake(options);
  server.use(...fake.handlers);
  const records: RequestRecord[] = [];
  const seen: Setup['seen'] = [];
  server.events.removeAllListeners('request:start');
  server.events.on('request:start', ({ request }) => {
    seen.push({ method: request.method, url: request.url, authorization: request.headers.has('authorization') });
  });
  const instance = createGitHubProvider(fake.config, { onRequest: (r) => records.push(r) });
  if (!instance.cicd) throw new Error('the GitHub provider has no cicd interface');
  return { fake, cicd: instance.cicd, records, seen };
}

function paths(fake: CicdFake, method?: string): string[] {
  return fake.requests.filter((r) => !method || r.method === method).map((r) => `${r.method} ${r.path}`);
}

describe('status/conclusion -> phase', () => {
  it.each([
    ['requested', null, 'pending', undefined],
    ['pending', null, 'pending', undefined],
    ['queued', null, 'queued', undefined],
    ['waiting', null, 'waiting', undefined],
    ['in_progress', null, 'running', undefined],
    ['completed', 'success', 'succeeded', 'success'],
    ['completed', 'neutral', 'succeeded', 'neutral'],
    ['completed', 'failure', 'failed', 'failure'],
    ['completed', 'timed_out', 'failed', 'timed_out'],
    ['completed', 'startup_failure', 'failed', 'failure'],
    ['completed', 'cancelled', 'canceled', 'cancelled'],
    ['completed', 'skipped', 'skipped', 'skipped'],
    ['completed', 'action_required', 'blocked', 'action_required'],
    ['completed', 'stale', 'unknown', 'stale'],
    ['completed', null, 'unknown', undefined],
    ['something_new', null, 'unknown', undefined],
    ['failure', null, 'failed', 'failure'],
  ] as const)('%s + %s -> %s', (status, conclusion, phase, normalized) => {
    expect(gitHubPhase(status, conclusion)).toEqual(normalized === undefined ? { phase } : { phase, conclusion: normalized });
  });

  it('maps every seeded run status through the provider', async () => {
    const { fake, cicd } = setup();
    const expected = {
      queued: ['queued', 'queued', undefined],
      running: ['in_progress', 'running', undefined],
      succeeded: ['completed', 'succeeded', 'success'],
      failed: ['completed', 'failed', 'failure'],
      canceled: ['completed', 'canceled', 'cancelled'],
      blocked: ['waiting', 'waiting', undefined],
    } as const;
    for (const [status, [nativeStatus, phase, conclusion]] of Object.entries(expected)) {
      const ref = fake.seed.pipeline!(SCOPE, { status: status as keyof typeof expected });
      const run = await cicd.getPipeline(ref);
      expect({ nativeStatus: run.nativeStatus, phase: run.phase, conclusion: run.conclusion }).toEqual({ nativeStatus, phase, conclusion });
      expect(run.finishedAt !== undefined).toBe(nativeStatus === 'completed');
    }
  });
});

describe('workflow runs as pipelines', () => {
  it('gets a run with its envelope and GitHub fields', async () => {
    const { fake, cicd } = setup();
    const ref = fake.seed.pipeline!(SCOPE, { name: 'Build', branch: 'feature/x', sha: 'a'.repeat(40), status: 'failed' });
    const run = ExternalPipelineSchema.parse(await cicd.getPipeline(ref));
    expect(run.ref).toEqual(ref);
    expect(run).toMatchObject({ name: 'Build', branch: 'feature/x', sha: 'a'.repeat(40), event: 'push', attempt: 1, number: 1 });
    expect(run.actor?.login).toBe('octo-org');
    expect(run.external).toMatchObject({
      interface: 'cicd',
      nativeKind: 'workflow_run',
      nativeId: ref.id,
      url: `https://github.com/${SCOPE}/actions/runs/${ref.id}`,
      apiUrl: `https://api.github.com/repos/${SCOPE}/actions/runs/${ref.id}`,
      version: { sha: 'a'.repeat(40) },
    });
    expect(run.external.nodeId).toMatch(/^WFR_/);
    expect(run.external.version.etag).toMatch(/^W\/"/);
    expect(run.external.extensions.fields).toMatchObject({ workflowPath: '.github/workflows/build.yml', conclusion: 'failure', runNumber: 1 });
  });

  it('lists newest first, 100 per page, and filters updatedSince client-side', async () => {
    const { fake, cicd } = setup();
    const refs: ExternalRef[] = [];
    for (let i = 0; i < 150; i++) refs.push(fake.seed.pipeline!(SCOPE, { status: 'succeeded' }));
    const all = await collect((o) => cicd.listPipelines(SCOPE, o));
    expect(all.map((p) => p.ref.id)).toEqual(refs.map((r) => r.id).reverse());
    expect(paths(fake, 'GET')).toHaveLength(2);
    expect(fake.requests[0]?.query).toMatchObject({ per_page: '100' });

    // The 10 oldest runs change again (a re-run): updatedSince must still find them.
    const cutoff = fake.core.clock.tick(60_000);
    for (const ref of refs.slice(0, 10)) fake.core.state.workflowRuns.update(Number(ref.id), { updated_at: fake.core.clock.tick() });
    fake.reset();
    const changed = await collect((o) => cicd.listPipelines(SCOPE, { ...o, updatedSince: cutoff }));
    expect(changed.map((p) => p.ref.id).sort()).toEqual(refs.slice(0, 10).map((r) => r.id).sort());
    expect(fake.requests.every((r) => r.query.created === undefined)).toBe(true);
  });

  it('refuses a bad scope or run id before any request', async () => {
    const { fake, cicd } = setup();
    await expect(cicd.listPipelines('not-a-repo-scope')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(cicd.getPipeline({ scope: SCOPE, id: 'abc' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(cicd.getPipeline({ scope: SCOPE, id: '999999' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(paths(fake)).toEqual([`GET /repos/${SCOPE}/actions/runs/999999`]);
  });
});

describe('workflow jobs and lazy logs', () => {
  it('lists the latest attempt\'s jobs without fetching any log', async () => {
    const { fake, cicd, seen } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    const lint = fake.seed.job!(run, { name: 'lint', status: 'succeeded', log: 'lint ok\n' });
    const test = fake.seed.job!(run, { name: 'test', status: 'failed', log: 'boom\n' });
    const jobs = (await cicd.listJobs(run)).items.map((j) => ExternalJobSchema.parse(j));
    expect(jobs.map((j) => [j.ref.id, j.name, j.phase, j.conclusion, j.pipelineRef.id])).toEqual([
      [lint.id, 'lint', 'succeeded', 'success', run.id],
      [test.id, 'test', 'failed', 'failure', run.id],
    ]);
    expect(jobs[0]?.runnerName).toBe('GitHub Actions 1');
    expect(fake.requests[0]?.query).toMatchObject({ filter: 'latest' });
    expect(seen.some((s) => s.url.includes('/logs') || s.url.startsWith(GITHUB_FAKE_LOG_HOST))).toBe(false);
  });

  it('follows the logs redirect itself, without the GitHub token', async () => {
    const { fake, cicd, seen } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const job = fake.seed.job!(run, { name: 'build', status: 'succeeded', log: '2026-01-01T00:00:00.0000000Z ##[group]Run make\nbuilt\n' });
    const log = ExternalLogRefSchema.parse(await cicd.getJobLog(job));
    expect(log.content).toBe('2026-01-01T00:00:00.0000000Z ##[group]Run make\nbuilt\n');
    expect(log).toMatchObject({ jobRef: job, ref: job, redacted: false, truncated: false });
    expect(log.sizeBytes).toBe(new TextEncoder().encode(`\uFEFF${log.content}`).byteLength);
    expect(log.url).toBe(`https://api.github.com/repos/${SCOPE}/actions/jobs/${job.id}/logs`);

    const api = seen.filter((s) => s.url.startsWith('https://api.github.com/repos/'));
    const blob = seen.filter((s) => s.url.startsWith(GITHUB_FAKE_LOG_HOST));
    expect(api.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([`GET /repos/${SCOPE}/actions/jobs/${job.id}/logs`]);
    expect(api.every((s) => s.authorization)).toBe(true);
    expect(blob).toHaveLength(1);
    expect(blob[0]?.authorization).toBe(false);
    // The pre-signed URL never shows in the envelope.
    expect(JSON.stringify(log)).not.toContain('urlSignature');
  });

  it('the fake refuses a log download that carries credentials', async () => {
    const { fake } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const job = fake.seed.job!(run, { name: 'build', status: 'succeeded', log: 'x\n' });
    const redirect = await fetch(`https://api.github.com/repos/${SCOPE}/actions/jobs/${job.id}/logs`, {
      headers: { authorization: `token ${fake.token}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    const withToken = await fetch(location, { headers: { authorization: `token ${fake.token}` } });
    expect(withToken.status).toBe(403);
    expect((await fetch(location)).status).toBe(200);
    expect((await fetch(location.replace(/urlSignature=[^&]+/, 'urlSignature=forged'))).status).toBe(403);
  });

  it('redacts registered credentials, credential-shaped strings and ::add-mask:: values', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    await cicd.getPipeline(run); // mints the installation token
    const installationToken = fake.core.tokens().find((t) => t.startsWith('ghs_'));
    expect(installationToken).toBeDefined();
    const pat = `ghp_${'A1b2C3d4'.repeat(5)}`;
    const log = [
      `Using token ${installationToken}`,
      `export GH=${pat}`,
      '::add-mask::hunter2-swordfish',
      'password is hunter2-swordfish, twice: hunter2-swordfish',
      'curl -H "Authorization: Bearer abcdefghijklmnop1234" https://example.com',
      'all good',
      '',
    ].join('\n');
    const job = fake.seed.job!(run, { name: 'deploy', status: 'succeeded', log });
    const result = await cicd.getJobLog(job);
    expect(result.redacted).toBe(true);
    for (const secret of [installationToken!, pat, 'hunter2-swordfish', 'abcdefghijklmnop1234']) expect(result.content).not.toContain(secret);
    expect(result.content).toContain('password is [REDACTED], twice: [REDACTED]');
    expect(result.content).toContain('all good');
  });

  it('caps a large log at a line end and marks it truncated', async () => {
    const fake = makeCicdFake();
    server.use(...fake.handlers);
    const ctx = createGitHubContext(GitHubConfigSchema.parse(fake.config));
    const cicd = createGitHubCicd(ctx, { maxLogBytes: 100, fetch: ctx.transport.fetch });
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const line = '0123456789012345678901234567890\n'; // 32 bytes
    const job = fake.seed.job!(run, { name: 'big', status: 'succeeded', log: line.repeat(10) });
    const log = await cicd.getJobLog(job);
    expect(log.truncated).toBe(true);
    // 100 bytes hold the 3-byte byte order mark and three whole lines (96 bytes); the fourth is cut off whole.
    expect(log.content).toBe(line.repeat(3));
    expect(log.sizeBytes).toBe(3 + line.length * 10);
  });

  it('an expired log URL is a retryable error that names the host, never the signed URL', async () => {
    const fake = makeCicdFake();
    server.use(...fake.handlers);
    const ctx = createGitHubContext(GitHubConfigSchema.parse(fake.config));
    let location = '';
    const slowFetch: typeof fetch = async (input, init) => {
      location = String(input);
      fake.core.clock.tick(61_000); // the URL lives one minute
      return ctx.transport.fetch(input, init);
    };
    const cicd = createGitHubCicd(ctx, { fetch: slowFetch });
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const job = fake.seed.job!(run, { name: 'build', status: 'succeeded', log: 'x\n' });
    const error = await cicd.getJobLog(job).then(() => undefined, (e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true, status: 403, operation: 'getJobLog' });
    const signature = new URL(location).searchParams.get('urlSignature') ?? '';
    expect(signature.length).toBeGreaterThan(10);
    expect(JSON.stringify(error)).not.toContain(signature);
    expect(String((error as Error).message)).toContain('pipelines.actions.githubusercontent.example');
  });

  it('a job without a log is not_found', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'queued' });
    const job = fake.seed.job!(run, { name: 'waiting', status: 'queued' });
    await expect(cicd.getJobLog(job)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('artifacts', () => {
  it('lists artifacts with digest, size and the API download URL', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const a = fake.seed.artifact!(run, { name: 'dist', sizeBytes: 4096 });
    const page = await cicd.listArtifacts(run);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      ref: a,
      pipelineRef: run,
      name: 'dist',
      sizeBytes: 4096,
      expired: false,
      downloadUrl: `https://api.github.com/repos/${SCOPE}/actions/artifacts/${a.id}/zip`,
    });
    expect(page.items[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('rerun and cancel', () => {
  it('re-runs a run, and a repeat while the attempt is live returns it instead of a second attempt', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    fake.seed.job!(run, { name: 'a', status: 'succeeded' });
    fake.seed.job!(run, { name: 'b', status: 'failed' });
    const first = await cicd.rerunPipeline(run);
    expect(first).toMatchObject({ phase: 'queued', attempt: 2 });
    const again = await cicd.rerunPipeline(run);
    expect(again).toMatchObject({ phase: 'queued', attempt: 2 });
    expect(paths(fake, 'POST')).toEqual([`POST /repos/${SCOPE}/actions/runs/${run.id}/rerun`, `POST /repos/${SCOPE}/actions/runs/${run.id}/rerun`]);
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([201, 403]);
    const jobs = (await cicd.listJobs(run)).items;
    expect(jobs.map((j) => [j.name, j.phase])).toEqual([['a', 'queued'], ['b', 'queued']]);
  });

  it('re-runs only the failed jobs with failedOnly', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    fake.seed.job!(run, { name: 'a', status: 'succeeded' });
    fake.seed.job!(run, { name: 'b', status: 'failed' });
    const rerun = await cicd.rerunPipeline(run, { failedOnly: true });
    expect(rerun.attempt).toBe(2);
    expect(paths(fake, 'POST')).toEqual([`POST /repos/${SCOPE}/actions/runs/${run.id}/rerun-failed-jobs`]);
    const jobs = (await cicd.listJobs(run)).items;
    expect(jobs.map((j) => [j.name, j.phase])).toEqual([['a', 'succeeded'], ['b', 'queued']]);
  });

  it('a run GitHub refuses to re-run for another reason is an error', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    fake.faults.status(403, { method: 'POST' });
    await expect(cicd.rerunPipeline(run)).rejects.toMatchObject({ code: 'forbidden', operation: 'rerunPipeline' });
  });

  it('cancels a live run; cancelling a completed run returns it as it is', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'running' });
    fake.seed.job!(run, { name: 'a', status: 'running' });
    const cancelled = await cicd.cancelPipeline(run);
    expect(cancelled).toMatchObject({ phase: 'canceled', conclusion: 'cancelled' });
    const again = await cicd.cancelPipeline(run);
    expect(again).toMatchObject({ phase: 'canceled', conclusion: 'cancelled' });
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([202, 409]);
    expect((await cicd.listJobs(run)).items[0]).toMatchObject({ phase: 'canceled' });

    const done = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    await expect(cicd.cancelPipeline(done)).resolves.toMatchObject({ phase: 'succeeded', conclusion: 'success' });
  });

  it('a run GitHub has not finished cancelling is canceling', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'running' });
    const live = { ...fake.core.state.workflowRuns.require(Number(run.id)) };
    server.use(
      http.post(`https://api.github.com/repos/${SCOPE}/actions/runs/${run.id}/cancel`, () => HttpResponse.json({}, { status: 202 }), { once: true }),
      http.get(`https://api.github.com/repos/${SCOPE}/actions/runs/${run.id}`, () => HttpResponse.json(Object.fromEntries(Object.entries(live).filter(([k]) => !k.startsWith('_')))), { once: true }),
    );
    await expect(cicd.cancelPipeline(run)).resolves.toMatchObject({ phase: 'canceling', nativeStatus: 'in_progress' });
  });
});

describe('self-hosted runners', () => {
  it('lists org and repository runners', async () => {
    const { fake, cicd } = setup();
    const org = fake.seed.runner!('octo-org', { name: 'mac-1', status: 'online', busy: true, labels: ['gpu'] });
    fake.seed.runner!('octo-org', { name: 'lin-1', status: 'offline' });
    const repo = fake.seed.runner!(SCOPE, { name: 'repo-1' });
    const orgRunners = (await cicd.listRunners('octo-org')).items.map((r) => ExternalRunnerSchema.parse(r));
    expect(orgRunners.map((r) => [r.ref.scope, r.name, r.status, r.busy])).toEqual([
      ['octo-org', 'mac-1', 'busy', true],
      ['octo-org', 'lin-1', 'offline', false],
    ]);
    expect(orgRunners[0]?.ref).toEqual(org);
    expect(orgRunners[0]?.labels).toEqual(['self-hosted', 'Linux', 'X64', 'gpu']);
    const repoRunners = (await cicd.listRunners(SCOPE)).items;
    expect(repoRunners.map((r) => r.ref)).toEqual([repo]);
    expect(paths(fake)).toEqual(['GET /orgs/octo-org/actions/runners', `GET /repos/${SCOPE}/actions/runners`]);
  });

  it('the registration token never shows in JSON, logs, errors or recorded requests', async () => {
    const { fake, cicd, records } = setup();
    const logs: string[] = [];
    const registration = await cicd.registerRunner('octo-org', { labels: ['gpu'] });
    const token = registration.token;
    expect(token).toMatch(/^[A-Z2-7]{29}$/);
    expect(fake.secrets).toContain(token);
    expect(registration).toMatchObject({ scope: 'octo-org', registrationUrl: 'https://github.com/octo-org' });
    expect(Date.parse(registration.expiresAt ?? '') - fake.core.clock.now().getTime()).toBe(3_600_000);

    logs.push(JSON.stringify(registration), JSON.stringify({ nested: [registration] }), String(Object.keys(registration)));
    logs.push(JSON.stringify(records), JSON.stringify(fake.requests), JSON.stringify(fake.authRequests));
    logs.push(redactSecrets(`config.sh --token ${token}`));
    const error = new ProviderError({ code: 'invalid_input', message: `bad token ${token}` });
    logs.push(error.message, JSON.stringify(error));
    for (const text of logs) expect(text).not.toContain(token);
    expect(JSON.parse(JSON.stringify(registration)).token).toBe('[REDACTED]');

    const repoRegistration = await cicd.registerRunner(SCOPE);
    expect(repoRegistration.registrationUrl).toBe(`https://github.com/${SCOPE}`);
    expect(paths(fake, 'POST')).toEqual(['POST /orgs/octo-org/actions/runners/registration-token', `POST /repos/${SCOPE}/actions/runners/registration-token`]);
  });
});

describe('check runs and commit statuses', () => {
  const sha = 'b'.repeat(40);

  it('creates and updates a check run by its check-run: ref', async () => {
    const { fake, cicd } = setup();
    const created = ExternalCheckSchema.parse(
      await cicd.createCheck({ scope: SCOPE, kind: 'check-run', name: 'lint', sha, status: 'in_progress', summary: 'running', detailsUrl: 'https://ci.example/1' }),
    );
    expect(created.ref.id).toMatch(/^check-run:\d+$/);
    expect(created).toMatchObject({ kind: 'check-run', name: 'lint', sha, phase: 'running', summary: 'running', detailsUrl: 'https://ci.example/1' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/repos/${SCOPE}/check-runs` });
    expect(fake.requests[0]?.body).toMatchObject({ name: 'lint', head_sha: sha, status: 'in_progress', output: { title: 'lint', summary: 'running' } });

    const done = await cicd.updateCheck(created.ref, { conclusion: 'failure', summary: '3 problems' });
    expect(done).toMatchObject({ ref: created.ref, phase: 'failed', conclusion: 'failure', summary: '3 problems', nativeStatus: 'completed' });
    expect(done.completedAt).toBeDefined();
    const patch = fake.requests.find((r) => r.method === 'PATCH');
    expect(patch?.body).toMatchObject({ conclusion: 'failure', output: { title: 'lint', summary: '3 problems' } });
  });

  it('a check run with an externalId is created once', async () => {
    const { fake, cicd } = setup();
    const input = { scope: SCOPE, name: 'build', sha, externalId: 'ci-42' } as const;
    const first = await cicd.createCheck(input);
    const second = await cicd.createCheck(input);
    expect(second.ref).toEqual(first.ref);
    expect(paths(fake, 'POST')).toEqual([`POST /repos/${SCOPE}/check-runs`]);
    const third = await cicd.createCheck({ ...input, externalId: 'ci-43' });
    expect(third.ref).not.toEqual(first.ref);
  });

  it('creates a commit status with a status: ref and updates it by posting a new one', async () => {
    const { fake, cicd } = setup();
    const created = await cicd.createCheck({ scope: SCOPE, kind: 'commit-status', name: 'ci/krate', sha, status: 'in_progress', summary: 'building', detailsUrl: 'https://ci.example/7' });
    expect(created).toMatchObject({ ref: { scope: SCOPE, id: `status:${sha}:ci/krate` }, kind: 'commit-status', name: 'ci/krate', phase: 'pending', nativeStatus: 'pending' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/repos/${SCOPE}/statuses/${sha}` });
    expect(fake.requests[0]?.body).toEqual({ state: 'pending', context: 'ci/krate', target_url: 'https://ci.example/7', description: 'building' });

    const done = await cicd.updateCheck(created.ref, { status: 'completed', conclusion: 'success' });
    expect(done).toMatchObject({ ref: created.ref, phase: 'succeeded', conclusion: 'success', summary: 'building', detailsUrl: 'https://ci.example/7' });
    expect(paths(fake)).toEqual([
      `POST /repos/${SCOPE}/statuses/${sha}`,
      `GET /repos/${SCOPE}/commits/${sha}/status`,
      `POST /repos/${SCOPE}/statuses/${sha}`,
    ]);
    const cancelled = await cicd.updateCheck(created.ref, { conclusion: 'cancelled' });
    expect(cancelled).toMatchObject({ nativeStatus: 'error', phase: 'failed' });
    await expect(cicd.updateCheck({ scope: SCOPE, id: `status:${sha}:other` }, { conclusion: 'success' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cuts a commit status description to GitHub\'s 140 characters', async () => {
    const { fake, cicd } = setup();
    const check = await cicd.createCheck({ scope: SCOPE, kind: 'commit-status', name: 'long', sha, summary: 'x'.repeat(500) });
    expect([...(check.summary ?? '')]).toHaveLength(140);
    expect(fake.requests[0]?.status).toBe(201);
  });

  it('refuses bad check input before any request', async () => {
    const { fake, cicd } = setup();
    await expect(cicd.createCheck({ scope: SCOPE, name: 'x', sha, status: 'completed' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(cicd.updateCheck({ scope: SCOPE, id: 'check-run:abc' }, { conclusion: 'success' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(cicd.updateCheck({ scope: SCOPE, id: '42' }, { conclusion: 'success' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('GitHub App permissions', () => {
  it('a missing permission is forbidden with GitHub\'s message, per the manifest\'s nativeScopes', async () => {
    const { fake, cicd } = setup();
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    const installation = fake.core.ensureOwner('octo-org');
    installation.permissions = { ...(installation.permissions as object), actions: 'read', organization_self_hosted_runners: 'read', checks: 'none' };
    await expect(cicd.getPipeline(run)).resolves.toMatchObject({ phase: 'failed' });
    await expect(cicd.rerunPipeline(run)).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(cicd.cancelPipeline(run)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(cicd.listRunners('octo-org')).resolves.toMatchObject({ items: [] });
    await expect(cicd.registerRunner('octo-org')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(cicd.createCheck({ scope: SCOPE, name: 'x', sha: 'e'.repeat(40) })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(cicd.createCheck({ scope: SCOPE, kind: 'commit-status', name: 'x', sha: 'e'.repeat(40) })).resolves.toMatchObject({ kind: 'commit-status' });
    const scopes = (cicdManifest.operations ?? []).flatMap((o) => (typeof o === 'string' ? [] : (o.requires?.nativeScopes ?? [])));
    for (const needed of ['actions:write', 'organization_self_hosted_runners:write', 'checks:write', 'statuses:write']) expect(scopes).toContain(needed);
  });
});

describe('GitHub Enterprise Server', () => {
  it('logs and runner registration use the GHES hosts', async () => {
    const { fake, cicd, seen } = setup({ baseUrl: 'https://ghe.example.com/api/v3' });
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const job = fake.seed.job!(run, { name: 'build', status: 'succeeded', log: 'ok\n' });
    expect((await cicd.getPipeline(run)).external.url).toBe(`https://ghe.example.com/${SCOPE}/actions/runs/${run.id}`);
    // GHES serves the log from its own origin: following the redirect with the token would be refused.
    expect((await cicd.getJobLog(job)).content).toBe('ok\n');
    const downloads = seen.filter((s) => s.url.startsWith('https://ghe.example.com/_services/pipelines/'));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.authorization).toBe(false);
    expect((await cicd.registerRunner('octo-org')).registrationUrl).toBe('https://ghe.example.com/octo-org');
  });
});

describe('mapping GitHub\'s webhook examples', () => {
  const require = createRequire(import.meta.url);
  const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as Array<{
    name: string;
    examples: Array<Record<string, unknown>>;
  }>;
  const of = (name: string) => examples.find((e) => e.name === name)?.examples ?? [];
  const m = createGitHubContext(GitHubConfigSchema.parse({ auth: { type: 'token', token: 'ghp_exampleexampleexample1234' } }));

  it('maps every workflow_run, workflow_job, check_run and status example', () => {
    for (const payload of of('workflow_run')) {
      const scope = String((payload.repository as { full_name: string }).full_name);
      const run = ExternalPipelineSchema.parse(mapWorkflowRun(m, payload.workflow_run as Record<string, unknown>, { scope }));
      expect(run.ref.scope).toBe(scope);
    }
    for (const payload of of('workflow_job')) {
      const job = ExternalJobSchema.parse(mapWorkflowJob(m, payload.workflow_job as Record<string, unknown>));
      expect(job.pipelineRef.id).toBe(String((payload.workflow_job as { run_id: number }).run_id));
    }
    for (const payload of of('check_run')) {
      const check = ExternalCheckSchema.parse(mapCheckRun(m, payload.check_run as Record<string, unknown>));
      expect(check.ref.id).toBe(`check-run:${(payload.check_run as { id: number }).id}`);
    }
    for (const payload of of('status')) {
      const check = ExternalCheckSchema.parse(mapCommitStatus(m, payload));
      expect(check.ref).toEqual({ scope: payload.name, id: `status:${String(payload.sha)}:${String(payload.context)}` });
    }
    expect(of('workflow_run').length + of('workflow_job').length + of('check_run').length + of('status').length).toBeGreaterThan(20);
  });
});

describe('manifest', () => {
  it('declares every canonical cicd operation, writes with GitHub App permissions', () => {
    const ops = (cicdManifest.operations ?? []).map((o) => (typeof o === 'string' ? { operation: o } : o));
    expect(ops.map((o) => o.operation).sort()).toEqual(
      ['cancelPipeline', 'createCheck', 'getJobLog', 'getPipeline', 'listArtifacts', 'listJobs', 'listPipelines', 'listRunners', 'registerRunner', 'rerunPipeline', 'updateCheck'].sort(),
    );
    for (const op of ops.filter((o) => 'write' in o && o.write)) {
      expect(op).toHaveProperty('requires.nativeScopes');
      expect(op).toHaveProperty('idempotency.mode');
    }
    expect(cicdManifest.webhooks).toEqual(['workflow_run', 'workflow_job', 'check_run', 'check_suite', 'status']);
  });
});

describe('the fake answers in GitHub\'s shapes', () => {
  const require = createRequire(import.meta.url);
  // OpenAPI 3.0 `nullable` admits null even where an enum does not list it; JSON Schema (ajv) needs it listed.
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'), (_key, value: unknown) => {
    const node = value as { nullable?: unknown; enum?: unknown[] } | null;
    if (node && typeof node === 'object' && node.nullable === true && Array.isArray(node.enum) && !node.enum.includes(null)) node.enum.push(null);
    return value;
  }) as { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>> } & Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  ajv.addSchema({ $id: 'gh', components: spec.components, paths: spec.paths, 'x-webhooks': spec['x-webhooks'] });
  const pointer = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
  const json = pointer('application/json');
  const check = (where: string, body: unknown) => {
    const validate = ajv.getSchema(`gh#${where}`) ?? ajv.compile({ $ref: `gh#${where}` });
    const ok = validate(body);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
  const response = (path: string, method: string, status: number) => {
    const ref = spec.paths[path]?.[method]?.responses[String(status)]?.$ref;
    const at = ref ? ref.slice(1) : `/paths/${pointer(path)}/${method}/responses/${status}`;
    return `${at}/content/${json}/schema`;
  };

  it('every CI/CD endpoint', async () => {
    const fake = makeCicdFake();
    server.use(...fake.handlers);
    const run = fake.seed.pipeline!(SCOPE, { status: 'failed' });
    const job = fake.seed.job!(run, { name: 'test', status: 'failed', log: 'x\n' });
    fake.seed.artifact!(run, { name: 'dist' });
    fake.seed.runner!('octo-org', { name: 'org-runner', busy: true });
    fake.seed.runner!(SCOPE, { name: 'repo-runner' });
    const live = fake.seed.pipeline!(SCOPE, { status: 'running' });
    const sha = 'c'.repeat(40);
    const api = 'https://api.github.com';
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${api}${url}`, {
        method,
        redirect: 'manual',
        headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const cases: Array<[string, string, string, number, unknown?]> = [
      ['/repos/{owner}/{repo}/actions/runs', 'get', `/repos/${SCOPE}/actions/runs`, 200],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}', 'get', `/repos/${SCOPE}/actions/runs/${run.id}`, 200],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', 'get', `/repos/${SCOPE}/actions/runs/${run.id}/jobs`, 200],
      ['/repos/{owner}/{repo}/actions/jobs/{job_id}', 'get', `/repos/${SCOPE}/actions/jobs/${job.id}`, 200],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', 'get', `/repos/${SCOPE}/actions/runs/${run.id}/artifacts`, 200],
      ['/orgs/{org}/actions/runners', 'get', '/orgs/octo-org/actions/runners', 200],
      ['/repos/{owner}/{repo}/actions/runners', 'get', `/repos/${SCOPE}/actions/runners`, 200],
      ['/orgs/{org}/actions/runners/registration-token', 'post', '/orgs/octo-org/actions/runners/registration-token', 201],
      ['/repos/{owner}/{repo}/actions/runners/registration-token', 'post', `/repos/${SCOPE}/actions/runners/registration-token`, 201],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs', 'post', `/repos/${SCOPE}/actions/runs/${run.id}/rerun-failed-jobs`, 201],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', 'post', `/repos/${SCOPE}/actions/runs/${live.id}/cancel`, 202],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', 'post', `/repos/${SCOPE}/actions/runs/${live.id}/cancel`, 409],
      ['/repos/{owner}/{repo}/check-runs', 'post', `/repos/${SCOPE}/check-runs`, 201, { name: 'lint', head_sha: sha, external_id: 'e1' }],
      ['/repos/{owner}/{repo}/commits/{ref}/check-runs', 'get', `/repos/${SCOPE}/commits/${sha}/check-runs?filter=all`, 200],
      ['/repos/{owner}/{repo}/statuses/{sha}', 'post', `/repos/${SCOPE}/statuses/${sha}`, 201, { state: 'success', context: 'ci' }],
      ['/repos/{owner}/{repo}/commits/{ref}/statuses', 'get', `/repos/${SCOPE}/commits/${sha}/statuses`, 200],
      ['/repos/{owner}/{repo}/commits/{ref}/status', 'get', `/repos/${SCOPE}/commits/${sha}/status`, 200],
      ['/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', 'post', `/repos/${SCOPE}/actions/runs/${live.id}/rerun`, 201],
    ];
    const problems: string[] = [];
    let checkRunId: number | undefined;
    for (const [path, method, url, status, body] of cases) {
      const res = await call(method.toUpperCase(), url, body);
      if (res.status !== status) problems.push(`${method} ${url}: status ${res.status}, expected ${status}`);
      else for (const p of check(response(path, method, status), res.body)) problems.push(`${method} ${url}:${p}`);
      if (path === '/repos/{owner}/{repo}/check-runs') checkRunId = (res.body as { id: number }).id;
    }
    const get = await call('GET', `/repos/${SCOPE}/check-runs/${checkRunId}`);
    problems.push(...check(response('/repos/{owner}/{repo}/check-runs/{check_run_id}', 'get', 200), get.body));
    const patched = await call('PATCH', `/repos/${SCOPE}/check-runs/${checkRunId}`, { conclusion: 'success', output: { title: 't', summary: 's' } });
    problems.push(...check(response('/repos/{owner}/{repo}/check-runs/{check_run_id}', 'patch', 200), patched.body));
    expect(patched.body).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 't', summary: 's' } });
    const logs = await call('GET', `/repos/${SCOPE}/actions/jobs/${job.id}/logs`);
    expect(logs.status).toBe(302);
    expect(logs.headers.get('location')).toMatch(/^https:\/\/pipelines\.actions\.githubusercontent\.example\/serviceHosts\/[0-9a-f]+\/_apis\/pipelines\/1\/runs\/\d+\/signedlogcontent\/\d+\?urlExpires=/);
    expect(problems).toEqual([]);
  });

  it('GitHub\'s errors for refused writes', async () => {
    const fake = makeCicdFake();
    server.use(...fake.handlers);
    const sha = 'd'.repeat(40);
    const post = (url: string, body: unknown) =>
      fetch(`https://api.github.com${url}`, { method: 'POST', headers: { authorization: `token ${fake.token}` }, body: JSON.stringify(body) });
    const noConclusion = await post(`/repos/${SCOPE}/check-runs`, { name: 'x', head_sha: sha, status: 'completed' });
    expect(noConclusion.status).toBe(422);
    const longDescription = await post(`/repos/${SCOPE}/statuses/${sha}`, { state: 'success', description: 'x'.repeat(141) });
    expect(longDescription.status).toBe(422);
    expect(await longDescription.json()).toMatchObject({ message: 'Validation Failed', errors: [{ field: 'description' }] });
    const badState = await post(`/repos/${SCOPE}/statuses/${sha}`, { state: 'done' });
    expect(badState.status).toBe(422);
  });

  it('webhook payloads', () => {
    const fake = makeCicdFake();
    const run = fake.seed.pipeline!(SCOPE, { status: 'succeeded' });
    const job = fake.seed.job!(run, { name: 'build', status: 'succeeded' });
    const repo = fake.core.findRepo('octo-org', 'hello-world')!;
    const repository = Object.fromEntries(Object.entries(repo).filter(([k]) => !k.startsWith('_')));
    const sender = fake.core.user('octocat');
    const builders = githubFakeCicd.webhooks(fake.core);
    const checkRun = builders.check_run!({})!;
    const checkRef = { scope: SCOPE, id: `check-run:${(checkRun.payload.check_run as { id: number }).id}` };
    const status = builders.status!({})!;
    const cases: Array<[string, { action?: string; payload: Record<string, unknown> }]> = [
      ['workflow-run-completed', builders.workflow_run!({ ref: run })],
      ['workflow-job-completed', builders.workflow_job!({ ref: job })],
      ['check-run-created', checkRun],
      ['check-run-completed', builders.check_run!({ ref: checkRef, action: 'completed' })],
      ['check-suite-completed', builders.check_suite!({ ref: run })],
      ['status', status],
    ];
    const problems: string[] = [];
    for (const [name, built] of cases) {
      const payload = { ...built.payload, repository, sender };
      for (const p of check(`/x-webhooks/${name}/post/requestBody/content/${json}/schema`, payload)) problems.push(`${name}:${p}`);
    }
    expect(problems).toEqual([]);
    expect(githubFakeCicd.webhookEventFor).toMatchObject({ pipeline: { event: 'workflow_run' }, job: { event: 'workflow_job' }, check: { event: 'check_run' } });
  });
});
