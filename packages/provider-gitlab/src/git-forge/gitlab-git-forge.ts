import {
  InvalidInputError, ProviderError, decodeCursor, encodeCursor, type BranchProtectionRule, type CallOptions, type DesiredDeployKey, type ExternalCollaborator, type ExternalCommit,
  type ExternalDeployKey, type ExternalGitRef, type ExternalPullRequest, type ExternalRef, type ExternalRepository, type ExternalReview, type GitForgeProvider,
  type ListOptions, type MergeOptions, type Page, type PullRequestInput, type PullRequestPatch, type RepositoryInput, type RepositoryPatch,
  type SyncOptions, type SyncResult,
} from '@krate/core';
import { GITLAB_MAX_PAGE_SIZE, clampPageSize, encodePath, type GitLabContext } from '../gitlab-context.js';
import { PROVIDER } from '../gitlab-errors.js';
import type { GitLabMapContext } from '../shared/gitlab-envelope.js';
import { hasIdempotencyMarker, withMarker } from '../shared/gitlab-markers.js';
import { numericId, parseNamespacePath, parseProjectPath } from '../shared/gitlab-scope.js';
import {
  CHECKING_MERGE_STATUSES, DRAFT_PREFIX, mapApproval, mapCommit, mapDeployKey, mapGitRef, mapMember, mapMergeRequest, mapRepository,
  type GlBranch, type GlCommit, type GlDeployKey, type GlMember, type GlMergeRequest, type GlProject, type GlTag,
} from './gitlab-git-forge-mapping.js';

type Impl = Omit<GitForgeProvider, 'specificationVersion'>;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

function isoOrThrow(value: string | undefined, operation: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError({ provider: PROVIDER, operation, message: `updatedSince "${value}" is not an ISO-8601 date` });
  return new Date(ms).toISOString();
}

/** A repository ref `{ scope: owner (group/sub), id: name }` as a project path. */
function repoPath(ref: ExternalRef, operation: string): string {
  return parseProjectPath(`${ref.scope}/${ref.id}`, operation).path;
}

/** Access levels of protected branches: 40 Maintainers (the default GitLab proposes). */
const MAINTAINER = 40;

/**
 * The GitLab git forge: projects as repositories, merge requests as pull requests,
 * branches and tags, commits, deploy keys, members as collaborators, protected branches.
 */
export function createGitLabGitForge(ctx: GitLabContext, map: GitLabMapContext): Impl {
  const project = (path: string) => `projects/${encodePath(path)}`;

  async function readMergeRequest(path: string, iid: number, operation: string, signal?: AbortSignal): Promise<GlMergeRequest> {
    const endpoint = `${project(path)}/merge_requests/${iid}`;
    let mr = await ctx.get<GlMergeRequest>(operation, endpoint, { signal });
    // Mergeability is computed asynchronously: poll while GitLab is still checking.
    for (let attempt = 0; attempt < ctx.config.mergeStatusPollAttempts && mr.state === 'opened' && CHECKING_MERGE_STATUSES.has(mr.detailed_merge_status ?? ''); attempt++) {
      await sleep(ctx.config.mergeStatusPollDelayMs, signal);
      mr = await ctx.get<GlMergeRequest>(operation, endpoint, { signal });
    }
    return mr;
  }

  async function listAll<T>(operation: string, endpoint: string, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await ctx.page<T>(operation, endpoint, { cursor, signal });
      out.push(...page.items);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, message: `${endpoint} did not end after 1000 pages` });
  }

  return {
    async listRepositories(scope: string, options: ListOptions = {}): Promise<Page<ExternalRepository>> {
      const op = 'listRepositories';
      const namespace = parseNamespacePath(scope, op);
      const since = isoOrThrow(options.updatedSince, op);
      // Newest first when filtering by time, so the listing ends at the first older project.
      const query = since ? { order_by: 'updated_at', sort: 'desc', include_subgroups: false } : { order_by: 'id', sort: 'asc', include_subgroups: false };
      const groups = `groups/${encodePath(namespace)}/projects`;
      const users = `users/${encodePath(namespace)}/projects`;
      let endpoint = options.cursor ? ctx.cursorEndpoint(op, options.cursor) : groups;
      if (endpoint !== groups && endpoint !== users) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: 'cursor is not one this provider issued for this listing' });
      let page;
      try {
        page = await ctx.page<GlProject>(op, endpoint, { query, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      } catch (error) {
        // A user namespace is not a group.
        if (!(ProviderError.isInstance(error) && error.code === 'not_found' && endpoint === groups && !options.cursor)) throw error;
        endpoint = users;
        page = await ctx.page<GlProject>(op, endpoint, { query, pageSize: options.pageSize, signal: options.signal });
      }
      let items = page.items.map((p) => mapRepository(map, p));
      let nextCursor = page.nextCursor;
      if (since) {
        const bound = Date.parse(since);
        const kept = items.filter((r) => Date.parse(r.updatedAt ?? '') >= bound);
        if (kept.length < items.length) nextCursor = null;
        items = kept;
      }
      return { items, nextCursor };
    },

    async getRepository(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalRepository> {
      const op = 'getRepository';
      return mapRepository(map, await ctx.get<GlProject>(op, project(repoPath(ref, op)), { signal: options.signal }));
    },

    async createRepository(input: RepositoryInput, options: CallOptions = {}): Promise<ExternalRepository> {
      const op = 'createRepository';
      const body: Record<string, unknown> = { name: input.name, path: input.name };
      if (input.owner) {
        const namespace = await ctx.get<{ id: number }>(op, `namespaces/${encodePath(parseNamespacePath(input.owner, op))}`, { signal: options.signal });
        body.namespace_id = namespace.id;
      }
      if (input.description !== undefined) body.description = input.description;
      if (input.visibility) body.visibility = input.visibility;
      if (input.autoInit) body.initialize_with_readme = true;
      const { data } = await ctx.call<GlProject>(op, 'POST', 'projects', { body, signal: options.signal });
      return mapRepository(map, data);
    },

    async updateRepository(ref: ExternalRef, patch: RepositoryPatch, options: CallOptions = {}): Promise<ExternalRepository> {
      const op = 'updateRepository';
      const path = repoPath(ref, op);
      let latest: GlProject | undefined;
      const body: Record<string, unknown> = {};
      if (patch.description !== undefined) body.description = patch.description;
      if (patch.visibility !== undefined) body.visibility = patch.visibility;
      if (patch.defaultBranch !== undefined) body.default_branch = patch.defaultBranch;
      if (Object.keys(body).length) latest = (await ctx.call<GlProject>(op, 'PUT', project(path), { body, signal: options.signal })).data;
      if (patch.archived !== undefined) {
        // Archiving is its own endpoint, not a field.
        latest = (await ctx.call<GlProject>(op, 'POST', `${project(path)}/${patch.archived ? 'archive' : 'unarchive'}`, { signal: options.signal })).data;
      }
      latest ??= await ctx.get<GlProject>(op, project(path), { signal: options.signal });
      return mapRepository(map, latest);
    },

    async listPullRequests(repoScope: string, options: ListOptions = {}): Promise<Page<ExternalPullRequest>> {
      const op = 'listPullRequests';
      const path = parseProjectPath(repoScope, op).path;
      const page = await ctx.page<GlMergeRequest>(op, `${project(path)}/merge_requests`, {
        query: { state: 'all', order_by: 'updated_at', sort: 'asc', updated_after: isoOrThrow(options.updatedSince, op) },
        pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      return { items: page.items.map((m) => mapMergeRequest(map, path, m)), nextCursor: page.nextCursor };
    },

    async getPullRequest(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalPullRequest> {
      const op = 'getPullRequest';
      const path = parseProjectPath(ref.scope, op).path;
      return mapMergeRequest(map, path, await readMergeRequest(path, numericId(ref, 'merge request', op), op, options.signal));
    },

    async createPullRequest(input: PullRequestInput, options: CallOptions = {}): Promise<ExternalPullRequest> {
      const op = 'createPullRequest';
      const path = parseProjectPath(input.scope, op).path;
      const endpoint = `${project(path)}/merge_requests`;
      const findExisting = async () => {
        const open = await ctx.get<GlMergeRequest[]>(op, endpoint, {
          query: { state: 'opened', source_branch: input.headBranch, target_branch: input.baseBranch, per_page: 100 }, signal: options.signal,
        });
        return input.idempotencyKey ? open.find((m) => hasIdempotencyMarker(m.description, input.idempotencyKey!)) : undefined;
      };
      if (input.idempotencyKey) {
        const existing = await findExisting();
        if (existing) return mapMergeRequest(map, path, existing);
      }
      const title = input.draft && !DRAFT_PREFIX.test(input.title) ? `Draft: ${input.title}` : input.title;
      const body: Record<string, unknown> = { source_branch: input.headBranch, target_branch: input.baseBranch, title };
      const description = withMarker(input.body, input.idempotencyKey);
      if (description !== undefined) body.description = description;
      const { data } = await ctx.call<GlMergeRequest>(op, 'POST', endpoint, {
        body, signal: options.signal,
        errors: { 409: { code: 'conflict', message: `an open merge request from ${input.headBranch} into ${input.baseBranch} already exists` } },
      });
      return mapMergeRequest(map, path, data);
    },

    async updatePullRequest(ref: ExternalRef, patch: PullRequestPatch, options: CallOptions = {}): Promise<ExternalPullRequest> {
      const op = 'updatePullRequest';
      const path = parseProjectPath(ref.scope, op).path;
      const iid = numericId(ref, 'merge request', op);
      const body: Record<string, unknown> = {};
      if (patch.title !== undefined) body.title = patch.title;
      if (patch.body !== undefined) body.description = patch.body;
      if (patch.state !== undefined) body.state_event = patch.state === 'closed' ? 'close' : 'reopen';
      if (patch.baseBranch !== undefined) body.target_branch = patch.baseBranch;
      const { data } = await ctx.call<GlMergeRequest>(op, 'PUT', `${project(path)}/merge_requests/${iid}`, { body, signal: options.signal });
      return mapMergeRequest(map, path, data);
    },

    async mergePullRequest(ref: ExternalRef, options: MergeOptions & CallOptions = {}): Promise<ExternalPullRequest> {
      const op = 'mergePullRequest';
      const path = parseProjectPath(ref.scope, op).path;
      const iid = numericId(ref, 'merge request', op);
      if (options.method === 'rebase') {
        throw new InvalidInputError({
          provider: PROVIDER, operation: op,
          message: 'GitLab sets the merge method per project (merge commit, merge with semi-linear history, fast-forward); only squash can be chosen per merge. Set the project\'s merge method to rebase_merge or ff instead.',
        });
      }
      const body: Record<string, unknown> = {};
      if (options.expectedHeadSha) body.sha = options.expectedHeadSha;
      if (options.method === 'squash') body.squash = true;
      const message = [options.commitTitle, options.commitMessage].filter(Boolean).join('\n\n');
      if (message) body[options.method === 'squash' ? 'squash_commit_message' : 'merge_commit_message'] = message;
      const { data } = await ctx.call<GlMergeRequest>(op, 'PUT', `${project(path)}/merge_requests/${iid}/merge`, {
        body, signal: options.signal,
        errors: {
          405: { code: 'conflict', message: 'the merge request cannot be merged now (draft, closed, blocked, not approved, or its pipeline has not succeeded)', hint: 'read getPullRequest().mergeState for the reason' },
          406: { code: 'conflict', message: 'the merge request has conflicts with its target branch', hint: 'rebase or resolve the conflicts first' },
          409: { code: 'conflict', message: `the merge request's head is no longer ${String(options.expectedHeadSha)} (expectedHeadSha)`, hint: 'read the merge request again and retry with its current head' },
          422: { code: 'conflict', message: 'GitLab refused the merge (branch cannot be merged)' },
        },
      });
      return mapMergeRequest(map, path, data);
    },

    async listReviews(pullRequestRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalReview>> {
      const op = 'listReviews';
      const path = parseProjectPath(pullRequestRef.scope, op).path;
      const iid = numericId(pullRequestRef, 'merge request', op);
      // The reviewers endpoint is not paginated: each page reads it and takes its slice, so a
      // listing still costs one request per page (reviewer lists are short).
      let offset = 0;
      if (options.cursor !== undefined) {
        const state = decodeCursor<{ r?: unknown; o?: unknown }>(options.cursor, { provider: PROVIDER, operation: op });
        if (state.r !== `${path}!${iid}` || typeof state.o !== 'number' || !Number.isInteger(state.o) || state.o < 0) {
          throw new InvalidInputError({ provider: PROVIDER, operation: op, message: 'cursor is not one this provider issued for this listing' });
        }
        offset = state.o;
      }
      const size = clampPageSize(options.pageSize ?? GITLAB_MAX_PAGE_SIZE);
      const reviewers = await ctx.get<Array<{ user: unknown; state?: string; created_at?: string }>>(op, `${project(path)}/merge_requests/${iid}/reviewers`, { signal: options.signal });
      const ref = { scope: path, id: String(iid) };
      const states: Record<string, ExternalReview['state']> = {
        approved: 'approved', requested_changes: 'changes_requested', reviewed: 'commented', unreviewed: 'pending', unapproved: 'dismissed',
      };
      const items = reviewers.slice(offset, offset + size).map((r) => mapApproval(map, ref, r.user, r.created_at, states[r.state ?? 'unreviewed'] ?? 'pending'));
      let filtered = items;
      if (options.updatedSince !== undefined) {
        const bound = Date.parse(options.updatedSince);
        filtered = items.filter((r) => Date.parse(r.submittedAt ?? '') >= bound);
      }
      const nextCursor = offset + size < reviewers.length ? encodeCursor({ r: `${path}!${iid}`, o: offset + size }) : null;
      return { items: filtered, nextCursor };
    },

    async listRefs(repoScope: string, options: ListOptions = {}): Promise<Page<ExternalGitRef>> {
      const op = 'listRefs';
      const path = parseProjectPath(repoScope, op).path;
      const branches = `${project(path)}/repository/branches`;
      const tags = `${project(path)}/repository/tags`;
      const endpoint = options.cursor ? ctx.cursorEndpoint(op, options.cursor) : branches;
      if (endpoint !== branches && endpoint !== tags) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: 'cursor is not one this provider issued for this listing' });
      if (endpoint === branches) {
        const page = await ctx.page<GlBranch>(op, branches, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
        // Tags follow the branches from their own endpoint.
        return { items: page.items.map((b) => mapGitRef(map, path, 'branch', b.name, b.commit.id)), nextCursor: page.nextCursor ?? ctx.firstPageCursor(tags, {}, options.pageSize) };
      }
      const page = await ctx.page<GlTag>(op, tags, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      return { items: page.items.map((t) => mapGitRef(map, path, 'tag', t.name, t.commit.id)), nextCursor: page.nextCursor };
    },

    async getCommit(repoScope: string, sha: string, options: CallOptions = {}): Promise<ExternalCommit> {
      const op = 'getCommit';
      const path = parseProjectPath(repoScope, op).path;
      if (!/^[0-9a-fA-F]{7,64}$/.test(sha)) throw new InvalidInputError({ provider: PROVIDER, operation: op, message: `"${sha}" is not a commit sha` });
      return mapCommit(map, path, await ctx.get<GlCommit>(op, `${project(path)}/repository/commits/${sha}`, { signal: options.signal }));
    },

    async listDeployKeys(repoScope: string, options: ListOptions = {}): Promise<Page<ExternalDeployKey>> {
      const op = 'listDeployKeys';
      const path = parseProjectPath(repoScope, op).path;
      const page = await ctx.page<GlDeployKey>(op, `${project(path)}/deploy_keys`, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      return { items: page.items.map((k) => mapDeployKey(map, path, k)), nextCursor: page.nextCursor };
    },

    async syncDeployKeys(repoScope: string, desired: DesiredDeployKey[], options: SyncOptions = {}): Promise<SyncResult> {
      const op = 'syncDeployKeys';
      const path = parseProjectPath(repoScope, op).path;
      const endpoint = `${project(path)}/deploy_keys`;
      const prune = options.prune ?? true;
      const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
      const existing = await listAll<GlDeployKey>(op, endpoint, options.signal);
      const keyBody = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(' ');
      const matched = new Set<number>();
      for (const want of desired) {
        const readOnly = want.readOnly ?? true;
        const have = existing.find((k) => k.title === want.title) ?? existing.find((k) => keyBody(k.key) === keyBody(want.key));
        if (!have) {
          result.created.push(want.title);
          if (!options.dryRun) await ctx.call(op, 'POST', endpoint, { body: { title: want.title, key: want.key, can_push: !readOnly }, signal: options.signal });
          continue;
        }
        matched.add(have.id);
        if (keyBody(have.key) !== keyBody(want.key)) {
          // The key material of a deploy key cannot change: replace it.
          result.updated.push(want.title);
          if (!options.dryRun) {
            await ctx.call(op, 'DELETE', `${endpoint}/${have.id}`, { signal: options.signal });
            await ctx.call(op, 'POST', endpoint, { body: { title: want.title, key: want.key, can_push: !readOnly }, signal: options.signal });
          }
        } else if (have.title !== want.title || Boolean(have.can_push) === readOnly) {
          result.updated.push(want.title);
          if (!options.dryRun) await ctx.call(op, 'PUT', `${endpoint}/${have.id}`, { body: { title: want.title, can_push: !readOnly }, signal: options.signal });
        } else {
          result.unchanged.push(want.title);
        }
      }
      if (prune) {
        for (const key of existing) {
          if (matched.has(key.id)) continue;
          result.deleted.push(key.title);
          if (!options.dryRun) await ctx.call(op, 'DELETE', `${endpoint}/${key.id}`, { signal: options.signal });
        }
      }
      return result;
    },

    async listCollaborators(repoScope: string, options: ListOptions = {}): Promise<Page<ExternalCollaborator>> {
      const op = 'listCollaborators';
      const path = parseProjectPath(repoScope, op).path;
      const page = await ctx.page<GlMember>(op, `${project(path)}/members/all`, { pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      return { items: page.items.map((m) => mapMember(map, path, m)), nextCursor: page.nextCursor };
    },

    async syncBranchProtection(repoScope: string, desired: BranchProtectionRule[], options: SyncOptions = {}): Promise<SyncResult> {
      const op = 'syncBranchProtection';
      const path = parseProjectPath(repoScope, op).path;
      const endpoint = `${project(path)}/protected_branches`;
      const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
      const existing = await listAll<{ id: number; name: string; allow_force_push?: boolean; code_owner_approval_required?: boolean }>(op, endpoint, options.signal);
      const settings = await ctx.get<{ only_allow_merge_if_pipeline_succeeds?: boolean; reset_approvals_on_push?: boolean; merge_method?: string }>(op, project(path), { signal: options.signal });
      for (const rule of desired) {
        const have = existing.find((b) => b.name === rule.branch);
        // What GitLab cannot hold per protected branch is reported, never pretended.
        const unsupported: Array<[string, unknown, unknown]> = [];
        if (rule.enforceAdmins !== undefined) unsupported.push(['enforceAdmins', rule.enforceAdmins, 'unsupported: GitLab has no equivalent (administrators can always push)']);
        if (rule.requiredApprovingReviews !== undefined) unsupported.push(['requiredApprovingReviews', rule.requiredApprovingReviews, 'unsupported: approval rules are project-level (Premium), not per protected branch']);
        if (rule.requiredStatusChecks !== undefined) {
          unsupported.push(['requiredStatusChecks', rule.requiredStatusChecks, `project-wide only: only_allow_merge_if_pipeline_succeeds is ${String(settings.only_allow_merge_if_pipeline_succeeds ?? false)} (named checks need Ultimate external status checks)`]);
        }
        if (rule.strictStatusChecks !== undefined) unsupported.push(['strictStatusChecks', rule.strictStatusChecks, 'unsupported: no per-branch setting']);
        if (rule.dismissStaleReviews !== undefined) unsupported.push(['dismissStaleReviews', rule.dismissStaleReviews, `project-wide only: reset_approvals_on_push is ${String(settings.reset_approvals_on_push ?? false)}`]);
        if (rule.requireLinearHistory !== undefined) unsupported.push(['requireLinearHistory', rule.requireLinearHistory, `project-wide only: merge_method is ${settings.merge_method ?? 'merge'}`]);
        if (rule.allowDeletions === true) unsupported.push(['allowDeletions', true, 'unsupported: protected branches cannot be deleted']);
        for (const [field, expected, actual] of unsupported) result.drift.push({ name: rule.branch, field, expected, actual });
        const body: Record<string, unknown> = {};
        if (rule.allowForcePushes !== undefined) body.allow_force_push = rule.allowForcePushes;
        if (rule.requireCodeOwnerReviews !== undefined) body.code_owner_approval_required = rule.requireCodeOwnerReviews;
        if (!have) {
          result.created.push(rule.branch);
          if (!options.dryRun) {
            await ctx.call(op, 'POST', endpoint, { body: { name: rule.branch, push_access_level: MAINTAINER, merge_access_level: MAINTAINER, ...body }, signal: options.signal });
          }
          continue;
        }
        const changes = Object.fromEntries(Object.entries(body).filter(([k, v]) => (have as Record<string, unknown>)[k] !== v));
        if (Object.keys(changes).length === 0) {
          result.unchanged.push(rule.branch);
        } else {
          result.updated.push(rule.branch);
          if (!options.dryRun) await ctx.call(op, 'PATCH', `${endpoint}/${encodeURIComponent(rule.branch)}`, { body: changes, signal: options.signal });
        }
      }
      if (options.prune) {
        const wanted = new Set(desired.map((r) => r.branch));
        for (const branch of existing) {
          if (wanted.has(branch.name)) continue;
          result.deleted.push(branch.name);
          if (!options.dryRun) await ctx.call(op, 'DELETE', `${endpoint}/${encodeURIComponent(branch.name)}`, { signal: options.signal });
        }
      }
      return result;
    },
  };
}
