import type { ExternalRef } from '@krate/core';
import type { FakeRoute, SeedBranchProtection, SeedCollaborator, SeedCommit, SeedDeployKey, SeedGitRef, SeedPullRequest, SeedRepository, SeedReview, WebhookOptions } from '@krate/contract-tests/kit';
import { nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';
import { Body, FAKE_TOKEN_USER, defaultBranch, ensureBranch, findCommit, findRef, findRepoRow, isEmptyRepo, makeCommit, obj, ownerLogin, ownerTypeOf, permissionFlags, refSha, repoFull, setRef, str } from './github-fake-git-data.js';
import { createDeployKey, keyRoutes } from './github-fake-keys.js';
import { findProtection, protectionRoutes, setProtection } from './github-fake-protection.js';
import { createPullRow, findPull, headShaOf, issueRowOf, mergePull, mergeability, pullRoutes, renderPull } from './github-fake-pulls.js';
import { refRoutes } from './github-fake-refs.js';
import { createRepoRow, denied, repoRoutes } from './github-fake-repos.js';

/**
 * The git forge part of the GitHub fake: repositories, pull requests (sharing the
 * issue number space), reviews, git refs, commits, deploy keys, collaborators,
 * branches and branch protection, in GitHub's REST shapes, with mergeability
 * computed from the state (conflicts, drafts, protection, statuses) and merges that
 * write a merge commit and move the base branch.
 */

/** The repository a webhook builder uses when no ref is given. */
const DEFAULT_REPO = { owner: 'octo-org', repo: 'hello-world' };
const ZERO_SHA = '0000000000000000000000000000000000000000';

/** GitHub-only seed extras: who owns a repository (default: an organization). */
export interface GitHubSeedRepository extends SeedRepository {
  ownerType?: 'User' | 'Organization';
}
/** GitHub-only seed extras: a pull request whose head conflicts with its base. */
export interface GitHubSeedPullRequest extends SeedPullRequest {
  conflict?: boolean;
}
/** GitHub-only seed extras of a review: the commit it reviews (default: the head). */
export interface GitHubSeedReview extends SeedReview {
  commitSha?: string;
}
/** GitHub-only seed extras of a branch protection. */
export interface GitHubSeedBranchProtection extends SeedBranchProtection {
  strictStatusChecks?: boolean;
  requireCodeOwnerReviews?: boolean;
  dismissStaleReviews?: boolean;
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  requireLinearHistory?: boolean;
}


// ---------------------------------------------------------------------------
// Seeds

function repoFromScope(core: GitHubFakeCore, repoScope: string): GhObject {
  const [owner = '', repo = ''] = repoScope.split('/');
  return findRepoRow(core, owner, repo) ?? core.ensureRepo(owner, repo);
}

/** `main` / `heads/main` / `refs/tags/v1` (with the seed's kind) -> `heads/main` / `tags/v1`. */
function refNameOf(name: string, kind: 'branch' | 'tag' | undefined): string {
  const trimmed = name.replace(/^refs\//, '');
  if (trimmed.startsWith('heads/') || trimmed.startsWith('tags/')) return trimmed;
  return `${kind === 'tag' ? 'tags' : 'heads'}/${trimmed}`;
}

function seeds(core: GitHubFakeCore) {
  return {
    repository(owner: string, input: GitHubSeedRepository): ExternalRef {
      const type = input.ownerType ?? ownerTypeOf(core, owner) ?? 'Organization';
      const row = createRepoRow(core, owner, type, {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.defaultBranch !== undefined ? { defaultBranch: input.defaultBranch } : {}),
        ...(input.archived !== undefined ? { archived: input.archived } : {}),
        ...(input.createdAt !== undefined ? { createdAt: input.createdAt } : {}),
        ...(input.updatedAt !== undefined ? { updatedAt: input.updatedAt } : {}),
        autoInit: true,
      });
      return { scope: ownerLogin(row), id: String(row.name) };
    },

    pullRequest(repoScope: string, input: GitHubSeedPullRequest): ExternalRef {
      const row = repoFromScope(core, repoScope);
      const base = input.baseBranch ?? defaultBranch(row);
      ensureBranch(core, row, base);
      ensureBranch(core, row, input.headBranch);
      const pull = createPullRow(core, row, {
        title: input.title,
        body: input.body ?? null,
        head: input.headBranch,
        base,
        draft: input.draft === true,
        conflict: input.conflict === true,
        ...(input.createdAt !== undefined ? { createdAt: input.createdAt } : {}),
        ...(input.updatedAt !== undefined ? { updatedAt: input.updatedAt } : {}),
      });
      if (input.state === 'merged') mergePull(core, pull, { ...(input.updatedAt ? { at: input.updatedAt } : {}) });
      else if (input.state === 'closed') {
        const at = input.updatedAt ?? core.clock.tick();
        core.state.pulls.update(pull.id, { state: 'closed', closed_at: at, updated_at: at });
        const issue = issueRowOf(core, pull);
        if (issue) core.state.issues.update(issue.id, { state: 'closed', state_reason: 'not_planned', closed_at: at, updated_at: at });
      }
      if (input.updatedAt !== undefined) {
        core.state.pulls.update(pull.id, { updated_at: input.updatedAt });
        const issue = issueRowOf(core, pull);
        if (issue) core.state.issues.update(issue.id, { updated_at: input.updatedAt });
      }
      return { scope: repoFull(row), id: String(pull.number) };
    },

    review(pullRequestRef: ExternalRef, input: GitHubSeedReview): ExternalRef {
      const row = repoFromScope(core, pullRequestRef.scope);
      const full = repoFull(row);
      const pull = findPull(core, full, Number(pullRequestRef.id));
      if (!pull) throw new Error(`fake: no pull request ${pullRequestRef.scope}#${pullRequestRef.id}`);
      const id = core.nextId();
      const number = Number(pull.number);
      const html = core.htmlUrl(`/${full}/pull/${number}#pullrequestreview-${id}`);
      const pullUrl = core.apiUrl(`/repos/${full}/pulls/${number}`);
      core.state.reviews.insert({
        id,
        _repo: full,
        _pull: number,
        node_id: nodeId('PRR', id),
        user: core.user(input.author ?? 'hubot'),
        body: input.body ?? '',
        state: input.state.toUpperCase(),
        html_url: html,
        pull_request_url: pullUrl,
        _links: { html: { href: html }, pull_request: { href: pullUrl } },
        submitted_at: core.clock.tick(),
        commit_id: input.commitSha ?? headShaOf(core, pull),
        author_association: 'MEMBER',
      });
      return { scope: full, id: String(id) };
    },

    gitRef(repoScope: string, input: SeedGitRef): ExternalRef {
      const row = repoFromScope(core, repoScope);
      const full = repoFull(row);
      const name = refNameOf(input.name, input.kind);
      let sha = input.sha?.toLowerCase();
      // A new ref starts from the default branch (when there is one), as one made on GitHub does.
      const parent = refSha(findRef(core, full, name)) ?? refSha(findRef(core, full, `heads/${defaultBranch(row)}`));
      if (sha === undefined) {
        sha = String(makeCommit(core, full, { message: `Update ${name}`, parents: parent ? [parent] : [] }).sha);
      } else if (!findCommit(core, full, sha)) {
        makeCommit(core, full, { sha, message: `Commit ${sha.slice(0, 7)}`, parents: parent ? [parent] : [] });
      }
      setRef(core, full, name, sha);
      return { scope: full, id: name };
    },

    commit(repoScope: string, input: SeedCommit): ExternalRef {
      const row = repoFromScope(core, repoScope);
      const full = repoFull(row);
      const parents = input.parents ?? (() => {
        const head = refSha(findRef(core, full, `heads/${defaultBranch(row)}`));
        return head ? [head] : [];
      })();
      const commit = makeCommit(core, full, {
        message: input.message,
        parents,
        ...(input.sha !== undefined ? { sha: input.sha } : {}),
        ...(input.authorName !== undefined ? { authorName: input.authorName } : {}),
        ...(input.authorEmail !== undefined ? { authorEmail: input.authorEmail } : {}),
      });
      return { scope: full, id: String(commit.sha) };
    },

    deployKey(repoScope: string, input: SeedDeployKey): ExternalRef {
      const full = repoFull(repoFromScope(core, repoScope));
      const row = createDeployKey(core, full, { title: input.title, key: input.key, readOnly: input.readOnly ?? true });
      return { scope: full, id: String(row.id) };
    },

    collaborator(repoScope: string, input: SeedCollaborator & { affiliation?: 'direct' | 'outside' | 'organization' }): ExternalRef {
      const full = repoFull(repoFromScope(core, repoScope));
      const permission = input.permission ?? 'write';
      const user = core.user(input.login);
      const existing = core.state.collaborators.list((c) => c._repo === full && c.login === input.login)[0];
      if (existing) core.state.collaborators.delete(existing.id);
      core.state.collaborators.insert({
        ...user,
        id: core.nextId(),
        _repo: full,
        _permission: permission,
        _affiliation: input.affiliation ?? 'direct',
        permissions: permissionFlags(permission),
        role_name: permission,
      });
      return { scope: full, id: input.login };
    },

    branchProtection(repoScope: string, input: GitHubSeedBranchProtection): ExternalRef {
      const row = repoFromScope(core, repoScope);
      const full = repoFull(row);
      ensureBranch(core, row, input.branch);
      const body: Body = {
        required_status_checks:
          input.requiredStatusChecks !== undefined || input.strictStatusChecks !== undefined
            ? { strict: input.strictStatusChecks === true, contexts: input.requiredStatusChecks ?? [] }
            : null,
        enforce_admins: input.enforceAdmins === true,
        required_pull_request_reviews:
          input.requiredApprovingReviews !== undefined || input.requireCodeOwnerReviews !== undefined || input.dismissStaleReviews !== undefined
            ? {
                required_approving_review_count: input.requiredApprovingReviews ?? 0,
                require_code_owner_reviews: input.requireCodeOwnerReviews === true,
                dismiss_stale_reviews: input.dismissStaleReviews === true,
              }
            : null,
        restrictions: null,
        required_linear_history: input.requireLinearHistory === true,
        allow_force_pushes: input.allowForcePushes === true,
        allow_deletions: input.allowDeletions === true,
      };
      setProtection(core, full, input.branch, body);
      return { scope: full, id: input.branch };
    },
  };
}

// ---------------------------------------------------------------------------
// Webhooks

function defaultRepoRow(core: GitHubFakeCore): GhObject {
  return findRepoRow(core, DEFAULT_REPO.owner, DEFAULT_REPO.repo) ?? core.ensureRepo(DEFAULT_REPO.owner, DEFAULT_REPO.repo);
}

function pushCommit(core: GitHubFakeCore, commit: GhObject): Record<string, unknown> {
  const git = obj(commit.commit) ?? {};
  const author = obj(git.author) ?? {};
  const committer = obj(git.committer) ?? {};
  return {
    id: commit.sha,
    tree_id: obj(git.tree)?.sha,
    distinct: true,
    message: git.message,
    timestamp: committer.date ?? author.date,
    url: commit.html_url,
    author: { name: author.name, email: author.email, username: obj(commit.author)?.login },
    committer: { name: committer.name, email: committer.email, username: obj(commit.committer)?.login },
    added: [],
    removed: [],
    modified: ['README.md'],
  };
}

/** A branch protection in the `branch_protection_rule` webhook's `rule` shape. */
function webhookRule(core: GitHubFakeCore, protection: GhObject, repoRow: GhObject): Record<string, unknown> {
  const reviews = obj(protection.required_pull_request_reviews);
  const checks = obj(protection.required_status_checks);
  const level = (on: boolean) => (on ? 'non_admins' : 'off');
  const flag = (v: unknown) => obj(v)?.enabled === true;
  const admin = flag(protection.enforce_admins);
  const lvl = (on: boolean) => (on ? (admin ? 'everyone' : 'non_admins') : 'off');
  return {
    id: protection.id,
    repository_id: repoRow.id,
    name: protection._branch,
    created_at: protection._createdAt,
    updated_at: protection._updatedAt,
    pull_request_reviews_enforcement_level: lvl(reviews !== undefined),
    required_approving_review_count: typeof reviews?.required_approving_review_count === 'number' ? reviews.required_approving_review_count : 0,
    dismiss_stale_reviews_on_push: reviews?.dismiss_stale_reviews === true,
    require_code_owner_review: reviews?.require_code_owner_reviews === true,
    authorized_dismissal_actors_only: false,
    ignore_approvals_from_contributors: false,
    require_last_push_approval: reviews?.require_last_push_approval === true,
    required_status_checks: Array.isArray(checks?.contexts) ? checks.contexts : [],
    required_status_checks_enforcement_level: lvl(checks !== undefined),
    strict_required_status_checks_policy: checks?.strict === true,
    signature_requirement_enforcement_level: 'off',
    linear_history_requirement_enforcement_level: lvl(flag(protection.required_linear_history)),
    lock_branch_enforcement_level: lvl(flag(protection.lock_branch)),
    lock_allows_fork_sync: flag(protection.allow_fork_syncing),
    admin_enforced: admin,
    create_protected: false,
    allow_force_pushes_enforcement_level: level(flag(protection.allow_force_pushes)),
    allow_deletions_enforcement_level: level(flag(protection.allow_deletions)),
    merge_queue_enforcement_level: 'off',
    required_deployments_enforcement_level: 'off',
    required_conversation_resolution_level: lvl(flag(protection.required_conversation_resolution)),
    authorized_actors_only: protection.restrictions !== undefined,
    authorized_actor_names: Array.isArray(obj(protection.restrictions)?.users)
      ? (obj(protection.restrictions)?.users as Body[]).map((u) => u.login)
      : [],
  };
}

export function webhooks(core: GitHubFakeCore): Record<string, (options: WebhookOptions) => { action?: string; payload: Record<string, unknown> }> {
  const seed = seeds(core);
  const repoOfRef = (ref: ExternalRef | undefined): GhObject => (ref ? repoFromScope(core, ref.scope) : defaultRepoRow(core));
  const pullFor = (ref: ExternalRef | undefined): GhObject => {
    if (ref) {
      const pull = findPull(core, repoFull(repoOfRef(ref)), Number(ref.id));
      if (pull) return pull;
    }
    const row = repoOfRef(ref);
    const created = seed.pullRequest(repoFull(row), { title: 'Webhook pull request', headBranch: `webhook-${core.nextId()}` });
    return findPull(core, created.scope, Number(created.id)) as GhObject;
  };

  return {
    repository(options) {
      const row = options.ref
        ? findRepoRow(core, options.ref.scope.split('/')[0] ?? '', options.ref.scope.includes('/') ? options.ref.scope.split('/')[1] ?? '' : options.ref.id)
        : undefined;
      const repoRow = row ?? (options.ref ? repoFromScope(core, `${options.ref.scope}/${options.ref.id}`) : defaultRepoRow(core));
      const action = options.action ?? 'edited';
      return { action, payload: { action, ...(action === 'edited' ? { changes: {} } : {}), repository: publicView(repoRow) } };
    },

    pull_request(options) {
      const pull = pullFor(options.ref);
      const action = options.action ?? 'opened';
      return { action, payload: { action, number: pull.number, ...(action === 'edited' ? { changes: {} } : {}), pull_request: renderPull(core, pull) } };
    },

    pull_request_review(options) {
      let review = options.ref ? core.state.reviews.get(Number(options.ref.id)) : undefined;
      if (!review) {
        const pull = pullFor(undefined);
        const ref = seed.review({ scope: String(pull._repo), id: String(pull.number) }, { state: 'approved', body: 'Looks good' });
        review = core.state.reviews.require(Number(ref.id));
      }
      const pull = findPull(core, String(review._repo), Number(review._pull)) as GhObject;
      const action = options.action ?? 'submitted';
      return { action, payload: { action, review: publicView(review), pull_request: renderPull(core, pull, true) } };
    },

    pull_request_review_comment(options) {
      const pull = pullFor(options.ref);
      const full = String(pull._repo);
      const id = core.nextId();
      const headSha = headShaOf(core, pull);
      const pullUrl = core.apiUrl(`/repos/${full}/pulls/${String(pull.number)}`);
      const html = core.htmlUrl(`/${full}/pull/${String(pull.number)}#discussion_r${id}`);
      const at = core.clock.tick();
      const comment = {
        url: core.apiUrl(`/repos/${full}/pulls/comments/${id}`),
        pull_request_review_id: null,
        id,
        node_id: nodeId('PRRC', id),
        diff_hunk: '@@ -1 +1 @@\n-# Hello\n+# Hello, world',
        path: 'README.md',
        position: 1,
        original_position: 1,
        commit_id: headSha,
        original_commit_id: headSha,
        user: core.user('hubot'),
        body: 'Consider a clearer heading.',
        created_at: at,
        updated_at: at,
        html_url: html,
        pull_request_url: pullUrl,
        author_association: 'MEMBER',
        _links: { self: { href: core.apiUrl(`/repos/${full}/pulls/comments/${id}`) }, html: { href: html }, pull_request: { href: pullUrl } },
        start_line: null,
        original_start_line: null,
        start_side: null,
        line: 1,
        original_line: 1,
        side: 'RIGHT',
        subject_type: 'line',
        reactions: {
          url: core.apiUrl(`/repos/${full}/pulls/comments/${id}/reactions`),
          total_count: 0,
          '+1': 0,
          '-1': 0,
          laugh: 0,
          hooray: 0,
          confused: 0,
          heart: 0,
          rocket: 0,
          eyes: 0,
        },
      };
      const action = options.action ?? 'created';
      return { action, payload: { action, comment, pull_request: renderPull(core, pull, true) } };
    },

    push(options) {
      const row = repoOfRef(options.ref);
      const full = repoFull(row);
      const name = options.ref ? refNameOf(options.ref.id, undefined) : `heads/${defaultBranch(row)}`;
      let ref = findRef(core, full, name);
      if (!ref) ref = findRef(core, full, `heads/${defaultBranch(row)}`) ?? ensureBranch(core, row, defaultBranch(row));
      const refName = String(ref.ref);
      const commit = findCommit(core, full, refSha(ref) ?? '') as GhObject;
      const before = str(obj((commit.parents as unknown[])?.[0])?.sha) ?? ZERO_SHA;
      const head = pushCommit(core, commit);
      return {
        payload: {
          ref: refName,
          before,
          after: commit.sha,
          created: before === ZERO_SHA,
          deleted: false,
          forced: false,
          base_ref: null,
          compare: core.htmlUrl(`/${full}/compare/${before.slice(0, 12)}...${String(commit.sha).slice(0, 12)}`),
          commits: [head],
          head_commit: head,
          pusher: { name: FAKE_TOKEN_USER, email: 'octocat@github.com' },
        },
      };
    },

    create(options) {
      const row = repoOfRef(options.ref);
      const name = options.ref ? refNameOf(options.ref.id, undefined) : `heads/webhook-${core.nextId()}`;
      if (!findRef(core, repoFull(row), name)) seed.gitRef(repoFull(row), { name });
      const isTag = name.startsWith('tags/');
      return {
        payload: {
          ref: name.replace(/^(heads|tags)\//, ''),
          ref_type: isTag ? 'tag' : 'branch',
          master_branch: defaultBranch(row),
          description: row.description ?? null,
          pusher_type: 'user',
        },
      };
    },

    delete(options) {
      const name = options.ref ? refNameOf(options.ref.id, undefined) : `heads/webhook-${core.nextId()}`;
      return { payload: { ref: name.replace(/^(heads|tags)\//, ''), ref_type: name.startsWith('tags/') ? 'tag' : 'branch', pusher_type: 'user' } };
    },

    branch_protection_rule(options) {
      const row = repoOfRef(options.ref);
      const full = repoFull(row);
      let protection = options.ref ? findProtection(core, full, options.ref.id) : undefined;
      if (!protection) {
        const ref = seed.branchProtection(full, { branch: options.ref?.id ?? defaultBranch(row), requiredApprovingReviews: 1 });
        protection = findProtection(core, full, ref.id) as GhObject;
      }
      const action = options.action ?? 'edited';
      return { action, payload: { action, rule: webhookRule(core, protection, row), ...(action === 'edited' ? { changes: {} } : {}) } };
    },

    deploy_key(options) {
      let key = options.ref ? core.state.deployKeys.get(Number(options.ref.id)) : undefined;
      if (!key) {
        const full = repoFull(repoOfRef(options.ref));
        const material = Buffer.from(`krate-fake-key-${core.nextId()}`).toString('base64');
        const ref = seed.deployKey(full, { title: 'webhook key', key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5${material}` });
        key = core.state.deployKeys.require(Number(ref.id));
      }
      const action = options.action ?? 'created';
      return { action, payload: { action, key: publicView(key) } };
    },
  };
}

/** The GitHub App permission each route needs (what GitHub documents per endpoint). */
const ROUTE_PERMISSIONS: Record<string, [string, 'read' | 'write']> = {
  'POST /orgs/:org/repos': ['administration', 'write'],
  'PATCH /repos/:owner/:repo': ['administration', 'write'],
  'GET /repos/:owner/:repo/pulls': ['pull_requests', 'read'],
  'POST /repos/:owner/:repo/pulls': ['pull_requests', 'write'],
  'GET /repos/:owner/:repo/pulls/:number': ['pull_requests', 'read'],
  'PATCH /repos/:owner/:repo/pulls/:number': ['pull_requests', 'write'],
  'GET /repos/:owner/:repo/pulls/:number/merge': ['pull_requests', 'read'],
  'PUT /repos/:owner/:repo/pulls/:number/merge': ['contents', 'write'],
  'GET /repos/:owner/:repo/pulls/:number/reviews': ['pull_requests', 'read'],
  'GET /repos/:owner/:repo/git/matching-refs/*': ['contents', 'read'],
  'GET /repos/:owner/:repo/git/matching-refs': ['contents', 'read'],
  'GET /repos/:owner/:repo/git/ref/*': ['contents', 'read'],
  'GET /repos/:owner/:repo/commits/:ref': ['contents', 'read'],
  'GET /repos/:owner/:repo/branches': ['contents', 'read'],
  'GET /repos/:owner/:repo/keys': ['administration', 'read'],
  'POST /repos/:owner/:repo/keys': ['administration', 'write'],
  'GET /repos/:owner/:repo/keys/:id': ['administration', 'read'],
  'DELETE /repos/:owner/:repo/keys/:id': ['administration', 'write'],
  'GET /repos/:owner/:repo/branches/:branch/protection': ['administration', 'read'],
  'PUT /repos/:owner/:repo/branches/:branch/protection': ['administration', 'write'],
  'DELETE /repos/:owner/:repo/branches/:branch/protection': ['administration', 'write'],
};

function withPermissions(core: GitHubFakeCore, routes: FakeRoute[]): FakeRoute[] {
  return routes.map((route) => {
    const need = ROUTE_PERMISSIONS[`${route.method} ${route.path}`];
    if (!need) return route;
    return { ...route, handle: (ctx) => denied(core, ctx, need[0], need[1]) ?? route.handle(ctx) };
  });
}

/** The git forge module of the GitHub fake. */
export const githubFakeGitForge: GitHubFakeModule = {
  /** Repositories that exist when the fake is made start as GitHub's auto-initialized ones do: a first commit on the default branch. */
  init(core) {
    for (const row of core.state.repos.list()) if (isEmptyRepo(core, repoFull(row))) ensureBranch(core, row, defaultBranch(row));
  },
  routes: (core) =>
    withPermissions(core, [...repoRoutes(core), ...pullRoutes(core), ...refRoutes(core), ...keyRoutes(core), ...protectionRoutes(core)]),
  seeds: (core) => seeds(core),
  webhooks: (core) => webhooks(core),
  webhookEventFor: {
    repository: { event: 'repository', action: 'edited' },
    pullRequest: { event: 'pull_request', action: 'edited' },
    review: { event: 'pull_request_review', action: 'submitted' },
    gitRef: { event: 'push' },
    commit: { event: 'push' },
    deployKey: { event: 'deploy_key', action: 'created' },
    branchProtection: { event: 'branch_protection_rule', action: 'edited' },
  },
};
