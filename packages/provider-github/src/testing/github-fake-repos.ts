import type { FakeRoute, FakeRouteContext } from '@krate/contract-tests/kit';
import { asBody, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { defaultBranch, ensureBranch, FAKE_TOKEN_USER, findRef, findRepoRow, obj, ownerLogin, ownerObject, ownerTypeOf, repoFull, sortRows, str, validationFailed } from './github-fake-git-data.js';

/**
 * Repository routes of the GitHub fake: list, get, create, update, delete for users and
 * organizations, with GitHub's visibility and permission rules.
 */

export function createRepoRow(
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

export function repoRoutes(core: GitHubFakeCore): FakeRoute[] {
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
export function denied(core: GitHubFakeCore, ctx: FakeRouteContext, permission: string, level: 'read' | 'write'): Response | undefined {
  return core.requirePermission?.(ctx.request, permission, level);
}

function isInstallationToken(request: Request): boolean {
  const auth = request.headers.get('authorization') ?? '';
  return /^(token|bearer)\s+ghs_/i.test(auth);
}
