import { createHmac } from 'node:crypto';
import { json, type FakeRoute, type FakeRouteContext, type SeedPipeline } from '@krate/contract-tests/kit';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { minimalRepository, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';
import { LOG_URL_TTL_MS, Permission, actionsRead, actionsWrite, cicdRouteKit, extras, fakeSha, fullName, githubFakeLogBase, numericParam, repoName, suiteIdFor } from './github-fake-cicd-store.js';
import { invalidRequest } from './github-fake-checks.js';

/** Workflow runs, jobs, job logs (pre-signed, expiring URLs) and artifacts of the GitHub fake. */

export type NeutralStatus = NonNullable<SeedPipeline['status']>;

export function githubStatusOf(status: NeutralStatus | undefined): { status: string; conclusion: string | null } {
  switch (status) {
    case 'running':
      return { status: 'in_progress', conclusion: null };
    case 'succeeded':
      return { status: 'completed', conclusion: 'success' };
    case 'failed':
      return { status: 'completed', conclusion: 'failure' };
    case 'canceled':
      return { status: 'completed', conclusion: 'cancelled' };
    case 'blocked':
      return { status: 'waiting', conclusion: null };
    default:
      return { status: 'queued', conclusion: null };
  }
}

export function runUrls(core: GitHubFakeCore, repo: string, id: number): Record<string, string> {
  const api = core.apiUrl(`/repos/${repo}/actions/runs/${id}`);
  return {
    url: api,
    html_url: core.htmlUrl(`/${repo}/actions/runs/${id}`),
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
  };
}

export function createRun(core: GitHubFakeCore, repoRow: GhObject, input: SeedPipeline): GhObject {
  const x = extras(core);
  const repo = fullName(repoRow);
  const name = input.name ?? 'CI';
  const workflowKey = `${repo}#${name}`;
  let workflowId = x.workflows.get(workflowKey);
  if (workflowId === undefined) {
    workflowId = core.nextId();
    x.workflows.set(workflowKey, workflowId);
  }
  const runNumber = (x.runNumbers.get(repo) ?? 0) + 1;
  x.runNumbers.set(repo, runNumber);
  const id = core.nextId();
  const created = input.createdAt ?? core.clock.tick();
  const updated = input.updatedAt ?? created;
  const sha = (input.sha ?? fakeSha(`${repo}:${id}`)).toLowerCase();
  const branch = input.branch ?? 'main';
  const path = `.github/workflows/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.yml`;
  const { status, conclusion } = githubStatusOf(input.status);
  const suiteId = suiteIdFor(core, repo, sha);
  const actor = core.user(String(repoRow._owner ?? repo.split('/')[0]));
  const minimal = minimalRepository(core, repoRow);
  const run: GhObject = {
    id,
    name,
    node_id: nodeId('WFR', id),
    check_suite_id: suiteId,
    check_suite_node_id: nodeId('CS', suiteId),
    head_branch: branch,
    head_sha: sha,
    path,
    display_title: name,
    run_number: runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: 'push',
    status,
    conclusion,
    workflow_id: workflowId,
    ...runUrls(core, repo, id),
    pull_requests: [],
    created_at: created,
    updated_at: updated,
    actor,
    triggering_actor: actor,
    run_started_at: created,
    check_suite_url: core.apiUrl(`/repos/${repo}/check-suites/${suiteId}`),
    previous_attempt_url: null,
    workflow_url: core.apiUrl(`/repos/${repo}/actions/workflows/${workflowId}`),
    head_commit: {
      id: sha,
      tree_id: fakeSha(`tree:${sha}`),
      message: `Commit ${sha.slice(0, 7)}`,
      timestamp: created,
      author: { name: 'Monalisa Octocat', email: 'mona@example.com' },
      committer: { name: 'Monalisa Octocat', email: 'mona@example.com' },
    },
    repository: minimal,
    head_repository: minimal,
    head_repository_id: repoRow.id,
    _repo: repo,
  };
  return core.state.workflowRuns.insert(run);
}

export function createJob(core: GitHubFakeCore, run: GhObject, input: { name: string; status?: NeutralStatus; attempt?: number }): GhObject {
  const repo = String(run._repo);
  const id = core.nextId();
  const created = core.clock.tick();
  const { status, conclusion } = githubStatusOf(input.status);
  const started = status === 'queued' || status === 'waiting' ? created : core.clock.tick();
  const completed = status === 'completed' ? core.clock.tick() : null;
  const stepStatus = status === 'completed' ? 'completed' : status === 'in_progress' ? 'in_progress' : 'queued';
  const job: GhObject = {
    id,
    run_id: run.id,
    run_url: core.apiUrl(`/repos/${repo}/actions/runs/${String(run.id)}`),
    run_attempt: input.attempt ?? run.run_attempt,
    node_id: nodeId('CR', id),
    head_sha: run.head_sha,
    url: core.apiUrl(`/repos/${repo}/actions/jobs/${id}`),
    html_url: core.htmlUrl(`/${repo}/actions/runs/${String(run.id)}/job/${id}`),
    status,
    conclusion,
    created_at: created,
    started_at: started,
    completed_at: completed,
    name: input.name,
    steps: [
      { name: 'Set up job', status: stepStatus, conclusion: status === 'completed' ? 'success' : null, number: 1, started_at: started, completed_at: completed },
      { name: `Run ${input.name}`, status: stepStatus, conclusion, number: 2, started_at: started, completed_at: completed },
    ],
    check_run_url: core.apiUrl(`/repos/${repo}/check-runs/${id}`),
    labels: ['ubuntu-latest'],
    runner_id: status === 'queued' || status === 'waiting' ? null : 1,
    runner_name: status === 'queued' || status === 'waiting' ? null : 'GitHub Actions 1',
    runner_group_id: status === 'queued' || status === 'waiting' ? null : 1,
    runner_group_name: status === 'queued' || status === 'waiting' ? null : 'GitHub Actions',
    workflow_name: run.name,
    head_branch: run.head_branch,
    _repo: repo,
    _run: run.id,
  };
  return core.state.workflowJobs.insert(job);
}

/** Newest first, as GitHub lists runs. */
export function byNewest(a: GhObject, b: GhObject): number {
  const time = String(b.created_at).localeCompare(String(a.created_at));
  return time !== 0 ? time : b.id - a.id;
}

export function findRun(core: GitHubFakeCore, params: Record<string, string>): GhObject | undefined {
  const id = numericParam(params.run_id);
  const run = id === undefined ? undefined : core.state.workflowRuns.get(id);
  return run && run._repo === repoName(params) ? run : undefined;
}

export function findJob(core: GitHubFakeCore, params: Record<string, string>): GhObject | undefined {
  const id = numericParam(params.job_id);
  const job = id === undefined ? undefined : core.state.workflowJobs.get(id);
  return job && job._repo === repoName(params) ? job : undefined;
}

export function jobsOfAttempt(core: GitHubFakeCore, run: GhObject, attempt?: unknown): GhObject[] {
  return core.state.workflowJobs.list((j) => j._run === run.id && (attempt === undefined || j.run_attempt === attempt));
}

/** A new attempt of a run: `failedOnly` re-queues failed jobs and carries the others over as they were. */
export function rerun(core: GitHubFakeCore, run: GhObject, failedOnly: boolean): void {
  const attempt = Number(run.run_attempt ?? 1);
  const previous = jobsOfAttempt(core, run, attempt);
  const now = core.clock.tick();
  core.state.workflowRuns.update(run.id, {
    run_attempt: attempt + 1,
    status: 'queued',
    conclusion: null,
    run_started_at: now,
    updated_at: now,
    previous_attempt_url: core.apiUrl(`/repos/${String(run._repo)}/actions/runs/${run.id}/attempts/${attempt}`),
  });
  const updated = core.state.workflowRuns.require(run.id);
  for (const job of previous) {
    const failed = job.conclusion === 'failure' || job.conclusion === 'cancelled' || job.conclusion === 'timed_out';
    if (!failedOnly || failed) {
      createJob(core, updated, { name: String(job.name), status: 'queued', attempt: attempt + 1 });
    } else {
      const id = core.nextId();
      core.state.workflowJobs.insert({
        ...job,
        id,
        run_attempt: attempt + 1,
        node_id: nodeId('CR', id),
        url: core.apiUrl(`/repos/${String(run._repo)}/actions/jobs/${id}`),
        html_url: core.htmlUrl(`/${String(run._repo)}/actions/runs/${run.id}/job/${id}`),
      });
      const log = core.state.jobLogs.get(job.id);
      if (log !== undefined) core.state.jobLogs.set(id, log);
    }
  }
}

/** Cancels a live run at once: the run and its unfinished jobs complete as cancelled. */
export function cancel(core: GitHubFakeCore, run: GhObject): void {
  const now = core.clock.tick();
  for (const job of jobsOfAttempt(core, run, run.run_attempt)) {
    if (job.status !== 'completed') core.state.workflowJobs.update(job.id, { status: 'completed', conclusion: 'cancelled', completed_at: now });
  }
  core.state.workflowRuns.update(run.id, { status: 'completed', conclusion: 'cancelled', updated_at: now });
}

// ---------------------------------------------------------------------------
// Job logs

export function logSignature(core: GitHubFakeCore, jobId: number, expires: string): string {
  return createHmac('sha256', extras(core).signingKey).update(`${jobId}:${expires}`).digest('base64url');
}

export function logUrl(core: GitHubFakeCore, job: GhObject): string {
  const { hostId } = extras(core);
  const expires = new Date(core.clock.now().getTime() + LOG_URL_TTL_MS).toISOString();
  const query = new URLSearchParams({ urlExpires: expires, urlSigningMethod: 'HMACV1', urlSignature: logSignature(core, job.id, expires) });
  return `${githubFakeLogBase(core)}/serviceHosts/${hostId}/_apis/pipelines/1/runs/${String(job._run)}/signedlogcontent/${job.id}?${query.toString()}`;
}

export function blobError(status: number, code: string, message: string): Response {
  return new HttpResponse(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
    status,
    headers: { 'content-type': 'application/xml' },
  });
}

export function logHandlers(core: GitHubFakeCore): RequestHandler[] {
  const { hostId } = extras(core);
  const pattern = new RegExp(`^${githubFakeLogBase(core).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/serviceHosts/${hostId}/_apis/pipelines/1/runs/\\d+/signedlogcontent/(\\d+)(?:\\?.*)?$`);
  return [
    http.get(pattern, ({ request }) => {
      const url = new URL(request.url);
      const jobId = Number(pattern.exec(request.url)?.[1]);
      if (request.headers.has('authorization')) {
        return blobError(403, 'AuthenticationFailed', 'The request carries an Authorization header; a pre-signed URL takes no other credentials.');
      }
      const expires = url.searchParams.get('urlExpires') ?? '';
      const signature = url.searchParams.get('urlSignature') ?? '';
      if (signature !== logSignature(core, jobId, expires)) return blobError(403, 'AuthenticationFailed', 'Signature did not match.');
      if (Number.isNaN(Date.parse(expires)) || Date.parse(expires) < core.clock.now().getTime()) {
        return blobError(403, 'AuthenticationFailed', 'Signed expiry time has passed.');
      }
      const log = core.state.jobLogs.get(jobId);
      if (log === undefined) return blobError(404, 'BlobNotFound', 'The specified blob does not exist.');
      const body = new TextEncoder().encode(`\uFEFF${log}`);
      const job = core.state.workflowJobs.get(jobId);
      const modified = Date.parse(String(job?.completed_at ?? job?.started_at ?? core.clock.iso()));
      return new HttpResponse(body, {
        status: 200,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': String(body.byteLength),
          etag: `"0x${createHmac('sha256', 'krate-fake').update(log).digest('hex').slice(0, 15).toUpperCase()}"`,
          'last-modified': new Date(modified).toUTCString(),
        },
      });
    }),
  ];
}

// ---------------------------------------------------------------------------
// Artifacts and runners

export function createArtifact(core: GitHubFakeCore, run: GhObject, input: { name: string; sizeBytes?: number }): GhObject {
  const repo = String(run._repo);
  const id = core.nextId();
  const created = core.clock.tick();
  const repoRow = core.findRepo(...(repo.split('/') as [string, string]));
  const artifact: GhObject = {
    id,
    node_id: nodeId('MDg6QXJ0aWZhY3Q', id),
    name: input.name,
    size_in_bytes: input.sizeBytes ?? 1024,
    url: core.apiUrl(`/repos/${repo}/actions/artifacts/${id}`),
    archive_download_url: core.apiUrl(`/repos/${repo}/actions/artifacts/${id}/zip`),
    expired: false,
    created_at: created,
    updated_at: created,
    expires_at: new Date(Date.parse(created) + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    digest: `sha256:${createHmac('sha256', 'krate-fake').update(`${repo}:${id}`).digest('hex')}`,
    workflow_run: {
      id: run.id,
      repository_id: repoRow?.id ?? null,
      head_repository_id: repoRow?.id ?? null,
      head_branch: run.head_branch,
      head_sha: run.head_sha,
    },
    _repo: repo,
    _run: run.id,
  };
  return core.state.artifacts.insert(artifact);
}

/** `/repos/{owner}/{repo}/actions/runs`, jobs, logs, artifacts, re-runs and cancel. */
export function runRoutes(core: GitHubFakeCore): FakeRoute[] {
  const { withRepo } = cicdRouteKit(core);
  const withRun = (permission: Permission, handle: (ctx: FakeRouteContext, run: GhObject) => Response | Promise<Response>) =>
    withRepo(permission, (ctx) => {
      const run = findRun(core, ctx.params);
      return run ? handle(ctx, run) : core.error(404, 'Not Found');
    });
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runs',
      handle: withRepo(actionsRead, ({ request, url, params }) => {
        const q = url.searchParams;
        const status = q.get('status');
        const runs = core.state.workflowRuns
          .list((r) => r._repo === repoName(params))
          .filter((r) => !q.get('branch') || r.head_branch === q.get('branch'))
          .filter((r) => !q.get('event') || r.event === q.get('event'))
          .filter((r) => !q.get('head_sha') || r.head_sha === q.get('head_sha'))
          .filter((r) => !q.get('check_suite_id') || String(r.check_suite_id) === q.get('check_suite_id'))
          .filter((r) => !status || r.status === status || r.conclusion === status)
          .sort(byNewest)
          .map((r) => (q.get('exclude_pull_requests') === 'true' ? { ...publicView(r), pull_requests: [] } : publicView(r)));
        return core.listResponse(request, url, runs, { wrap: (page, total) => ({ total_count: total, workflow_runs: page }) });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runs/:run_id',
      handle: withRun(actionsRead, ({ request }, run) => core.itemResponse(request, publicView(run))),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runs/:run_id/jobs',
      handle: withRun(actionsRead, ({ request, url }, run) => {
        const filter = url.searchParams.get('filter') ?? 'latest';
        if (filter !== 'latest' && filter !== 'all') return invalidRequest(core, `${JSON.stringify(filter)} is not a member of ["latest", "all"].`);
        const jobs = jobsOfAttempt(core, run, filter === 'latest' ? run.run_attempt : undefined).map(publicView);
        return core.listResponse(request, url, jobs, { wrap: (page, total) => ({ total_count: total, jobs: page }) });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/jobs/:job_id',
      handle: withRepo(actionsRead, ({ request, params }) => {
        const job = findJob(core, params);
        return job ? core.itemResponse(request, publicView(job)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/jobs/:job_id/logs',
      handle: withRepo(actionsRead, ({ params }) => {
        const job = findJob(core, params);
        if (!job || !core.state.jobLogs.has(job.id)) return core.error(404, 'Not Found');
        return new Response(null, { status: 302, headers: { location: logUrl(core, job) } });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runs/:run_id/artifacts',
      handle: withRun(actionsRead, ({ request, url }, run) => {
        const name = url.searchParams.get('name');
        const direction = url.searchParams.get('direction') ?? 'desc';
        const artifacts = core.state.artifacts
          .list((a) => a._run === run.id && (!name || a.name === name))
          .sort((a, b) => (direction === 'asc' ? a.id - b.id : b.id - a.id))
          .map(publicView);
        return core.listResponse(request, url, artifacts, { wrap: (page, total) => ({ total_count: total, artifacts: page }) });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/artifacts/:artifact_id',
      handle: withRepo(actionsRead, ({ request, params }) => {
        const id = numericParam(params.artifact_id);
        const artifact = id === undefined ? undefined : core.state.artifacts.get(id);
        return artifact && artifact._repo === repoName(params) ? core.itemResponse(request, publicView(artifact)) : core.error(404, 'Not Found');
      }),
    },
    ...([['rerun', false], ['rerun-failed-jobs', true]] as const).map(([action, failedOnly]): FakeRoute => ({
      method: 'POST',
      path: `/repos/:owner/:repo/actions/runs/:run_id/${action}`,
      handle: withRun(actionsWrite, (_ctx, run) => {
        if (run.status !== 'completed') return core.error(403, 'This workflow is already running');
        rerun(core, run, failedOnly);
        return json({}, { status: 201 });
      }),
    })),
    {
      method: 'POST',
      path: '/repos/:owner/:repo/actions/runs/:run_id/cancel',
      handle: withRun(actionsWrite, (_ctx, run) => {
        if (run.status === 'completed') return core.error(409, 'Cannot cancel a workflow run that is completed.');
        cancel(core, run);
        return json({}, { status: 202 });
      }),
    },
  ];
}
