import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import { collect } from '@krate/core';
import gitlab from '../src/index.js';
import { GITLAB_FAKE_PROJECT, createFake } from '../src/testing/index.js';

const server = useFakeServer();
const P = GITLAB_FAKE_PROJECT;

describe('commit statuses as checks', () => {
  it('an update to the state the status already has (GitLab answers 400) does not fail', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const sha = fake.seed.commit!(P, { message: 'c' }).id;
    const created = await instance.cicd!.createCheck({ scope: P, name: 'lint', sha, status: 'in_progress', summary: 'linting' });
    expect(created).toMatchObject({ ref: { scope: P, id: `${sha}:lint` }, kind: 'commit-status', phase: 'running', nativeStatus: 'running' });
    const again = await instance.cicd!.updateCheck(created.ref, { status: 'in_progress' });
    expect(again.phase).toBe('running');
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([201, 400]);
    const done = await instance.cicd!.updateCheck(created.ref, { status: 'completed', conclusion: 'failure', summary: 'two errors' });
    expect(done).toMatchObject({ phase: 'failed', conclusion: 'failure', summary: 'two errors', ref: created.ref });
  });

  it('conclusions GitLab has no state for are invalid_input, without a request', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const sha = fake.seed.commit!(P, { message: 'c' }).id;
    const error = await errorOf(instance.cicd!.createCheck({ scope: P, name: 'x', sha, status: 'completed', conclusion: 'neutral' }));
    expect(error.code).toBe('invalid_input');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('pipelines', () => {
  it('rerun of failed jobs keeps the pipeline; a full rerun is a new pipeline for the same ref', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.pipeline!(P, { status: 'failed' });
    fake.seed.job!(ref, { name: 'unit', status: 'failed' });
    const retried = await instance.cicd!.rerunPipeline(ref, { failedOnly: true });
    expect(retried.ref).toEqual(ref);
    expect(retried.phase).toBe('queued');
    const rerun = await instance.cicd!.rerunPipeline(ref);
    expect(rerun.ref.id).not.toBe(ref.id);
    expect(rerun).toMatchObject({ branch: 'main', event: 'api', phase: 'queued' });
    // The retry and the new pipeline are both runs of the first pipeline.
    expect(fake.inspect('pipeline', ref)).toMatchObject({ runs: 3 });
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      `/api/v4/projects/${encodeURIComponent(P)}/pipelines/${ref.id}/retry`,
      `/api/v4/projects/${encodeURIComponent(P)}/pipeline`,
    ]);
  });

  it('cancel goes through canceling to canceled', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.pipeline!(P, { status: 'running' });
    fake.seed.job!(ref, { name: 'e2e', status: 'running' });
    const canceling = await instance.cicd!.cancelPipeline(ref);
    expect(canceling).toMatchObject({ phase: 'canceling', nativeStatus: 'canceling' });
    const later = await instance.cicd!.getPipeline(ref);
    expect(later).toMatchObject({ phase: 'canceled', conclusion: 'cancelled' });
  });

  it('lists trigger jobs (bridges) after the jobs, from their own endpoint', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.pipeline!(P, { status: 'running' });
    for (let i = 0; i < 3; i++) fake.seed.job!(ref, { name: `job-${i}` });
    const bridgeId = fake.state.nextId();
    fake.state.jobs.insert({ ...fake.state.jobs.require(Number(fake.seed.job!(ref, { name: 'tmp' }).id)), id: bridgeId, name: 'deploy-child', bridge: true });
    const jobs = await collect((o) => instance.cicd!.listJobs(ref, { ...o, pageSize: 2 }));
    expect(jobs.map((j) => [j.name, j.external.nativeKind])).toEqual([
      ['job-0', 'job'], ['job-1', 'job'], ['job-2', 'job'], ['tmp', 'job'], ['deploy-child', 'bridge'],
    ]);
    // ceil(4 jobs / 2) + ceil(1 bridge / 2) requests.
    expect(fake.requests).toHaveLength(3);
  });

  it('without includeBridges a listing of N jobs takes exactly ceil(N / pageSize) requests', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { config: { includeBridges: false } });
    const ref = fake.seed.pipeline!(P, {});
    for (let i = 0; i < 5; i++) fake.seed.job!(ref, { name: `job-${i}` });
    for (const pageSize of [1, 2, 100]) {
      fake.reset();
      const jobs = await collect((o) => instance.cicd!.listJobs(ref, { ...o, pageSize }));
      expect(jobs).toHaveLength(5);
      expect(fake.requests).toHaveLength(Math.ceil(5 / pageSize));
    }
  });

  it('lists artifacts per job', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.pipeline!(P, {});
    fake.seed.artifact!(ref, { name: 'dist.zip', sizeBytes: 2048 });
    fake.seed.job!(ref, { name: 'no-artifacts' });
    const page = await instance.cicd!.listArtifacts(ref);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ name: 'dist.zip', sizeBytes: 2048, pipelineRef: ref });
    expect(page.items[0]!.downloadUrl).toMatch(/\/jobs\/\d+\/artifacts$/);
  });
});

describe('job logs', () => {
  it('are truncated to maxLogBytes (keeping the end), then redacted', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake, { config: { maxLogBytes: 200 } });
    const pipeline = fake.seed.pipeline!(P, {});
    const leaked = `glpat-${'L'.repeat(20)}`;
    const log = `${'x'.repeat(5000)}\nexport TOKEN=${fake.credentials.token}\nCI_JOB_TOKEN=[MASKED]\nnpm publish with ${leaked}\nJob succeeded\n`;
    const job = fake.seed.job!(pipeline, { name: 'release', log });
    const result = await instance.cicd!.getJobLog(job);
    expect(result.truncated).toBe(true);
    expect(result.redacted).toBe(true);
    expect(result.sizeBytes).toBe(Buffer.byteLength(log));
    expect(result.content).toContain('Job succeeded');
    expect(result.content).toContain('[MASKED]');
    expect(result.content).not.toContain(fake.credentials.token);
    expect(result.content).not.toContain(leaked);
    expect(Buffer.byteLength(result.content!)).toBeLessThanOrEqual(200);
    expect(result.jobRef).toEqual(job);
  });
});

describe('runners', () => {
  it('creates a runner with POST /user/runners; the glrt- token never serializes and is redacted afterwards', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const registration = await instance.cicd!.registerRunner(P, { labels: ['docker', 'linux'], name: 'ci-1' });
    expect(registration.token).toMatch(/^glrt-/);
    expect(JSON.stringify(registration)).not.toContain(registration.token);
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/v4/user/runners');
    expect(post.body).toMatchObject({ runner_type: 'project_type', tag_list: 'docker,linux', description: 'ci-1' });
    // A log that prints the token later shows it redacted.
    const pipeline = fake.seed.pipeline!(P, {});
    const job = fake.seed.job!(pipeline, { name: 'register', log: `gitlab-runner register --token ${registration.token}\n` });
    expect((await instance.cicd!.getJobLog(job)).content).not.toContain(registration.token);
    const runners = await instance.cicd!.listRunners(P);
    expect(runners.items.map((r) => r.name)).toContain('ci-1');
  });

  it('legacy registration (POST /runners) answers 410 where it is disabled, and the provider never uses it', async () => {
    const { fake } = startProvider(server, gitlab, createFake);
    const response = await fetch(`${fake.state.apiUrl}/runners`, { method: 'POST', headers: { 'private-token': fake.credentials.token, 'content-type': 'application/json' }, body: '{"token":"GR1348941x"}' });
    expect(response.status).toBe(410);
  });
});
