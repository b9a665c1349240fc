import type { FakeRoute } from '@krate/contract-tests/kit';
import { asBody } from './github-fake-objects.js';
import type { GitHubFakeCore } from './github-fake-state.js';
import { LABEL_COLOR, validation, type IssueRouteKit, type Params } from './github-fake-issue-store.js';

/** Repository labels in the GitHub fake (`/repos/{owner}/{repo}/labels`), with GitHub's validation errors. */
/** The label routes. */
export function labelRoutes(core: GitHubFakeCore, { store, state, inRepo }: IssueRouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/labels',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) =>
        core.listResponse(request, url, state.labels.list((l) => String(l._repo).toLowerCase() === repoFull.toLowerCase()), { map: store.labelObject }),
      ),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/labels',
      handle: inRepo('write', ({ request, body: raw }, _repoRow, repoFull) => {
        const body = asBody(raw);
        if (typeof body.name !== 'string' || body.name.trim() === '') return validation(core, 'Label', 'name', 'missing_field');
        if (body.color !== undefined && (typeof body.color !== 'string' || !LABEL_COLOR.test(body.color.replace(/^#/, '')))) {
          return validation(core, 'Label', 'color', 'invalid');
        }
        if (store.findLabel(repoFull, body.name)) return validation(core, 'Label', 'name', 'already_exists');
        const label = store.createLabel(repoFull, {
          name: body.name,
          color: typeof body.color === 'string' ? body.color.replace(/^#/, '') : undefined,
          description: typeof body.description === 'string' ? body.description : null,
        });
        return core.itemResponse(request, store.labelObject(label), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        return label ? core.itemResponse(request, store.labelObject(label)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        if (!label) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (body.color !== undefined && (typeof body.color !== 'string' || !LABEL_COLOR.test(body.color.replace(/^#/, '')))) {
          return validation(core, 'Label', 'color', 'invalid');
        }
        if (typeof body.new_name === 'string' && body.new_name !== '') {
          const clash = store.findLabel(repoFull, body.new_name);
          if (clash && clash.id !== label.id) return validation(core, 'Label', 'name', 'already_exists');
          label.name = body.new_name;
          label.url = core.apiUrl(`/repos/${repoFull}/labels/${encodeURIComponent(body.new_name)}`);
        }
        if (typeof body.color === 'string') label.color = body.color.replace(/^#/, '').toLowerCase();
        if (body.description !== undefined) label.description = body.description === null ? null : String(body.description);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          issue.labels = (issue.labels as Array<{ id: number }>).map((l) => (l.id === label.id ? store.labelObject(label) : l));
        }
        return core.itemResponse(request, store.labelObject(label));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        if (!label) return core.error(404, 'Not Found');
        state.labels.delete(label.id);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          issue.labels = (issue.labels as Array<{ id: number }>).filter((l) => l.id !== label.id);
        }
        return new Response(null, { status: 204 });
      }),
    },
  ];
}
