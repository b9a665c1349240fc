import { createHash } from 'node:crypto';
import {
  toRichText,
  type BranchProtection,
  type BranchProtectionRule,
  type ExternalCollaborator,
  type ExternalCommit,
  type ExternalDeployKey,
  type ExternalGitRef,
  type ExternalPullRequest,
  type ExternalRepository,
  type ExternalReview,
  type ExternalUser,
  type MergeState,
} from '@krate/core';
import type { GitHubMappingContext } from '../github-context.js';
import { readIdempotencyMarker, stripIdempotencyMarker } from '../shared/github-idempotency.js';
import { isoTime, mapGitHubUser, repoScopeFromUrl } from '../shared/github-mapping.js';

export type { GitHubMappingContext };

/** Extra facts a mapper cannot read from the raw object alone. */
export interface GitForgeMapExtra {
  /** The response ETag, kept in `external.version.etag`. */
  etag?: string | undefined;
  /** `owner/repo` of the object, where the raw object does not carry its repository. */
  repoScope?: string | undefined;
}

/** Extras of {@link mapPullRequest}. */
export interface PullRequestMapExtra extends GitForgeMapExtra {
  /**
   * Whether `raw` is a single pull request read (GET, create, update): only those
   * carry a current `mergeable_state`. Default false: listings have none and webhook
   * payloads carry a value computed at event time, so both report `unknown` (draft
   * and merged are always known) and agree with each other; the payload's value stays
   * in `extensions.fields.mergeableState`.
   */
  mergeability?: boolean | undefined;
}

type Raw = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const obj = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

function requireScope(scope: string | undefined, what: string): string {
  if (!scope) throw new TypeError(`cannot tell the repository of this ${what}: pass repoScope`);
  return scope;
}

// ---------------------------------------------------------------------------
// Repository

/** A GitHub repository (REST `repository` / `full-repository`, or a webhook `repository`). */
export function mapRepository(m: GitHubMappingContext, raw: Raw, extra: GitForgeMapExtra = {}): ExternalRepository {
  const owner = obj(raw.owner);
  const fullName = str(raw.full_name) ?? `${str(owner?.login) ?? ''}/${str(raw.name) ?? ''}`;
  const [ownerLogin = '', name = str(raw.name) ?? ''] = fullName.split('/');
  const visibility = str(raw.visibility);
  const createdAt = isoTime(raw.created_at);
  const updatedAt = isoTime(raw.updated_at);
  return {
    ref: { scope: ownerLogin, id: name },
    external: m.envelope('gitForge', 'repository', { ...raw, updated_at: updatedAt ?? null } as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra.etag,
      fields: definedFields({
        ownerType: str(owner?.type),
        fork: bool(raw.fork),
        homepage: str(raw.homepage) || undefined,
        language: str(raw.language) ?? undefined,
        topics: Array.isArray(raw.topics) ? raw.topics : undefined,
        isTemplate: bool(raw.is_template),
        disabled: bool(raw.disabled),
        hasIssues: bool(raw.has_issues),
        hasWiki: bool(raw.has_wiki),
        hasProjects: bool(raw.has_projects),
        pushedAt: isoTime(raw.pushed_at),
        permissions: obj(raw.permissions),
        allowMergeCommit: bool(raw.allow_merge_commit),
        allowSquashMerge: bool(raw.allow_squash_merge),
        allowRebaseMerge: bool(raw.allow_rebase_merge),
        deleteBranchOnMerge: bool(raw.delete_branch_on_merge),
      }),
    }),
    owner: ownerLogin,
    name,
    fullPath: fullName,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    visibility: visibility === 'public' || visibility === 'private' || visibility === 'internal'
      ? visibility
      : raw.private === true ? 'private' : 'public',
    defaultBranch: str(raw.default_branch) ?? str(raw.master_branch) ?? 'main',
    archived: raw.archived === true,
    cloneUrls: definedFields({ https: str(raw.clone_url), ssh: str(raw.ssh_url) }) as ExternalRepository['cloneUrls'],
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

// ---------------------------------------------------------------------------
// Pull request

/**
 * GitHub's `mergeable_state` as a MergeState. GitHub computes it only for a single
 * pull request GET (lists and some webhooks omit it), so a missing value is
 * `unknown` unless the pull request is a draft.
 */
export function mapMergeState(raw: { merged?: unknown; merged_at?: unknown; state?: unknown; mergeable_state?: unknown; draft?: unknown }): MergeState {
  if (raw.merged === true || (typeof raw.merged_at === 'string' && raw.merged_at.length > 0)) return 'merged';
  if (raw.state === 'closed') return 'unknown';
  switch (raw.mergeable_state) {
    case 'clean':
    case 'has_hooks':
      return 'mergeable';
    case 'dirty':
      return 'conflicting';
    case 'blocked':
      return 'blocked';
    case 'behind':
      return 'behind';
    case 'unstable':
      return 'unstable';
    case 'draft':
      return 'draft';
    default:
      return raw.draft === true ? 'draft' : 'unknown';
  }
}

/** A GitHub pull request (REST `pull-request` / `pull-request-simple`, or a webhook `pull_request`). */
export function mapPullRequest(m: GitHubMappingContext, raw: Raw, extra: PullRequestMapExtra = {}): ExternalPullRequest {
  const base = obj(raw.base) ?? {};
  const head = obj(raw.head) ?? {};
  const scope = requireScope(extra.repoScope ?? str(obj(base.repo)?.full_name) ?? repoScopeFromUrl(raw.url), 'pull request');
  const number = num(raw.number) ?? 0;
  const merged = raw.merged === true || (typeof raw.merged_at === 'string' && raw.merged_at.length > 0);
  const body = str(raw.body) ?? '';
  const author = mapGitHubUser(raw.user);
  const mergedAt = isoTime(raw.merged_at);
  const closedAt = isoTime(raw.closed_at);
  const headSha = str(head.sha) ?? '';
  const key = readIdempotencyMarker(body);
  return {
    ref: { scope, id: String(number) },
    external: m.envelope('gitForge', 'pull_request', raw as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra.etag,
      sha: headSha || undefined,
      fields: definedFields({
        headRepo: str(obj(head.repo)?.full_name),
        headLabel: str(head.label),
        baseSha: str(base.sha),
        locked: bool(raw.locked),
        mergeable: raw.mergeable === null ? null : bool(raw.mergeable),
        mergeableState: str(raw.mergeable_state),
        rebaseable: raw.rebaseable === null ? null : bool(raw.rebaseable),
        autoMerge: raw.auto_merge === undefined ? undefined : raw.auto_merge,
        requestedReviewers: Array.isArray(raw.requested_reviewers)
          ? raw.requested_reviewers.map((u) => str(obj(u)?.login)).filter((l): l is string => l !== undefined)
          : undefined,
        milestone: str(obj(raw.milestone)?.title),
        maintainerCanModify: bool(raw.maintainer_can_modify),
        mergedBy: str(obj(raw.merged_by)?.login),
        /** GitHub issues and pull requests share one number space: the issue of the same number is this pull request. */
        issueRef: { scope, id: String(number) },
        idempotencyKey: key,
      }),
    }),
    number,
    title: str(raw.title) ?? '',
    body: toRichText(stripIdempotencyMarker(body), { source: body }),
    state: merged ? 'merged' : raw.state === 'closed' ? 'closed' : 'open',
    draft: raw.draft === true,
    headBranch: str(head.ref) ?? '',
    baseBranch: str(base.ref) ?? '',
    headSha,
    mergeState: mapMergeState(extra.mergeability ? raw : { merged: raw.merged, merged_at: raw.merged_at, state: raw.state, draft: raw.draft }),
    ...(merged && str(raw.merge_commit_sha) ? { mergeCommitSha: str(raw.merge_commit_sha) } : {}),
    labels: arr(raw.labels).map((l) => (typeof l === 'string' ? l : str(obj(l)?.name))).filter((l): l is string => !!l),
    assignees: arr(raw.assignees).map(mapGitHubUser).filter((u): u is ExternalUser => u !== undefined),
    ...(author ? { author } : {}),
    createdAt: isoTime(raw.created_at) ?? new Date(0).toISOString(),
    updatedAt: isoTime(raw.updated_at) ?? isoTime(raw.created_at) ?? new Date(0).toISOString(),
    ...(mergedAt ? { mergedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
  };
}

// ---------------------------------------------------------------------------
// Review

const REVIEW_STATES: Record<string, ExternalReview['state']> = {
  approved: 'approved',
  changes_requested: 'changes_requested',
  commented: 'commented',
  dismissed: 'dismissed',
  pending: 'pending',
};

/** A pull request review (REST `pull-request-review` or a webhook `review`). */
export function mapReview(
  m: GitHubMappingContext,
  raw: Raw,
  extra: GitForgeMapExtra & { pullNumber?: number | string } = {},
): ExternalReview {
  const prUrl = str(raw.pull_request_url) ?? str(obj(obj(raw._links)?.pull_request)?.href);
  const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(prUrl), 'review');
  const pullNumber = extra.pullNumber !== undefined ? String(extra.pullNumber) : /\/pulls\/(\d+)/.exec(prUrl ?? '')?.[1];
  if (!pullNumber) throw new TypeError('cannot tell the pull request of this review: pass pullNumber');
  const id = String(raw.id);
  const body = str(raw.body);
  const author = mapGitHubUser(raw.user);
  const submittedAt = isoTime(raw.submitted_at);
  const commitSha = str(raw.commit_id);
  return {
    ref: { scope, id },
    external: m.envelope(
      'gitForge',
      'review',
      {
        id: raw.id as number,
        node_id: str(raw.node_id),
        html_url: str(raw.html_url) ?? str(obj(obj(raw._links)?.html)?.href) ?? null,
        url: `${m.apiBaseUrl}/repos/${scope}/pulls/${pullNumber}/reviews/${id}`,
        updated_at: submittedAt ?? null,
      },
      {
        etag: extra.etag,
        sha: commitSha,
        fields: definedFields({ authorAssociation: str(raw.author_association), nativeState: str(raw.state) }),
      },
    ),
    pullRequestRef: { scope, id: pullNumber },
    state: REVIEW_STATES[(str(raw.state) ?? '').toLowerCase()] ?? 'commented',
    ...(body ? { body: toRichText(body) } : {}),
    ...(author ? { author } : {}),
    ...(commitSha ? { commitSha } : {}),
    ...(submittedAt ? { submittedAt } : {}),
  };
}

// ---------------------------------------------------------------------------
// Git ref

/** `refs/heads/main` -> { id: 'heads/main', name: 'main', kind: 'branch' }. */
export function parseGitRefName(ref: string): { id: string; name: string; kind: ExternalGitRef['kind'] } {
  const id = ref.startsWith('refs/') ? ref.slice('refs/'.length) : ref;
  if (id.startsWith('heads/')) return { id, name: id.slice('heads/'.length), kind: 'branch' };
  if (id.startsWith('tags/')) return { id, name: id.slice('tags/'.length), kind: 'tag' };
  return { id, name: id, kind: 'other' };
}

/** A git reference (REST `git-ref`: `{ ref, node_id, url, object: { type, sha } }`). */
export function mapGitRef(m: GitHubMappingContext, raw: Raw, extra: GitForgeMapExtra = {}): ExternalGitRef {
  const fullRef = str(raw.ref) ?? '';
  const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(raw.url), 'git ref');
  const { id, name, kind } = parseGitRefName(fullRef);
  const target = obj(raw.object) ?? {};
  const sha = str(target.sha) ?? '';
  return {
    ref: { scope, id },
    external: m.envelope(
      'gitForge',
      'ref',
      {
        id: fullRef.startsWith('refs/') ? fullRef : `refs/${fullRef}`,
        node_id: str(raw.node_id),
        html_url: kind === 'other' ? null : `${m.webBaseUrl}/${scope}/tree/${name}`,
        url: str(raw.url),
      },
      { etag: extra.etag, sha: sha || undefined, fields: definedFields({ objectType: str(target.type) }) },
    ),
    name,
    kind,
    sha,
  };
}

// ---------------------------------------------------------------------------
// Commit

function gitPerson(raw: unknown): { name?: string; email?: string; date?: string } {
  const person = obj(raw);
  if (!person) return {};
  const date = isoTime(person.date);
  return definedFields({ name: str(person.name), email: str(person.email), date }) as { name?: string; email?: string; date?: string };
}

/**
 * A commit: the REST `commit` shape (GET /repos/{owner}/{repo}/commits/{ref}) or a
 * push webhook commit (`{ id, tree_id, message, timestamp, author, committer }`,
 * which carries no parents).
 */
export function mapCommit(m: GitHubMappingContext, raw: Raw, extra: GitForgeMapExtra = {}): ExternalCommit {
  const git = obj(raw.commit);
  if (git) {
    const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(raw.url), 'commit');
    const sha = str(raw.sha) ?? '';
    const committer = gitPerson(git.committer);
    return {
      ref: { scope, id: sha },
      external: m.envelope(
        'gitForge',
        'commit',
        { id: sha, node_id: str(raw.node_id), html_url: str(raw.html_url) ?? null, url: str(raw.url), updated_at: committer.date ?? null },
        {
          etag: extra.etag,
          sha,
          fields: definedFields({
            authorLogin: str(obj(raw.author)?.login),
            committerLogin: str(obj(raw.committer)?.login),
            treeSha: str(obj(git.tree)?.sha),
            verified: bool(obj(git.verification)?.verified),
            stats: obj(raw.stats),
          }),
        },
      ),
      sha,
      message: str(git.message) ?? '',
      author: gitPerson(git.author),
      ...(git.committer ? { committer } : {}),
      parents: arr(raw.parents).map((p) => str(obj(p)?.sha)).filter((s): s is string => !!s),
    };
  }
  // Push webhook commit.
  const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(raw.url), 'commit');
  const sha = str(raw.id) ?? '';
  const timestamp = isoTime(raw.timestamp);
  const author = gitPerson(raw.author);
  const committer = gitPerson(raw.committer);
  return {
    ref: { scope, id: sha },
    external: m.envelope(
      'gitForge',
      'commit',
      { id: sha, html_url: str(raw.url) ?? null, url: `${m.apiBaseUrl}/repos/${scope}/commits/${sha}`, updated_at: timestamp ?? null },
      {
        etag: extra.etag,
        sha,
        fields: definedFields({
          treeSha: str(raw.tree_id),
          authorLogin: str(obj(raw.author)?.username),
          committerLogin: str(obj(raw.committer)?.username),
          distinct: bool(raw.distinct),
          /** Push payloads do not carry parents; GET the commit for them. */
          parentsKnown: false,
        }),
      },
    ),
    sha,
    message: str(raw.message) ?? '',
    author: { ...author, ...(author.date === undefined && timestamp ? { date: timestamp } : {}) },
    ...(raw.committer ? { committer } : {}),
    parents: [],
  };
}

// ---------------------------------------------------------------------------
// Deploy key

/** A deploy key (REST `deploy-key` or a webhook `key`). Only the public key exists on GitHub. */
export function mapDeployKey(m: GitHubMappingContext, raw: Raw, extra: GitForgeMapExtra = {}): ExternalDeployKey {
  const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(raw.url), 'deploy key');
  const createdAt = isoTime(raw.created_at);
  return {
    ref: { scope, id: String(raw.id) },
    external: m.envelope(
      'gitForge',
      'deploy_key',
      { id: raw.id as number, html_url: `${m.webBaseUrl}/${scope}/settings/keys`, url: str(raw.url), updated_at: createdAt ?? null },
      {
        etag: extra.etag,
        fields: definedFields({
          verified: bool(raw.verified),
          addedBy: str(raw.added_by) ?? undefined,
          lastUsed: isoTime(raw.last_used),
          enabled: bool(raw.enabled),
        }),
      },
    ),
    title: str(raw.title) ?? '',
    key: str(raw.key) ?? '',
    readOnly: raw.read_only !== false,
    ...(createdAt ? { createdAt } : {}),
  };
}

// ---------------------------------------------------------------------------
// Collaborator

const ROLE_NAMES: Record<string, ExternalCollaborator['permission']> = {
  admin: 'admin',
  maintain: 'maintain',
  write: 'write',
  push: 'write',
  triage: 'triage',
  read: 'read',
  pull: 'read',
};

/**
 * The permission of a collaborator: `role_name` when it is one of GitHub's base
 * roles, else (a custom repository role) the highest flag of `permissions`.
 */
export function collaboratorPermission(raw: Raw): ExternalCollaborator['permission'] {
  const role = str(raw.role_name)?.toLowerCase() ?? str(raw.permission)?.toLowerCase();
  if (role && ROLE_NAMES[role]) return ROLE_NAMES[role];
  const flags = obj(raw.permissions) ?? {};
  if (flags.admin === true) return 'admin';
  if (flags.maintain === true) return 'maintain';
  if (flags.push === true) return 'write';
  if (flags.triage === true) return 'triage';
  return 'read';
}

/**
 * A weak ETag over what a collaborator grants. Collaborators carry no time and list
 * items no ETag, so this digest is their version: a role change is a new version.
 */
function contentVersion(value: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32)}"`;
}

/** A repository collaborator (REST `collaborator`). */
export function mapCollaborator(m: GitHubMappingContext, raw: Raw, extra: GitForgeMapExtra = {}): ExternalCollaborator {
  const scope = requireScope(extra.repoScope, 'collaborator');
  const login = str(raw.login) ?? String(raw.id);
  const permission = collaboratorPermission(raw);
  return {
    ref: { scope, id: login },
    external: m.envelope('gitForge', 'collaborator', raw as Parameters<GitHubMappingContext['envelope']>[2], {
      etag: extra.etag ?? contentVersion({ login, permission, role: raw.role_name ?? null, permissions: raw.permissions ?? null }),
      fields: definedFields({
        roleName: str(raw.role_name),
        type: str(raw.type),
        siteAdmin: bool(raw.site_admin),
        permissions: obj(raw.permissions),
      }),
    }),
    login,
    permission,
  };
}

// ---------------------------------------------------------------------------
// Branch protection

const enabled = (value: unknown): boolean | undefined => bool(obj(value)?.enabled);

/** Required status check names of a protection (`checks[].context`, or the older `contexts`). */
export function protectionStatusChecks(raw: Raw): string[] {
  const checks = obj(raw.required_status_checks);
  if (!checks) return [];
  const fromChecks = arr(checks.checks).map((c) => str(obj(c)?.context)).filter((c): c is string => !!c);
  const names = fromChecks.length > 0 ? fromChecks : arr(checks.contexts).filter((c): c is string => typeof c === 'string');
  return [...new Set(names)].sort();
}

/**
 * Every setting of a REST branch protection (`GET .../branches/{branch}/protection`
 * or the PUT answer) as a rule, with GitHub's effective defaults filled in: an
 * absent section means the setting is off.
 */
export function ruleFromProtection(raw: Raw, branch: string): Required<BranchProtectionRule> {
  const reviews = obj(raw.required_pull_request_reviews);
  const checks = obj(raw.required_status_checks);
  return {
    branch,
    requiredApprovingReviews: reviews ? num(reviews.required_approving_review_count) ?? 0 : 0,
    requireCodeOwnerReviews: reviews?.require_code_owner_reviews === true,
    dismissStaleReviews: reviews?.dismiss_stale_reviews === true,
    requiredStatusChecks: protectionStatusChecks(raw),
    strictStatusChecks: checks?.strict === true,
    enforceAdmins: enabled(raw.enforce_admins) === true,
    allowForcePushes: enabled(raw.allow_force_pushes) === true,
    allowDeletions: enabled(raw.allow_deletions) === true,
    requireLinearHistory: enabled(raw.required_linear_history) === true,
  };
}

/** A webhook `branch_protection_rule` rule (`{ name, required_approving_review_count, admin_enforced, ... }`) as a rule. */
export function ruleFromWebhookRule(raw: Raw): Required<BranchProtectionRule> {
  const on = (level: unknown) => typeof level === 'string' && level !== 'off';
  const reviewsOn = on(raw.pull_request_reviews_enforcement_level);
  const checks = arr(raw.required_status_checks).filter((c): c is string => typeof c === 'string');
  return {
    branch: str(raw.name) ?? '',
    requiredApprovingReviews: reviewsOn ? num(raw.required_approving_review_count) ?? 0 : 0,
    requireCodeOwnerReviews: reviewsOn && raw.require_code_owner_review === true,
    dismissStaleReviews: reviewsOn && raw.dismiss_stale_reviews_on_push === true,
    requiredStatusChecks: [...new Set(checks)].sort(),
    strictStatusChecks: raw.strict_required_status_checks_policy === true,
    enforceAdmins: raw.admin_enforced === true,
    allowForcePushes: on(raw.allow_force_pushes_enforcement_level),
    allowDeletions: on(raw.allow_deletions_enforcement_level),
    requireLinearHistory: on(raw.linear_history_requirement_enforcement_level),
  };
}

/**
 * A branch protection: the REST protection of one branch (pass `branch`), or a
 * webhook `branch_protection_rule` rule (whose `name` is the branch pattern).
 */
export function mapBranchProtection(
  m: GitHubMappingContext,
  raw: Raw,
  extra: GitForgeMapExtra & { branch?: string } = {},
): BranchProtection {
  const isWebhookRule = raw.pull_request_reviews_enforcement_level !== undefined || raw.admin_enforced !== undefined;
  if (isWebhookRule) {
    const scope = requireScope(extra.repoScope, 'branch protection rule');
    const rule = ruleFromWebhookRule(raw);
    return {
      ref: { scope, id: extra.branch ?? rule.branch },
      external: m.envelope(
        'gitForge',
        'branch_protection',
        { id: raw.id as number, html_url: `${m.webBaseUrl}/${scope}/settings/branches`, updated_at: isoTime(raw.updated_at) ?? null },
        { etag: extra.etag, fields: definedFields({ pattern: str(raw.name), repositoryId: num(raw.repository_id) }) },
      ),
      rules: [rule],
    };
  }
  const url = str(raw.url);
  const scope = requireScope(extra.repoScope ?? repoScopeFromUrl(url), 'branch protection');
  const branch = extra.branch ?? str(raw.name) ?? decodeURIComponent(/\/branches\/(.+)\/protection$/.exec(url ?? '')?.[1] ?? '');
  if (!branch) throw new TypeError('cannot tell the branch of this protection: pass branch');
  return {
    ref: { scope, id: branch },
    external: m.envelope(
      'gitForge',
      'branch_protection',
      { id: `${scope}:${branch}`, html_url: `${m.webBaseUrl}/${scope}/settings/branches`, url },
      {
        etag: extra.etag ?? contentVersion(ruleFromProtection(raw, branch)),
        fields: definedFields({
          requiredSignatures: enabled(raw.required_signatures),
          requiredConversationResolution: enabled(raw.required_conversation_resolution),
          blockCreations: enabled(raw.block_creations),
          lockBranch: enabled(raw.lock_branch),
          allowForkSyncing: enabled(raw.allow_fork_syncing),
          requireLastPushApproval: bool(obj(raw.required_pull_request_reviews)?.require_last_push_approval),
          restricted: raw.restrictions !== undefined && raw.restrictions !== null,
        }),
      },
    ),
    rules: [ruleFromProtection(raw, branch)],
  };
}
