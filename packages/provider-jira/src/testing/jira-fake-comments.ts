import { FakeNotFound, json, type FakeRoute } from '@krate/contract-tests/kit';
import { isAdfDoc } from '../shared/jira-adf.js';
import { rateLimitedWrite, requireIssue } from './jira-fake-issues.js';
import type { JiraFakeEnv } from './jira-fake-state.js';

type Raw = Record<string, any>;

/** Comment routes: `PageOfComments` (startAt, maxResults, total; no isLast), ADF bodies, properties on create. */
export function commentRoutes(env: JiraFakeEnv): FakeRoute[] {
  const { state, objects } = env;
  const invalidBody = () => json({ errorMessages: [], errors: { comment: 'Comment body is not valid!' } }, { status: 400 });
  const requireComment = (issueKey: string, id: string) => {
    const issue = requireIssue(env, issueKey);
    const comment = state.comments.get(Number(id));
    if (!comment || comment.issueId !== issue.id) throw new FakeNotFound(id, 'comment');
    return comment;
  };
  return [
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key/comment',
      handle: ({ params, url }) => {
        const issue = requireIssue(env, params.key!);
        const order = url.searchParams.get('orderBy') ?? 'created';
        const all = [...state.comments.values()].filter((c) => c.issueId === issue.id).sort((a, b) => a.id - b.id);
        if (order.startsWith('-')) all.reverse();
        const startAt = Math.max(0, Number(url.searchParams.get('startAt') ?? 0) || 0);
        const maxResults = Math.max(1, Math.min(Number(url.searchParams.get('maxResults') ?? 100) || 100, 100));
        const page = all.slice(startAt, startAt + maxResults);
        const expandProperties = (url.searchParams.get('expand') ?? '').split(',').includes('properties');
        return json({ startAt, maxResults, total: all.length, comments: page.map((c) => objects.comment(c, { expandProperties })) });
      },
    },
    {
      method: 'POST',
      path: '/rest/api/3/issue/:key/comment',
      handle: ({ params, body }) => {
        const issue = requireIssue(env, params.key!);
        if (env.writeLimited(issue)) return rateLimitedWrite(env);
        const b = (body ?? {}) as Raw;
        if (!isAdfDoc(b.body) || b.body.content.length === 0) return invalidBody();
        const now = state.tick();
        const comment = state.addComment(issue, b.body, state.me.accountId, now);
        if (Array.isArray(b.properties)) comment.properties = b.properties.map((p: Raw) => ({ key: String(p.key), value: p.value }));
        issue.updated = now;
        return json(objects.comment(comment), { status: 201 });
      },
    },
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key/comment/:id',
      handle: ({ params }) => json(objects.comment(requireComment(params.key!, params.id!))),
    },
    {
      method: 'PUT',
      path: '/rest/api/3/issue/:key/comment/:id',
      handle: ({ params, body }) => {
        const comment = requireComment(params.key!, params.id!);
        const issue = requireIssue(env, params.key!);
        if (env.writeLimited(issue)) return rateLimitedWrite(env);
        const b = (body ?? {}) as Raw;
        if (!isAdfDoc(b.body) || b.body.content.length === 0) return invalidBody();
        comment.body = b.body;
        comment.updated = state.tick();
        return json(objects.comment(comment));
      },
    },
  ];
}
