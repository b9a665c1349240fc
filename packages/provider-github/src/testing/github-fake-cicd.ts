import type { ExternalRef } from '@krate/core';
import type { FakeRoute, FakeSeed, WebhookOptions } from '@krate/contract-tests/kit';
import { nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';
import { createCheckRun, createStatus, checkRoutes, latestStatuses } from './github-fake-checks.js';
import { appOf, extras, fakeSha, fullName, suiteIdFor } from './github-fake-cicd-store.js';
import { createRunner, runnerRoutes } from './github-fake-runners.js';
import { createArtifact, createJob, createRun, logHandlers, runRoutes } from './github-fake-runs.js';

export { GITHUB_FAKE_LOG_HOST, githubFakeLogBase } from './github-fake-cicd-store.js';

/**
 * The GitHub Actions, Checks and commit status part of the GitHub fake: workflow runs,
 * jobs with logs, artifacts, self-hosted runners, registration tokens, check runs and
 * commit statuses, in GitHub's REST shapes (checked against `@octokit/openapi`).
 *
 * Job logs behave as on GitHub: `GET .../actions/jobs/{id}/logs` answers 302 with a
 * pre-signed URL (see {@link githubFakeLogBase}) that expires after a minute (fake
 * clock). The log host refuses requests that carry an `Authorization` header, so a
 * client that forwards its GitHub token is caught.
 *
 * Simplifications: commits are not checked for existence (any hex SHA is accepted),
 * runs do not progress on their own (a cancel completes the run at once), and the
 * `created` / `actor` filters of the runs listing are not modelled.
 */

function routes(core: GitHubFakeCore): FakeRoute[] {
  return [...runRoutes(core), ...runnerRoutes(core), ...checkRoutes(core)];
}


// ---------------------------------------------------------------------------
// Seeds

function splitScope(scope: string): [string, string] {
  const [owner, repo] = scope.split('/');
  if (!owner || !repo) throw new TypeError(`fake: expected an "owner/repo" scope, got "${scope}"`);
  return [owner, repo];
}

function seeds(core: GitHubFakeCore): Partial<FakeSeed> {
  const runOf = (ref: ExternalRef): GhObject => {
    const run = core.state.workflowRuns.get(Number(ref.id));
    if (!run || run._repo !== ref.scope) throw new TypeError(`fake: no workflow run ${ref.id} in ${ref.scope}`);
    return run;
  };
  return {
    pipeline(scope, input) {
      const repo = core.ensureRepo(...splitScope(scope));
      const run = createRun(core, repo, input);
      return { scope: String(run._repo), id: String(run.id) };
    },
    job(pipelineRef, input) {
      const run = runOf(pipelineRef);
      const job = createJob(core, run, { name: input.name, ...(input.status ? { status: input.status } : {}) });
      if (input.log !== undefined) core.state.jobLogs.set(job.id, input.log);
      return { scope: String(job._repo), id: String(job.id) };
    },
    artifact(pipelineRef, input) {
      const artifact = createArtifact(core, runOf(pipelineRef), input);
      return { scope: String(artifact._repo), id: String(artifact.id) };
    },
    runner(scope, input) {
      if (scope.includes('/')) core.ensureRepo(...splitScope(scope));
      const runner = createRunner(core, scope, input);
      return { scope, id: String(runner.id) };
    },
  };
}

// ---------------------------------------------------------------------------
// Webhooks

function defaultRepo(core: GitHubFakeCore): GhObject {
  return core.state.repos.list()[0] ?? core.ensureRepo('octo-org', 'hello-world');
}

function liveAction(status: unknown, actions: { completed: string; in_progress: string; other: string }): string {
  if (status === 'completed') return actions.completed;
  if (status === 'in_progress') return actions.in_progress;
  return actions.other;
}

function workflowObject(core: GitHubFakeCore, run: GhObject): Record<string, unknown> {
  const repo = String(run._repo);
  const id = Number(run.workflow_id);
  return {
    badge_url: core.htmlUrl(`/${repo}/workflows/${encodeURIComponent(String(run.name))}/badge.svg`),
    created_at: run.created_at,
    html_url: core.htmlUrl(`/${repo}/blob/main/${String(run.path)}`),
    id,
    name: run.name,
    node_id: nodeId('W', id),
    path: run.path,
    state: 'active',
    updated_at: run.created_at,
    url: core.apiUrl(`/repos/${repo}/actions/workflows/${id}`),
  };
}

function suiteObject(core: GitHubFakeCore, repo: string, sha: string): Record<string, unknown> {
  const id = suiteIdFor(core, repo, sha);
  const runs = core.state.workflowRuns.list((r) => r._repo === repo && r.check_suite_id === id);
  const checks = core.state.checkRuns.list((c) => c._repo === repo && c.head_sha === sha);
  const statuses = [...runs.map((r) => String(r.status)), ...checks.map((c) => String(c.status))];
  const conclusions = [...runs.map((r) => r.conclusion), ...checks.map((c) => c.conclusion)].filter((c): c is string => typeof c === 'string');
  const completed = statuses.length > 0 && statuses.every((s) => s === 'completed');
  const conclusion = !completed
    ? null
    : (['action_required', 'cancelled', 'timed_out', 'failure', 'neutral', 'skipped', 'stale'].find((c) => conclusions.includes(c)) ?? 'success');
  const first = runs[0] ?? checks[0];
  const times = [...runs.map((r) => String(r.updated_at)), ...checks.map((c) => String(c._updated ?? c.started_at))].sort();
  const created = String(first?.created_at ?? first?.started_at ?? core.clock.iso());
  return {
    id,
    node_id: nodeId('CS', id),
    head_branch: runs[0]?.head_branch ?? 'main',
    head_sha: sha,
    status: completed ? 'completed' : statuses.includes('in_progress') ? 'in_progress' : 'queued',
    conclusion,
    url: core.apiUrl(`/repos/${repo}/check-suites/${id}`),
    before: fakeSha(`before:${sha}`),
    after: sha,
    pull_requests: [],
    app: appOf(core),
    created_at: created,
    updated_at: times[times.length - 1] ?? created,
    latest_check_runs_count: checks.length + core.state.workflowJobs.list((j) => runs.some((r) => r.id === j._run)).length,
    check_runs_url: core.apiUrl(`/repos/${repo}/check-suites/${id}/check-runs`),
    head_commit: runs[0]?.head_commit ?? {
      id: sha,
      tree_id: fakeSha(`tree:${sha}`),
      message: `Commit ${sha.slice(0, 7)}`,
      timestamp: created,
      author: { name: 'Monalisa Octocat', email: 'mona@example.com' },
      committer: { name: 'Monalisa Octocat', email: 'mona@example.com' },
    },
  };
}

function webhooks(core: GitHubFakeCore): Record<string, (options: WebhookOptions) => { action?: string; payload: Record<string, unknown> }> {
  const runFor = (ref: ExternalRef | undefined): GhObject => {
    if (ref) {
      const run = core.state.workflowRuns.get(Number(ref.id));
      if (!run || run._repo !== ref.scope) throw new TypeError(`fake: no workflow run ${ref.id} in ${ref.scope}`);
      return run;
    }
    return createRun(core, defaultRepo(core), { status: 'succeeded' });
  };
  const checkRunFor = (ref: ExternalRef | undefined): GhObject => {
    if (ref) {
      const id = /^check-run:(\d+)$/.exec(ref.id)?.[1];
      const run = id === undefined ? undefined : core.state.checkRuns.get(Number(id));
      if (!run || run._repo !== ref.scope) throw new TypeError(`fake: no check run ${ref.id} in ${ref.scope}`);
      return run;
    }
    return createCheckRun(core, fullName(defaultRepo(core)), { name: 'krate-check', head_sha: fakeSha(String(core.nextId())) });
  };
  return {
    workflow_run(options) {
      const run = runFor(options.ref);
      const action = options.action ?? liveAction(run.status, { completed: 'completed', in_progress: 'in_progress', other: 'requested' });
      return { action, payload: { action, workflow: workflowObject(core, run), workflow_run: publicView(run) } };
    },
    workflow_job(options) {
      let job: GhObject | undefined;
      if (options.ref) {
        job = core.state.workflowJobs.get(Number(options.ref.id));
        if (!job || job._repo !== options.ref.scope) throw new TypeError(`fake: no workflow job ${options.ref.id} in ${options.ref.scope}`);
      } else {
        job = createJob(core, runFor(undefined), { name: 'build', status: 'succeeded' });
      }
      const action = options.action ?? liveAction(job.status, { completed: 'completed', in_progress: 'in_progress', other: job.status === 'waiting' ? 'waiting' : 'queued' });
      return { action, payload: { action, workflow_job: publicView(job) } };
    },
    check_run(options) {
      const run = checkRunFor(options.ref);
      const action = options.action ?? (run.status === 'completed' ? 'completed' : 'created');
      return { action, payload: { action, check_run: publicView(run) } };
    },
    check_suite(options) {
      let repo: string;
      let sha: string;
      const checkId = options.ref ? /^check-run:(\d+)$/.exec(options.ref.id)?.[1] : undefined;
      if (options.ref && checkId !== undefined) {
        const run = checkRunFor(options.ref);
        repo = String(run._repo);
        sha = String(run.head_sha);
      } else {
        const run = runFor(options.ref);
        repo = String(run._repo);
        sha = String(run.head_sha);
      }
      const suite = suiteObject(core, repo, sha);
      const action = options.action ?? (suite.status === 'completed' ? 'completed' : 'requested');
      return { action, payload: { action, check_suite: suite } };
    },
    status(options) {
      let status: GhObject | undefined;
      if (options.ref) {
        const match = /^status:([0-9a-f]{7,64}):(.+)$/s.exec(options.ref.id);
        status = match ? latestStatuses(core, options.ref.scope, match[1] ?? '').find((s) => String(s.context).toLowerCase() === (match[2] ?? '').toLowerCase()) : undefined;
        if (!status) throw new TypeError(`fake: no commit status ${options.ref.id} in ${options.ref.scope}`);
      } else {
        status = createStatus(core, fullName(defaultRepo(core)), fakeSha(String(core.nextId())), { state: 'success', context: 'default' });
      }
      const repo = String(status._repo);
      const sha = String(status._sha);
      const api = core.apiUrl(`/repos/${repo}`);
      return {
        payload: {
          id: status.id,
          sha,
          name: repo,
          target_url: status.target_url,
          context: status.context,
          description: status.description,
          state: status.state,
          commit: {
            sha,
            node_id: nodeId('C', sha),
            commit: {
              author: { name: 'Monalisa Octocat', email: 'mona@example.com', date: status.created_at },
              committer: { name: 'Monalisa Octocat', email: 'mona@example.com', date: status.created_at },
              message: `Commit ${sha.slice(0, 7)}`,
              tree: { sha: fakeSha(`tree:${sha}`), url: `${api}/git/trees/${fakeSha(`tree:${sha}`)}` },
              url: `${api}/git/commits/${sha}`,
              comment_count: 0,
              verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
            },
            url: `${api}/commits/${sha}`,
            html_url: core.htmlUrl(`/${repo}/commit/${sha}`),
            comments_url: `${api}/commits/${sha}/comments`,
            author: null,
            committer: null,
            parents: [],
          },
          branches: [],
          created_at: status.created_at,
          updated_at: status.updated_at,
        },
      };
    },
  };
}

/** The CI/CD module of the GitHub fake. */
export const githubFakeCicd: GitHubFakeModule = {
  routes,
  seeds,
  webhooks,
  handlers: logHandlers,
  secrets: (core) => [...extras(core).tokens],
  webhookEventFor: {
    pipeline: { event: 'workflow_run', action: 'completed' },
    job: { event: 'workflow_job', action: 'completed' },
    check: { event: 'check_run', action: 'completed' },
  },
};
