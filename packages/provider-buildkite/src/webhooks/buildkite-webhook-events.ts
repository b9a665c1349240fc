import { ProviderError, WebhookMalformedError, type ExternalSyncEvent } from '@krate/core';
import { PROVIDER } from '../buildkite-errors.js';
import { addressFromBuildUrl, orgFromUrl } from '../shared/buildkite-scope.js';
import type { BuildkiteAgent, BuildkiteBuild, BuildkiteJob, BuildkitePipelineSummary } from '../shared/buildkite-types.js';
import { buildUpdatedAt, latest, type BuildkiteMappingContext, mapAgent, mapBuild, mapJob } from '../cicd/buildkite-cicd-mapping.js';

/** Events that carry no object change: verified, then normalized to no events. */
export const IGNORED_EVENTS: readonly string[] = ['ping'];

/** The normalized events of one payload, and what identifies the change it reports. */
export interface NormalizedPayload {
  events: ExternalSyncEvent[];
  /**
   * The object and the version of it the delivery reports (`build:<id>:<state>:<time>`);
   * the same for a redelivery of the same change. Absent for events that carry no object.
   */
  identity?: string | undefined;
}

type Payload = Record<string, unknown>;

function object<T>(payload: Payload, key: string, event: string): T {
  const value = payload[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has no "${key}" object` });
  }
  return value as T;
}

function asMalformed<T>(event: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (ProviderError.isInstance(error) && error.code === 'upstream_unavailable') {
      throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery: ${error.message.replace(/^\[krate\] \[[^\]]+\] /, '')}`, cause: error });
    }
    throw error;
  }
}

function pipelineOf(payload: Payload): BuildkitePipelineSummary | undefined {
  const value = payload.pipeline;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as BuildkitePipelineSummary) : undefined;
}

/** Where a build of a delivery lives: its API URL, else the pipeline object and the configured organization. */
function locateBuild(build: BuildkiteBuild, pipeline: BuildkitePipelineSummary | undefined, organization: string, event: string) {
  const fromUrl = addressFromBuildUrl(build.url);
  if (fromUrl) return { org: fromUrl.org, pipeline: fromUrl.pipeline };
  const slug = pipeline?.slug;
  if (typeof slug !== 'string' || slug === '') {
    throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery names no pipeline for build ${String(build.number)}` });
  }
  return { org: orgFromUrl(pipeline?.url) ?? organization, pipeline: slug };
}

function checkBuild(build: BuildkiteBuild, event: string): void {
  if (typeof build.id !== 'string' || build.id === '' || !Number.isInteger(build.number)) {
    throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has a build without id or number` });
  }
}

/**
 * Normalizes a verified Buildkite payload:
 *
 * - `build.*` (scheduled, running, failing, finished, ...) -> the build as a `pipeline`, upserted;
 * - `job.*` (scheduled, started, finished, activated) -> the job as a `job`, upserted;
 * - `agent.*` (connected, disconnected, lost, stopping, stopped, ...) -> the agent as a
 *   `runner`, upserted (a disconnected agent is `offline`);
 * - `ping` and events of other kinds -> no events.
 */
export function normalizeBuildkitePayload(
  event: string,
  payload: Payload,
  mapping: BuildkiteMappingContext,
  organization: string,
): NormalizedPayload {
  if (IGNORED_EVENTS.includes(event)) return { events: [] };
  const kind = event.split('.')[0];

  if (kind === 'build') {
    const build = object<BuildkiteBuild>(payload, 'build', event);
    checkBuild(build, event);
    const summary = pipelineOf(payload);
    const where = locateBuild(build, summary, organization, event);
    const pipeline = asMalformed(event, () => mapBuild(mapping, build, { ...where, summary }));
    return {
      events: [{ interface: 'cicd', kind: 'pipeline', ref: pipeline.ref, change: 'upserted', object: pipeline, occurredAt: pipeline.updatedAt }],
      identity: `build:${build.id}:${build.state ?? ''}:${build.blocked === true ? 'blocked' : ''}:${buildUpdatedAt(build) ?? ''}`,
    };
  }

  if (kind === 'job') {
    const job = object<BuildkiteJob>(payload, 'job', event);
    const build = object<BuildkiteBuild>(payload, 'build', event);
    checkBuild(build, event);
    if (typeof job.id !== 'string' || job.id === '') {
      throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has a job without id` });
    }
    const where = locateBuild(build, pipelineOf(payload), organization, event);
    const normalized = asMalformed(event, () => mapJob(mapping, job, { ...where, number: build.number, buildApiUrl: build.url }));
    const changedAt = latest(job.created_at, job.scheduled_at, job.runnable_at, job.started_at, job.finished_at, job.unblocked_at, job.expired_at);
    return {
      events: [{ interface: 'cicd', kind: 'job', ref: normalized.ref, change: 'upserted', object: normalized, ...(changedAt ? { occurredAt: changedAt } : {}) }],
      identity: `job:${job.id}:${job.state ?? ''}:${changedAt ?? ''}`,
    };
  }

  if (kind === 'agent') {
    const agent = object<BuildkiteAgent>(payload, 'agent', event);
    if (typeof agent.id !== 'string' || agent.id === '') {
      throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has an agent without id` });
    }
    const org = orgFromUrl(agent.url) ?? orgFromUrl(agent.web_url) ?? organization;
    const runner = asMalformed(event, () => mapAgent(mapping, agent, { org }));
    const changedAt = latest(agent.created_at, agent.last_job_finished_at, agent.job?.started_at);
    return {
      events: [{ interface: 'cicd', kind: 'runner', ref: runner.ref, change: 'upserted', object: runner, ...(changedAt ? { occurredAt: changedAt } : {}) }],
      identity: `agent:${agent.id}:${event}:${agent.connection_state ?? ''}:${agent.job?.id ?? ''}:${changedAt ?? ''}`,
    };
  }

  return { events: [] };
}
