import { json, keysetPage, type FakeRoute } from '@krate/contract-tests/kit';
import { MAX_PAGE_SIZE } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking.js';
import type { __PASCAL__Issue } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking-mapping.js';
import { errorBody, publicIssue } from './__PROVIDER_TYPE__-fake-objects.js';
import type { __PASCAL__FakeState } from './__PROVIDER_TYPE__-fake-state.js';

/** The issue routes: list (keyset pages, updated_since), get, create (Idempotency-Key), update. */
export function issueRoutes(state: __PASCAL__FakeState): FakeRoute[] {
  const { clock, issues, idempotency } = state;
  return [
    {
      method: 'GET',
      path: '/projects/:project/issues',
      handle: ({ url, params }) => {
        const limit = Number(url.searchParams.get('limit') ?? MAX_PAGE_SIZE);
        if (!Number.isInteger(limit) || limit < 1) return errorBody(400, 'bad_request', 'limit must be a positive integer');
        const since = url.searchParams.get('updated_since');
        const all = state.ordered(params.project!).filter((i) => !since || Date.parse(i.updated_at) >= Date.parse(since));
        const page = keysetPage(all, { after: url.searchParams.get('cursor'), first: limit, maxPageSize: MAX_PAGE_SIZE, cursorOf: (i) => i.id });
        return json({ data: page.items.map(publicIssue), next_cursor: page.hasNextPage ? page.endCursor : null });
      },
    },
    {
      method: 'GET',
      path: '/projects/:project/issues/:number',
      handle: ({ params }) => {
        const issue = state.findIssue(params.project!, params.number!);
        return issue ? json(publicIssue(issue)) : errorBody(404, 'not_found', 'Issue not found');
      },
    },
    {
      method: 'POST',
      path: '/projects/:project/issues',
      handle: ({ request, params, body }) => {
        const input = body as { title?: unknown; body?: unknown; labels?: unknown; assignees?: unknown } | undefined;
        if (typeof input?.title !== 'string' || input.title.length === 0) return errorBody(422, 'unprocessable', 'title is required');
        const key = request.headers.get('idempotency-key');
        const earlier = key ? idempotency.get(key) : undefined;
        if (earlier) {
          const existing = issues.get(earlier);
          if (existing) return json(publicIssue(existing), { status: 200 });
        }
        const issue = state.insertIssue(params.project!, {
          title: input.title,
          body: typeof input.body === 'string' ? input.body : '',
          labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
          assignees: Array.isArray(input.assignees) ? input.assignees.map(String) : [],
        });
        if (key) idempotency.set(key, issue.id);
        return json(publicIssue(issue), { status: 201 });
      },
    },
    {
      method: 'PATCH',
      path: '/projects/:project/issues/:number',
      handle: ({ params, body }) => {
        const issue = state.findIssue(params.project!, params.number!);
        if (!issue) return errorBody(404, 'not_found', 'Issue not found');
        const patch = (body ?? {}) as Partial<__PASCAL__Issue>;
        if (patch.state !== undefined && patch.state !== 'open' && patch.state !== 'closed') {
          return errorBody(422, 'unprocessable', 'state must be open or closed');
        }
        const now = clock.tick();
        const closing = patch.state === 'closed' && issue.state !== 'closed';
        const reopening = patch.state === 'open';
        const updated = issues.update(issue.id, {
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.body !== undefined ? { body: patch.body } : {}),
          ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
          ...(patch.assignees !== undefined ? { assignees: patch.assignees } : {}),
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(closing ? { closed_at: now, close_reason: patch.close_reason ?? 'completed' } : {}),
          ...(reopening ? { closed_at: null, close_reason: null } : {}),
          updated_at: now,
        });
        return json(publicIssue(updated));
      },
    },
  ];
}
