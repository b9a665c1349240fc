import type { FakeRoute } from '@krate/contract-tests/kit';
import { asBody } from './github-fake-objects.js';
import type { GitHubFakeCore } from './github-fake-state.js';
import { validation, type IssueRouteKit, type Params } from './github-fake-issue-store.js';

/** Milestones in the GitHub fake (`/repos/{owner}/{repo}/milestones`), with GitHub's validation errors. */
/** The milestone routes. */
export function milestoneRoutes(core: GitHubFakeCore, { store, state, inRepo }: IssueRouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/milestones',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) => {
        const q = url.searchParams;
        const wantedState = q.get('state') ?? 'open';
        const sort = q.get('sort') ?? 'due_on';
        const sign = (q.get('direction') ?? 'asc') === 'desc' ? -1 : 1;
        const items = state.milestones
          .list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase())
          .filter((m) => wantedState === 'all' || m.state === wantedState)
          .map((m) => store.milestoneObject(m))
          .sort((a, b) => {
            if (sort === 'completeness') {
              const pa = Number(a.closed_issues) / Math.max(1, Number(a.closed_issues) + Number(a.open_issues));
              const pb = Number(b.closed_issues) / Math.max(1, Number(b.closed_issues) + Number(b.open_issues));
              if (pa !== pb) return (pa - pb) * sign;
            } else {
              const da = (a.due_on as string | null) ?? '9999';
              const db = (b.due_on as string | null) ?? '9999';
              if (da !== db) return (da < db ? -1 : 1) * sign;
            }
            return (Number(a.number) - Number(b.number)) * sign;
          });
        return core.listResponse(request, url, items);
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/milestones',
      handle: inRepo('write', ({ request, body: raw }, _repoRow, repoFull) => {
        const body = asBody(raw);
        if (typeof body.title !== 'string' || body.title === '') return validation(core, 'Milestone', 'title', 'missing_field');
        if (state.milestones.list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase() && m.title === body.title).length > 0) {
          return validation(core, 'Milestone', 'title', 'already_exists');
        }
        const milestone = store.createMilestone(repoFull, {
          title: body.title,
          state: body.state === 'closed' ? 'closed' : 'open',
          description: typeof body.description === 'string' ? body.description : null,
          due_on: typeof body.due_on === 'string' ? body.due_on : null,
        });
        return core.itemResponse(request, store.milestoneObject(milestone), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        return milestone ? core.itemResponse(request, store.milestoneObject(milestone)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        if (!milestone) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (typeof body.title === 'string' && body.title !== '') milestone.title = body.title;
        if (body.description !== undefined) milestone.description = body.description === null ? null : String(body.description);
        if (body.due_on !== undefined) milestone.due_on = body.due_on === null ? null : String(body.due_on);
        if (body.state === 'closed' && milestone.state !== 'closed') {
          milestone.state = 'closed';
          milestone.closed_at = core.clock.iso();
        } else if (body.state === 'open') {
          milestone.state = 'open';
          milestone.closed_at = null;
        }
        core.touch(milestone);
        return core.itemResponse(request, store.milestoneObject(milestone));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        if (!milestone) return core.error(404, 'Not Found');
        state.milestones.delete(milestone.id);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          if ((issue.milestone as { id?: number } | null)?.id === milestone.id) issue.milestone = null;
        }
        return new Response(null, { status: 204 });
      }),
    },
  ];
}
