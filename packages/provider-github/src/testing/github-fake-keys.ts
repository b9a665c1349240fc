import type { FakeRoute, FakeRouteContext } from '@krate/contract-tests/kit';
import { asBody, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { FAKE_TOKEN_USER, findRepoRow, noContent, Permission, PERMISSION_ORDER, repoFull, str, validationFailed } from './github-fake-git-data.js';

/**
 * Deploy key and collaborator routes of the GitHub fake.
 */

const KEY_FORMAT = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}(\s.*)?$/;

function normalizeKey(key: string): string {
  const [type = '', material = ''] = key.trim().split(/\s+/);
  return `${type} ${material}`;
}

export function createDeployKey(core: GitHubFakeCore, full: string, input: { title: string; key: string; readOnly: boolean; createdAt?: string }): GhObject {
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

export function keyRoutes(core: GitHubFakeCore): FakeRoute[] {
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
