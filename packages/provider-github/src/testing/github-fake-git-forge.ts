import { createHash } from 'node:crypto';
import type { ExternalRef } from '@krate/core';
import type {
  FakeRoute,
  FakeRouteContext,
  SeedBranchProtection,
  SeedCollaborator,
  SeedCommit,
  SeedDeployKey,
  SeedGitRef,
  SeedPullRequest,
  SeedRepository,
  SeedReview,
  WebhookOptions,
} from '@krate/contract-tests/kit';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-core.js';

/**
 * The git forge part of the GitHub fake: repositories, pull requests (sharing the
 * issue number space), reviews, git refs, commits, deploy keys, collaborators,
 * branches and branch protection, in GitHub's REST shapes, with mergeability
 * computed from the state (conflicts, drafts, protection, statuses) and merges that
 * write a merge commit and move the base branch.
 */

/** The login the fake treats as the owner of a user token (`GET /user`, `POST /user/repos`). */
export const FAKE_TOKEN_USER = 'octocat';
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

type Body = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Shared utilities

/** The object without the fake's private `_` fields (GitHub's own `_links` stays). */
function publicView(obj: GhObject | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (!key.startsWith('_') || key === '_links') out[key] = value;
  return out;
}

function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`krate-fake:${String(id)}`, 'utf8').toString('base64url')}`;
}

function newSha(core: GitHubFakeCore, seed: string): string {
  return createHash('sha1').update(`${seed}:${core.nextId()}`).digest('hex');
}

const asBody = (body: unknown): Body => (typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Body | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : undefined);

/** GitHub's 422 "Validation Failed" with its `errors` array. */
function validationFailed(core: GitHubFakeCore, errors: Array<Record<string, unknown>>): Response {
  return core.error(422, 'Validation Failed', { errors });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}

function sortRows(rows: GhObject[], key: string, direction: string): GhObject[] {
  const factor = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = String(a[key] ?? '');
    const y = String(b[key] ?? '');
    if (x === y) return ((a.id as number) - (b.id as number)) * factor;
    return (x < y ? -1 : 1) * factor;
  });
}

const PERMISSION_ORDER = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
type Permission = (typeof PERMISSION_ORDER)[number];

function permissionFlags(permission: Permission): Record<string, boolean> {
  const rank = PERMISSION_ORDER.indexOf(permission);
  return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true };
}

// ---------------------------------------------------------------------------
// State access

function repoFull(row: GhObject): string {
  return String(row.full_name);
}

function findRepoRow(core: GitHubFakeCore, owner: string, repo: string): GhObject | undefined {
  return core.findRepo(owner, repo);
}

function ownerLogin(row: GhObject): string {
  return String(obj(row.owner)?.login ?? repoFull(row).split('/')[0]);
}

/** `User` or `Organization` for a login the fake knows, from its repositories or installations. */
function ownerTypeOf(core: GitHubFakeCore, login: string): 'User' | 'Organization' | undefined {
  const lower = login.toLowerCase();
  for (const row of core.state.repos.list()) {
    const owner = obj(row.owner);
    if (String(owner?.login ?? '').toLowerCase() === lower) return owner?.type === 'User' ? 'User' : 'Organization';
  }
  for (const inst of core.state.installations.list()) {
    const account = obj(inst.account);
    if (String(account?.login ?? '').toLowerCase() === lower) return account?.type === 'User' ? 'User' : 'Organization';
  }
  return undefined;
}

function ownerObject(core: GitHubFakeCore, login: string, type: 'User' | 'Organization'): Record<string, unknown> {
  return { ...core.user(login), type };
}

function findCommit(core: GitHubFakeCore, full: string, sha: string): GhObject | undefined {
  const lower = sha.toLowerCase();
  const exact = core.state.commits.list((c) => c._repo === full && c.sha === lower);
  if (exact[0]) return exact[0];
  if (lower.length < 7) return undefined;
  const prefixed = core.state.commits.list((c) => c._repo === full && String(c.sha).startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function toLogin(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'octocat';
}

function makeCommit(
  core: GitHubFakeCore,
  full: string,
  input: { sha?: string; message: string; parents: string[]; authorName?: string; authorEmail?: string; date?: string },
): GhObject {
  const sha = (input.sha ?? newSha(core, `${full}:${input.message}`)).toLowerCase();
  const existing = core.state.commits.list((c) => c._repo === full && c.sha === sha)[0];
  if (existing) return existing;
  const id = core.nextId();
  const date = input.date ?? core.clock.iso();
  const name = input.authorName ?? 'The Octocat';
  const email = input.authorEmail ?? 'octocat@github.com';
  const login = input.authorName ? toLogin(input.authorName) : FAKE_TOKEN_USER;
  const tree = createHash('sha1').update(`tree:${sha}`).digest('hex');
  const person = { name, email, date };
  return core.state.commits.insert({
    id,
    _repo: full,
    url: core.apiUrl(`/repos/${full}/commits/${sha}`),
    sha,
    node_id: nodeId('C', sha),
    html_url: core.htmlUrl(`/${full}/commit/${sha}`),
    comments_url: core.apiUrl(`/repos/${full}/commits/${sha}/comments`),
    commit: {
      url: core.apiUrl(`/repos/${full}/git/commits/${sha}`),
      author: person,
      committer: { ...person },
      message: input.message,
      comment_count: 0,
      tree: { sha: tree, url: core.apiUrl(`/repos/${full}/git/trees/${tree}`) },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: core.user(login),
    committer: core.user(login),
    parents: input.parents.map((p) => ({
      sha: p,
      url: core.apiUrl(`/repos/${full}/commits/${p}`),
      html_url: core.htmlUrl(`/${full}/commit/${p}`),
    })),
    stats: { total: 2, additions: 1, deletions: 1 },
    files: [],
  });
}

/** `refs/heads/main` row of a repository. `name` is `heads/main` / `tags/v1`. */
function findRef(core: GitHubFakeCore, full: string, name: string): GhObject | undefined {
  return core.state.refs.list((r) => r._repo === full && r.ref === `refs/${name}`)[0];
}

function refSha(ref: GhObject | undefined): string | undefined {
  return str(obj(ref?.object)?.sha);
}

function setRef(core: GitHubFakeCore, full: string, name: string, sha: string): GhObject {
  const existing = findRef(core, full, name);
  const object = { sha, type: 'commit', url: core.apiUrl(`/repos/${full}/git/commits/${sha}`) };
  if (existing) return core.state.refs.update(existing.id, { object });
  const id = core.nextId();
  return core.state.refs.insert({
    id,
    _repo: full,
    ref: `refs/${name}`,
    node_id: nodeId('REF', id),
    url: core.apiUrl(`/repos/${full}/git/refs/${name}`),
    object,
  });
}

/** A repository without commits or refs has no git database yet: GitHub answers 409 on git routes. */
function isEmptyRepo(core: GitHubFakeCore, full: string): boolean {
  return core.state.refs.list((r) => r._repo === full).length === 0 && core.state.commits.list((c) => c._repo === full).length === 0;
}

function defaultBranch(repoRow: GhObject): string {
  return str(repoRow.default_branch) ?? 'main';
}

/** Makes sure a branch exists: a root commit for the default branch, else a commit on top of the default branch. */
function ensureBranch(core: GitHubFakeCore, repoRow: GhObject, branch: string): GhObject {
  const full = repoFull(repoRow);
  const existing = findRef(core, full, `heads/${branch}`);
  if (existing) return existing;
  const base = defaultBranch(repoRow);
  if (branch === base) {
    const root = makeCommit(core, full, { message: 'Initial commit', parents: [] });
    return setRef(core, full, `heads/${branch}`, String(root.sha));
  }
  const baseSha = refSha(ensureBranch(core, repoRow, base)) as string;
  const commit = makeCommit(core, full, { message: `Work on ${branch}`, parents: [baseSha] });
  return setRef(core, full, `heads/${branch}`, String(commit.sha));
}

// ---------------------------------------------------------------------------
// Repositories

function createRepoRow(
  core: GitHubFakeCore,
  owner: string,
  ownerType: 'User' | 'Organization',
  input: { name: string; description?: string | null; visibility?: 'public' | 'private' | 'internal'; defaultBranch?: string; archived?: boolean; createdAt?: string; updatedAt?: string; autoInit?: boolean },
): GhObject {
  const created = input.createdAt ?? core.clock.tick();
  const visibility = input.visibility ?? 'public';
  if (!ownerTypeOf(core, owner)) core.ensureOwner?.(owner, ownerType);
  const row = core.ensureRepo(owner, input.name, {
    owner: ownerObject(core, owner, ownerType),
    description: input.description ?? null,
    private: visibility !== 'public',
    visibility,
    default_branch: input.defaultBranch ?? 'main',
    archived: input.archived ?? false,
    created_at: created,
    updated_at: input.updatedAt ?? created,
    pushed_at: input.updatedAt ?? created,
  });
  if (input.autoInit) ensureBranch(core, row, defaultBranch(row));
  return row;
}

/** A repository in GitHub's `full-repository` shape (single GET, create, update): the list shape plus counts. */
function fullRepoView(row: GhObject): Record<string, unknown> {
  return { network_count: 0, subscribers_count: 0, ...publicView(row) };
}

function isPublicRepo(row: GhObject): boolean {
  return row.private !== true && (row.visibility === undefined || row.visibility === 'public');
}

function repoListing(core: GitHubFakeCore, ctx: FakeRouteContext, rows: GhObject[], defaultSort: string): Response {
  const sort = ctx.url.searchParams.get('sort') ?? defaultSort;
  const key = sort === 'full_name' ? 'full_name' : sort === 'updated' ? 'updated_at' : sort === 'pushed' ? 'pushed_at' : 'created_at';
  const direction = ctx.url.searchParams.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
  return core.listResponse(ctx.request, ctx.url, sortRows(rows, key, direction).map(publicView));
}

function repoRoutes(core: GitHubFakeCore): FakeRoute[] {
  const ownedBy = (login: string) => core.state.repos.list((r) => ownerLogin(r).toLowerCase() === login.toLowerCase());
  const createIn = (ctx: FakeRouteContext, owner: string, ownerType: 'User' | 'Organization'): Response => {
    const body = asBody(ctx.body);
    const name = str(body.name);
    if (!name) return validationFailed(core, [{ resource: 'Repository', code: 'missing_field', field: 'name' }]);
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return validationFailed(core, [{ resource: 'Repository', code: 'invalid', field: 'name' }]);
    if (findRepoRow(core, owner, name)) {
      return core.error(422, 'Repository creation failed.', {
        errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
      });
    }
    let visibility = str(body.visibility) as 'public' | 'private' | 'internal' | undefined;
    if (visibility !== undefined && !['public', 'private', 'internal'].includes(visibility)) {
      return validationFailed(core, [{ resource: 'Repository', code: 'invalid', field: 'visibility' }]);
    }
    if (visibility === undefined && typeof body.private === 'boolean') visibility = body.private ? 'private' : 'public';
    const row = createRepoRow(core, owner, ownerType, {
      name,
      description: str(body.description) ?? null,
      ...(visibility ? { visibility } : {}),
      autoInit: body.auto_init === true,
    });
    return core.itemResponse(ctx.request, fullRepoView(row), 201);
  };

  return [
    {
      method: 'GET',
      path: '/orgs/:org/repos',
      handle: (ctx) => {
        const type = ownerTypeOf(core, ctx.params.org as string);
        if (type !== 'Organization') return core.error(404, 'Not Found');
        const filter = ctx.url.searchParams.get('type') ?? 'all';
        const rows = ownedBy(ctx.params.org as string).filter((r) =>
          filter === 'public' ? isPublicRepo(r) : filter === 'private' ? !isPublicRepo(r) : filter === 'forks' ? r.fork === true : filter === 'sources' ? r.fork !== true : true,
        );
        return repoListing(core, ctx, rows, 'created');
      },
    },
    {
      method: 'GET',
      path: '/users/:username/repos',
      handle: (ctx) => {
        if (!ownerTypeOf(core, ctx.params.username as string)) return core.error(404, 'Not Found');
        // GitHub lists a user's (or an organization's) public repositories here.
        return repoListing(core, ctx, ownedBy(ctx.params.username as string).filter(isPublicRepo), 'full_name');
      },
    },
    {
      method: 'POST',
      path: '/orgs/:org/repos',
      handle: (ctx) => {
        const org = ctx.params.org as string;
        if (ownerTypeOf(core, org) === 'User') return core.error(404, 'Not Found');
        return createIn(ctx, org, 'Organization');
      },
    },
    {
      method: 'POST',
      path: '/user/repos',
      handle: (ctx) => {
        if (isInstallationToken(ctx.request)) return core.error(403, 'Resource not accessible by integration');
        if (str(asBody(ctx.body).visibility) === 'internal') {
          return validationFailed(core, [{ resource: 'Repository', code: 'invalid', field: 'visibility' }]);
        }
        return createIn(ctx, FAKE_TOKEN_USER, 'User');
      },
    },
    {
      method: 'GET',
      path: '/user',
      handle: (ctx) => {
        if (isInstallationToken(ctx.request)) return core.error(403, 'Resource not accessible by integration');
        return core.itemResponse(ctx.request, {
          ...core.user(FAKE_TOKEN_USER),
          type: 'User',
          user_view_type: 'public',
          name: 'The Octocat',
          company: null,
          blog: '',
          location: null,
          email: null,
          hireable: null,
          bio: null,
          public_repos: core.state.repos.list((r) => ownerLogin(r) === FAKE_TOKEN_USER && isPublicRepo(r)).length,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: '2011-01-25T18:44:36Z',
          updated_at: core.clock.iso(),
        });
      },
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo',
      handle: (ctx) => {
        const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
        if (!row) return core.error(404, 'Not Found');
        return core.itemResponse(ctx.request, fullRepoView(row));
      },
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo',
      handle: (ctx) => {
        const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
        if (!row) return core.error(404, 'Not Found');
        const body = asBody(ctx.body);
        if (row.archived === true && body.archived !== false) return core.error(403, 'Repository was archived so is read-only.');
        const patch: Record<string, unknown> = {};
        if (body.description !== undefined) patch.description = body.description;
        if (body.homepage !== undefined) patch.homepage = body.homepage;
        const visibility = str(body.visibility) ?? (typeof body.private === 'boolean' ? (body.private ? 'private' : 'public') : undefined);
        if (visibility !== undefined) {
          if (!['public', 'private', 'internal'].includes(visibility)) return validationFailed(core, [{ resource: 'Repository', code: 'invalid', field: 'visibility' }]);
          if (visibility === 'internal' && obj(row.owner)?.type === 'User') {
            return validationFailed(core, [{ resource: 'Repository', code: 'invalid', field: 'visibility', message: 'Only organization repositories can be internal' }]);
          }
          patch.visibility = visibility;
          patch.private = visibility !== 'public';
        }
        if (body.default_branch !== undefined) {
          const branch = str(body.default_branch) ?? '';
          if (!findRef(core, repoFull(row), `heads/${branch}`)) {
            return validationFailed(core, [
              { resource: 'Repository', code: 'custom', field: 'default_branch', message: `Cannot update default branch for this repository to '${branch}'.` },
            ]);
          }
          patch.default_branch = branch;
        }
        if (typeof body.archived === 'boolean') patch.archived = body.archived;
        for (const flag of ['has_issues', 'has_projects', 'has_wiki', 'allow_merge_commit', 'allow_squash_merge', 'allow_rebase_merge', 'delete_branch_on_merge', 'is_template']) {
          if (typeof body[flag] === 'boolean') patch[flag] = body[flag];
        }
        const updated = core.state.repos.update(row.id, patch);
        core.touch(updated);
        return core.itemResponse(ctx.request, fullRepoView(core.state.repos.require(row.id)));
      },
    },
  ];
}

/** GitHub's 403 when an installation token lacks the App permission a route needs. */
function denied(core: GitHubFakeCore, ctx: FakeRouteContext, permission: string, level: 'read' | 'write'): Response | undefined {
  return core.requirePermission?.(ctx.request, permission, level);
}

function isInstallationToken(request: Request): boolean {
  const auth = request.headers.get('authorization') ?? '';
  return /^(token|bearer)\s+ghs_/i.test(auth);
}

// ---------------------------------------------------------------------------
// Pull requests

function findPull(core: GitHubFakeCore, full: string, number: number): GhObject | undefined {
  return core.state.pulls.list((p) => p._repo === full && p.number === number)[0];
}

function issueRowOf(core: GitHubFakeCore, pull: GhObject): GhObject | undefined {
  const id = pull._issueId;
  if (typeof id === 'number') {
    const row = core.state.issues.get(id);
    if (row) return row;
  }
  return core.state.issues.list((i) => i._repo === pull._repo && i.number === pull.number)[0];
}

function findProtection(core: GitHubFakeCore, full: string, branch: string): GhObject | undefined {
  return core.state.protections.list((p) => p._repo === full && p._branch === branch)[0];
}

/** The current head sha of an open pull request follows its branch. */
function headShaOf(core: GitHubFakeCore, pull: GhObject): string {
  const head = obj(pull.head) ?? {};
  if (pull.state === 'open') {
    const sha = refSha(findRef(core, String(pull._repo), `heads/${String(head.ref)}`));
    if (sha) return sha;
  }
  return String(head.sha ?? '');
}

function approvals(core: GitHubFakeCore, pull: GhObject): number {
  const latest = new Map<string, string>();
  for (const review of core.state.reviews.list((r) => r._repo === pull._repo && r._pull === pull.number)) {
    const login = String(obj(review.user)?.login ?? '');
    if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED' || review.state === 'DISMISSED') latest.set(login, String(review.state));
  }
  return [...latest.values()].filter((s) => s === 'APPROVED').length;
}

/** Outcomes of statuses and check runs on a commit, by context / check name. */
function checkOutcomes(core: GitHubFakeCore, full: string, sha: string): Map<string, 'success' | 'pending' | 'failure'> {
  const out = new Map<string, 'success' | 'pending' | 'failure'>();
  for (const status of core.state.statuses.list((s) => s._repo === full && (s._sha === sha || s.sha === sha))) {
    const state = String(status.state ?? '');
    out.set(String(status.context ?? 'default'), state === 'success' ? 'success' : state === 'pending' ? 'pending' : 'failure');
  }
  for (const run of core.state.checkRuns.list((c) => c._repo === full && c.head_sha === sha)) {
    const conclusion = run.conclusion;
    const outcome = run.status !== 'completed' ? 'pending' : conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped' ? 'success' : 'failure';
    out.set(String(run.name ?? ''), outcome);
  }
  return out;
}

/** GitHub's `mergeable` / `mergeable_state` / `rebaseable`, computed from the state. */
function mergeability(core: GitHubFakeCore, pull: GhObject): { mergeable: boolean | null; mergeable_state: string; rebaseable: boolean | null; reason?: string } {
  if (pull.merged === true || pull.state !== 'open') return { mergeable: null, mergeable_state: 'unknown', rebaseable: null };
  if (pull._conflict === true) return { mergeable: false, mergeable_state: 'dirty', rebaseable: false, reason: 'Pull Request is not mergeable' };
  if (pull.draft === true) return { mergeable: true, mergeable_state: 'draft', rebaseable: true, reason: 'Pull Request is still a draft' };
  const full = String(pull._repo);
  const base = String(obj(pull.base)?.ref ?? '');
  const protection = findProtection(core, full, base);
  const outcomes = checkOutcomes(core, full, headShaOf(core, pull));
  if (protection) {
    const reviews = obj(protection.required_pull_request_reviews);
    const needed = typeof reviews?.required_approving_review_count === 'number' ? reviews.required_approving_review_count : 0;
    if (reviews && approvals(core, pull) < needed) {
      return {
        mergeable: true,
        mergeable_state: 'blocked',
        rebaseable: true,
        reason: `At least ${needed} approving review${needed === 1 ? ' is' : 's are'} required by reviewers with write access.`,
      };
    }
    const checks = obj(protection.required_status_checks);
    const contexts = Array.isArray(checks?.contexts) ? (checks.contexts as string[]) : [];
    const missing = contexts.filter((c) => outcomes.get(c) !== 'success');
    if (missing.length > 0) {
      return {
        mergeable: true,
        mergeable_state: 'blocked',
        rebaseable: true,
        reason: missing.length === 1 ? `Required status check "${missing[0]}" is expected.` : `${missing.length} of ${contexts.length} required status checks are expected.`,
      };
    }
    if (checks?.strict === true && refSha(findRef(core, full, `heads/${base}`)) !== pull._mergeBase) {
      return { mergeable: true, mergeable_state: 'behind', rebaseable: true, reason: 'Head branch is out of date. Review and try the merge again.' };
    }
  }
  if ([...outcomes.values()].some((o) => o === 'failure')) return { mergeable: true, mergeable_state: 'unstable', rebaseable: true };
  return { mergeable: true, mergeable_state: 'clean', rebaseable: true };
}

/** A pull request in GitHub's full `pull-request` shape (single GET, create, update, webhooks). */
function renderPull(core: GitHubFakeCore, pull: GhObject, simple = false): Record<string, unknown> {
  const full = String(pull._repo);
  const [owner = '', repo = ''] = full.split('/');
  const repoRow = findRepoRow(core, owner, repo);
  const repoView = repoRow ? publicView(repoRow) : null;
  const issue = issueRowOf(core, pull);
  const head = obj(pull.head) ?? {};
  const base = obj(pull.base) ?? {};
  const headSha = headShaOf(core, pull);
  const baseSha = pull.state === 'open' ? refSha(findRef(core, full, `heads/${String(base.ref)}`)) ?? String(base.sha) : String(base.sha);
  const ownerUser = repoRow ? obj(repoRow.owner) : core.user(owner);
  const view: Record<string, unknown> = {
    ...publicView(pull),
    title: issue?.title ?? pull.title,
    body: issue ? issue.body ?? null : pull.body,
    labels: issue?.labels ?? [],
    assignee: issue?.assignee ?? null,
    assignees: issue?.assignees ?? [],
    milestone: issue?.milestone ?? null,
    locked: issue?.locked ?? false,
    head: { ...head, sha: headSha, repo: repoView, user: ownerUser },
    base: { ...base, sha: baseSha, repo: repoView, user: ownerUser },
    statuses_url: core.apiUrl(`/repos/${full}/statuses/${headSha}`),
  };
  const links = obj(view._links) ?? {};
  view._links = { ...links, statuses: { href: core.apiUrl(`/repos/${full}/statuses/${headSha}`) } };
  if (simple) {
    for (const key of ['merged', 'mergeable', 'rebaseable', 'mergeable_state', 'merged_by', 'comments', 'review_comments', 'maintainer_can_modify', 'commits', 'additions', 'deletions', 'changed_files']) {
      delete view[key];
    }
    return view;
  }
  const { mergeable, mergeable_state, rebaseable } = mergeability(core, pull);
  const comments = core.state.comments.list((c) => c._repo === full && c._issue === pull.number).length;
  return { ...view, mergeable, mergeable_state, rebaseable, comments, review_comments: 0 };
}

function createPullRow(
  core: GitHubFakeCore,
  repoRow: GhObject,
  input: { title: string; body?: string | null; head: string; base: string; draft?: boolean; conflict?: boolean; createdAt?: string; updatedAt?: string; user?: string },
): GhObject {
  const full = repoFull(repoRow);
  const number = core.nextNumber(full);
  const created = input.createdAt ?? core.clock.tick();
  const updated = input.updatedAt ?? created;
  const user = core.user(input.user ?? FAKE_TOKEN_USER);
  const headSha = refSha(findRef(core, full, `heads/${input.head}`)) ?? '';
  const baseSha = refSha(findRef(core, full, `heads/${input.base}`)) ?? '';
  const owner = ownerLogin(repoRow);
  const issueId = core.nextId();
  const pullUrl = core.apiUrl(`/repos/${full}/pulls/${number}`);
  const htmlUrl = core.htmlUrl(`/${full}/pull/${number}`);
  // One number space: the pull request is also an issue row with a `pull_request` key.
  core.state.issues.insert({
    id: issueId,
    _repo: full,
    _owner: owner,
    node_id: nodeId('I', issueId),
    url: core.apiUrl(`/repos/${full}/issues/${number}`),
    repository_url: core.apiUrl(`/repos/${full}`),
    labels_url: core.apiUrl(`/repos/${full}/issues/${number}/labels{/name}`),
    comments_url: core.apiUrl(`/repos/${full}/issues/${number}/comments`),
    events_url: core.apiUrl(`/repos/${full}/issues/${number}/events`),
    html_url: htmlUrl,
    number,
    state: 'open',
    state_reason: null,
    title: input.title,
    body: input.body ?? null,
    user,
    labels: [],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    pull_request: { url: pullUrl, html_url: htmlUrl, diff_url: `${htmlUrl}.diff`, patch_url: `${htmlUrl}.patch`, merged_at: null },
    closed_at: null,
    created_at: created,
    updated_at: updated,
    closed_by: null,
    author_association: 'MEMBER',
    draft: input.draft === true,
    timeline_url: core.apiUrl(`/repos/${full}/issues/${number}/timeline`),
  });
  const id = core.nextId();
  return core.state.pulls.insert({
    id,
    _repo: full,
    _issueId: issueId,
    _conflict: input.conflict === true,
    _mergeBase: baseSha,
    url: pullUrl,
    node_id: nodeId('PR', id),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: core.apiUrl(`/repos/${full}/issues/${number}`),
    commits_url: `${pullUrl}/commits`,
    review_comments_url: `${pullUrl}/comments`,
    review_comment_url: core.apiUrl(`/repos/${full}/pulls/comments{/number}`),
    comments_url: core.apiUrl(`/repos/${full}/issues/${number}/comments`),
    statuses_url: core.apiUrl(`/repos/${full}/statuses/${headSha}`),
    number,
    state: 'open',
    locked: false,
    title: input.title,
    user,
    body: input.body ?? null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: created,
    updated_at: updated,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${owner}:${input.head}`, ref: input.head, sha: headSha },
    base: { label: `${owner}:${input.base}`, ref: input.base, sha: baseSha },
    _links: {
      self: { href: pullUrl },
      html: { href: htmlUrl },
      issue: { href: core.apiUrl(`/repos/${full}/issues/${number}`) },
      comments: { href: core.apiUrl(`/repos/${full}/issues/${number}/comments`) },
      review_comments: { href: `${pullUrl}/comments` },
      review_comment: { href: core.apiUrl(`/repos/${full}/pulls/comments{/number}`) },
      commits: { href: `${pullUrl}/commits` },
      statuses: { href: core.apiUrl(`/repos/${full}/statuses/${headSha}`) },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: input.draft === true,
    merged: false,
    merged_by: null,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 1,
    changed_files: 1,
  });
}

/** Applies a change to a pull request and its issue row (title, body and state live on both). */
function updatePullRow(core: GitHubFakeCore, pull: GhObject, patch: Record<string, unknown>, issuePatch: Record<string, unknown> = {}): GhObject {
  const at = core.clock.tick();
  const updated = core.state.pulls.update(pull.id, { ...patch, updated_at: at });
  const issue = issueRowOf(core, pull);
  const shared: Record<string, unknown> = {};
  for (const key of ['title', 'body', 'state', 'closed_at'] as const) if (key in patch) shared[key] = patch[key];
  if (issue) core.state.issues.update(issue.id, { ...shared, ...issuePatch, updated_at: at });
  return updated;
}

/** Merges: a merge (or squash / rebase) commit on the base branch, the pull request and its issue closed. */
function mergePull(core: GitHubFakeCore, pull: GhObject, options: { method?: string; title?: string; message?: string; at?: string } = {}): string {
  const full = String(pull._repo);
  const head = obj(pull.head) ?? {};
  const base = obj(pull.base) ?? {};
  const headSha = headShaOf(core, pull);
  const baseRef = `heads/${String(base.ref)}`;
  const baseSha = refSha(findRef(core, full, baseRef)) ?? String(base.sha);
  const method = options.method ?? 'merge';
  const title = String(issueRowOf(core, pull)?.title ?? pull.title);
  const message =
    method === 'merge'
      ? `${options.title ?? `Merge pull request #${String(pull.number)} from ${String(head.label ?? head.ref).replace(':', '/')}`}\n\n${options.message ?? title}`
      : `${options.title ?? `${title} (#${String(pull.number)})`}${options.message ? `\n\n${options.message}` : ''}`;
  const commit = makeCommit(core, full, { message, parents: method === 'merge' ? [baseSha, headSha] : [baseSha] });
  const sha = String(commit.sha);
  setRef(core, full, baseRef, sha);
  const at = options.at ?? core.clock.tick();
  core.state.pulls.update(pull.id, {
    head: { ...head, sha: headSha },
    base: { ...base, sha: baseSha },
  });
  updatePullRow(
    core,
    core.state.pulls.require(pull.id),
    { state: 'closed', merged: true, merged_at: at, closed_at: at, merge_commit_sha: sha, merged_by: core.user(FAKE_TOKEN_USER) },
    { state_reason: 'completed', closed_by: core.user(FAKE_TOKEN_USER), pull_request: { ...(obj(issueRowOf(core, pull)?.pull_request) ?? {}), merged_at: at } },
  );
  return sha;
}

function pullRoutes(core: GitHubFakeCore): FakeRoute[] {
  const withRepo = (ctx: FakeRouteContext, fn: (repoRow: GhObject, full: string) => Response): Response => {
    const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
    if (!row) return core.error(404, 'Not Found');
    return fn(row, repoFull(row));
  };
  const withPull = (ctx: FakeRouteContext, fn: (pull: GhObject, repoRow: GhObject, full: string) => Response): Response =>
    withRepo(ctx, (row, full) => {
      const pull = findPull(core, full, Number(ctx.params.number));
      if (!pull) return core.error(404, 'Not Found');
      return fn(pull, row, full);
    });
  /** `owner:branch` or `branch` -> the branch, when the owner is this repository's. */
  const headBranch = (repoRow: GhObject, head: string): string | undefined => {
    if (!head.includes(':')) return head;
    const [owner, branch] = head.split(':', 2) as [string, string];
    return owner.toLowerCase() === ownerLogin(repoRow).toLowerCase() ? branch : undefined;
  };

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls',
      handle: (ctx) =>
        withRepo(ctx, (row, full) => {
          const q = ctx.url.searchParams;
          const state = q.get('state') ?? 'open';
          const head = q.get('head');
          const base = q.get('base');
          const headFilter = head === null ? undefined : headBranch(row, head) ?? '\u0000';
          let rows = core.state.pulls.list((p) =>
            p._repo === full &&
            (state === 'all' || p.state === state) &&
            (headFilter === undefined || obj(p.head)?.ref === headFilter) &&
            (base === null || obj(p.base)?.ref === base),
          );
          const sort = q.get('sort') ?? 'created';
          const key = sort === 'updated' ? 'updated_at' : 'created_at';
          rows = sortRows(rows, key, q.get('direction') ?? 'desc');
          return core.listResponse(ctx.request, ctx.url, rows.map((p) => renderPull(core, p, true)));
        }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/pulls',
      handle: (ctx) =>
        withRepo(ctx, (row, full) => {
          const body = asBody(ctx.body);
          const errors: Array<Record<string, unknown>> = [];
          for (const field of ['head', 'base']) if (!str(body[field])) errors.push({ resource: 'PullRequest', code: 'missing_field', field });
          if (!str(body.title) && body.issue === undefined) errors.push({ resource: 'PullRequest', code: 'missing_field', field: 'title' });
          if (errors.length > 0) return validationFailed(core, errors);
          const head = headBranch(row, String(body.head));
          const base = String(body.base);
          if (!head || !findRef(core, full, `heads/${head}`)) return validationFailed(core, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
          if (!findRef(core, full, `heads/${base}`)) return validationFailed(core, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
          const existing = core.state.pulls.list((p) => p._repo === full && p.state === 'open' && obj(p.head)?.ref === head && obj(p.base)?.ref === base)[0];
          if (existing) {
            return validationFailed(core, [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${ownerLogin(row)}:${head}.` }]);
          }
          if (refSha(findRef(core, full, `heads/${head}`)) === refSha(findRef(core, full, `heads/${base}`))) {
            return validationFailed(core, [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }]);
          }
          const pull = createPullRow(core, row, {
            title: String(body.title),
            body: str(body.body) ?? null,
            head,
            base,
            draft: body.draft === true,
          });
          return core.itemResponse(ctx.request, renderPull(core, pull), 201);
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:number',
      handle: (ctx) => withPull(ctx, (pull) => core.itemResponse(ctx.request, renderPull(core, pull))),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/pulls/:number',
      handle: (ctx) =>
        withPull(ctx, (pull, _row, full) => {
          const body = asBody(ctx.body);
          const patch: Record<string, unknown> = {};
          if (body.title !== undefined) {
            if (!str(body.title)) return validationFailed(core, [{ resource: 'PullRequest', code: 'missing_field', field: 'title' }]);
            patch.title = body.title;
          }
          if (body.body !== undefined) patch.body = body.body;
          if (body.state !== undefined) {
            if (body.state !== 'open' && body.state !== 'closed') return validationFailed(core, [{ resource: 'PullRequest', code: 'invalid', field: 'state' }]);
            if (pull.merged === true && body.state !== pull.state) {
              return validationFailed(core, [{ resource: 'PullRequest', code: 'custom', field: 'state', message: 'state cannot be changed. The pull request has been merged.' }]);
            }
            if (body.state !== pull.state) {
              patch.state = body.state;
              patch.closed_at = body.state === 'closed' ? core.clock.iso() : null;
              if (body.state === 'open') patch._mergeBase = refSha(findRef(core, full, `heads/${String(obj(pull.base)?.ref)}`));
            }
          }
          if (body.base !== undefined) {
            const base = str(body.base) ?? '';
            if (!findRef(core, full, `heads/${base}`)) return validationFailed(core, [{ resource: 'PullRequest', code: 'invalid', field: 'base' }]);
            const owner = full.split('/')[0];
            patch.base = { ...(obj(pull.base) ?? {}), ref: base, label: `${owner}:${base}` };
            patch._mergeBase = refSha(findRef(core, full, `heads/${base}`));
          }
          const updated = updatePullRow(core, pull, patch, 'state' in patch ? { state_reason: patch.state === 'closed' ? 'completed' : 'reopened' } : {});
          return core.itemResponse(ctx.request, renderPull(core, updated));
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:number/merge',
      handle: (ctx) => withPull(ctx, (pull) => (pull.merged === true ? noContent() : core.error(404, 'Not Found'))),
    },
    {
      method: 'PUT',
      path: '/repos/:owner/:repo/pulls/:number/merge',
      handle: (ctx) =>
        withPull(ctx, (pull, row) => {
          const body = asBody(ctx.body);
          const method = str(body.merge_method) ?? 'merge';
          if (!['merge', 'squash', 'rebase'].includes(method)) return validationFailed(core, [{ resource: 'PullRequest', code: 'invalid', field: 'merge_method' }]);
          if (pull.merged === true || pull.state !== 'open') return core.error(405, 'Pull Request is not mergeable');
          if (body.sha !== undefined && body.sha !== headShaOf(core, pull)) {
            return core.error(409, 'Head branch was modified. Review and try the merge again.');
          }
          const allowed = { merge: row.allow_merge_commit, squash: row.allow_squash_merge, rebase: row.allow_rebase_merge }[method as 'merge' | 'squash' | 'rebase'];
          if (allowed === false) {
            const what = method === 'merge' ? 'Merge commits' : method === 'squash' ? 'Squash merges' : 'Rebase merges';
            return core.error(405, `${what} are not allowed on this repository.`);
          }
          const state = mergeability(core, pull);
          if (!['clean', 'unstable', 'has_hooks'].includes(state.mergeable_state)) return core.error(405, state.reason ?? 'Pull Request is not mergeable');
          const sha = mergePull(core, pull, { method, ...(str(body.commit_title) ? { title: str(body.commit_title) } : {}), ...(str(body.commit_message) ? { message: str(body.commit_message) } : {}) });
          return core.itemResponse(ctx.request, { sha, merged: true, message: 'Pull Request successfully merged' });
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/pulls/:number/reviews',
      handle: (ctx) =>
        withPull(ctx, (pull, _row, full) => {
          const rows = core.state.reviews.list((r) => r._repo === full && r._pull === pull.number);
          return core.listResponse(ctx.request, ctx.url, rows.map(publicView));
        }),
    },
  ];
}

// ---------------------------------------------------------------------------
// Refs, branches, commits

function refRoutes(core: GitHubFakeCore): FakeRoute[] {
  const withRepo = (ctx: FakeRouteContext, fn: (repoRow: GhObject, full: string) => Response): Response => {
    const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
    if (!row) return core.error(404, 'Not Found');
    return fn(row, repoFull(row));
  };
  return [
    // With a prefix, and without one (every ref of the repository).
    ...['/repos/:owner/:repo/git/matching-refs/*', '/repos/:owner/:repo/git/matching-refs'].map(
      (path): FakeRoute => ({
        method: 'GET',
        path,
        handle: (ctx) =>
          withRepo(ctx, (_row, full) => {
            if (isEmptyRepo(core, full)) return core.error(409, 'Git Repository is empty.');
            const prefix = `refs/${ctx.params['*'] ?? ''}`;
            const rows = core.state.refs
              .list((r) => r._repo === full && String(r.ref).startsWith(prefix))
              .sort((a, b) => (String(a.ref) < String(b.ref) ? -1 : 1));
            // GitHub answers matching-refs in one piece: no pagination, no Link header.
            return core.itemResponse(ctx.request, rows.map(publicView));
          }),
      }),
    ),
    {
      method: 'GET',
      path: '/repos/:owner/:repo/git/ref/*',
      handle: (ctx) =>
        withRepo(ctx, (_row, full) => {
          const ref = findRef(core, full, ctx.params['*'] ?? '');
          return ref ? core.itemResponse(ctx.request, publicView(ref)) : core.error(404, 'Not Found');
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/commits/:ref',
      handle: (ctx) =>
        withRepo(ctx, (_row, full) => {
          const ref = ctx.params.ref ?? '';
          const byRef = refSha(findRef(core, full, `heads/${ref}`)) ?? refSha(findRef(core, full, `tags/${ref}`));
          const commit = findCommit(core, full, byRef ?? ref);
          if (!commit) {
            if (isEmptyRepo(core, full)) return core.error(409, 'Git Repository is empty.');
            return core.error(422, `No commit found for SHA: ${ref}`);
          }
          return core.itemResponse(ctx.request, publicView(commit));
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/branches',
      handle: (ctx) =>
        withRepo(ctx, (_row, full) => {
          const wantProtected = ctx.url.searchParams.get('protected');
          const rows = core.state.refs
            .list((r) => r._repo === full && String(r.ref).startsWith('refs/heads/'))
            .map((r) => {
              const name = String(r.ref).slice('refs/heads/'.length);
              const isProtected = findProtection(core, full, name) !== undefined;
              const sha = refSha(r) ?? '';
              return {
                name,
                commit: { sha, url: core.apiUrl(`/repos/${full}/commits/${sha}`) },
                protected: isProtected,
                protection_url: core.apiUrl(`/repos/${full}/branches/${encodeURIComponent(name)}/protection`),
              };
            })
            .filter((b) => wantProtected === null || String(b.protected) === wantProtected)
            .sort((a, b) => (a.name < b.name ? -1 : 1));
          return core.listResponse(ctx.request, ctx.url, rows);
        }),
    },
  ];
}

// ---------------------------------------------------------------------------
// Deploy keys and collaborators

const KEY_FORMAT = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}(\s.*)?$/;

function normalizeKey(key: string): string {
  const [type = '', material = ''] = key.trim().split(/\s+/);
  return `${type} ${material}`;
}

function createDeployKey(core: GitHubFakeCore, full: string, input: { title: string; key: string; readOnly: boolean; createdAt?: string }): GhObject {
  const id = core.nextId();
  return core.state.deployKeys.insert({
    id,
    _repo: full,
    key: normalizeKey(input.key),
    url: core.apiUrl(`/repos/${full}/keys/${id}`),
    title: input.title,
    verified: true,
    created_at: input.createdAt ?? core.clock.tick(),
    read_only: input.readOnly,
    added_by: FAKE_TOKEN_USER,
    last_used: null,
    enabled: true,
  });
}

function keyRoutes(core: GitHubFakeCore): FakeRoute[] {
  const withRepo = (ctx: FakeRouteContext, fn: (full: string) => Response): Response => {
    const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
    if (!row) return core.error(404, 'Not Found');
    return fn(repoFull(row));
  };
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/keys',
      handle: (ctx) => withRepo(ctx, (full) => core.listResponse(ctx.request, ctx.url, core.state.deployKeys.list((k) => k._repo === full).map(publicView))),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/keys',
      handle: (ctx) =>
        withRepo(ctx, (full) => {
          const body = asBody(ctx.body);
          const key = str(body.key);
          if (!key) return validationFailed(core, [{ resource: 'PublicKey', code: 'missing_field', field: 'key' }]);
          if (!KEY_FORMAT.test(key.trim())) {
            return validationFailed(core, [
              { resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is invalid. You must supply a key in OpenSSH public key format' },
            ]);
          }
          const normalized = normalizeKey(key);
          // A key is unique across GitHub: one repository's deploy key, or one user's key.
          if (core.state.deployKeys.list((k) => k.key === normalized).length > 0) {
            return validationFailed(core, [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }]);
          }
          const comment = key.trim().split(/\s+/).slice(2).join(' ');
          const row = createDeployKey(core, full, {
            title: str(body.title) ?? (comment || 'deploy key'),
            key,
            readOnly: body.read_only === undefined ? true : body.read_only === true,
          });
          return core.itemResponse(ctx.request, publicView(row), 201);
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/keys/:id',
      handle: (ctx) =>
        withRepo(ctx, (full) => {
          const row = core.state.deployKeys.get(Number(ctx.params.id));
          return row && row._repo === full ? core.itemResponse(ctx.request, publicView(row)) : core.error(404, 'Not Found');
        }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/keys/:id',
      handle: (ctx) =>
        withRepo(ctx, (full) => {
          const row = core.state.deployKeys.get(Number(ctx.params.id));
          if (!row || row._repo !== full) return core.error(404, 'Not Found');
          core.state.deployKeys.delete(row.id);
          return noContent();
        }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/collaborators',
      handle: (ctx) =>
        withRepo(ctx, (full) => {
          const affiliation = ctx.url.searchParams.get('affiliation') ?? 'all';
          const permission = ctx.url.searchParams.get('permission');
          const needed = permission === null ? -1 : ['pull', 'triage', 'push', 'maintain', 'admin'].indexOf(permission);
          const rows = core.state.collaborators.list((c) => {
            if (c._repo !== full) return false;
            if (affiliation === 'outside' && c._affiliation !== 'outside') return false;
            if (affiliation === 'direct' && c._affiliation === 'organization') return false;
            if (needed >= 0 && PERMISSION_ORDER.indexOf(c._permission as Permission) < needed) return false;
            return true;
          });
          return core.listResponse(ctx.request, ctx.url, rows.map(publicView));
        }),
    },
  ];
}

// ---------------------------------------------------------------------------
// Branch protection

function teamObject(core: GitHubFakeCore, org: string, slug: string): Record<string, unknown> {
  const id = Number.parseInt(createHash('sha1').update(`team:${org}/${slug}`).digest('hex').slice(0, 6), 16);
  return {
    id,
    node_id: nodeId('T', id),
    url: core.apiUrl(`/organizations/1/team/${id}`),
    html_url: core.htmlUrl(`/orgs/${org}/teams/${slug}`),
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: core.apiUrl(`/organizations/1/team/${id}/members{/member}`),
    repositories_url: core.apiUrl(`/organizations/1/team/${id}/repos`),
    parent: null,
    type: 'organization',
  };
}

function appObject(core: GitHubFakeCore, slug: string): Record<string, unknown> {
  const id = Number.parseInt(createHash('sha1').update(`app:${slug}`).digest('hex').slice(0, 6), 16);
  return { id, slug, node_id: nodeId('A', id), name: slug, description: '', external_url: 'https://example.com', html_url: core.htmlUrl(`/apps/${slug}`), created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', permissions: {}, events: [] };
}

const actorsOf = (value: unknown): { users: string[]; teams: string[]; apps: string[] } => {
  const actors = obj(value) ?? {};
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { users: names(actors.users), teams: names(actors.teams), apps: names(actors.apps) };
};

/** Renders a branch protection from a PUT body (GitHub's input shape) into GitHub's output shape. */
function renderProtection(core: GitHubFakeCore, full: string, branch: string, body: Body): Record<string, unknown> {
  const base = core.apiUrl(`/repos/${full}/branches/${encodeURIComponent(branch)}/protection`);
  const org = full.split('/')[0] ?? '';
  const out: Record<string, unknown> = { url: base };
  const checks = obj(body.required_status_checks);
  if (checks) {
    const list = Array.isArray(checks.checks)
      ? (checks.checks as Body[]).map((c) => ({ context: String(c.context), app_id: typeof c.app_id === 'number' && c.app_id !== -1 ? c.app_id : null }))
      : (Array.isArray(checks.contexts) ? (checks.contexts as string[]) : []).map((context) => ({ context, app_id: null }));
    out.required_status_checks = {
      url: `${base}/required_status_checks`,
      strict: checks.strict === true,
      contexts: list.map((c) => c.context),
      contexts_url: `${base}/required_status_checks/contexts`,
      checks: list,
      enforcement_level: body.enforce_admins === true ? 'everyone' : 'non_admins',
    };
  }
  const reviews = obj(body.required_pull_request_reviews);
  if (reviews) {
    const dismissal = reviews.dismissal_restrictions !== undefined ? actorsOf(reviews.dismissal_restrictions) : undefined;
    const bypass = reviews.bypass_pull_request_allowances !== undefined ? actorsOf(reviews.bypass_pull_request_allowances) : undefined;
    out.required_pull_request_reviews = {
      url: `${base}/required_pull_request_reviews`,
      dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
      require_code_owner_reviews: reviews.require_code_owner_reviews === true,
      required_approving_review_count: typeof reviews.required_approving_review_count === 'number' ? reviews.required_approving_review_count : 1,
      require_last_push_approval: reviews.require_last_push_approval === true,
      ...(dismissal
        ? {
            dismissal_restrictions: {
              url: `${base}/dismissal_restrictions`,
              users_url: `${base}/dismissal_restrictions/users`,
              teams_url: `${base}/dismissal_restrictions/teams`,
              users: dismissal.users.map((u) => core.user(u)),
              teams: dismissal.teams.map((t) => teamObject(core, org, t)),
              apps: dismissal.apps.map((a) => appObject(core, a)),
            },
          }
        : {}),
      ...(bypass
        ? {
            bypass_pull_request_allowances: {
              users: bypass.users.map((u) => core.user(u)),
              teams: bypass.teams.map((t) => teamObject(core, org, t)),
              apps: bypass.apps.map((a) => appObject(core, a)),
            },
          }
        : {}),
    };
  }
  out.required_signatures = { url: `${base}/required_signatures`, enabled: false };
  out.enforce_admins = { url: `${base}/enforce_admins`, enabled: body.enforce_admins === true };
  out.required_linear_history = { enabled: body.required_linear_history === true };
  out.allow_force_pushes = { enabled: body.allow_force_pushes === true };
  out.allow_deletions = { enabled: body.allow_deletions === true };
  out.block_creations = { enabled: body.block_creations === true };
  out.required_conversation_resolution = { enabled: body.required_conversation_resolution === true };
  out.lock_branch = { enabled: body.lock_branch === true };
  out.allow_fork_syncing = { enabled: body.allow_fork_syncing === true };
  const restrictions = obj(body.restrictions);
  if (restrictions) {
    const actors = actorsOf(restrictions);
    out.restrictions = {
      url: `${base}/restrictions`,
      users_url: `${base}/restrictions/users`,
      teams_url: `${base}/restrictions/teams`,
      apps_url: `${base}/restrictions/apps`,
      users: actors.users.map((u) => core.user(u)),
      teams: actors.teams.map((t) => teamObject(core, org, t)),
      apps: actors.apps.map((a) => appObject(core, a)),
    };
  }
  return out;
}

/** Checks a protection PUT body the way GitHub's schema does; a message when it is refused. */
function protectionBodyProblem(body: Body, ownerType: string | undefined): string | undefined {
  for (const key of ['required_status_checks', 'enforce_admins', 'required_pull_request_reviews', 'restrictions']) {
    if (!(key in body)) return `Invalid request.\n\n"${key}" wasn't supplied.`;
  }
  const checks = body.required_status_checks;
  if (checks !== null) {
    const c = obj(checks);
    if (!c || typeof c.strict !== 'boolean') return 'Invalid request.\n\nNo subschema in "anyOf" matched.\n"strict" wasn\'t supplied.';
    const hasContexts = Array.isArray(c.contexts);
    const hasChecks = Array.isArray(c.checks);
    if (hasContexts === hasChecks) {
      return hasContexts
        ? 'Invalid request.\n\nNo subschema in "anyOf" matched.\nMore than one subschema in "oneOf" matched.\nNot all subschemas of "allOf" matched.'
        : 'Invalid request.\n\nNo subschema in "anyOf" matched.\nNo subschema in "oneOf" matched.\nNot all subschemas of "allOf" matched.';
    }
  }
  const reviews = body.required_pull_request_reviews;
  if (reviews !== null) {
    const r = obj(reviews);
    if (!r) return 'Invalid request.\n\nFor \'properties/required_pull_request_reviews\', it is not an object or null.';
    const count = r.required_approving_review_count;
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 6)) {
      return 'Invalid request.\n\nrequired_approving_review_count must be between 0 and 6.';
    }
  }
  if (typeof body.enforce_admins !== 'boolean' && body.enforce_admins !== null) return 'Invalid request.\n\nFor \'properties/enforce_admins\', it is not a boolean or null.';
  if (body.restrictions !== null && ownerType === 'User') return 'Only organization repositories can have users and team restrictions';
  return undefined;
}

function setProtection(core: GitHubFakeCore, full: string, branch: string, body: Body): GhObject {
  const rendered = renderProtection(core, full, branch, body);
  const existing = findProtection(core, full, branch);
  if (existing) {
    core.state.protections.delete(existing.id);
    return core.state.protections.insert({ id: existing.id, _repo: full, _branch: branch, _input: body, _createdAt: existing._createdAt, _updatedAt: core.clock.tick(), ...rendered });
  }
  const at = core.clock.tick();
  return core.state.protections.insert({ id: core.nextId(), _repo: full, _branch: branch, _input: body, _createdAt: at, _updatedAt: at, ...rendered });
}

function protectionRoutes(core: GitHubFakeCore): FakeRoute[] {
  const withBranch = (ctx: FakeRouteContext, fn: (repoRow: GhObject, full: string, branch: string) => Response): Response => {
    const row = findRepoRow(core, ctx.params.owner as string, ctx.params.repo as string);
    if (!row) return core.error(404, 'Not Found');
    const full = repoFull(row);
    const branch = ctx.params.branch as string;
    if (!findRef(core, full, `heads/${branch}`)) return core.error(404, 'Branch not found');
    return fn(row, full, branch);
  };
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/branches/:branch/protection',
      handle: (ctx) =>
        withBranch(ctx, (_row, full, branch) => {
          const protection = findProtection(core, full, branch);
          return protection ? core.itemResponse(ctx.request, publicView(protection)) : core.error(404, 'Branch not protected');
        }),
    },
    {
      method: 'PUT',
      path: '/repos/:owner/:repo/branches/:branch/protection',
      handle: (ctx) =>
        withBranch(ctx, (row, full, branch) => {
          const body = asBody(ctx.body);
          const problem = protectionBodyProblem(body, str(obj(row.owner)?.type));
          if (problem) return core.error(422, problem);
          return core.itemResponse(ctx.request, publicView(setProtection(core, full, branch, body)));
        }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/branches/:branch/protection',
      handle: (ctx) =>
        withBranch(ctx, (_row, full, branch) => {
          const protection = findProtection(core, full, branch);
          if (!protection) return core.error(404, 'Branch not protected');
          core.state.protections.delete(protection.id);
          return noContent();
        }),
    },
  ];
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

function webhooks(core: GitHubFakeCore): Record<string, (options: WebhookOptions) => { action?: string; payload: Record<string, unknown> }> {
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
