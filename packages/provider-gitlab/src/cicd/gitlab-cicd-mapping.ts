import type {
  Conclusion, ExternalArtifact, ExternalCheck, ExternalJob, ExternalPipeline, ExternalRef, ExternalRunner, PipelinePhase,
} from '@krate/core';
import { mapUser } from '../issue-tracking/gitlab-issue-tracking-mapping.js';
import { envelope, projectApiUrl, projectWebUrl, type GitLabMapContext } from '../shared/gitlab-envelope.js';
import { artifactRefId, checkRefId } from '../shared/gitlab-scope.js';
import { gitlabTime } from '../shared/gitlab-time.js';

export interface GlPipeline {
  id: number; iid?: number; project_id?: number; sha?: string; ref?: string; tag?: boolean; status: string; source?: string; name?: string | null;
  created_at: string; updated_at?: string | null; started_at?: string | null; finished_at?: string | null; web_url?: string; user?: unknown;
}

export interface GlArtifact { file_type: string; size?: number; filename: string; file_format?: string | null }

export interface GlJob {
  id: number; name: string; stage?: string; status: string; created_at?: string; started_at?: string | null; finished_at?: string | null;
  web_url?: string; runner?: { id?: number; description?: string | null; name?: string | null } | null; pipeline?: { id: number } | null;
  artifacts?: GlArtifact[]; artifacts_expire_at?: string | null; allow_failure?: boolean; downstream_pipeline?: unknown;
}

export interface GlRunner {
  id: number; description?: string | null; name?: string | null; status?: string; online?: boolean | null; paused?: boolean; active?: boolean;
  tag_list?: string[]; version?: string | null; platform?: string | null; runner_type?: string; contacted_at?: string | null;
}

export interface GlStatus {
  id: number; sha: string; ref?: string | null; status: string; name: string; target_url?: string | null; description?: string | null;
  created_at: string; started_at?: string | null; finished_at?: string | null; pipeline_id?: number | null;
}

const PHASES: Record<string, PipelinePhase> = {
  created: 'pending', waiting_for_resource: 'waiting', preparing: 'pending', pending: 'queued', running: 'running', success: 'succeeded',
  failed: 'failed', canceling: 'canceling', canceled: 'canceled', cancelled: 'canceled', skipped: 'skipped', manual: 'blocked', scheduled: 'waiting',
  waiting_for_callback: 'waiting',
};

const CONCLUSIONS: Record<string, Conclusion> = { success: 'success', failed: 'failure', canceled: 'cancelled', cancelled: 'cancelled', skipped: 'skipped' };

/**
 * GitLab's pipeline and job statuses as the contract's phases: `created`/`preparing` pending,
 * `pending` queued, `running`, `success` succeeded, `failed`, `canceling`, `canceled`,
 * `skipped`, `manual` blocked (waiting for someone to play it), `waiting_for_resource` and
 * `scheduled` waiting. Unknown statuses are `unknown`.
 */
export function gitlabPhase(status: string): PipelinePhase {
  return PHASES[status] ?? 'unknown';
}

/** The conclusion of a finished status (success, failure, cancelled, skipped); none while it runs. */
export function gitlabConclusion(status: string): Conclusion | undefined {
  return CONCLUSIONS[status];
}

export function mapPipeline(ctx: GitLabMapContext, scope: string, p: GlPipeline): ExternalPipeline {
  const createdAt = gitlabTime(p.created_at) ?? new Date(0).toISOString();
  const updatedAt = gitlabTime(p.updated_at) ?? gitlabTime(p.finished_at) ?? createdAt;
  const out: ExternalPipeline = {
    ref: { scope, id: String(p.id) },
    external: envelope(ctx, {
      iface: 'cicd', nativeKind: 'pipeline', nativeId: p.id, ...(p.iid !== undefined ? { nativeNumber: p.iid } : {}),
      url: p.web_url ?? `${projectWebUrl(ctx, scope)}/-/pipelines/${p.id}`, apiUrl: `${projectApiUrl(ctx, scope)}/pipelines/${p.id}`,
      updatedAt, ...(p.sha ? { sha: p.sha } : {}),
      fields: { ...(p.source ? { source: p.source } : {}), ...(p.tag !== undefined ? { tag: p.tag } : {}) },
    }),
    name: p.name ?? p.ref ?? `pipeline ${p.id}`,
    phase: gitlabPhase(p.status),
    nativeStatus: p.status,
    createdAt,
    updatedAt,
  };
  if (p.iid !== undefined) out.number = p.iid;
  const conclusion = gitlabConclusion(p.status);
  if (conclusion) out.conclusion = conclusion;
  if (p.ref && !p.tag) out.branch = p.ref;
  if (p.sha) out.sha = p.sha;
  if (p.source) out.event = p.source;
  const actor = mapUser(p.user);
  if (actor) out.actor = actor;
  const startedAt = gitlabTime(p.started_at);
  if (startedAt) out.startedAt = startedAt;
  const finishedAt = gitlabTime(p.finished_at);
  if (finishedAt) out.finishedAt = finishedAt;
  return out;
}

export function mapJob(ctx: GitLabMapContext, pipelineRef: ExternalRef, j: GlJob, bridge = false): ExternalJob {
  const out: ExternalJob = {
    ref: { scope: pipelineRef.scope, id: String(j.id) },
    external: envelope(ctx, {
      iface: 'cicd', nativeKind: bridge ? 'bridge' : 'job', nativeId: j.id,
      url: j.web_url ?? `${projectWebUrl(ctx, pipelineRef.scope)}/-/jobs/${j.id}`, apiUrl: `${projectApiUrl(ctx, pipelineRef.scope)}/jobs/${j.id}`,
      updatedAt: gitlabTime(j.finished_at) ?? gitlabTime(j.started_at) ?? gitlabTime(j.created_at) ?? new Date(0).toISOString(),
      fields: { ...(j.stage ? { stage: j.stage } : {}), ...(j.allow_failure !== undefined ? { allowFailure: j.allow_failure } : {}) },
    }),
    pipelineRef,
    name: j.name,
    phase: gitlabPhase(j.status),
    nativeStatus: j.status,
  };
  const conclusion = gitlabConclusion(j.status);
  if (conclusion) out.conclusion = conclusion;
  const runner = j.runner?.description ?? j.runner?.name;
  if (runner) out.runnerName = runner;
  const startedAt = gitlabTime(j.started_at);
  if (startedAt) out.startedAt = startedAt;
  const finishedAt = gitlabTime(j.finished_at);
  if (finishedAt) out.finishedAt = finishedAt;
  return out;
}

/** The artifacts of one job (GitLab keeps artifacts per job: an archive plus reports). */
export function mapJobArtifacts(ctx: GitLabMapContext, pipelineRef: ExternalRef, j: GlJob): ExternalArtifact[] {
  const expireAt = gitlabTime(j.artifacts_expire_at);
  const expired = expireAt ? Date.parse(expireAt) < Date.now() : undefined;
  return (j.artifacts ?? []).map((a) => {
    const download = `${projectApiUrl(ctx, pipelineRef.scope)}/jobs/${j.id}/artifacts`;
    const out: ExternalArtifact = {
      ref: { scope: pipelineRef.scope, id: artifactRefId(j.id, a.file_type) },
      external: envelope(ctx, {
        iface: 'cicd', nativeKind: 'job_artifact', nativeId: artifactRefId(j.id, a.file_type),
        url: `${projectWebUrl(ctx, pipelineRef.scope)}/-/jobs/${j.id}/artifacts/browse`, apiUrl: download,
        updatedAt: gitlabTime(j.finished_at) ?? gitlabTime(j.created_at) ?? new Date(0).toISOString(),
        fields: { jobId: j.id, jobName: j.name, fileType: a.file_type, ...(a.file_format ? { fileFormat: a.file_format } : {}) },
      }),
      pipelineRef,
      name: a.filename,
      downloadUrl: a.file_type === 'archive' ? download : `${download}?file_type=${encodeURIComponent(a.file_type)}`,
    };
    if (typeof a.size === 'number') out.sizeBytes = a.size;
    if (expired !== undefined) out.expired = expired;
    const createdAt = gitlabTime(j.finished_at);
    if (createdAt) out.createdAt = createdAt;
    return out;
  });
}

/**
 * Runner status: `online` online; `offline`, `stale` and `never_contacted` offline; a paused
 * runner keeps its connectivity status (`extensions.fields.paused`). GitLab does not say
 * whether a runner is busy.
 */
export function mapRunner(ctx: GitLabMapContext, scope: string, r: GlRunner): ExternalRunner {
  const status = r.status === 'online' || (r.status === undefined && r.online) ? 'online' : r.status === undefined && r.online === null ? 'unknown' : 'offline';
  const out: ExternalRunner = {
    ref: { scope, id: String(r.id) },
    external: envelope(ctx, {
      iface: 'cicd', nativeKind: 'runner', nativeId: r.id, url: `${projectWebUrl(ctx, scope)}/-/runners/${r.id}`, apiUrl: `${ctx.apiUrl}/runners/${r.id}`,
      sha: `${r.status ?? ''}:${r.paused ?? !r.active}:${(r.tag_list ?? []).join(',')}`,
      fields: { ...(r.runner_type ? { runnerType: r.runner_type } : {}), paused: r.paused ?? r.active === false, ...(r.status ? { nativeStatus: r.status } : {}) },
    }),
    name: r.description || r.name || `runner ${r.id}`,
    status,
    labels: r.tag_list ?? [],
  };
  if (r.version) out.version = r.version;
  if (r.platform) out.os = r.platform;
  return out;
}

export function mapStatus(ctx: GitLabMapContext, scope: string, s: GlStatus): ExternalCheck {
  const out: ExternalCheck = {
    ref: { scope, id: checkRefId(s.sha, s.name) },
    external: envelope(ctx, {
      iface: 'cicd', nativeKind: 'commit_status', nativeId: s.id, url: s.target_url ?? `${projectWebUrl(ctx, scope)}/-/commit/${s.sha}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/repository/commits/${s.sha}/statuses`, sha: s.sha,
      updatedAt: gitlabTime(s.finished_at) ?? gitlabTime(s.started_at) ?? gitlabTime(s.created_at),
      fields: { ...(s.pipeline_id ? { pipelineId: s.pipeline_id } : {}), ...(s.ref ? { ref: s.ref } : {}) },
    }),
    kind: 'commit-status',
    name: s.name,
    sha: s.sha,
    phase: gitlabPhase(s.status),
    nativeStatus: s.status,
  };
  const conclusion = gitlabConclusion(s.status);
  if (conclusion) out.conclusion = conclusion;
  if (s.target_url) out.detailsUrl = s.target_url;
  if (s.description) out.summary = s.description;
  const startedAt = gitlabTime(s.started_at);
  if (startedAt) out.startedAt = startedAt;
  const completedAt = gitlabTime(s.finished_at);
  if (completedAt) out.completedAt = completedAt;
  return out;
}
