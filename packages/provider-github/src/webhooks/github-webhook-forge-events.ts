import type { ExternalSyncEvent } from '@krate/core';
import { isoTime } from '../shared/github-mapping.js';
import {
  mapBranchProtection,
  mapCommit,
  mapDeployKey,
  mapGitRef,
  mapPullRequest,
  mapRepository,
  mapReview,
  parseGitRefName,
} from '../git-forge/github-git-forge-mapping.js';
import {
  actionOf,
  objectField,
  occurredAtOf,
  optionalObject,
  refEvent,
  repoScopeOf,
  requireId,
  upserted,
  type GhPayload,
  type GitHubEventNormalizer,
} from './github-webhook-payload.js';

function splitScope(scope: string): { owner: string; name: string } {
  const slash = scope.indexOf('/');
  return { owner: scope.slice(0, slash), name: scope.slice(slash + 1) };
}

/**
 * `repository`: the repository upserted (created, edited, archived, unarchived,
 * publicized, privatized) or deleted. A rename or a transfer changes the ref
 * (`{ scope: owner, id: name }`): the old ref is deleted and the new one upserted.
 */
export const normalizeRepository: GitHubEventNormalizer = (m, payload) => {
  const fullName = repoScopeOf(payload, 'repository');
  const repository = objectField(payload, 'repository', 'repository');
  const { owner, name } = splitScope(fullName);
  const action = actionOf(payload);
  const at = isoTime(repository.updated_at);
  if (action === 'deleted') return [refEvent('gitForge', 'repository', { scope: owner, id: name }, 'deleted', at)];
  const events: ExternalSyncEvent[] = [];
  const changes = optionalObject(payload, 'changes') ?? {};
  if (action === 'renamed') {
    const from = optionalObject(optionalObject(changes, 'repository') ?? {}, 'name')?.from;
    if (typeof from === 'string' && from !== '' && from !== name) {
      events.push(refEvent('gitForge', 'repository', { scope: owner, id: from }, 'deleted', at));
    }
  }
  if (action === 'transferred') {
    const from = optionalObject(optionalObject(changes, 'owner') ?? {}, 'from') ?? {};
    const previous = optionalObject(from, 'organization')?.login ?? optionalObject(from, 'user')?.login;
    if (typeof previous === 'string' && previous !== '' && previous !== owner) {
      events.push(refEvent('gitForge', 'repository', { scope: previous, id: name }, 'deleted', at));
    }
  }
  events.push(upserted('gitForge', 'repository', mapRepository(m, repository), at));
  return events;
};

/**
 * `pull_request`: the pull request upserted (every action: opened, edited,
 * synchronize, closed/merged, labeled, review_requested, ...). A pull request is one
 * work item: no issue event is emitted for the issue row that shares its number.
 */
export const normalizePullRequest: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'pull_request');
  const pull = objectField(payload, 'pull_request', 'pull_request');
  return [upserted('gitForge', 'pullRequest', mapPullRequest(m, pull, { repoScope: scope }), occurredAtOf(pull))];
};

/** `pull_request_review` (submitted, edited, dismissed): the review upserted. */
export const normalizePullRequestReview: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'pull_request_review');
  const review = objectField(payload, 'review', 'pull_request_review');
  const pull = objectField(payload, 'pull_request', 'pull_request_review');
  const pullNumber = requireId(pull.number, 'pull request number', 'pull_request_review');
  return [upserted('gitForge', 'review', mapReview(m, review, { repoScope: scope, pullNumber }), occurredAtOf(review))];
};

/**
 * `pull_request_review_comment` (created, edited, deleted): a line comment belongs to
 * a review of a pull request. The review and the pull request are reported as
 * upserted refs without objects: the payload's pull request lacks `draft`, `merged`
 * and the merge state, so mapping it would report them wrong; a read of the ref gets
 * them right.
 */
export const normalizePullRequestReviewComment: GitHubEventNormalizer = (_m, payload) => {
  const scope = repoScopeOf(payload, 'pull_request_review_comment');
  const comment = objectField(payload, 'comment', 'pull_request_review_comment');
  const pull = objectField(payload, 'pull_request', 'pull_request_review_comment');
  const pullNumber = requireId(pull.number, 'pull request number', 'pull_request_review_comment');
  const at = occurredAtOf(comment);
  const events: ExternalSyncEvent[] = [];
  const reviewId = typeof comment.pull_request_review_id === 'number' ? String(comment.pull_request_review_id) : undefined;
  if (reviewId) events.push(refEvent('gitForge', 'review', { scope, id: reviewId }, 'upserted', at));
  events.push(refEvent('gitForge', 'pullRequest', { scope, id: pullNumber }, 'upserted', at));
  return events;
};

/**
 * `push`: the ref upserted at its new head (deleted when `deleted: true`), and each
 * pushed commit upserted. Push payloads do not carry commit parents: the commit
 * objects say so in `extensions.fields.parentsKnown`.
 */
export const normalizePush: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'push');
  const fullRef = requireId(payload.ref, 'ref', 'push');
  const { id } = parseGitRefName(fullRef);
  const head = optionalObject(payload, 'head_commit');
  const at = typeof head?.timestamp === 'string' ? head.timestamp : undefined;
  if (payload.deleted === true) return [refEvent('gitForge', 'gitRef', { scope, id }, 'deleted', at)];
  const after = requireId(payload.after, 'after sha', 'push');
  const gitRef = mapGitRef(
    m,
    { ref: fullRef.startsWith('refs/') ? fullRef : `refs/${fullRef}`, url: `${m.apiBaseUrl}/repos/${scope}/git/refs/${id}`, object: { sha: after } },
    { repoScope: scope },
  );
  const events: ExternalSyncEvent[] = [upserted('gitForge', 'gitRef', gitRef, at)];
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  for (const raw of commits) {
    if (raw === null || typeof raw !== 'object') continue;
    const commit = raw as GhPayload;
    if (typeof commit.id !== 'string' || commit.id === '') continue;
    events.push(upserted('gitForge', 'commit', mapCommit(m, commit, { repoScope: scope }), typeof commit.timestamp === 'string' ? commit.timestamp : undefined));
  }
  return events;
};

function refIdOf(payload: GhPayload, event: string): string {
  const ref = requireId(payload.ref, 'ref', event);
  const type = payload.ref_type;
  if (ref.startsWith('refs/')) return parseGitRefName(ref).id;
  if (type === 'tag') return `tags/${ref}`;
  if (type === 'branch') return `heads/${ref}`;
  return ref;
}

/**
 * `create` (a branch or tag was created): the git ref upserted, without an object (the
 * payload does not carry the sha; a `push` delivery for the same ref does).
 */
export const normalizeCreate: GitHubEventNormalizer = (_m, payload) => {
  const scope = repoScopeOf(payload, 'create');
  return [refEvent('gitForge', 'gitRef', { scope, id: refIdOf(payload, 'create') }, 'upserted')];
};

/** `delete` (a branch or tag was deleted): the git ref deleted. */
export const normalizeDelete: GitHubEventNormalizer = (_m, payload) => {
  const scope = repoScopeOf(payload, 'delete');
  return [refEvent('gitForge', 'gitRef', { scope, id: refIdOf(payload, 'delete') }, 'deleted')];
};

/**
 * `branch_protection_rule` (created, edited, deleted): the branch protection of the
 * rule's pattern upserted or deleted (ref id: the pattern, e.g. `main` or `release/*`).
 */
export const normalizeBranchProtectionRule: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'branch_protection_rule');
  const rule = objectField(payload, 'rule', 'branch_protection_rule');
  const pattern = requireId(rule.name, 'rule name', 'branch_protection_rule');
  const at = isoTime(rule.updated_at);
  if (actionOf(payload) === 'deleted') return [refEvent('gitForge', 'branchProtection', { scope, id: pattern }, 'deleted', at)];
  return [upserted('gitForge', 'branchProtection', mapBranchProtection(m, rule, { repoScope: scope }), at)];
};

/** `deploy_key` (created, deleted): the deploy key upserted or deleted. */
export const normalizeDeployKey: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'deploy_key');
  const key = objectField(payload, 'key', 'deploy_key');
  const id = requireId(key.id, 'key id', 'deploy_key');
  const at = isoTime(key.created_at);
  if (actionOf(payload) === 'deleted') return [refEvent('gitForge', 'deployKey', { scope, id }, 'deleted', at)];
  return [upserted('gitForge', 'deployKey', mapDeployKey(m, key, { repoScope: scope }), at)];
};
