import type { FakeRoute, FakeRouteContext } from '@krate/contract-tests/kit';
import { publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { findCommit, findRef, findRepoRow, isEmptyRepo, refSha, repoFull } from './github-fake-git-data.js';
import { findProtection } from './github-fake-protection.js';

/**
 * Git ref, branch and commit routes of the GitHub fake.
 */

export function refRoutes(core: GitHubFakeCore): FakeRoute[] {
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
