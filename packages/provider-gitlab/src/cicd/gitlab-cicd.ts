import {
  InvalidInputError, ProviderError, createRunnerRegistration, type CallOptions, type CheckInput, type CheckPatch, type CicdProvider,
  type ExternalArtifact, type ExternalCheck, type ExternalJob, type ExternalLogRef, type ExternalPipeline, type ExternalRef, type ExternalRunner,
  type ListOptions, type Page, type RegisterRunnerOptions, type RerunOptions, type RunnerRegistration,
} from '@krate/core';
import { createHash } from 'node:crypto';
import { encodePath, type GitLabContext } from '../gitlab-context.js';
import { PROVIDER } from '../gitlab-errors.js';
import { envelope, projectApiUrl, projectWebUrl, type GitLabMapContext } from '../shared/gitlab-envelope.js';
import { projectNumericId } from '../shared/gitlab-lookups.js';
import { numericId, parseCheckRef, parseProjectPath } from '../shared/gitlab-scope.js';
import { mapJob, mapJobArtifacts, mapPipeline, mapRunner, mapStatus, type GlJob, type GlPipeline, type GlRunner, type GlStatus } from './gitlab-cicd-mapping.js';

type Impl = Omit<CicdProvider, 'specificationVersion'>;

type StatusState = 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped';

/**
 * A check's status and conclusion as a commit status state: queued `pending`, in_progress
 * `running`, completed with success/failure/cancelled/skipped `success`/`failed`/`canceled`/
 * `skipped`. neutral, timed_out, action_required and stale have no GitLab state.
 */
export function statusState(status: CheckInput['status'] | undefined, conclusion: CheckInput['conclusion'] | undefined, operation: string): StatusState {
  if (conclusion !== undefined || status === 'completed') {
    const map: Partial<Record<NonNullable<CheckInput['conclusion']>, StatusState>> = { success: 'success', failure: 'failed', cancelled: 'canceled', skipped: 'skipped' };
    const state = conclusion ? map[conclusion] : undefined;
    if (!state) {
      throw new InvalidInputError({
        provider: PROVIDER, operation,
        message: conclusion
          ? `GitLab commit statuses have no "${conclusion}" state (only success, failed, canceled, skipped)`
          : 'a completed check needs a conclusion',
      });
    }
    return state;
  }
  return status === 'in_progress' ? 'running' : 'pending';
}

/** GitLab's answer to posting the state a commit status already has. */
function isSameStateTransition(error: unknown): boolean {
  return ProviderError.isInstance(error) && error.status === 400 && /cannot transition status/i.test(error.message);
}

/** Keeps the end of a log of more than `max` bytes (cut on a character boundary). */
export function truncateLog(text: string, max: number): { content: string; truncated: boolean; sizeBytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return { content: text, truncated: false, sizeBytes: bytes.length };
  let start = bytes.length - max;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return { content: bytes.subarray(start).toString('utf8'), truncated: true, sizeBytes: bytes.length };
}

/**
 * GitLab CI/CD: pipelines, jobs and bridges, job logs, job artifacts, retry and cancel,
 * project runners (created with `POST /user/runners`) and commit statuses as checks.
 */
export function createGitLabCicd(ctx: GitLabContext, map: GitLabMapContext): Impl {
  const pipelinesOf = (project: string) => `projects/${encodePath(project)}/pipelines`;

  async function latestStatus(project: string, sha: string, name: string, operation: string, signal?: AbortSignal): Promise<GlStatus | undefined> {
    const list = await ctx.get<GlStatus[]>(operation, `projects/${encodePath(project)}/repository/commits/${encodeURIComponent(sha)}/statuses`, {
      query: { name, all: true, per_page: 100 }, signal,
    });
    return list.filter((s) => s.name === name).sort((a, b) => b.id - a.id)[0];
  }

  async function postStatus(project: string, sha: string, body: Record<string, unknown>, operation: string, signal?: AbortSignal): Promise<GlStatus> {
    try {
      const { data } = await ctx.call<GlStatus>(operation, 'POST', `projects/${encodePath(project)}/statuses/${encodeURIComponent(sha)}`, { body, signal });
      return data;
    } catch (error) {
      // Posting the state the status already has answers 400 "Cannot transition status": the status is as asked.
      if (!isSameStateTransition(error)) throw error;
      const current = await latestStatus(project, sha, String(body.name), operation, signal);
      if (!current) throw error;
      return current;
    }
  }

  return {
    async listPipelines(scope: string, options: ListOptions = {}): Promise<Page<ExternalPipeline>> {
      const op = 'listPipelines';
      const project = parseProjectPath(scope, op).path;
      let updatedAfter: string | undefined;
      if (options.updatedSince !== undefined) {
        const ms = Date.parse(options.updatedSince);
        if (Number.isNaN(ms)) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: `updatedSince "${options.updatedSince}" is not an ISO-8601 date` });
        updatedAfter = new Date(ms).toISOString();
      }
      const page = await ctx.page<GlPipeline>(op, pipelinesOf(project), {
        query: { order_by: 'updated_at', sort: 'asc', updated_after: updatedAfter }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      return { items: page.items.map((p) => mapPipeline(map, project, p)), nextCursor: page.nextCursor };
    },

    async getPipeline(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalPipeline> {
      const op = 'getPipeline';
      const project = parseProjectPath(ref.scope, op).path;
      const id = numericId(ref, 'pipeline', op);
      return mapPipeline(map, project, await ctx.get<GlPipeline>(op, `${pipelinesOf(project)}/${id}`, { signal: options.signal }));
    },

    async listJobs(pipelineRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalJob>> {
      const op = 'listJobs';
      const project = parseProjectPath(pipelineRef.scope, op).path;
      const id = numericId(pipelineRef, 'pipeline', op);
      const ref = { scope: project, id: String(id) };
      const jobs = `${pipelinesOf(project)}/${id}/jobs`;
      const bridges = `${pipelinesOf(project)}/${id}/bridges`;
      const endpoint = options.cursor === undefined ? jobs : ctx.cursorEndpoint(op, options.cursor);
      if (endpoint !== jobs && endpoint !== bridges) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: 'cursor is not one this provider issued for this listing' });
      const page = await ctx.page<GlJob>(op, endpoint, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      const bridge = endpoint === bridges;
      let items = page.items.map((j) => mapJob(map, ref, j, bridge));
      if (options.updatedSince !== undefined) {
        const bound = Date.parse(options.updatedSince);
        items = items.filter((j) => Date.parse(j.finishedAt ?? j.startedAt ?? j.external.version.updatedAt ?? '') >= bound);
      }
      // Trigger jobs (bridges) are not in /jobs: they follow from their own endpoint.
      const nextCursor = page.nextCursor ?? (!bridge && ctx.config.includeBridges ? ctx.firstPageCursor(bridges, {}, options.pageSize) : null);
      return { items, nextCursor };
    },

    async getJobLog(jobRef: ExternalRef, options: CallOptions = {}): Promise<ExternalLogRef> {
      const op = 'getJobLog';
      const project = parseProjectPath(jobRef.scope, op).path;
      const id = numericId(jobRef, 'job', op);
      const { data, headers } = await ctx.call<string>(op, 'GET', `projects/${encodePath(project)}/jobs/${id}/trace`, { text: true, signal: options.signal });
      // Truncate first (the tail of a long log matters most), then redact what is kept: GitLab already masks masked variables as [MASKED].
      const cut = truncateLog(String(data ?? ''), ctx.config.maxLogBytes);
      const content = await ctx.redact(cut.content);
      const url = `${projectWebUrl(map, project)}/-/jobs/${id}/raw`;
      return {
        ref: { scope: project, id: `${id}:trace` },
        external: envelope(map, {
          iface: 'cicd', nativeKind: 'job_trace', nativeId: `${id}:trace`, url, apiUrl: `${projectApiUrl(map, project)}/jobs/${id}/trace`,
          sha: headers.get('etag') ?? `sha256:${createHash('sha256').update(cut.content).digest('hex')}`, fields: {},
        }),
        jobRef: { scope: project, id: String(id) },
        url,
        content,
        sizeBytes: cut.sizeBytes,
        redacted: content !== cut.content,
        truncated: cut.truncated,
      };
    },

    async listArtifacts(pipelineRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalArtifact>> {
      const op = 'listArtifacts';
      const project = parseProjectPath(pipelineRef.scope, op).path;
      const id = numericId(pipelineRef, 'pipeline', op);
      const ref = { scope: project, id: String(id) };
      // GitLab keeps artifacts per job: a page of the pipeline's jobs gives their artifacts.
      const page = await ctx.page<GlJob>(op, `${pipelinesOf(project)}/${id}/jobs`, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      return { items: page.items.flatMap((j) => mapJobArtifacts(map, ref, j)), nextCursor: page.nextCursor };
    },

    async rerunPipeline(ref: ExternalRef, options: RerunOptions & CallOptions = {}): Promise<ExternalPipeline> {
      const op = 'rerunPipeline';
      const project = parseProjectPath(ref.scope, op).path;
      const id = numericId(ref, 'pipeline', op);
      if (options.failedOnly) {
        // Retries the failed and canceled jobs in the same pipeline.
        const { data } = await ctx.call<GlPipeline>(op, 'POST', `${pipelinesOf(project)}/${id}/retry`, { signal: options.signal });
        return mapPipeline(map, project, data);
      }
      // A full rerun is a new pipeline for the same ref (GitLab runs the ref's current head).
      const current = await ctx.get<GlPipeline>(op, `${pipelinesOf(project)}/${id}`, { signal: options.signal });
      if (!current.ref) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: `pipeline ${id} has no ref to run again` });
      const { data } = await ctx.call<GlPipeline>(op, 'POST', `projects/${encodePath(project)}/pipeline`, { body: { ref: current.ref }, signal: options.signal });
      return mapPipeline(map, project, data);
    },

    async cancelPipeline(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalPipeline> {
      const op = 'cancelPipeline';
      const project = parseProjectPath(ref.scope, op).path;
      const id = numericId(ref, 'pipeline', op);
      const { data } = await ctx.call<GlPipeline>(op, 'POST', `${pipelinesOf(project)}/${id}/cancel`, { signal: options.signal });
      return mapPipeline(map, project, data);
    },

    async listRunners(scope: string, options: ListOptions = {}): Promise<Page<ExternalRunner>> {
      const op = 'listRunners';
      const project = parseProjectPath(scope, op).path;
      const page = await ctx.page<GlRunner>(op, `projects/${encodePath(project)}/runners`, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      return { items: page.items.map((r) => mapRunner(map, project, r)), nextCursor: page.nextCursor };
    },

    async registerRunner(scope: string, options: RegisterRunnerOptions & CallOptions = {}): Promise<RunnerRegistration> {
      const op = 'registerRunner';
      const project = parseProjectPath(scope, op).path;
      const projectId = await projectNumericId(ctx, op, project, options);
      const labels = options.labels ?? [];
      const { data } = await ctx.call<{ id: number; token: string; token_expires_at?: string | null }>(op, 'POST', 'user/runners', {
        body: { runner_type: 'project_type', project_id: projectId, ...(labels.length ? { tag_list: labels.join(',') } : { run_untagged: true }), ...(options.name ? { description: options.name } : {}) },
        signal: options.signal,
        errors: { 403: { code: 'forbidden', message: 'creating a runner needs a token with the create_runner scope and the Maintainer role', hint: 'use a personal access token with create_runner' } },
      });
      if (typeof data?.token !== 'string' || data.token === '') {
        throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation: op, message: 'POST /user/runners answered without a runner token' });
      }
      // The glrt- token is shown once: keep it out of every log and error from now on.
      ctx.addSecret(data.token);
      return createRunnerRegistration({
        scope: project,
        token: data.token,
        ...(data.token_expires_at ? { expiresAt: new Date(data.token_expires_at).toISOString() } : {}),
        registrationUrl: map.webUrl,
      });
    },

    async createCheck(input: CheckInput, options: CallOptions = {}): Promise<ExternalCheck> {
      const op = 'createCheck';
      const project = parseProjectPath(input.scope, op).path;
      const state = statusState(input.status, input.conclusion, op);
      if (input.externalId !== undefined || (input as { idempotencyKey?: string }).idempotencyKey !== undefined) {
        // A status is found again by its sha and name: an identical one is not posted twice.
        const existing = await latestStatus(project, input.sha, input.name, op, options.signal);
        if (existing && existing.status === state) return mapStatus(map, project, existing);
      }
      const body: Record<string, unknown> = { state, name: input.name };
      if (input.detailsUrl) body.target_url = input.detailsUrl;
      if (input.summary) body.description = input.summary;
      return mapStatus(map, project, await postStatus(project, input.sha, body, op, options.signal));
    },

    async updateCheck(ref: ExternalRef, patch: CheckPatch, options: CallOptions = {}): Promise<ExternalCheck> {
      const op = 'updateCheck';
      const project = parseProjectPath(ref.scope, op).path;
      const { sha, name } = parseCheckRef(ref, op);
      let state: StatusState;
      if (patch.status === undefined && patch.conclusion === undefined) {
        const current = await latestStatus(project, sha, name, op, options.signal);
        if (!current) throw new ProviderError({ code: 'not_found', provider: PROVIDER, operation: op, message: `no commit status "${name}" on ${sha}` });
        state = current.status as StatusState;
      } else {
        state = statusState(patch.status, patch.conclusion, op);
      }
      // An update is a new status under the same name.
      const body: Record<string, unknown> = { state, name };
      if (patch.detailsUrl) body.target_url = patch.detailsUrl;
      if (patch.summary) body.description = patch.summary;
      return mapStatus(map, project, await postStatus(project, sha, body, op, options.signal));
    },
  };
}
