import { createHash } from 'node:crypto';
import {
  ConclusionSchema,
  ProviderError,
  type Conclusion,
  type ExternalArtifact,
  type ExternalCheck,
  type ExternalJob,
  type ExternalPipeline,
  type ExternalRunner,
  type PipelinePhase,
} from '@krate/core';
import type { GitHubMappingContext } from '../github-context.js';
import { mapGitHubUser } from '../shared/github-mapping.js';
import { checkRunRefId, commitStatusRefId, scopeFromApiUrl } from './github-cicd-refs.js';

export type { GitHubMappingContext };

/** Extra facts a mapping may need that the raw object does not carry. */
export interface GitHubCicdMappingExtra {
  /** `owner/repo` (for runners: the org or `owner/repo`). Default: read from the object's API URL or repository. */
  scope?: string | undefined;
  /** The response's ETag, kept in `external.version.etag`. */
  etag?: string | undefined;
  /** For commit statuses from the REST API, which do not carry it: the commit SHA. */
  sha?: string | undefined;
}

/** A GitHub object as JSON. */
export type GhRaw = Record<string, unknown>;

const CONCLUSIONS: ReadonlySet<string> = new Set(ConclusionSchema.options);

/**
 * A GitHub object that lacks what every such object has (an id, its repository): an
 * `upstream_unavailable` error that is not retried (the same answer would come again).
 */
function malformed(message: string): ProviderError {
  return new ProviderError({ code: 'upstream_unavailable', provider: 'github', retryable: false, message: `GitHub sent ${message}` });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function obj(value: unknown): GhRaw | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as GhRaw) : undefined;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return str(value);
}

function requireScope(raw: GhRaw, extra: GitHubCicdMappingExtra | undefined, what: string): string {
  const repository = obj(raw.repository);
  const scope = extra?.scope ?? str(repository?.full_name) ?? scopeFromApiUrl(raw.url) ?? scopeFromApiUrl(raw.run_url);
  if (!scope) throw malformed(`a ${what} without its repository (no scope given and no API URL)`);
  return scope;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * A weak validator over an object's JSON, for objects GitHub gives no version for
 * (runners have neither an ETag in lists nor an update time): it changes whenever
 * the object does.
 */
export function contentEtag(value: unknown): string {
  return `W/"${createHash('sha1').update(JSON.stringify(value) ?? '').digest('hex')}"`;
}

/** Drops undefined values so `extensions.fields` only holds what GitHub sent. */
function fields(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The normalized phase and conclusion of a GitHub `status` + `conclusion` pair. */
export interface GitHubPhase {
  phase: PipelinePhase;
  conclusion?: Conclusion | undefined;
}

/**
 * GitHub Actions / Checks `status` + `conclusion` -> phase and conclusion.
 *
 * | status | conclusion | phase |
 * | --- | --- | --- |
 * | requested, pending | - | pending |
 * | queued | - | queued |
 * | waiting | - | waiting (an environment's protection rules hold it) |
 * | in_progress | - | running |
 * | completed | success, neutral | succeeded |
 * | completed | failure, timed_out, startup_failure | failed |
 * | completed | cancelled | canceled |
 * | completed | skipped | skipped |
 * | completed | action_required | blocked |
 * | completed | stale, none, unknown | unknown |
 *
 * `startup_failure` (a workflow that could not start) is not one of the normalized
 * conclusions: it reads as `failure`, and the native value stays in the extensions.
 * A `status` that is itself a conclusion word is read as `completed` with it.
 */
export function gitHubPhase(status: unknown, conclusion: unknown): GitHubPhase {
  let s = typeof status === 'string' ? status.toLowerCase() : '';
  let c = typeof conclusion === 'string' ? conclusion.toLowerCase() : '';
  if (c === '' && (CONCLUSIONS.has(s) || s === 'startup_failure')) {
    c = s;
    s = 'completed';
  }
  switch (s) {
    case 'requested':
    case 'pending':
      return { phase: 'pending' };
    case 'queued':
      return { phase: 'queued' };
    case 'waiting':
      return { phase: 'waiting' };
    case 'in_progress':
      return { phase: 'running' };
    case 'completed':
      break;
    default:
      return { phase: 'unknown' };
  }
  const normalized: Conclusion | undefined = c === 'startup_failure' ? 'failure' : CONCLUSIONS.has(c) ? (c as Conclusion) : undefined;
  switch (normalized) {
    case 'success':
    case 'neutral':
      return { phase: 'succeeded', conclusion: normalized };
    case 'failure':
    case 'timed_out':
      return { phase: 'failed', conclusion: normalized };
    case 'cancelled':
      return { phase: 'canceled', conclusion: normalized };
    case 'skipped':
      return { phase: 'skipped', conclusion: normalized };
    case 'action_required':
      return { phase: 'blocked', conclusion: normalized };
    case 'stale':
      return { phase: 'unknown', conclusion: normalized };
    default:
      return { phase: 'unknown' };
  }
}

/**
 * A commit status `state` -> phase and conclusion: `pending` -> pending,
 * `success` -> succeeded/success, `failure` -> failed/failure, `error` -> failed/failure
 * (the native `error` stays in `nativeStatus`).
 */
export function commitStatusPhase(state: unknown): GitHubPhase {
  switch (typeof state === 'string' ? state.toLowerCase() : '') {
    case 'pending':
      return { phase: 'pending' };
    case 'success':
      return { phase: 'succeeded', conclusion: 'success' };
    case 'failure':
    case 'error':
      return { phase: 'failed', conclusion: 'failure' };
    default:
      return { phase: 'unknown' };
  }
}

/** A workflow run (REST or `workflow_run` webhook) -> ExternalPipeline. */
export function mapWorkflowRun(m: GitHubMappingContext, raw: GhRaw, extra?: GitHubCicdMappingExtra): ExternalPipeline {
  const scope = requireScope(raw, extra, 'workflow run');
  const id = idOf(raw.id);
  if (!id) throw malformed('a workflow run without an id');
  const status = str(raw.status);
  const { phase, conclusion } = gitHubPhase(status, raw.conclusion);
  const createdAt = str(raw.created_at) ?? str(raw.run_started_at) ?? str(raw.updated_at) ?? new Date(0).toISOString();
  const updatedAt = str(raw.updated_at) ?? createdAt;
  const headRepository = obj(raw.head_repository);
  const pullRequests = Array.isArray(raw.pull_requests)
    ? raw.pull_requests.map((p) => num(obj(p)?.number)).filter((n): n is number => n !== undefined)
    : undefined;
  const out: ExternalPipeline = {
    ref: { scope, id },
    external: m.envelope('cicd', 'workflow_run', raw as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra?.etag,
      sha: str(raw.head_sha),
      fields: fields({
        workflowId: num(raw.workflow_id),
        workflowPath: str(raw.path),
        displayTitle: str(raw.display_title),
        runNumber: num(raw.run_number),
        conclusion: str(raw.conclusion),
        checkSuiteId: num(raw.check_suite_id),
        headRepository: str(headRepository?.full_name),
        pullRequests: pullRequests && pullRequests.length > 0 ? pullRequests : undefined,
        previousAttemptUrl: str(raw.previous_attempt_url),
        triggeringActor: str(obj(raw.triggering_actor)?.login),
      }),
    }),
    name: str(raw.name) ?? str(raw.display_title) ?? str(raw.path) ?? `run ${id}`,
    phase,
    nativeStatus: status ?? 'unknown',
    createdAt,
    updatedAt,
  };
  setIf(out, 'number', num(raw.run_number));
  setIf(out, 'conclusion', conclusion);
  setIf(out, 'branch', str(raw.head_branch));
  setIf(out, 'sha', str(raw.head_sha));
  setIf(out, 'event', str(raw.event));
  setIf(out, 'attempt', num(raw.run_attempt));
  setIf(out, 'actor', mapGitHubUser(raw.actor));
  setIf(out, 'startedAt', str(raw.run_started_at));
  // GitHub has no completion time on a run: a completed run's last update is when it finished.
  if (status === 'completed') setIf(out, 'finishedAt', str(raw.updated_at));
  return out;
}

/** A workflow job (REST or `workflow_job` webhook) -> ExternalJob. */
export function mapWorkflowJob(m: GitHubMappingContext, raw: GhRaw, extra?: GitHubCicdMappingExtra): ExternalJob {
  const scope = requireScope(raw, extra, 'workflow job');
  const id = idOf(raw.id);
  const runId = idOf(raw.run_id);
  if (!id || !runId) throw malformed('a workflow job without an id or run_id');
  const status = str(raw.status);
  const { phase, conclusion } = gitHubPhase(status, raw.conclusion);
  // Jobs have no updated_at: the latest of their timestamps versions them.
  const updatedAt = str(raw.completed_at) ?? str(raw.started_at) ?? str(raw.created_at);
  const steps = Array.isArray(raw.steps)
    ? raw.steps.map((s) => obj(s)).filter((s): s is GhRaw => s !== undefined).map((s) => fields({
        number: num(s.number),
        name: str(s.name),
        status: str(s.status),
        conclusion: str(s.conclusion),
      }))
    : undefined;
  const out: ExternalJob = {
    ref: { scope, id },
    external: m.envelope('cicd', 'workflow_job', { ...(raw as object), updated_at: updatedAt ?? null } as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra?.etag,
      sha: str(raw.head_sha),
      fields: fields({
        runAttempt: num(raw.run_attempt),
        workflowName: str(raw.workflow_name),
        headBranch: str(raw.head_branch),
        conclusion: str(raw.conclusion),
        labels: Array.isArray(raw.labels) ? raw.labels.filter((l): l is string => typeof l === 'string') : undefined,
        runnerId: num(raw.runner_id),
        runnerGroupName: str(raw.runner_group_name),
        checkRunUrl: str(raw.check_run_url),
        steps,
      }),
    }),
    pipelineRef: { scope, id: runId },
    name: str(raw.name) ?? `job ${id}`,
    phase,
    nativeStatus: status ?? 'unknown',
  };
  setIf(out, 'conclusion', conclusion);
  setIf(out, 'runnerName', str(raw.runner_name));
  // GitHub sets started_at on queued jobs too (to their creation time); it only means "started" once running.
  if (phase !== 'queued' && phase !== 'pending' && phase !== 'waiting') setIf(out, 'startedAt', str(raw.started_at));
  setIf(out, 'finishedAt', str(raw.completed_at));
  return out;
}

/** An Actions artifact -> ExternalArtifact. `extra.scope` or the artifact's API URL names the repository. */
export function mapArtifact(m: GitHubMappingContext, raw: GhRaw, extra?: GitHubCicdMappingExtra & { runId?: string | number }): ExternalArtifact {
  const scope = requireScope(raw, extra, 'artifact');
  const id = idOf(raw.id);
  if (!id) throw malformed('an artifact without an id');
  const run = obj(raw.workflow_run);
  const runId = idOf(run?.id) ?? (extra?.runId !== undefined ? String(extra.runId) : undefined);
  if (!runId) throw malformed('an artifact without its workflow run');
  const out: ExternalArtifact = {
    ref: { scope, id },
    external: m.envelope('cicd', 'artifact', raw as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra?.etag,
      sha: str(run?.head_sha),
      fields: fields({ expiresAt: str(raw.expires_at), headBranch: str(run?.head_branch) }),
    }),
    pipelineRef: { scope, id: runId },
    name: str(raw.name) ?? `artifact ${id}`,
  };
  const size = num(raw.size_in_bytes);
  if (size !== undefined && size >= 0) out.sizeBytes = Math.trunc(size);
  setIf(out, 'digest', str(raw.digest));
  setIf(out, 'downloadUrl', str(raw.archive_download_url));
  if (typeof raw.expired === 'boolean') out.expired = raw.expired;
  setIf(out, 'createdAt', str(raw.created_at));
  return out;
}

/** A self-hosted runner -> ExternalRunner. Runners carry no repository: `extra.scope` is required. */
export function mapRunner(m: GitHubMappingContext, raw: GhRaw, extra: GitHubCicdMappingExtra & { scope: string }): ExternalRunner {
  const id = idOf(raw.id);
  if (!id) throw malformed('a runner without an id');
  const online = String(raw.status ?? '').toLowerCase() === 'online';
  const offline = String(raw.status ?? '').toLowerCase() === 'offline';
  const busy = typeof raw.busy === 'boolean' ? raw.busy : undefined;
  const labels = Array.isArray(raw.labels)
    ? raw.labels.map((l) => (typeof l === 'string' ? l : str(obj(l)?.name))).filter((l): l is string => l !== undefined)
    : [];
  // Runners have no URLs in the API: the settings page and the API path of the runner.
  const org = !extra.scope.includes('/');
  const htmlUrl = org
    ? `${m.webBaseUrl}/organizations/${extra.scope}/settings/actions/runners/${id}`
    : `${m.webBaseUrl}/${extra.scope}/settings/actions/runners/${id}`;
  const apiUrl = `${m.apiBaseUrl}/${org ? 'orgs' : 'repos'}/${extra.scope}/actions/runners/${id}`;
  const out: ExternalRunner = {
    ref: { scope: extra.scope, id },
    external: m.envelope('cicd', 'runner', { ...(raw as object), html_url: htmlUrl, url: apiUrl } as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra.etag ?? contentEtag(raw),
      fields: fields({ nativeStatus: str(raw.status), runnerGroupId: num(raw.runner_group_id), ephemeral: typeof raw.ephemeral === 'boolean' ? raw.ephemeral : undefined }),
    }),
    name: str(raw.name) ?? `runner ${id}`,
    status: online ? (busy ? 'busy' : 'online') : offline ? 'offline' : 'unknown',
    labels,
  };
  setIf(out, 'busy', busy);
  setIf(out, 'os', str(raw.os));
  setIf(out, 'version', str(raw.version));
  return out;
}

/** A check run (REST or `check_run` webhook) -> ExternalCheck with ref id `check-run:<id>`. */
export function mapCheckRun(m: GitHubMappingContext, raw: GhRaw, extra?: GitHubCicdMappingExtra): ExternalCheck {
  const scope = requireScope(raw, extra, 'check run');
  const id = idOf(raw.id);
  const sha = str(raw.head_sha);
  if (!id || !sha) throw malformed('a check run without an id or head_sha');
  const status = str(raw.status);
  const { phase, conclusion } = gitHubPhase(status, raw.conclusion);
  const output = obj(raw.output);
  const app = obj(raw.app);
  const out: ExternalCheck = {
    ref: { scope, id: checkRunRefId(id) },
    external: m.envelope(
      'cicd',
      'check_run',
      { ...(raw as object), updated_at: str(raw.completed_at) ?? str(raw.started_at) ?? null } as Parameters<GitHubMappingContext['envelope']>[2],
      {
        etag: extra?.etag,
        sha,
        fields: fields({
          externalId: str(raw.external_id),
          conclusion: str(raw.conclusion),
          checkSuiteId: num(obj(raw.check_suite)?.id),
          app: str(app?.slug),
          outputTitle: str(output?.title),
        }),
      },
    ),
    kind: 'check-run',
    name: str(raw.name) ?? `check run ${id}`,
    sha,
    phase,
    nativeStatus: status ?? 'unknown',
  };
  setIf(out, 'conclusion', conclusion);
  setIf(out, 'detailsUrl', str(raw.details_url));
  setIf(out, 'summary', typeof output?.summary === 'string' ? output.summary : undefined);
  setIf(out, 'startedAt', str(raw.started_at));
  setIf(out, 'completedAt', str(raw.completed_at));
  return out;
}

/**
 * A commit status (REST or `status` webhook) -> ExternalCheck with ref id
 * `status:<sha>:<context>`. The REST object has no SHA: it comes from `extra.sha`, the
 * webhook's `sha`, or the status URL (`.../statuses/{sha}`). The scope comes from
 * `extra.scope`, the URL, or the webhook's `name` (the repository's full name).
 */
export function mapCommitStatus(m: GitHubMappingContext, raw: GhRaw, extra?: GitHubCicdMappingExtra): ExternalCheck {
  const url = str(raw.url);
  const sha = (extra?.sha ?? str(raw.sha) ?? (url ? /\/statuses\/([0-9a-fA-F]{7,64})(?:[?#]|$)/.exec(url)?.[1] : undefined))?.toLowerCase();
  const scope = extra?.scope ?? scopeFromApiUrl(url) ?? (str(raw.name)?.includes('/') ? str(raw.name) : undefined);
  const id = idOf(raw.id);
  if (!sha || !scope || !id) throw malformed('a commit status without its id, sha or repository');
  const context = str(raw.context) ?? 'default';
  const state = str(raw.state);
  const { phase, conclusion } = commitStatusPhase(state);
  const out: ExternalCheck = {
    ref: { scope, id: commitStatusRefId(sha, context) },
    external: m.envelope('cicd', 'status', raw as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra?.etag,
      sha,
      fields: fields({ context, creator: str(obj(raw.creator)?.login) }),
    }),
    kind: 'commit-status',
    name: context,
    sha,
    phase,
    nativeStatus: state ?? 'unknown',
  };
  setIf(out, 'conclusion', conclusion);
  setIf(out, 'detailsUrl', str(raw.target_url));
  setIf(out, 'summary', typeof raw.description === 'string' ? raw.description : undefined);
  if (state !== undefined && state !== 'pending') setIf(out, 'completedAt', str(raw.updated_at) ?? str(raw.created_at));
  return out;
}
