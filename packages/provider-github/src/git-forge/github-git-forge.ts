import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  ProviderError,
  decodeCursor,
  encodeCursor,
  type BranchProtectionRule,
  type CallOptions,
  type DesiredDeployKey,
  type ExternalCollaborator,
  type ExternalDeployKey,
  type ExternalGitRef,
  type ExternalPullRequest,
  type ExternalRepository,
  type ExternalReview,
  type ExternalRef,
  type GitForgeProvider,
  type ListOptions,
  type MergeOptions,
  type Page,
  type PullRequestInput,
  type PullRequestPatch,
  type RepositoryInput,
  type RepositoryPatch,
  type SyncOptions,
  type SyncResult,
} from '@krate/core';
import type { Octokit } from '@octokit/rest';
import type { GitHubContext } from '../github-context.js';
import { assertDistinctBranches, protectionDrift, protectionRequestBody } from './github-git-forge-protection.js';
import { planDeployKeySync, type ActualDeployKey } from './github-git-forge-deploy-keys.js';
import { assertIdempotencyKey, readIdempotencyMarker, withIdempotencyMarker } from '../shared/github-idempotency.js';
import { parseOwnerScope, parseRepoScope } from '../shared/github-scope.js';
import {
  etagOf,
  failureText,
  httpFailure,
  parsePullRef,
  withSignal,
} from '../shared/github-request.js';
import {
  mapCollaborator,
  mapCommit,
  mapDeployKey,
  mapGitRef,
  mapPullRequest,
  mapRepository,
  mapReview,
} from './github-git-forge-mapping.js';

type Raw = Record<string, unknown>;
/** The git forge operations GitHub implements (every operation of the v1 contract). */
export type GitHubGitForge = Omit<GitForgeProvider, 'specificationVersion'>;

/** The most refs one `listRefs` page returns (and its default): the same as GitHub's REST page limit. */
const DEFAULT_REF_PAGE = 100;

const sinceMs = (options: ListOptions | undefined): number | undefined =>
  options?.updatedSince !== undefined ? Date.parse(options.updatedSince) : undefined;

/** `Octokit#request` without its route typing: the forge reads responses as plain JSON. */
type RequestFn = (route: string, params?: Record<string, unknown>) => Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
const requester = (octokit: Octokit): RequestFn => octokit.request as unknown as RequestFn;

/**
 * The GitHub git forge: repositories, pull requests and reviews, refs and commits,
 * deploy keys, collaborators and branch protection, on Octokit through the
 * instance's {@link GitHubContext}.
 */
export function createGitHubGitForge(ctx: GitHubContext): GitHubGitForge {
  const request = async (owner: string, route: string, params: Record<string, unknown>) =>
    requester(await ctx.octokitFor(owner))(route, params);

  // -------------------------------------------------------------------------
  // Repositories

  async function listRepositories(scope: string, options: ListOptions = {}): Promise<Page<ExternalRepository>> {
    const operation = 'listRepositories';
    const owner = parseOwnerScope(scope, operation);
    let kind: 'org' | 'user' | undefined;
    let inner: string | undefined;
    if (options.cursor !== undefined) {
      const state = decodeCursor<{ k?: unknown; c?: unknown }>(options.cursor, { provider: 'github', operation });
      if ((state.k !== 'org' && state.k !== 'user') || typeof state.c !== 'string') {
        throw new InvalidInputError({ provider: 'github', operation, message: 'cursor is not one this provider issued' });
      }
      kind = state.k;
      inner = state.c;
    }
    const since = sinceMs(options);
    const order = since !== undefined ? { sort: 'updated', direction: 'desc' } : { sort: 'full_name', direction: 'asc' };
    let older = false;
    const map = (raw: Raw) => {
      if (since !== undefined) {
        const updated = Date.parse(String(raw.updated_at ?? ''));
        if (!Number.isNaN(updated) && updated < since) {
          older = true;
          return undefined;
        }
      }
      return mapRepository(ctx, raw);
    };
    const list = (which: 'org' | 'user') =>
      ctx.listPage<Raw, ExternalRepository>(
        operation,
        owner,
        which === 'org'
          ? { route: 'GET /orgs/{org}/repos', params: { org: owner, type: 'all', ...order }, options: { ...options, cursor: inner } }
          : { route: 'GET /users/{username}/repos', params: { username: owner, type: 'owner', ...order }, options: { ...options, cursor: inner } },
        map,
      );
    let page: Page<ExternalRepository>;
    if (kind === 'user') page = await list('user');
    else {
      try {
        page = await list('org');
        kind = 'org';
      } catch (error) {
        // Not an organization: list the user's repositories instead.
        if (kind === undefined && ProviderError.isInstance(error) && error.code === 'not_found') {
          kind = 'user';
          page = await list('user');
        } else throw error;
      }
    }
    const next = older || page.nextCursor === null ? null : encodeCursor({ k: kind, c: page.nextCursor });
    return { items: page.items, nextCursor: next };
  }

  async function getRepository(ref: ExternalRef, options: CallOptions = {}) {
    const operation = 'getRepository';
    const { owner, repo } = parseRepoScope(`${ref.scope}/${ref.id}`, operation);
    return ctx.call(operation, async () => {
      const response = await request(owner, 'GET /repos/{owner}/{repo}', { owner, repo, ...withSignal(options.signal) });
      return mapRepository(ctx, response.data as Raw, { etag: etagOf(response) });
    });
  }

  async function createRepository(input: RepositoryInput, options: CallOptions = {}) {
    const operation = 'createRepository';
    if (input.owner === undefined) {
      // Credentials pick the account (installation or token) by owner, so the owner is always named.
      throw new InvalidInputError({ provider: 'github', operation, message: 'owner is required: the organization or user account to create the repository in' });
    }
    const owner = parseOwnerScope(input.owner, operation);
    const body: Record<string, unknown> = {
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.autoInit !== undefined ? { auto_init: input.autoInit } : {}),
    };
    // Organizations take `visibility` (internal exists there only); user accounts take `private`.
    const userVisibility = input.visibility !== undefined ? { private: input.visibility !== 'public' } : {};
    return ctx.call(operation, async () => {
      const create = async (route: string, params: Record<string, unknown>, octokitOwner: string) => {
        try {
          const response = await request(octokitOwner, route, { ...params, ...body, ...withSignal(options.signal) });
          return mapRepository(ctx, response.data as Raw, { etag: etagOf(response) });
        } catch (error) {
          const failure = httpFailure(error);
          if (failure?.status === 422 && /already exists/i.test(failureText(failure))) {
            throw new ConflictError({
              provider: 'github',
              operation,
              status: 422,
              message: `a repository named "${input.name}" already exists on ${owner}`,
              hint: 'choose another name, or getRepository to use the existing one',
              cause: error,
            });
          }
          throw error;
        }
      };
      try {
        return await create('POST /orgs/{org}/repos', {
          org: owner,
          ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        }, owner);
      } catch (error) {
        if (httpFailure(error)?.status !== 404) throw error;
      }
      // Not an organization: only the authenticated user's own account can get the repository.
      const me = await request(owner, 'GET /user', { ...withSignal(options.signal) });
      const login = String((me.data as Raw).login ?? '');
      if (login.toLowerCase() !== owner.toLowerCase()) {
        throw new NotFoundError({
          provider: 'github',
          operation,
          status: 404,
          message: `"${owner}" is not an organization these credentials can create repositories in, nor the authenticated user`,
          hint: 'install the GitHub App on the organization, or use a token of that user',
        });
      }
      if (input.visibility === 'internal') {
        throw new InvalidInputError({ provider: 'github', operation, message: 'internal visibility exists only for organization repositories' });
      }
      return create('POST /user/repos', userVisibility, owner);
    });
  }

  async function updateRepository(ref: ExternalRef, patch: RepositoryPatch, options: CallOptions = {}) {
    const operation = 'updateRepository';
    const { owner, repo } = parseRepoScope(`${ref.scope}/${ref.id}`, operation);
    const body: Record<string, unknown> = {
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
      ...(patch.defaultBranch !== undefined ? { default_branch: patch.defaultBranch } : {}),
      ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
    };
    return ctx.call(operation, async () => {
      const response = await request(owner, 'PATCH /repos/{owner}/{repo}', { owner, repo, ...body, ...withSignal(options.signal) });
      return mapRepository(ctx, response.data as Raw, { etag: etagOf(response) });
    });
  }

  // -------------------------------------------------------------------------
  // Pull requests

  async function listPullRequests(repoScope: string, options: ListOptions = {}) {
    const operation = 'listPullRequests';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    const since = sinceMs(options);
    let older = false;
    const page = await ctx.listPage<Raw, ExternalPullRequest>(
      operation,
      owner,
      {
        route: 'GET /repos/{owner}/{repo}/pulls',
        params: { owner, repo, state: 'all', ...(since !== undefined ? { sort: 'updated', direction: 'desc' } : { sort: 'created', direction: 'desc' }) },
        options,
      },
      (raw) => {
        if (since !== undefined) {
          const updated = Date.parse(String(raw.updated_at ?? ''));
          if (!Number.isNaN(updated) && updated < since) {
            older = true;
            return undefined;
          }
        }
        return mapPullRequest(ctx, raw, { repoScope: `${owner}/${repo}` });
      },
    );
    return { items: page.items, nextCursor: older ? null : page.nextCursor };
  }

  async function fetchPull(owner: string, repo: string, pullNumber: number, signal?: AbortSignal) {
    const response = await request(owner, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber, ...withSignal(signal) });
    return { raw: response.data as Raw, etag: etagOf(response) };
  }

  async function getPullRequest(ref: ExternalRef, options: CallOptions = {}) {
    const operation = 'getPullRequest';
    const { owner, repo, pullNumber } = parsePullRef(ref, operation);
    return ctx.call(operation, async () => {
      const { raw, etag } = await fetchPull(owner, repo, pullNumber, options.signal);
      return mapPullRequest(ctx, raw, { etag, repoScope: `${owner}/${repo}`, mergeability: true });
    });
  }

  /** The open pull request of a head (`owner:branch`) into a base, if any. */
  async function findOpenPull(owner: string, repo: string, head: string, base: string, signal?: AbortSignal): Promise<Raw | undefined> {
    const response = await request(owner, 'GET /repos/{owner}/{repo}/pulls', {
      owner, repo, state: 'open', head, base, per_page: 1, ...withSignal(signal),
    });
    const items = Array.isArray(response.data) ? (response.data as Raw[]) : [];
    return items[0];
  }

  async function createPullRequest(input: PullRequestInput, options: CallOptions = {}) {
    const operation = 'createPullRequest';
    const { owner, repo } = parseRepoScope(input.scope, operation);
    const scope = `${owner}/${repo}`;
    const key = input.idempotencyKey;
    if (key !== undefined) assertIdempotencyKey(key, operation);
    const headFilter = input.headBranch.includes(':') ? input.headBranch : `${owner}:${input.headBranch}`;
    const existingConflict = (number: unknown, cause?: unknown) =>
      new ConflictError({
        provider: 'github',
        operation,
        status: 422,
        message: `an open pull request #${String(number)} already exists for ${headFilter} into ${input.baseBranch}`,
        hint: key === undefined
          ? 'GitHub allows one open pull request per head and base: update that one, or close it first'
          : 'it was not created with this idempotencyKey: update that one, or close it first',
        cause,
      });
    const resolveExisting = async (found: Raw, cause?: unknown) => {
      if (key !== undefined && readIdempotencyMarker(found.body) === key) {
        const { raw, etag } = await fetchPull(owner, repo, Number(found.number), options.signal);
        return mapPullRequest(ctx, raw, { etag, repoScope: scope, mergeability: true });
      }
      throw existingConflict(found.number, cause);
    };
    return ctx.call(operation, async () => {
      if (key !== undefined) {
        // A retried create (the first answer was lost) finds its own pull request here.
        const found = await findOpenPull(owner, repo, headFilter, input.baseBranch, options.signal);
        if (found) return resolveExisting(found);
      }
      try {
        const response = await request(owner, 'POST /repos/{owner}/{repo}/pulls', {
          owner,
          repo,
          title: input.title,
          head: input.headBranch,
          base: input.baseBranch,
          ...(key !== undefined ? { body: withIdempotencyMarker(input.body, key) } : input.body !== undefined ? { body: input.body } : {}),
          ...(input.draft !== undefined ? { draft: input.draft } : {}),
          ...withSignal(options.signal),
        });
        return mapPullRequest(ctx, response.data as Raw, { etag: etagOf(response), repoScope: scope, mergeability: true });
      } catch (error) {
        const failure = httpFailure(error);
        if (failure?.status === 422 && /pull request already exists/i.test(failureText(failure))) {
          const found = await findOpenPull(owner, repo, headFilter, input.baseBranch, options.signal);
          if (found) return resolveExisting(found, error);
          throw existingConflict('?', error);
        }
        throw error;
      }
    });
  }

  async function updatePullRequest(ref: ExternalRef, patch: PullRequestPatch, options: CallOptions = {}) {
    const operation = 'updatePullRequest';
    const { owner, repo, pullNumber } = parsePullRef(ref, operation);
    const body: Record<string, unknown> = {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.baseBranch !== undefined ? { base: patch.baseBranch } : {}),
    };
    return ctx.call(operation, async () => {
      const response = await request(owner, 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner, repo, pull_number: pullNumber, ...body, ...withSignal(options.signal),
      });
      return mapPullRequest(ctx, response.data as Raw, { etag: etagOf(response), repoScope: `${owner}/${repo}`, mergeability: true });
    });
  }

  const MERGE_HINTS: Partial<Record<ExternalPullRequest['mergeState'], string>> = {
    conflicting: 'the head conflicts with the base: resolve the conflicts and push',
    blocked: 'branch protection blocks the merge: required reviews or status checks are missing',
    behind: 'the head is behind the base and the branch requires it to be up to date: update the branch',
    draft: 'the pull request is a draft: mark it ready for review first',
    unstable: 'status checks are failing',
    unknown: 'GitHub is still computing mergeability: read the pull request again and retry',
  };

  async function mergePullRequest(ref: ExternalRef, options: MergeOptions & CallOptions = {}) {
    const operation = 'mergePullRequest';
    const { owner, repo, pullNumber } = parsePullRef(ref, operation);
    const scope = `${owner}/${repo}`;
    return ctx.call(operation, async () => {
      try {
        await request(owner, 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
          owner,
          repo,
          pull_number: pullNumber,
          ...(options.expectedHeadSha !== undefined ? { sha: options.expectedHeadSha } : {}),
          ...(options.method !== undefined ? { merge_method: options.method } : {}),
          ...(options.commitTitle !== undefined ? { commit_title: options.commitTitle } : {}),
          ...(options.commitMessage !== undefined ? { commit_message: options.commitMessage } : {}),
          ...withSignal(options.signal),
        });
      } catch (error) {
        const failure = httpFailure(error);
        if (failure?.status === 409) {
          throw new ConflictError({
            provider: 'github',
            operation,
            status: 409,
            message: `the head of #${pullNumber} is no longer ${options.expectedHeadSha ?? 'the expected commit'}: ${failure.message || 'head branch was modified'}`,
            hint: 'read the pull request again, review the new head and merge with its sha',
            cause: error,
          });
        }
        if (failure?.status === 405) {
          const { raw, etag } = await fetchPull(owner, repo, pullNumber, options.signal);
          const current = mapPullRequest(ctx, raw, { etag, repoScope: scope, mergeability: true });
          // A repeated merge (the first answer was lost) finds the pull request merged.
          if (current.state === 'merged' && (options.expectedHeadSha === undefined || options.expectedHeadSha === current.headSha)) return current;
          throw new ConflictError({
            provider: 'github',
            operation,
            status: 405,
            message: `#${pullNumber} cannot be merged (${current.state === 'open' ? current.mergeState : current.state}): ${failure.message || 'not mergeable'}`,
            hint: current.state !== 'open' ? 'the pull request is closed' : MERGE_HINTS[current.mergeState] ?? 'check the merge method settings of the repository',
            cause: error,
          });
        }
        throw error;
      }
      const { raw, etag } = await fetchPull(owner, repo, pullNumber, options.signal);
      return mapPullRequest(ctx, raw, { etag, repoScope: scope, mergeability: true });
    });
  }

  async function listReviews(pullRequestRef: ExternalRef, options: ListOptions = {}) {
    const operation = 'listReviews';
    const { owner, repo, pullNumber } = parsePullRef(pullRequestRef, operation);
    const since = sinceMs(options);
    return ctx.listPage<Raw, ExternalReview>(
      operation,
      owner,
      { route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params: { owner, repo, pull_number: pullNumber }, options },
      (raw) => {
        if (since !== undefined && typeof raw.submitted_at === 'string' && Date.parse(raw.submitted_at) < since) return undefined;
        return mapReview(ctx, raw, { repoScope: `${owner}/${repo}`, pullNumber });
      },
    );
  }

  // -------------------------------------------------------------------------
  // Refs and commits

  async function listRefs(repoScope: string, options: ListOptions = {}): Promise<Page<ExternalGitRef>> {
    const operation = 'listRefs';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    let offset = 0;
    if (options.cursor !== undefined) {
      const state = decodeCursor<{ o?: unknown }>(options.cursor, { provider: 'github', operation });
      if (typeof state.o !== 'number' || !Number.isInteger(state.o) || state.o < 0) {
        throw new InvalidInputError({ provider: 'github', operation, message: 'cursor is not one this provider issued' });
      }
      offset = state.o;
    }
    const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_REF_PAGE, DEFAULT_REF_PAGE));
    return ctx.call(operation, async () => {
      let refs: Raw[];
      try {
        // `git/matching-refs/` (trailing slash, no ref) is GitHub's documented "every ref", answered at once
        // without pagination. Octokit drops an empty last parameter and its slash: the auth hook puts it back.
        const response = await request(owner, 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
          owner,
          repo,
          ref: '',
          request: { ...withSignal(options.signal).request, trailingSlash: true },
        });
        refs = Array.isArray(response.data) ? (response.data as Raw[]) : [];
      } catch (error) {
        const failure = httpFailure(error);
        // An empty repository has no git database yet.
        if (failure?.status === 409 && /empty/i.test(failure.message)) refs = [];
        else throw error;
      }
      const wanted = refs
        .filter((raw) => typeof raw.ref === 'string' && /^refs\/(heads|tags)\//.test(raw.ref))
        .sort((a, b) => {
          const x = String(a.ref);
          const y = String(b.ref);
          const kind = (r: string) => (r.startsWith('refs/heads/') ? 0 : 1);
          return kind(x) - kind(y) || (x < y ? -1 : x > y ? 1 : 0);
        });
      const slice = wanted.slice(offset, offset + pageSize);
      const next = offset + slice.length;
      return {
        items: slice.map((raw) => mapGitRef(ctx, raw, { repoScope: `${owner}/${repo}` })),
        nextCursor: next < wanted.length ? encodeCursor({ o: next }) : null,
      };
    });
  }

  async function getCommit(repoScope: string, sha: string, options: CallOptions = {}) {
    const operation = 'getCommit';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    if (!/^[0-9a-fA-F]{4,64}$/.test(sha)) {
      throw new InvalidInputError({ provider: 'github', operation, message: 'sha must be a hex commit id' });
    }
    return ctx.call(operation, async () => {
      try {
        const response = await request(owner, 'GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref: sha, ...withSignal(options.signal) });
        return mapCommit(ctx, response.data as Raw, { etag: etagOf(response), repoScope: `${owner}/${repo}` });
      } catch (error) {
        const failure = httpFailure(error);
        // GitHub answers 422 for an unknown sha and 409 for a repository without commits.
        if ((failure?.status === 422 && /no commit found/i.test(failureText(failure))) || (failure?.status === 409 && /empty/i.test(failure.message))) {
          throw new NotFoundError({ provider: 'github', operation, status: failure.status, message: `no commit ${sha} in ${owner}/${repo}`, cause: error });
        }
        throw error;
      }
    });
  }

  // -------------------------------------------------------------------------
  // Deploy keys

  async function listDeployKeys(repoScope: string, options: ListOptions = {}) {
    const operation = 'listDeployKeys';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    const since = sinceMs(options);
    return ctx.listPage<Raw, ExternalDeployKey>(
      operation,
      owner,
      { route: 'GET /repos/{owner}/{repo}/keys', params: { owner, repo }, options },
      (raw) => {
        if (since !== undefined && typeof raw.created_at === 'string' && Date.parse(raw.created_at) < since) return undefined;
        return mapDeployKey(ctx, raw, { repoScope: `${owner}/${repo}` });
      },
    );
  }

  /** Every page of a REST list, raw. */
  async function listAll(operation: string, owner: string, route: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<Raw[]> {
    const out: Raw[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await ctx.listPage<Raw, Raw>(operation, owner, { route, params, options: { cursor, pageSize: 100, signal }, maxPageSize: 100 }, (raw) => raw);
      out.push(...page.items);
      if (page.nextCursor === null || seen.has(page.nextCursor)) return out;
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }

  async function syncDeployKeys(repoScope: string, desired: DesiredDeployKey[], options: SyncOptions = {}): Promise<SyncResult> {
    const operation = 'syncDeployKeys';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    const actual = (await listAll(operation, owner, 'GET /repos/{owner}/{repo}/keys', { owner, repo }, options.signal)).map(
      (raw): ActualDeployKey => ({ id: Number(raw.id), title: String(raw.title ?? ''), key: String(raw.key ?? ''), read_only: raw.read_only !== false }),
    );
    const plan = planDeployKeySync(actual, desired, options.prune ?? true);
    if (options.dryRun) return plan.result;
    let done = 0;
    const total = plan.deletes.length + plan.creates.length;
    /** One write; a failure says how far the sync got, so the audit trail stays exact. */
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await ctx.call(operation, async () => {
          try {
            await fn();
          } catch (error) {
            const failure = httpFailure(error);
            if (failure?.status === 422 && /already in use/i.test(failureText(failure))) {
              throw new ConflictError({
                provider: 'github',
                operation,
                status: 422,
                message: 'the key is already in use',
                hint: 'GitHub allows a key once: as a deploy key of one repository or as a user key. Use a separate key per repository.',
                cause: error,
              });
            }
            throw error;
          }
        });
      } catch (error) {
        if (!ProviderError.isInstance(error)) throw error;
        throw new ProviderError({
          code: error.code,
          provider: 'github',
          operation,
          status: error.status,
          retryAfterMs: error.retryAfterMs,
          retryable: error.retryable,
          hint: error.hint,
          message: `${what} failed after ${done} of ${total} changes: ${error.message.replace(/^\[krate\](?: \[[^\]]+\])?(?: [A-Za-z]+:)? /, '')}`,
          cause: error,
        });
      }
      done += 1;
    };
    // Deletes first: a key whose title or flag changes is re-added with the same material.
    for (const key of plan.deletes) {
      await step(`deleting deploy key "${key.title}"`, async () => {
        try {
          await request(owner, 'DELETE /repos/{owner}/{repo}/keys/{key_id}', { owner, repo, key_id: key.id, ...withSignal(options.signal) });
        } catch (error) {
          if (httpFailure(error)?.status !== 404) throw error; // already gone
        }
      });
    }
    for (const key of plan.creates) {
      await step(`adding deploy key "${key.title}"`, () =>
        request(owner, 'POST /repos/{owner}/{repo}/keys', {
          owner, repo, title: key.title, key: key.key, read_only: key.readOnly, ...withSignal(options.signal),
        }),
      );
    }
    return plan.result;
  }

  // -------------------------------------------------------------------------
  // Collaborators

  async function listCollaborators(repoScope: string, options: ListOptions = {}) {
    const operation = 'listCollaborators';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    return ctx.listPage<Raw, ExternalCollaborator>(
      operation,
      owner,
      { route: 'GET /repos/{owner}/{repo}/collaborators', params: { owner, repo, affiliation: 'all' }, options },
      (raw) => mapCollaborator(ctx, raw, { repoScope: `${owner}/${repo}` }),
    );
  }

  // -------------------------------------------------------------------------
  // Branch protection

  async function syncBranchProtection(repoScope: string, desired: BranchProtectionRule[], options: SyncOptions = {}): Promise<SyncResult> {
    const operation = 'syncBranchProtection';
    const { owner, repo } = parseRepoScope(repoScope, operation);
    assertDistinctBranches(desired);
    const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
    const adminHint = 'GitHub answers 404 on branch protection routes when the credentials lack administration permission on the repository';
    return ctx.call(operation, async () => {
      for (const rule of desired) {
        let current: Raw | null;
        try {
          const response = await request(owner, 'GET /repos/{owner}/{repo}/branches/{branch}/protection', {
            owner, repo, branch: rule.branch, ...withSignal(options.signal),
          });
          current = response.data as Raw;
        } catch (error) {
          const failure = httpFailure(error);
          if (failure?.status === 404 && /not protected/i.test(failure.message)) current = null;
          else if (failure?.status === 404) {
            throw new NotFoundError({
              provider: 'github',
              operation,
              status: 404,
              message: /branch not found/i.test(failure.message)
                ? `branch "${rule.branch}" does not exist in ${owner}/${repo}`
                : `cannot read the protection of "${rule.branch}" in ${owner}/${repo}`,
              hint: adminHint,
              cause: error,
            });
          } else throw error;
        }
        const drift = protectionDrift(current, rule);
        result.drift.push(...drift);
        if (current !== null && drift.length === 0) {
          result.unchanged.push(rule.branch);
          continue;
        }
        (current === null ? result.created : result.updated).push(rule.branch);
        if (options.dryRun) continue;
        await request(owner, 'PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
          owner, repo, branch: rule.branch, ...protectionRequestBody(current, rule), ...withSignal(options.signal),
        });
      }
      if (options.prune === true) {
        const wanted = new Set(desired.map((r) => r.branch));
        const protectedBranches = await listAll(operation, owner, 'GET /repos/{owner}/{repo}/branches', { owner, repo, protected: true }, options.signal);
        for (const branch of protectedBranches) {
          const name = String(branch.name ?? '');
          if (!name || wanted.has(name)) continue;
          result.deleted.push(name);
          if (options.dryRun) continue;
          try {
            await request(owner, 'DELETE /repos/{owner}/{repo}/branches/{branch}/protection', { owner, repo, branch: name, ...withSignal(options.signal) });
          } catch (error) {
            if (httpFailure(error)?.status !== 404) throw error;
          }
        }
      }
      return result;
    });
  }

  return {
    listRepositories,
    getRepository,
    createRepository,
    updateRepository,
    listPullRequests,
    getPullRequest,
    createPullRequest,
    updatePullRequest,
    mergePullRequest,
    listReviews,
    listRefs,
    getCommit,
    listDeployKeys,
    syncDeployKeys,
    listCollaborators,
    syncBranchProtection,
  };
}
