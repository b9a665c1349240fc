import type { Conclusion, PipelinePhase } from '@krate/core';

/** A phase and, for finished work, a conclusion. */
export interface PhaseMapping {
  phase: PipelinePhase;
  conclusion?: Conclusion | undefined;
}

/**
 * Build states (REST `state`, the `state` list filter and the notification states):
 * https://buildkite.com/docs/apis/rest-api/builds and
 * https://buildkite.com/docs/pipelines/configure/notify#build-states.
 *
 * `failing` is a build that still runs but has a hard job failure: it stays `running`
 * until it finishes. `blocked` builds wait at a block step for someone to unblock them.
 * `not_run` builds were never run (for example a skipped pipeline upload).
 */
export const BUILD_STATE_PHASES: Readonly<Record<string, PhaseMapping>> = Object.freeze({
  creating: { phase: 'pending' },
  scheduled: { phase: 'queued' },
  running: { phase: 'running' },
  started: { phase: 'running' },
  failing: { phase: 'running' },
  blocked: { phase: 'blocked' },
  waiting: { phase: 'waiting' },
  waiting_failed: { phase: 'failed', conclusion: 'failure' },
  canceling: { phase: 'canceling' },
  passed: { phase: 'succeeded', conclusion: 'success' },
  failed: { phase: 'failed', conclusion: 'failure' },
  canceled: { phase: 'canceled', conclusion: 'cancelled' },
  skipped: { phase: 'skipped', conclusion: 'skipped' },
  not_run: { phase: 'skipped', conclusion: 'skipped' },
});

/**
 * Job states: https://buildkite.com/docs/apis/rest-api/jobs and
 * https://buildkite.com/docs/pipelines/configure/defining-steps#job-states.
 *
 * - `limiting`/`limited` (concurrency groups) and `platform_limiting`/`platform_limited`
 *   (plan limits) hold a job back from agents: `queued`.
 * - `assigned` and `accepted` are an agent taking the job, before it runs: `queued`.
 * - `blocked` is a block step (`manual` job) waiting for input; `unblocked` is one that
 *   was released (`succeeded`). The `_failed` variants are steps after a failure.
 * - `timing_out` is a job past its timeout being stopped: `canceling`.
 * - `expired` jobs were never picked up before their expiry: `failed`, conclusion `stale`.
 * - `broken` jobs will not run (a dependency failed, a branch filter excluded them): `skipped`.
 * - `finished` is the raw state behind `passed`/`failed`: the exit status decides.
 */
export const JOB_STATE_PHASES: Readonly<Record<string, PhaseMapping>> = Object.freeze({
  pending: { phase: 'pending' },
  waiting: { phase: 'waiting' },
  waiting_failed: { phase: 'failed', conclusion: 'failure' },
  blocked: { phase: 'blocked' },
  blocked_failed: { phase: 'failed', conclusion: 'failure' },
  unblocked: { phase: 'succeeded', conclusion: 'success' },
  unblocked_failed: { phase: 'failed', conclusion: 'failure' },
  limiting: { phase: 'queued' },
  limited: { phase: 'queued' },
  platform_limiting: { phase: 'queued' },
  platform_limited: { phase: 'queued' },
  scheduled: { phase: 'queued' },
  assigned: { phase: 'queued' },
  accepted: { phase: 'queued' },
  running: { phase: 'running' },
  passed: { phase: 'succeeded', conclusion: 'success' },
  failed: { phase: 'failed', conclusion: 'failure' },
  canceling: { phase: 'canceling' },
  canceled: { phase: 'canceled', conclusion: 'cancelled' },
  expired: { phase: 'failed', conclusion: 'stale' },
  timing_out: { phase: 'canceling' },
  timed_out: { phase: 'failed', conclusion: 'timed_out' },
  skipped: { phase: 'skipped', conclusion: 'skipped' },
  broken: { phase: 'skipped', conclusion: 'skipped' },
});

/** Build states a build can still leave on its own (the list filter for active builds). */
export const ACTIVE_BUILD_STATES = ['creating', 'scheduled', 'running', 'failing', 'blocked', 'canceling'] as const;

/** Build states in which Buildkite accepts `PUT .../cancel`. */
export const CANCELABLE_BUILD_STATES: ReadonlySet<string> = new Set(['scheduled', 'running', 'failing']);

/**
 * The phase of a build. A build that waits at a block step keeps its last state
 * (`passed`) in the REST API and sets `blocked: true`: that is phase `blocked`.
 * An unknown (future) state is phase `unknown`; the raw state stays in `nativeStatus`.
 */
export function buildPhase(state: string | null | undefined, blocked?: boolean | null): PhaseMapping {
  const raw = stateText(state);
  if (blocked === true && (raw === 'passed' || raw === 'blocked')) return { phase: 'blocked' };
  return lookup(BUILD_STATE_PHASES, raw);
}

/** A state as lower-case text; anything that is not a string (the API's or a webhook's) reads as unknown. */
function stateText(state: unknown): string {
  return typeof state === 'string' ? state.toLowerCase() : '';
}

/** An own entry of a state table: `constructor`, `__proto__` and `toString` are not states. */
function lookup(table: Readonly<Record<string, PhaseMapping>>, raw: string): PhaseMapping {
  return Object.hasOwn(table, raw) ? table[raw]! : { phase: 'unknown' };
}

/**
 * The phase of a job. Soft-failed jobs (failed, but allowed to fail by the step)
 * are `failed` with conclusion `neutral`: the build does not count them.
 */
export function jobPhase(
  state: string | null | undefined,
  details: { exitStatus?: number | null | undefined; softFailed?: boolean | null | undefined } = {},
): PhaseMapping {
  const raw = stateText(state);
  if (raw === 'finished') {
    if (details.softFailed === true) return { phase: 'failed', conclusion: 'neutral' };
    if (details.exitStatus === 0) return { phase: 'succeeded', conclusion: 'success' };
    if (typeof details.exitStatus === 'number') return { phase: 'failed', conclusion: 'failure' };
    return { phase: 'unknown' };
  }
  if (raw === 'failed' && details.softFailed === true) return { phase: 'failed', conclusion: 'neutral' };
  return lookup(JOB_STATE_PHASES, raw);
}

/** Runner status of an agent from its `connection_state` (and whether it holds a job). */
export function agentStatus(connectionState: string | null | undefined, busy: boolean): 'online' | 'offline' | 'busy' | 'unknown' {
  switch (stateText(connectionState)) {
    case 'connected':
    case 'stopping':
      return busy ? 'busy' : 'online';
    case 'disconnected':
    case 'lost':
    case 'stopped':
    case 'never_connected':
      return 'offline';
    default:
      return 'unknown';
  }
}
