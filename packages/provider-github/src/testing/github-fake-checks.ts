import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { asBody, minimalRepository, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { APP_SLUG, STATUS_DESCRIPTION_MAX, appOf, botUser, checksRead, checksWrite, cicdRouteKit, numericParam, repoName, statusesRead, statusesWrite, suiteIdFor } from './github-fake-cicd-store.js';

/** Check runs and commit statuses in the GitHub fake, with GitHub's validation errors. */

export const CHECK_STATUSES = new Set(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);
export const CHECK_CONCLUSIONS = new Set(['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out']);
export const STATUS_STATES = new Set(['error', 'failure', 'pending', 'success']);

export function invalidRequest(core: GitHubFakeCore, detail: string): Response {
  return core.error(422, `Invalid request.\n\n${detail}`);
}

export function validateCheckBody(core: GitHubFakeCore, body: Record<string, unknown>, creating: boolean): Response | undefined {
  if (creating) {
    if (typeof body.name !== 'string' || body.name === '') return invalidRequest(core, '"name" wasn\'t supplied.');
    if (typeof body.head_sha !== 'string' || body.head_sha === '') return invalidRequest(core, '"head_sha" wasn\'t supplied.');
    if (!/^[0-9a-f]{7,64}$/i.test(body.head_sha)) return core.error(422, `No commit found for SHA: ${body.head_sha}`);
  }
  if (body.status !== undefined && !(typeof body.status === 'string' && CHECK_STATUSES.has(body.status))) {
    return invalidRequest(core, `${JSON.stringify(body.status)} is not a member of ["queued", "in_progress", "completed"].`);
  }
  if (body.conclusion !== undefined && !(typeof body.conclusion === 'string' && CHECK_CONCLUSIONS.has(body.conclusion))) {
    return invalidRequest(core, `${JSON.stringify(body.conclusion)} is not a valid conclusion.`);
  }
  if (body.status === 'completed' && body.conclusion === undefined) {
    return invalidRequest(core, '"conclusion" wasn\'t supplied.');
  }
  const output = body.output;
  if (output !== undefined) {
    if (typeof output !== 'object' || output === null) return invalidRequest(core, '"output" is not an object.');
    const { title, summary } = output as Record<string, unknown>;
    if (typeof title !== 'string') return invalidRequest(core, '"title" wasn\'t supplied.');
    if (creating && typeof summary !== 'string') return invalidRequest(core, '"summary" wasn\'t supplied.');
  }
  return undefined;
}

export function checkOutput(core: GitHubFakeCore, repo: string, id: number, output: unknown, previous?: unknown): Record<string, unknown> {
  const base = (previous as Record<string, unknown> | undefined) ?? {
    title: null,
    summary: null,
    text: null,
    annotations_count: 0,
    annotations_url: core.apiUrl(`/repos/${repo}/check-runs/${id}/annotations`),
  };
  if (typeof output !== 'object' || output === null) return base;
  const o = output as Record<string, unknown>;
  return {
    ...base,
    title: typeof o.title === 'string' ? o.title : base.title,
    summary: typeof o.summary === 'string' ? o.summary : base.summary,
    text: typeof o.text === 'string' ? o.text : base.text,
  };
}

export function createCheckRun(core: GitHubFakeCore, repo: string, body: Record<string, unknown>): GhObject {
  const id = core.nextId();
  const now = core.clock.tick();
  const sha = String(body.head_sha).toLowerCase();
  const completed = body.conclusion !== undefined;
  const status = completed ? 'completed' : typeof body.status === 'string' ? body.status : 'queued';
  const run: GhObject = {
    id,
    head_sha: sha,
    node_id: nodeId('CR', id),
    external_id: typeof body.external_id === 'string' ? body.external_id : '',
    url: core.apiUrl(`/repos/${repo}/check-runs/${id}`),
    html_url: core.htmlUrl(`/${repo}/runs/${id}`),
    details_url: typeof body.details_url === 'string' ? body.details_url : core.htmlUrl(`/apps/${APP_SLUG}`),
    status,
    conclusion: completed ? body.conclusion : null,
    started_at: typeof body.started_at === 'string' ? body.started_at : now,
    completed_at: completed ? (typeof body.completed_at === 'string' ? body.completed_at : now) : null,
    output: checkOutput(core, repo, id, body.output),
    name: body.name,
    check_suite: { id: suiteIdFor(core, repo, sha) },
    app: appOf(core),
    pull_requests: [],
    _repo: repo,
    _updated: now,
  };
  return core.state.checkRuns.insert(run);
}

export function updateCheckRun(core: GitHubFakeCore, run: GhObject, body: Record<string, unknown>): GhObject {
  const now = core.clock.tick();
  const patch: Record<string, unknown> = { _updated: now };
  if (typeof body.name === 'string') patch.name = body.name;
  if (typeof body.details_url === 'string') patch.details_url = body.details_url;
  if (typeof body.external_id === 'string') patch.external_id = body.external_id;
  if (typeof body.started_at === 'string') patch.started_at = body.started_at;
  if (typeof body.status === 'string') patch.status = body.status;
  if (body.conclusion !== undefined) {
    patch.status = 'completed';
    patch.conclusion = body.conclusion;
    patch.completed_at = typeof body.completed_at === 'string' ? body.completed_at : now;
  } else if (body.status !== undefined && body.status !== 'completed') {
    patch.conclusion = null;
    patch.completed_at = null;
  }
  if (body.output !== undefined) patch.output = checkOutput(core, String(run._repo), run.id, body.output, run.output);
  return core.state.checkRuns.update(run.id, patch);
}

export function createStatus(core: GitHubFakeCore, repo: string, sha: string, body: Record<string, unknown>): GhObject {
  const id = core.nextId();
  const now = core.clock.tick();
  const creator = botUser(core);
  const status: GhObject = {
    url: core.apiUrl(`/repos/${repo}/statuses/${sha}`),
    avatar_url: typeof creator.avatar_url === 'string' ? creator.avatar_url : null,
    id,
    node_id: nodeId('SC', id),
    state: body.state,
    description: typeof body.description === 'string' ? body.description : null,
    target_url: typeof body.target_url === 'string' ? body.target_url : null,
    context: typeof body.context === 'string' && body.context !== '' ? body.context : 'default',
    created_at: now,
    updated_at: now,
    creator,
    _repo: repo,
    _sha: sha,
  };
  return core.state.statuses.insert(status);
}

/** The latest status per context (case-insensitive), newest first. */
export function latestStatuses(core: GitHubFakeCore, repo: string, sha: string): GhObject[] {
  const seen = new Set<string>();
  const out: GhObject[] = [];
  for (const status of statusesOf(core, repo, sha)) {
    const key = String(status.context).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(status);
  }
  return out;
}

export function statusesOf(core: GitHubFakeCore, repo: string, sha: string): GhObject[] {
  return core.state.statuses.list((s) => s._repo === repo && s._sha === sha).reverse();
}

export function combinedState(statuses: GhObject[]): string {
  if (statuses.length === 0) return 'pending';
  if (statuses.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export function findCheckRun(core: GitHubFakeCore, params: Record<string, string>): GhObject | undefined {
  const id = numericParam(params.check_run_id);
  const run = id === undefined ? undefined : core.state.checkRuns.get(id);
  return run && run._repo === repoName(params) ? run : undefined;
}

/** `/repos/{owner}/{repo}/check-runs`, `/statuses/{sha}` and the per-commit listings. */
export function checkRoutes(core: GitHubFakeCore): FakeRoute[] {
  const { withRepo } = cicdRouteKit(core);
  return [
    {
      method: 'POST',
      path: '/repos/:owner/:repo/check-runs',
      handle: withRepo(checksWrite, ({ body, params }) => {
        const input = asBody(body);
        const refused = validateCheckBody(core, input, true);
        if (refused) return refused;
        return json(publicView(createCheckRun(core, repoName(params), input)), { status: 201 });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/check-runs/:check_run_id',
      handle: withRepo(checksRead, ({ request, params }) => {
        const run = findCheckRun(core, params);
        return run ? core.itemResponse(request, publicView(run)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/check-runs/:check_run_id',
      handle: withRepo(checksWrite, ({ body, params }) => {
        const run = findCheckRun(core, params);
        if (!run) return core.error(404, 'Not Found');
        const input = asBody(body);
        const refused = validateCheckBody(core, input, false);
        if (refused) return refused;
        return json(publicView(updateCheckRun(core, run, input)));
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/commits/:ref/check-runs',
      handle: withRepo(checksRead, ({ request, url, params }) => {
        const q = url.searchParams;
        const sha = String(params.ref).toLowerCase();
        let runs = core.state.checkRuns
          .list((c) => c._repo === repoName(params) && c.head_sha === sha)
          .filter((c) => !q.get('check_name') || c.name === q.get('check_name'))
          .filter((c) => !q.get('status') || c.status === q.get('status'))
          .sort((a, b) => b.id - a.id);
        if ((q.get('filter') ?? 'latest') === 'latest') {
          const names = new Set<unknown>();
          runs = runs.filter((c) => (names.has(c.name) ? false : (names.add(c.name), true)));
        }
        return core.listResponse(request, url, runs.map(publicView), { wrap: (page, total) => ({ total_count: total, check_runs: page }) });
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/statuses/:sha',
      handle: withRepo(statusesWrite, ({ body, params }) => {
        const input = asBody(body);
        const sha = String(params.sha).toLowerCase();
        if (!/^[0-9a-f]{7,64}$/.test(sha)) return core.error(422, `No commit found for SHA: ${params.sha}`);
        if (typeof input.state !== 'string' || !STATUS_STATES.has(input.state)) {
          return core.error(422, 'Validation Failed', { errors: [{ resource: 'Status', code: 'custom', field: 'state', message: 'state is not included in the list' }] });
        }
        if (typeof input.description === 'string' && [...input.description].length > STATUS_DESCRIPTION_MAX) {
          return core.error(422, 'Validation Failed', {
            errors: [{ resource: 'Status', code: 'custom', field: 'description', message: `description is too long (maximum is ${STATUS_DESCRIPTION_MAX} characters)` }],
          });
        }
        const status = createStatus(core, repoName(params), sha, input);
        return json(publicView(status), { status: 201, headers: { location: String(status.url) } });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/commits/:ref/statuses',
      handle: withRepo(statusesRead, ({ request, url, params }) =>
        core.listResponse(request, url, statusesOf(core, repoName(params), String(params.ref).toLowerCase()).map(publicView)),
      ),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/commits/:ref/status',
      handle: withRepo(statusesRead, ({ request, url, params }, repo) => {
        const sha = String(params.ref).toLowerCase();
        const latest = latestStatuses(core, repoName(params), sha);
        const state = combinedState(latest);
        const api = core.apiUrl(`/repos/${repoName(params)}`);
        return core.listResponse(
          request,
          url,
          latest.map((s) => {
            const { creator: _creator, ...rest } = publicView(s);
            return rest;
          }),
          {
            defaultPerPage: 100,
            wrap: (page, total) => ({
              state,
              statuses: page,
              sha,
              total_count: total,
              repository: minimalRepository(core, repo),
              commit_url: `${api}/commits/${sha}`,
              url: `${api}/commits/${sha}/status`,
            }),
          },
        );
      }),
    },
  ];
}
