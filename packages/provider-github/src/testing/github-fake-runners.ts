import { randomBytes } from 'node:crypto';
import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { REGISTRATION_TOKEN_TTL_MS, adminRead, adminWrite, cicdRouteKit, extras, orgRunnersRead, orgRunnersWrite, repoName } from './github-fake-cicd-store.js';

/** Self-hosted runners and their registration tokens in the GitHub fake (organization and repository). */

export function runnerScopeOf(params: Record<string, string>): string {
  return params.org ?? repoName(params);
}

export function createRunner(core: GitHubFakeCore, scope: string, input: { name: string; status?: 'online' | 'offline'; busy?: boolean; labels?: string[] }): GhObject {
  const id = core.nextId();
  const labels = ['self-hosted', 'Linux', 'X64', ...(input.labels ?? [])];
  const runner: GhObject = {
    id,
    runner_group_id: 1,
    name: input.name,
    os: 'Linux',
    status: input.status ?? 'online',
    busy: input.busy ?? false,
    ephemeral: false,
    labels: labels.map((name, index) => ({ id: index + 1, name, type: index < 3 ? 'read-only' : 'custom' })),
    version: '2.330.0',
    _scope: scope,
  };
  return core.state.runners.insert(runner);
}

export function issueRegistrationToken(core: GitHubFakeCore): Response {
  // GitHub's registration tokens are 29 upper-case letters and digits.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const token = [...randomBytes(29)].map((b) => alphabet[b % alphabet.length]).join('');
  extras(core).tokens.push(token);
  const expires = new Date(core.clock.now().getTime() + REGISTRATION_TOKEN_TTL_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return json({ token, expires_at: expires }, { status: 201 });
}

export function listRunners(core: GitHubFakeCore, request: Request, url: URL, params: Record<string, string>): Response {
  const scope = runnerScopeOf(params);
  const name = url.searchParams.get('name');
  const runners = core.state.runners.list((r) => r._scope === scope && (!name || r.name === name)).map(publicView);
  return core.listResponse(request, url, runners, { wrap: (page, total) => ({ total_count: total, runners: page }) });
}

/** `/orgs/{org}/actions/runners` and `/repos/{owner}/{repo}/actions/runners`, with registration tokens. */
export function runnerRoutes(core: GitHubFakeCore): FakeRoute[] {
  const { withRepo, withOrg } = cicdRouteKit(core);
  return [
    {
      method: 'GET',
      path: '/orgs/:org/actions/runners',
      handle: withOrg(orgRunnersRead, ({ request, url, params }) => listRunners(core, request, url, params)),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runners',
      handle: withRepo(adminRead, ({ request, url, params }) => listRunners(core, request, url, params)),
    },
    {
      method: 'POST',
      path: '/orgs/:org/actions/runners/registration-token',
      handle: withOrg(orgRunnersWrite, () => issueRegistrationToken(core)),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/actions/runners/registration-token',
      handle: withRepo(adminWrite, () => issueRegistrationToken(core)),
    },
  ];
}
