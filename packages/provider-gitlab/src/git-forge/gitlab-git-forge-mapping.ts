import {
  toRichText, type ExternalCollaborator, type ExternalCommit, type ExternalDeployKey, type ExternalGitRef, type ExternalPullRequest,
  type ExternalRepository, type ExternalReview, type ExternalUser, type MergeState,
} from '@krate/core';
import { mapUser } from '../issue-tracking/gitlab-issue-tracking-mapping.js';
import { envelope, projectApiUrl, projectWebUrl, type GitLabMapContext } from '../shared/gitlab-envelope.js';
import { stripMarker } from '../shared/gitlab-markers.js';
import { gitlabTime } from '../shared/gitlab-time.js';

export interface GlProject {
  id: number; name: string; path: string; path_with_namespace: string; description?: string | null; visibility?: string; default_branch?: string | null;
  archived?: boolean; http_url_to_repo?: string; ssh_url_to_repo?: string; web_url?: string; created_at?: string; updated_at?: string; last_activity_at?: string;
  namespace?: { id: number; full_path: string; kind?: string };
}

export interface GlMergeRequest {
  id: number; iid: number; project_id?: number; title: string; description?: string | null; state: string; draft?: boolean; work_in_progress?: boolean;
  source_branch: string; target_branch: string; sha?: string | null; merge_commit_sha?: string | null; squash_commit_sha?: string | null;
  detailed_merge_status?: string | null; labels?: Array<string | { title?: string; name?: string }>; assignees?: unknown[]; author?: unknown;
  created_at: string; updated_at: string; merged_at?: string | null; closed_at?: string | null; web_url?: string;
}

export interface GlCommit {
  id: string; message?: string; title?: string; parent_ids?: string[]; author_name?: string; author_email?: string; authored_date?: string;
  committer_name?: string; committer_email?: string; committed_date?: string; web_url?: string;
}

export interface GlBranch { name: string; commit: { id: string }; web_url?: string; protected?: boolean; default?: boolean }
export interface GlTag { name: string; target?: string; commit: { id: string } }
export interface GlDeployKey { id: number; title: string; key: string; can_push?: boolean; created_at?: string; expires_at?: string | null }
export interface GlMember { id: number; username: string; name?: string; access_level: number; web_url?: string; created_at?: string }

/** Merge request title prefixes GitLab reads as draft (`Draft:`, `[Draft]`, `(Draft)`, legacy `WIP:`). */
export const DRAFT_PREFIX = /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|\[wip\]|wip:)\s*/i;

/** Whether a merge request is a draft: GitLab's `draft` flag, or a draft prefix in the title (older instances, hook payloads). */
export function isDraft(mr: Pick<GlMergeRequest, 'title' | 'draft' | 'work_in_progress'>): boolean {
  return mr.draft === true || mr.work_in_progress === true || DRAFT_PREFIX.test(mr.title);
}

/** `detailed_merge_status` values GitLab reports while it is still computing mergeability. */
export const CHECKING_MERGE_STATUSES = new Set(['unchecked', 'checking', 'preparing', 'approvals_syncing']);

/**
 * `detailed_merge_status` as the contract's merge state: `mergeable`; `conflict` conflicting;
 * `need_rebase` behind; `draft_status` draft; `ci_must_pass`/`ci_still_running` unstable;
 * approvals, discussions, blocking MRs, external status checks, locks and policies blocked;
 * `not_open` merged (or unknown when closed); the checking states and anything else unknown.
 */
export function mergeState(mr: Pick<GlMergeRequest, 'state' | 'detailed_merge_status'>): MergeState {
  if (mr.state === 'merged') return 'merged';
  const status = mr.detailed_merge_status ?? '';
  switch (status) {
    case 'mergeable': return 'mergeable';
    case 'conflict': return 'conflicting';
    case 'need_rebase': return 'behind';
    case 'draft_status': return 'draft';
    case 'ci_must_pass': case 'ci_still_running': return 'unstable';
    case 'not_approved': case 'requested_changes': case 'discussions_not_resolved': case 'merge_request_blocked': case 'status_checks_must_pass':
    case 'jira_association_missing': case 'security_policy_violations': case 'merge_time': case 'locked_paths': case 'locked_lfs_files':
    case 'commits_status': case 'blocked_status': case 'external_status_checks': case 'title_regex': case 'security_policy_pipeline_check':
      return 'blocked';
    default: return 'unknown';
  }
}

export function mapRepository(ctx: GitLabMapContext, p: GlProject): ExternalRepository {
  const fullPath = p.path_with_namespace;
  const cut = fullPath.lastIndexOf('/');
  const owner = p.namespace?.full_path ?? fullPath.slice(0, cut);
  const name = fullPath.slice(cut + 1);
  const updatedAt = gitlabTime(p.updated_at) ?? gitlabTime(p.last_activity_at);
  const visibility = p.visibility === 'public' || p.visibility === 'internal' ? p.visibility : 'private';
  const out: ExternalRepository = {
    ref: { scope: owner, id: name },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'project', nativeId: p.id, url: p.web_url ?? projectWebUrl(ctx, fullPath), apiUrl: projectApiUrl(ctx, fullPath),
      updatedAt: updatedAt ?? gitlabTime(p.created_at) ?? new Date(0).toISOString(), fields: { ...(p.namespace ? { namespaceId: p.namespace.id } : {}) },
    }),
    owner,
    name,
    fullPath,
    visibility,
    defaultBranch: p.default_branch ?? 'main',
    archived: p.archived ?? false,
    cloneUrls: { ...(p.http_url_to_repo ? { https: p.http_url_to_repo } : {}), ...(p.ssh_url_to_repo ? { ssh: p.ssh_url_to_repo } : {}) },
  };
  if (p.description) out.description = p.description;
  const createdAt = gitlabTime(p.created_at);
  if (createdAt) out.createdAt = createdAt;
  if (updatedAt) out.updatedAt = updatedAt;
  return out;
}

function labelNames(labels: GlMergeRequest['labels']): string[] {
  return (labels ?? []).map((l) => (typeof l === 'string' ? l : (l.title ?? l.name ?? ''))).filter((n) => n !== '');
}

export function mapMergeRequest(ctx: GitLabMapContext, scope: string, mr: GlMergeRequest): ExternalPullRequest {
  const createdAt = gitlabTime(mr.created_at) ?? new Date(0).toISOString();
  const updatedAt = gitlabTime(mr.updated_at) ?? createdAt;
  const state = mr.state === 'merged' ? 'merged' : mr.state === 'closed' ? 'closed' : 'open';
  const out: ExternalPullRequest = {
    ref: { scope, id: String(mr.iid) },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'merge_request', nativeId: mr.id, nativeNumber: mr.iid,
      url: mr.web_url ?? `${projectWebUrl(ctx, scope)}/-/merge_requests/${mr.iid}`, apiUrl: `${projectApiUrl(ctx, scope)}/merge_requests/${mr.iid}`,
      updatedAt, ...(mr.sha ? { sha: mr.sha } : {}),
      fields: { nativeState: mr.state, ...(mr.detailed_merge_status ? { detailedMergeStatus: mr.detailed_merge_status } : {}) },
    }),
    number: mr.iid,
    title: mr.title,
    body: toRichText(stripMarker(mr.description ?? ''), { sourceFormat: 'gitlab-markdown', source: mr.description ?? '' }),
    state,
    draft: isDraft(mr),
    headBranch: mr.source_branch,
    baseBranch: mr.target_branch,
    headSha: mr.sha ?? '',
    mergeState: state === 'closed' ? 'unknown' : mergeState(mr),
    labels: labelNames(mr.labels),
    assignees: (mr.assignees ?? []).map(mapUser).filter((u): u is ExternalUser => u !== undefined),
    createdAt,
    updatedAt,
  };
  const merged = mr.merge_commit_sha ?? mr.squash_commit_sha;
  if (merged) out.mergeCommitSha = merged;
  const author = mapUser(mr.author);
  if (author) out.author = author;
  const mergedAt = gitlabTime(mr.merged_at);
  if (mergedAt) out.mergedAt = mergedAt;
  const closedAt = gitlabTime(mr.closed_at);
  if (closedAt) out.closedAt = closedAt;
  return out;
}

export function mapCommit(ctx: GitLabMapContext, scope: string, c: GlCommit): ExternalCommit {
  const out: ExternalCommit = {
    ref: { scope, id: c.id },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'commit', nativeId: c.id, url: c.web_url ?? `${projectWebUrl(ctx, scope)}/-/commit/${c.id}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/repository/commits/${c.id}`, sha: c.id,
    }),
    sha: c.id,
    message: c.message ?? c.title ?? '',
    author: { ...(c.author_name ? { name: c.author_name } : {}), ...(c.author_email ? { email: c.author_email } : {}), ...(gitlabTime(c.authored_date) ? { date: gitlabTime(c.authored_date)! } : {}) },
    parents: c.parent_ids ?? [],
  };
  if (c.committer_name || c.committer_email) {
    out.committer = { ...(c.committer_name ? { name: c.committer_name } : {}), ...(c.committer_email ? { email: c.committer_email } : {}), ...(gitlabTime(c.committed_date) ? { date: gitlabTime(c.committed_date)! } : {}) };
  }
  return out;
}

export function mapGitRef(ctx: GitLabMapContext, scope: string, kind: 'branch' | 'tag', name: string, sha: string): ExternalGitRef {
  const prefix = kind === 'branch' ? 'refs/heads/' : 'refs/tags/';
  return {
    ref: { scope, id: `${prefix}${name}` },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: kind, nativeId: `${prefix}${name}`,
      url: `${projectWebUrl(ctx, scope)}/-/${kind === 'branch' ? 'tree' : 'tags'}/${encodeURIComponent(name)}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/repository/${kind === 'branch' ? 'branches' : 'tags'}/${encodeURIComponent(name)}`, sha,
    }),
    name,
    kind,
    sha,
  };
}

export function mapDeployKey(ctx: GitLabMapContext, scope: string, k: GlDeployKey): ExternalDeployKey {
  const out: ExternalDeployKey = {
    ref: { scope, id: String(k.id) },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'deploy_key', nativeId: k.id, url: `${projectWebUrl(ctx, scope)}/-/settings/repository#js-deploy-keys-settings`,
      apiUrl: `${projectApiUrl(ctx, scope)}/deploy_keys/${k.id}`, sha: `${k.title}:${k.can_push ? 'rw' : 'ro'}`,
      updatedAt: gitlabTime(k.created_at), fields: k.expires_at ? { expiresAt: k.expires_at } : {},
    }),
    title: k.title,
    key: k.key,
    readOnly: !k.can_push,
  };
  const createdAt = gitlabTime(k.created_at);
  if (createdAt) out.createdAt = createdAt;
  return out;
}

/**
 * Member access levels as permissions: 10 guest read, 15 planner and 20 reporter triage,
 * 30 developer write, 40 maintainer maintain, 50 owner admin. Minimal access (5) reads.
 */
export function permissionOf(accessLevel: number): ExternalCollaborator['permission'] {
  if (accessLevel >= 50) return 'admin';
  if (accessLevel >= 40) return 'maintain';
  if (accessLevel >= 30) return 'write';
  if (accessLevel >= 15) return 'triage';
  return 'read';
}

export function mapMember(ctx: GitLabMapContext, scope: string, m: GlMember): ExternalCollaborator {
  return {
    ref: { scope, id: m.username },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'member', nativeId: m.id, url: m.web_url ?? `${ctx.webUrl}/${m.username}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/members/all/${m.id}`, sha: String(m.access_level), fields: { accessLevel: m.access_level },
    }),
    login: m.username,
    permission: permissionOf(m.access_level),
  };
}

/** A merge request approval as a review. */
export function mapApproval(ctx: GitLabMapContext, pullRequestRef: { scope: string; id: string }, user: unknown, at: string | undefined, state: ExternalReview['state']): ExternalReview {
  const u = mapUser(user);
  const id = u?.id ?? 'unknown';
  const out: ExternalReview = {
    ref: { scope: pullRequestRef.scope, id: `${pullRequestRef.id}:${id}` },
    external: envelope(ctx, {
      iface: 'gitForge', nativeKind: 'approval', nativeId: `${pullRequestRef.id}:${id}`,
      url: `${projectWebUrl(ctx, pullRequestRef.scope)}/-/merge_requests/${pullRequestRef.id}`, updatedAt: gitlabTime(at) ?? new Date(0).toISOString(),
    }),
    pullRequestRef,
    state,
  };
  if (u) out.author = u;
  const submittedAt = gitlabTime(at);
  if (submittedAt) out.submittedAt = submittedAt;
  return out;
}
