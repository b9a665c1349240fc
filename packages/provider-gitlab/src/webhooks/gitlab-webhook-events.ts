import type { ExternalRef, ExternalSyncEvent } from '@krate/core';
import { mapJob, mapPipeline, type GlJob, type GlPipeline } from '../cicd/gitlab-cicd-mapping.js';
import { mapGitRef, mapMergeRequest, type GlMergeRequest } from '../git-forge/gitlab-git-forge-mapping.js';
import { mapIssue, mapMilestone, mapNote, type GlIssue, type GlMilestone, type GlNote } from '../issue-tracking/gitlab-issue-tracking-mapping.js';
import { commentRefId } from '../shared/gitlab-scope.js';
import type { GitLabMapContext } from '../shared/gitlab-envelope.js';
import { gitlabTime } from '../shared/gitlab-time.js';

type Obj = Record<string, any>;

const ZERO_SHA = /^0{40}$/;

/** The project path of a payload: `project.path_with_namespace` (every modern hook carries it). */
function projectPath(payload: Obj): string | undefined {
  const path = payload.project?.path_with_namespace;
  return typeof path === 'string' && path.includes('/') ? path : undefined;
}

/** The author of an object in a hook: the acting user when it is the author (the payload has only `author_id` otherwise). */
function authorOf(payload: Obj, authorId: unknown): unknown {
  if (authorId === undefined || authorId === null) return undefined;
  return payload.user && payload.user.id === authorId ? payload.user : { id: authorId };
}

/** An Issue Hook's issue rebuilt in the REST shape, so the REST mapper reads it. */
export function hookIssue(payload: Obj): GlIssue {
  const a = payload.object_attributes ?? {};
  return {
    id: a.id, iid: a.iid, project_id: a.project_id, title: a.title ?? '', description: a.description ?? null, state: a.state ?? (a.state_id === 2 ? 'closed' : 'opened'),
    labels: (payload.labels ?? a.labels ?? []).map((l: Obj) => l.title ?? l.name),
    assignees: payload.assignees ?? [], author: authorOf(payload, a.author_id), created_at: a.created_at, updated_at: a.updated_at ?? a.created_at,
    closed_at: a.closed_at ?? null, web_url: a.url, milestone: typeof payload.milestone?.title === 'string' ? payload.milestone : null, moved_to_id: a.moved_to_id ?? null, confidential: a.confidential,
    ...(a.state === 'closed' && a.duplicated_to_id ? { closed_as_duplicate_of: a.duplicated_to_id } : {}),
    ...(payload.object_kind === 'work_item' ? { issue_type: String(a.type ?? 'work_item').toLowerCase() } : {}),
  };
}

/** A Note Hook's note in the REST shape. */
export function hookNote(payload: Obj): GlNote {
  const a = payload.object_attributes ?? {};
  return {
    id: a.id, body: a.note ?? a.description ?? '', system: a.system === true, author: authorOf(payload, a.author_id),
    created_at: a.created_at, updated_at: a.updated_at ?? a.created_at,
  };
}

/** A Merge Request Hook's merge request in the REST shape. */
export function hookMergeRequest(payload: Obj): GlMergeRequest {
  const a = payload.object_attributes ?? {};
  return {
    id: a.id, iid: a.iid, title: a.title ?? '', description: a.description ?? null, state: a.state ?? 'opened', draft: a.draft, work_in_progress: a.work_in_progress,
    source_branch: a.source_branch, target_branch: a.target_branch, sha: a.last_commit?.id ?? null, merge_commit_sha: a.merge_commit_sha ?? null,
    detailed_merge_status: a.detailed_merge_status ?? null, labels: (payload.labels ?? a.labels ?? []).map((l: Obj) => l.title ?? l.name),
    assignees: payload.assignees ?? [], author: authorOf(payload, a.author_id), created_at: a.created_at, updated_at: a.updated_at ?? a.created_at,
    merged_at: a.merged_at ?? null, closed_at: a.closed_at ?? null, web_url: a.url,
  };
}

/**
 * A Pipeline Hook's pipeline in the shape of a pipeline listing row (the hook has no
 * `updated_at`: the last change is taken as `finished_at`, else `created_at`), so a
 * delivery and a listing of the same pipeline agree.
 */
export function hookPipeline(payload: Obj): GlPipeline {
  const a = payload.object_attributes ?? {};
  return {
    id: a.id, iid: a.iid, name: a.name ?? null, ref: a.ref, tag: a.tag, sha: a.sha, status: a.status, source: a.source, created_at: a.created_at,
    updated_at: a.finished_at ?? a.created_at, web_url: a.url,
  };
}

/** A Job Hook's job (or a Pipeline Hook's `builds[]` entry) in the REST shape. */
export function hookJob(payload: Obj, build?: Obj): GlJob {
  if (build) {
    return {
      id: build.id, name: build.name, stage: build.stage, status: build.status, created_at: build.created_at, started_at: build.started_at ?? null,
      finished_at: build.finished_at ?? null, runner: build.runner ?? null, allow_failure: build.allow_failure,
    };
  }
  return {
    id: payload.build_id, name: payload.build_name, stage: payload.build_stage, status: payload.build_status, created_at: payload.build_created_at,
    started_at: payload.build_started_at ?? null, finished_at: payload.build_finished_at ?? null, runner: payload.runner ?? null, allow_failure: payload.build_allow_failure,
  };
}

function event(e: ExternalSyncEvent): ExternalSyncEvent {
  return e;
}

/**
 * The ExternalSyncEvents of one GitLab delivery, by `X-Gitlab-Event`:
 * Issue Hook (issues and work items), Note Hook (issue notes as comments; merge request notes
 * as reviews, by ref), Milestone Hook, Merge Request Hook, Pipeline Hook (the pipeline and
 * its jobs), Job Hook, Deployment Hook (the deploying job), Push Hook and Tag Push Hook (the
 * ref, and each pushed commit by ref), Release Hook (its tag). Anything else normalizes to
 * no event.
 */
export function gitlabWebhookEvents(nativeEvent: string, payload: Obj, map: GitLabMapContext): ExternalSyncEvent[] {
  const scope = projectPath(payload);
  if (!scope) return [];
  const a: Obj = payload.object_attributes ?? {};
  switch (nativeEvent) {
    case 'Issue Hook':
    case 'Confidential Issue Hook': {
      if (a.iid === undefined) return [];
      const issue = mapIssue(map, scope, hookIssue(payload));
      // The hook names the milestone by id only: without its title the issue is incomplete, so the event carries the ref alone.
      const complete = !a.milestone_id || typeof payload.milestone?.title === 'string';
      return [event({ interface: 'issueTracking', kind: 'issue', ref: issue.ref, change: 'upserted', ...(complete ? { object: issue } : {}), occurredAt: issue.updatedAt })];
    }
    case 'Note Hook':
    case 'Confidential Note Hook': {
      const note = hookNote(payload);
      if (a.noteable_type === 'Issue' && payload.issue?.iid !== undefined) {
        const issueRef: ExternalRef = { scope, id: String(payload.issue.iid) };
        const comment = mapNote(map, issueRef, note);
        return [event({ interface: 'issueTracking', kind: 'comment', ref: comment.ref, change: 'upserted', object: comment, occurredAt: comment.updatedAt })];
      }
      if (a.noteable_type === 'MergeRequest' && payload.merge_request?.iid !== undefined) {
        return [event({ interface: 'gitForge', kind: 'review', ref: { scope, id: commentRefId(payload.merge_request.iid, note.id) }, change: 'upserted', occurredAt: gitlabTime(note.updated_at) })];
      }
      return [];
    }
    case 'Milestone Hook': {
      if (a.id === undefined) return [];
      const milestone = mapMilestone(map, scope, a as GlMilestone);
      const change = payload.action === 'delete' ? 'deleted' : 'upserted';
      return [event({ interface: 'issueTracking', kind: 'milestone', ref: milestone.ref, change, ...(change === 'upserted' ? { object: milestone } : {}), occurredAt: milestone.external.version.updatedAt })];
    }
    case 'Merge Request Hook': {
      if (a.iid === undefined) return [];
      const mr = mapMergeRequest(map, scope, hookMergeRequest(payload));
      return [event({ interface: 'gitForge', kind: 'pullRequest', ref: mr.ref, change: 'upserted', object: mr, occurredAt: mr.updatedAt })];
    }
    case 'Pipeline Hook': {
      if (a.id === undefined) return [];
      const pipeline = mapPipeline(map, scope, hookPipeline(payload));
      const out: ExternalSyncEvent[] = [event({ interface: 'cicd', kind: 'pipeline', ref: pipeline.ref, change: 'upserted', object: pipeline, occurredAt: pipeline.updatedAt })];
      for (const build of (payload.builds ?? []) as Obj[]) {
        if (build?.id === undefined) continue;
        const job = mapJob(map, pipeline.ref, hookJob(payload, build));
        out.push(event({ interface: 'cicd', kind: 'job', ref: job.ref, change: 'upserted', object: job, occurredAt: job.finishedAt ?? job.startedAt }));
      }
      return out;
    }
    case 'Job Hook': {
      if (payload.build_id === undefined || payload.pipeline_id === undefined) return [];
      const job = mapJob(map, { scope, id: String(payload.pipeline_id) }, hookJob(payload));
      return [event({ interface: 'cicd', kind: 'job', ref: job.ref, change: 'upserted', object: job, occurredAt: job.finishedAt ?? job.startedAt })];
    }
    case 'Deployment Hook': {
      if (payload.deployable_id === undefined) return [];
      return [event({ interface: 'cicd', kind: 'job', ref: { scope, id: String(payload.deployable_id) }, change: 'upserted', occurredAt: gitlabTime(payload.status_changed_at) })];
    }
    case 'Push Hook':
    case 'Tag Push Hook': {
      const ref = String(payload.ref ?? '');
      const tag = ref.startsWith('refs/tags/');
      const name = ref.replace(/^refs\/(heads|tags)\//, '');
      if (!name) return [];
      const after = String(payload.after ?? '');
      const out: ExternalSyncEvent[] = [];
      if (ZERO_SHA.test(after)) {
        out.push(event({ interface: 'gitForge', kind: 'gitRef', ref: { scope, id: ref }, change: 'deleted' }));
      } else {
        const gitRef = mapGitRef(map, scope, tag ? 'tag' : 'branch', name, after);
        out.push(event({ interface: 'gitForge', kind: 'gitRef', ref: gitRef.ref, change: 'upserted', object: gitRef }));
      }
      for (const commit of (payload.commits ?? []) as Obj[]) {
        if (typeof commit?.id !== 'string') continue;
        out.push(event({ interface: 'gitForge', kind: 'commit', ref: { scope, id: commit.id }, change: 'upserted', occurredAt: gitlabTime(commit.timestamp) }));
      }
      return out;
    }
    case 'Release Hook': {
      if (typeof payload.tag !== 'string') return [];
      const change = payload.action === 'delete' ? 'deleted' : 'upserted';
      const occurredAt = gitlabTime(payload.released_at ?? payload.created_at);
      const out: ExternalSyncEvent[] = [event({ interface: 'gitForge', kind: 'gitRef', ref: { scope, id: `refs/tags/${payload.tag}` }, change, occurredAt })];
      // The released commit (a release deletion leaves the commit where it is).
      if (change === 'upserted' && typeof payload.commit?.id === 'string') out.push(event({ interface: 'gitForge', kind: 'commit', ref: { scope, id: payload.commit.id }, change: 'upserted', occurredAt }));
      return out;
    }
    default:
      return [];
  }
}
