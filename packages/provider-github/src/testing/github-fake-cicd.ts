import { createHmac, randomBytes } from 'node:crypto';
import type { ExternalRef } from '@krate/core';
import { json, type FakeRoute, type FakeRouteContext, type FakeSeed, type SeedPipeline, type WebhookOptions } from '@krate/contract-tests/kit';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { appObject, asBody, minimalRepository, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';

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

/** The origin of pre-signed job log URLs on GitHub.com (GitHub's is pipelines.actions.githubusercontent.com). */
export const GITHUB_FAKE_LOG_HOST = 'https://pipelines.actions.githubusercontent.example';

/**
 * Where a fake serves pre-signed job logs: {@link GITHUB_FAKE_LOG_HOST} for GitHub.com
 * (`api.` hosts), and the server itself (`<web base>/_services/pipelines`) for GitHub
 * Enterprise Server, as GHES does. On GHES the log URL is on the API's own origin, so
 * a client that follows the redirect with its Authorization header is refused.
 */
export function githubFakeLogBase(core: Pick<GitHubFakeCore, 'apiBaseUrl' | 'webBaseUrl'>): string {
  return new URL(core.apiBaseUrl).hostname.startsWith('api.') ? GITHUB_FAKE_LOG_HOST : `${core.webBaseUrl}/_services/pipelines`;
}

/** How long a pre-signed log URL stays valid (GitHub: one minute). */
const LOG_URL_TTL_MS = 60_000;
/** How long a runner registration token stays valid (GitHub: one hour). */
const REGISTRATION_TOKEN_TTL_MS = 60 * 60_000;
/** GitHub refuses longer commit status descriptions. */
const STATUS_DESCRIPTION_MAX = 140;

const APP_SLUG = 'krate-fake-app';

/** Per-fake state this module keeps outside GitHubFakeState. */
interface CicdExtras {
  hostId: string;
  signingKey: Buffer;
  /** Registration tokens issued so far: credentials the suite scans output for. */
  tokens: string[];
  /** workflow id per `owner/repo` + workflow name. */
  workflows: Map<string, number>;
  /** check suite id per `owner/repo` + sha. */
  suites: Map<string, number>;
  /** run_number sequence per `owner/repo`. */
  runNumbers: Map<string, number>;
  appId: number;
}

const extrasByCore = new WeakMap<GitHubFakeCore, CicdExtras>();

function extras(core: GitHubFakeCore): CicdExtras {
  let value = extrasByCore.get(core);
  if (!value) {
    value = {
      hostId: randomBytes(8).toString('hex'),
      signingKey: randomBytes(32),
      tokens: [],
      workflows: new Map(),
      suites: new Map(),
      runNumbers: new Map(),
      appId: core.nextId(),
    };
    extrasByCore.set(core, value);
  }
  return value;
}

function fakeSha(seed: string): string {
  return createHmac('sha1', 'krate-fake').update(seed).digest('hex');
}

function repoName(params: Record<string, string>): string {
  return `${params.owner}/${params.repo}`;
}

function requireRepo(core: GitHubFakeCore, params: Record<string, string>): GhObject | Response {
  const repo = core.findRepo(params.owner ?? '', params.repo ?? '');
  return repo ?? core.error(404, 'Not Found');
}

/** GitHub's 403 "Resource not accessible by integration" when the installation lacks the permission. */
function refused(core: GitHubFakeCore, request: Request, permission: string, level: 'read' | 'write'): Response | undefined {
  return core.requirePermission?.(request, permission, level);
}

function numericParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function fullName(repo: GhObject): string {
  return typeof repo.full_name === 'string' ? repo.full_name : `${String(repo._owner)}/${String(repo._name ?? repo.name)}`;
}

/** The GitHub App the fake's check runs and suites belong to. */
function appOf(core: GitHubFakeCore): Record<string, unknown> {
  return appObject(core, {
    id: extras(core).appId,
    slug: APP_SLUG,
    owner: core.user('octo-org'),
    name: 'Krate fake app',
    description: 'The app the GitHub fake acts as',
    permissions: { actions: 'write', checks: 'write', statuses: 'write', metadata: 'read' },
    events: ['check_run', 'check_suite', 'workflow_run', 'workflow_job', 'status'],
  });
}

/** The actor of writes made through the fake (the app's bot user). */
function botUser(core: GitHubFakeCore): Record<string, unknown> {
  return { ...core.user(`${APP_SLUG}[bot]`), type: 'Bot' };
}

function suiteIdFor(core: GitHubFakeCore, repo: string, sha: string): number {
  const { suites } = extras(core);
  const key = `${repo}@${sha}`;
  let id = suites.get(key);
  if (id === undefined) {
    id = core.nextId();
    suites.set(key, id);
  }
  return id;
}

// ---------------------------------------------------------------------------
// Workflow runs and jobs

type NeutralStatus = NonNullable<SeedPipeline['status']>;

function githubStatusOf(status: NeutralStatus | undefined): { status: string; conclusion: string | null } {
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

function runUrls(core: GitHubFakeCore, repo: string, id: number): Record<string, string> {
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

function createRun(core: GitHubFakeCore, repoRow: GhObject, input: SeedPipeline): GhObject {
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

function createJob(core: GitHubFakeCore, run: GhObject, input: { name: string; status?: NeutralStatus; attempt?: number }): GhObject {
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
function byNewest(a: GhObject, b: GhObject): number {
  const time = String(b.created_at).localeCompare(String(a.created_at));
  return time !== 0 ? time : b.id - a.id;
}

function findRun(core: GitHubFakeCore, params: Record<string, string>): GhObject | undefined {
  const id = numericParam(params.run_id);
  const run = id === undefined ? undefined : core.state.workflowRuns.get(id);
  return run && run._repo === repoName(params) ? run : undefined;
}

function findJob(core: GitHubFakeCore, params: Record<string, string>): GhObject | undefined {
  const id = numericParam(params.job_id);
  const job = id === undefined ? undefined : core.state.workflowJobs.get(id);
  return job && job._repo === repoName(params) ? job : undefined;
}

function jobsOfAttempt(core: GitHubFakeCore, run: GhObject, attempt?: unknown): GhObject[] {
  return core.state.workflowJobs.list((j) => j._run === run.id && (attempt === undefined || j.run_attempt === attempt));
}

/** A new attempt of a run: `failedOnly` re-queues failed jobs and carries the others over as they were. */
function rerun(core: GitHubFakeCore, run: GhObject, failedOnly: boolean): void {
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
function cancel(core: GitHubFakeCore, run: GhObject): void {
  const now = core.clock.tick();
  for (const job of jobsOfAttempt(core, run, run.run_attempt)) {
    if (job.status !== 'completed') core.state.workflowJobs.update(job.id, { status: 'completed', conclusion: 'cancelled', completed_at: now });
  }
  core.state.workflowRuns.update(run.id, { status: 'completed', conclusion: 'cancelled', updated_at: now });
}

// ---------------------------------------------------------------------------
// Job logs

function logSignature(core: GitHubFakeCore, jobId: number, expires: string): string {
  return createHmac('sha256', extras(core).signingKey).update(`${jobId}:${expires}`).digest('base64url');
}

function logUrl(core: GitHubFakeCore, job: GhObject): string {
  const { hostId } = extras(core);
  const expires = new Date(core.clock.now().getTime() + LOG_URL_TTL_MS).toISOString();
  const query = new URLSearchParams({ urlExpires: expires, urlSigningMethod: 'HMACV1', urlSignature: logSignature(core, job.id, expires) });
  return `${githubFakeLogBase(core)}/serviceHosts/${hostId}/_apis/pipelines/1/runs/${String(job._run)}/signedlogcontent/${job.id}?${query.toString()}`;
}

function blobError(status: number, code: string, message: string): Response {
  return new HttpResponse(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
    status,
    headers: { 'content-type': 'application/xml' },
  });
}

function logHandlers(core: GitHubFakeCore): RequestHandler[] {
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

function createArtifact(core: GitHubFakeCore, run: GhObject, input: { name: string; sizeBytes?: number }): GhObject {
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

function runnerScopeOf(params: Record<string, string>): string {
  return params.org ?? repoName(params);
}

function createRunner(core: GitHubFakeCore, scope: string, input: { name: string; status?: 'online' | 'offline'; busy?: boolean; labels?: string[] }): GhObject {
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

function issueRegistrationToken(core: GitHubFakeCore): Response {
  // GitHub's registration tokens are 29 upper-case letters and digits.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const token = [...randomBytes(29)].map((b) => alphabet[b % alphabet.length]).join('');
  extras(core).tokens.push(token);
  const expires = new Date(core.clock.now().getTime() + REGISTRATION_TOKEN_TTL_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return json({ token, expires_at: expires }, { status: 201 });
}

// ---------------------------------------------------------------------------
// Check runs and commit statuses

const CHECK_STATUSES = new Set(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);
const CHECK_CONCLUSIONS = new Set(['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out']);
const STATUS_STATES = new Set(['error', 'failure', 'pending', 'success']);

function invalidRequest(core: GitHubFakeCore, detail: string): Response {
  return core.error(422, `Invalid request.\n\n${detail}`);
}

function validateCheckBody(core: GitHubFakeCore, body: Record<string, unknown>, creating: boolean): Response | undefined {
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

function checkOutput(core: GitHubFakeCore, repo: string, id: number, output: unknown, previous?: unknown): Record<string, unknown> {
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

function createCheckRun(core: GitHubFakeCore, repo: string, body: Record<string, unknown>): GhObject {
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

function updateCheckRun(core: GitHubFakeCore, run: GhObject, body: Record<string, unknown>): GhObject {
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

function createStatus(core: GitHubFakeCore, repo: string, sha: string, body: Record<string, unknown>): GhObject {
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
function latestStatuses(core: GitHubFakeCore, repo: string, sha: string): GhObject[] {
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

function statusesOf(core: GitHubFakeCore, repo: string, sha: string): GhObject[] {
  return core.state.statuses.list((s) => s._repo === repo && s._sha === sha).reverse();
}

function combinedState(statuses: GhObject[]): string {
  if (statuses.length === 0) return 'pending';
  if (statuses.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

// ---------------------------------------------------------------------------
// Routes

type Permission = [permission: string, level: 'read' | 'write'];

function routes(core: GitHubFakeCore): FakeRoute[] {
  const withRepo =
    (permission: Permission, handle: (ctx: FakeRouteContext, repo: GhObject) => Response | Promise<Response>) => (ctx: FakeRouteContext) => {
      const repo = requireRepo(core, ctx.params);
      if (repo instanceof Response) return repo;
      return refused(core, ctx.request, ...permission) ?? handle(ctx, repo);
    };
  const withRun = (permission: Permission, handle: (ctx: FakeRouteContext, run: GhObject) => Response | Promise<Response>) =>
    withRepo(permission, (ctx) => {
      const run = findRun(core, ctx.params);
      return run ? handle(ctx, run) : core.error(404, 'Not Found');
    });
  const withOrg = (permission: Permission, handle: (ctx: FakeRouteContext) => Response | Promise<Response>) => (ctx: FakeRouteContext) =>
    refused(core, ctx.request, ...permission) ?? handle(ctx);
  const actionsRead: Permission = ['actions', 'read'];
  const actionsWrite: Permission = ['actions', 'write'];
  const checksRead: Permission = ['checks', 'read'];
  const checksWrite: Permission = ['checks', 'write'];
  const statusesRead: Permission = ['statuses', 'read'];
  const statusesWrite: Permission = ['statuses', 'write'];
  const orgRunnersRead: Permission = ['organization_self_hosted_runners', 'read'];
  const orgRunnersWrite: Permission = ['organization_self_hosted_runners', 'write'];
  const adminRead: Permission = ['administration', 'read'];
  const adminWrite: Permission = ['administration', 'write'];

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
    {
      method: 'GET',
      path: '/orgs/:org/actions/runners',
      handle: withOrg(orgRunnersRead, ({ request, url, params }) => listRunners(request, url, params)),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/actions/runners',
      handle: withRepo(adminRead, ({ request, url, params }) => listRunners(request, url, params)),
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
        const run = findCheckRun(params);
        return run ? core.itemResponse(request, publicView(run)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/check-runs/:check_run_id',
      handle: withRepo(checksWrite, ({ body, params }) => {
        const run = findCheckRun(params);
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

  function listRunners(request: Request, url: URL, params: Record<string, string>): Response {
    const scope = runnerScopeOf(params);
    const name = url.searchParams.get('name');
    const runners = core.state.runners.list((r) => r._scope === scope && (!name || r.name === name)).map(publicView);
    return core.listResponse(request, url, runners, { wrap: (page, total) => ({ total_count: total, runners: page }) });
  }

  function findCheckRun(params: Record<string, string>): GhObject | undefined {
    const id = numericParam(params.check_run_id);
    const run = id === undefined ? undefined : core.state.checkRuns.get(id);
    return run && run._repo === repoName(params) ? run : undefined;
  }
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
