import { createHash } from 'node:crypto';
import type { FakeRoute, FakeRouteContext } from '@krate/contract-tests/kit';
import { appObject, asBody, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { Body, findRef, findRepoRow, noContent, obj, repoFull, str } from './github-fake-git-data.js';

/**
 * Branch protection routes of the GitHub fake, in GitHub's request and answer shapes.
 */

export function findProtection(core: GitHubFakeCore, full: string, branch: string): GhObject | undefined {
  return core.state.protections.list((p) => p._repo === full && p._branch === branch)[0];
}

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

/** An app named in a protection's push restrictions. */
function restrictionApp(core: GitHubFakeCore, slug: string): Record<string, unknown> {
  const id = Number.parseInt(createHash('sha1').update(`app:${slug}`).digest('hex').slice(0, 6), 16);
  return appObject(core, { id, slug });
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
              apps: dismissal.apps.map((a) => restrictionApp(core, a)),
            },
          }
        : {}),
      ...(bypass
        ? {
            bypass_pull_request_allowances: {
              users: bypass.users.map((u) => core.user(u)),
              teams: bypass.teams.map((t) => teamObject(core, org, t)),
              apps: bypass.apps.map((a) => restrictionApp(core, a)),
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
      apps: actors.apps.map((a) => restrictionApp(core, a)),
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

export function setProtection(core: GitHubFakeCore, full: string, branch: string, body: Body): GhObject {
  const rendered = renderProtection(core, full, branch, body);
  const existing = findProtection(core, full, branch);
  if (existing) {
    core.state.protections.delete(existing.id);
    return core.state.protections.insert({ id: existing.id, _repo: full, _branch: branch, _input: body, _createdAt: existing._createdAt, _updatedAt: core.clock.tick(), ...rendered });
  }
  const at = core.clock.tick();
  return core.state.protections.insert({ id: core.nextId(), _repo: full, _branch: branch, _input: body, _createdAt: at, _updatedAt: at, ...rendered });
}

export function protectionRoutes(core: GitHubFakeCore): FakeRoute[] {
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
