import type { FakeRoute } from '@krate/contract-tests/kit';
import { asBody, publicView } from './github-fake-objects.js';
import type { GitHubFakeCore } from './github-fake-state.js';
import { compareBy, validation, type IssueRouteKit, type Params } from './github-fake-issue-store.js';

/**
 * Issue comments in the GitHub fake: the repository's comments (`/issues/comments`) and
 * an issue's comments (`/issues/{issue_number}/comments`), in GitHub's shapes.
 */

/** `/repos/{owner}/{repo}/issues/comments` and one comment by id. */
export function repositoryCommentRoutes(core: GitHubFakeCore, { store, state, inRepo }: IssueRouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/comments',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) => {
        const q = url.searchParams;
        const since = q.get('since');
        const items = state.comments
          .list((c) => String(c._repo).toLowerCase() === repoFull.toLowerCase())
          .filter((c) => since === null || Date.parse(String(c.updated_at)) >= Date.parse(since))
          .sort(compareBy(q.get('sort') === 'updated' ? 'updated' : 'created', q.get('direction') ?? 'asc'));
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        return core.itemResponse(request, publicView(comment));
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (typeof body.body !== 'string' || body.body === '') return validation(core, 'IssueComment', 'body', 'missing_field');
        comment.body = body.body;
        core.touch(comment);
        return core.itemResponse(request, publicView(comment));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        state.comments.delete(comment.id);
        const issue = store.findIssue(repoFull, Number(comment._issue));
        if (issue) issue.comments = Math.max(0, Number(issue.comments) - 1);
        return new Response(null, { status: 204 });
      }),
    },
  ];
}

/** `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
export function issueCommentRoutes(core: GitHubFakeCore, { store, state, withIssue }: IssueRouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handle: withIssue('read', ({ request, url }, issue, repoFull) => {
        const since = url.searchParams.get('since');
        if (since !== null && Number.isNaN(Date.parse(since))) return validation(core, 'IssueComment', 'since', 'invalid');
        const items = state.comments
          .list((c) => String(c._repo).toLowerCase() === repoFull.toLowerCase() && c._issue === issue.number)
          .filter((c) => since === null || Date.parse(String(c.updated_at)) >= Date.parse(since));
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handle: withIssue('write', ({ request, body: raw }, issue) => {
        const body = asBody(raw);
        if (typeof body.body !== 'string' || body.body === '') return validation(core, 'IssueComment', 'body', 'missing_field');
        if (issue.locked === true) return core.error(403, 'Unable to create comment because issue is locked.');
        const comment = store.createComment(issue, { body: body.body });
        return core.itemResponse(request, publicView(comment), 201);
      }),
    },
  ];
}
