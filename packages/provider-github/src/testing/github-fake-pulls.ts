import type { FakeRoute, FakeRouteContext } from '@krate/contract-tests/kit';
import { asBody, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { FAKE_TOKEN_USER, findRef, findRepoRow, makeCommit, noContent, obj, ownerLogin, refSha, repoFull, setRef, sortRows, str, validationFailed } from './github-fake-git-data.js';
import { findProtection } from './github-fake-protection.js';

/**
 * Pull request routes of the GitHub fake: pulls (sharing the issue number space),
 * reviews, mergeability computed from the state and merges that write a merge commit.
 */

export function findPull(core: GitHubFakeCore, full: string, number: number): GhObject | undefined {
  return core.state.pulls.list((p) => p._repo === full && p.number === number)[0];
}

export function issueRowOf(core: GitHubFakeCore, pull: GhObject): GhObject | undefined {
  const id = pull._issueId;
  if (typeof id === 'number') {
    const row = core.state.issues.get(id);
    if (row) return row;
  }
  return core.state.issues.list((i) => i._repo === pull._repo && i.number === pull.number)[0];
}

/** The current head sha of an open pull request follows its branch. */
export function headShaOf(core: GitHubFakeCore, pull: GhObject): string {
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
export function mergeability(core: GitHubFakeCore, pull: GhObject): { mergeable: boolean | null; mergeable_state: string; rebaseable: boolean | null; reason?: string } {
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
export function renderPull(core: GitHubFakeCore, pull: GhObject, simple = false): Record<string, unknown> {
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

export function createPullRow(
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
export function mergePull(core: GitHubFakeCore, pull: GhObject, options: { method?: string; title?: string; message?: string; at?: string } = {}): string {
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
    // Internal: how it was merged, for the contract suite's inspect (never served).
    _merge_method: method,
  });
  updatePullRow(
    core,
    core.state.pulls.require(pull.id),
    { state: 'closed', merged: true, merged_at: at, closed_at: at, merge_commit_sha: sha, merged_by: core.user(FAKE_TOKEN_USER) },
    { state_reason: 'completed', closed_by: core.user(FAKE_TOKEN_USER), pull_request: { ...(obj(issueRowOf(core, pull)?.pull_request) ?? {}), merged_at: at } },
  );
  return sha;
}

export function pullRoutes(core: GitHubFakeCore): FakeRoute[] {
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
