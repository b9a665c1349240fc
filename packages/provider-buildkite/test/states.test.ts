import { describe, expect, it } from 'vitest';
import { PipelinePhaseSchema } from '@krate/core';
import { BUILD_STATE_PHASES, JOB_STATE_PHASES, agentStatus, buildPhase, jobPhase } from '../src/shared/buildkite-states.js';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { buildkitePlugin } from '../src/buildkite-provider.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();

/** Build states from https://buildkite.com/docs/apis/rest-api/builds (data model and `state` filter). */
const BUILD_STATES: Array<[string, string, string | undefined]> = [
  ['creating', 'pending', undefined],
  ['scheduled', 'queued', undefined],
  ['running', 'running', undefined],
  ['failing', 'running', undefined],
  ['blocked', 'blocked', undefined],
  ['waiting', 'waiting', undefined],
  ['waiting_failed', 'failed', 'failure'],
  ['canceling', 'canceling', undefined],
  ['passed', 'succeeded', 'success'],
  ['failed', 'failed', 'failure'],
  ['canceled', 'canceled', 'cancelled'],
  ['skipped', 'skipped', 'skipped'],
  ['not_run', 'skipped', 'skipped'],
];

/** Job states from https://buildkite.com/docs/apis/rest-api/jobs and the job state reference. */
const JOB_STATES: Array<[string, string, string | undefined]> = [
  ['pending', 'pending', undefined],
  ['waiting', 'waiting', undefined],
  ['waiting_failed', 'failed', 'failure'],
  ['blocked', 'blocked', undefined],
  ['blocked_failed', 'failed', 'failure'],
  ['unblocked', 'succeeded', 'success'],
  ['unblocked_failed', 'failed', 'failure'],
  ['limiting', 'queued', undefined],
  ['limited', 'queued', undefined],
  ['platform_limiting', 'queued', undefined],
  ['platform_limited', 'queued', undefined],
  ['scheduled', 'queued', undefined],
  ['assigned', 'queued', undefined],
  ['accepted', 'queued', undefined],
  ['running', 'running', undefined],
  ['passed', 'succeeded', 'success'],
  ['failed', 'failed', 'failure'],
  ['canceling', 'canceling', undefined],
  ['canceled', 'canceled', 'cancelled'],
  ['expired', 'failed', 'stale'],
  ['timing_out', 'canceling', undefined],
  ['timed_out', 'failed', 'timed_out'],
  ['skipped', 'skipped', 'skipped'],
  ['broken', 'skipped', 'skipped'],
];

describe('build states', () => {
  it.each(BUILD_STATES)('%s -> %s / %s', (state, phase, conclusion) => {
    expect(buildPhase(state)).toEqual(conclusion ? { phase, conclusion } : { phase });
  });

  it('covers every mapped state and only valid phases', () => {
    expect(Object.keys(BUILD_STATE_PHASES).sort()).toEqual([...BUILD_STATES.map(([s]) => s), 'started'].sort());
    for (const { phase } of Object.values(BUILD_STATE_PHASES)) expect(PipelinePhaseSchema.safeParse(phase).success).toBe(true);
  });

  it('reads a build that waits at a block step (state passed, blocked true) as blocked', () => {
    expect(buildPhase('passed', true)).toEqual({ phase: 'blocked' });
    expect(buildPhase('failed', true)).toEqual({ phase: 'failed', conclusion: 'failure' });
  });

  it('maps unknown and missing states to unknown', () => {
    expect(buildPhase('quantum_superposition')).toEqual({ phase: 'unknown' });
    expect(buildPhase(undefined)).toEqual({ phase: 'unknown' });
    expect(buildPhase('PASSED')).toEqual({ phase: 'succeeded', conclusion: 'success' });
  });
});

describe('job states', () => {
  it.each(JOB_STATES)('%s -> %s / %s', (state, phase, conclusion) => {
    expect(jobPhase(state)).toEqual(conclusion ? { phase, conclusion } : { phase });
  });

  it('covers every mapped state', () => {
    expect(Object.keys(JOB_STATE_PHASES).sort()).toEqual(JOB_STATES.map(([s]) => s).sort());
  });

  it('reads the raw finished state from the exit status, and soft failures as neutral', () => {
    expect(jobPhase('finished', { exitStatus: 0 })).toEqual({ phase: 'succeeded', conclusion: 'success' });
    expect(jobPhase('finished', { exitStatus: 2 })).toEqual({ phase: 'failed', conclusion: 'failure' });
    expect(jobPhase('finished', { exitStatus: 2, softFailed: true })).toEqual({ phase: 'failed', conclusion: 'neutral' });
    expect(jobPhase('failed', { exitStatus: 1, softFailed: true })).toEqual({ phase: 'failed', conclusion: 'neutral' });
    expect(jobPhase('finished')).toEqual({ phase: 'unknown' });
  });

  it('maps unknown states to unknown', () => {
    expect(jobPhase('teleporting')).toEqual({ phase: 'unknown' });
  });
});

describe('agent status', () => {
  it.each([
    ['connected', false, 'online'],
    ['connected', true, 'busy'],
    ['stopping', true, 'busy'],
    ['disconnected', false, 'offline'],
    ['lost', false, 'offline'],
    ['stopped', false, 'offline'],
    ['never_connected', false, 'offline'],
    ['hibernating', false, 'unknown'],
  ] as const)('%s (busy %s) -> %s', (state, busy, status) => {
    expect(agentStatus(state, busy)).toBe(status);
  });
});

describe('unknown states through the provider', () => {
  it('keeps a future build state in nativeStatus and extensions instead of failing', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'running' });
    fake.updateBuild(ref, { state: 'hyperdrive' });
    const build = await bk.cicd!.getPipeline(ref);
    expect(build.phase).toBe('unknown');
    expect(build.conclusion).toBeUndefined();
    expect(build.nativeStatus).toBe('hyperdrive');
    expect(build.external.extensions.fields.state).toBe('hyperdrive');
    const listed = await bk.cicd!.listPipelines('acme/web');
    expect(listed.items[0]!.phase).toBe('unknown');
  });

  it('keeps a future job state and lists the job', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'running' });
    const jobRef = fake.seed.job!(ref, { name: 'Lint', status: 'running' });
    fake.job(jobRef).state = 'warp_speed';
    const { items } = await bk.cicd!.listJobs(ref);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ phase: 'unknown', nativeStatus: 'warp_speed' });
    expect(items[0]!.external.extensions.fields.state).toBe('warp_speed');
  });

  it('shows a blocked build as blocked', async () => {
    const { fake, instance: bk } = startProvider(server, buildkitePlugin, createFake);
    const ref = fake.seed.pipeline!('acme/web', { status: 'blocked' });
    const build = await bk.cicd!.getPipeline(ref);
    expect(build).toMatchObject({ phase: 'blocked', nativeStatus: 'passed' });
    expect(build.external.extensions.fields.blocked).toBe(true);
  });
});
