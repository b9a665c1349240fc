import {
  InvalidInputError,
  NotFoundError,
  createRunnerRegistration,
  type CallOptions,
  type CheckInput,
  type CheckPatch,
  type CicdProvider,
  type Conclusion,
  type ExternalCheck,
  type ExternalLogRef,
  type ExternalPipeline,
  type ExternalRef,
  type ListOptions,
  type RegisterRunnerOptions,
  type RerunOptions,
} from '@krate/core';
import type { Octokit } from '@octokit/rest';
import type { GitHubContext } from '../github-context.js';
import { PROVIDER } from '../github-errors.js';
import { DEFAULT_MAX_LOG_BYTES, downloadJobLog, redactJobLog, type LogDownload } from './github-cicd-log.js';
import {
  mapArtifact,
  mapCheckRun,
  mapCommitStatus,
  mapRunner,
  mapWorkflowJob,
  mapWorkflowRun,
  contentEtag,
  type GhRaw,
} from './github-cicd-mapping.js';
import { parseCheckId, parseNumericId, parseRepoScope, parseRunnerScope, type GitHubRepoScope } from './github-cicd-refs.js';
import { withSignal } from '../shared/github-request.js';

/** GitHub's page size limit for every Actions and Checks listing. */
const MAX_PAGE_SIZE = 100;

/** GitHub refuses longer commit status descriptions (422). */
const STATUS_DESCRIPTION_MAX = 140;

/** Settings of the CI/CD interface. */
export interface GitHubCicdOptions {
  /** Largest job log kept, in bytes; a longer log is cut at a line end and `truncated` is set. Default 10 MiB. */
  maxLogBytes?: number | undefined;
  /**
   * The fetch for pre-signed log downloads, which are sent without GitHub credentials.
   * The provider passes its transport's fetch (timeouts, retries). Default: the global fetch.
   */
  fetch?: typeof fetch | undefined;
}

/** The CI/CD interface of a GitHub instance, as built by {@link createGitHubCicd}. */
export type GitHubCicd = Omit<CicdProvider, 'specificationVersion'>;


interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

function errorStatus(error: unknown): number | undefined {
  const status = (error as ErrorLike | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function errorMessage(error: unknown): string {
  const data = (error as ErrorLike | null)?.response?.data;
  const fromBody = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
  if (typeof fromBody === 'string') return fromBody;
  const message = (error as ErrorLike | null)?.message;
  return typeof message === 'string' ? message : '';
}

function etagOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.etag;
  return typeof value === 'string' ? value : undefined;
}

/** Keeps list items changed at or after `updatedSince` (GitHub cannot filter these listings by update time). */
function since(updatedSince: string | undefined): (time: string | undefined) => boolean {
  if (!updatedSince) return () => true;
  const from = Date.parse(updatedSince);
  return (time) => time === undefined || Date.parse(time) >= from;
}

/** A check's status + conclusion as a commit status state. */
function statusStateFor(status: string | undefined, conclusion: Conclusion | undefined): 'pending' | 'success' | 'failure' | 'error' {
  if (conclusion === undefined) return status === 'completed' ? 'success' : 'pending';
  switch (conclusion) {
    case 'success':
    case 'neutral':
    case 'skipped':
      return 'success';
    case 'cancelled':
      return 'error';
    default:
      return 'failure';
  }
}

function cutDescription(text: string | undefined | null): string | undefined {
  if (text === undefined || text === null) return undefined;
  const chars = [...text];
  return chars.length <= STATUS_DESCRIPTION_MAX ? text : `${chars.slice(0, STATUS_DESCRIPTION_MAX - 1).join('')}…`;
}

/**
 * The CI/CD interface on GitHub Actions, Checks and commit statuses.
 *
 * - Pipelines are workflow runs (`owner/repo` scope), jobs are the jobs of a run's latest attempt.
 * - Job logs are fetched on demand from GitHub's pre-signed redirect, without GitHub
 *   credentials, capped ({@link GitHubCicdOptions.maxLogBytes}) and redacted.
 * - Runners live in an organization (`octo-org`) or a repository (`owner/repo`); the
 *   registration token never serializes and is registered for redaction.
 * - Checks are check runs (`check-run:<id>`) or commit statuses (`status:<sha>:<context>`).
 */
export function createGitHubCicd(ctx: GitHubContext, options: GitHubCicdOptions = {}): GitHubCicd {
  const maxLogBytes =
    typeof options.maxLogBytes === 'number' && Number.isSafeInteger(options.maxLogBytes) && options.maxLogBytes > 0
      ? options.maxLogBytes
      : DEFAULT_MAX_LOG_BYTES;
  const logFetch = (): typeof fetch => options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const octokit = (owner: string): Promise<Octokit> => ctx.octokitFor(owner);

  async function readRun(
    scope: GitHubRepoScope,
    runId: number,
    signal: AbortSignal | undefined,
  ): Promise<ExternalPipeline> {
    const client = await octokit(scope.owner);
    const res = await client.rest.actions.getWorkflowRun({ owner: scope.owner, repo: scope.repo, run_id: runId, ...withSignal(signal) });
    return mapWorkflowRun(ctx, res.data as unknown as GhRaw, { scope: `${scope.owner}/${scope.repo}`, etag: etagOf(res.headers) });
  }

  async function listPipelines(scope: string, listOptions: ListOptions = {}) {
    const operation = 'listPipelines';
    const repo = parseRepoScope(scope, operation);
    const keep = since(listOptions.updatedSince);
    const repoScope = `${repo.owner}/${repo.repo}`;
    return ctx.listPage<GhRaw, ExternalPipeline>(
      operation,
      repo.owner,
      {
        route: 'GET /repos/{owner}/{repo}/actions/runs',
        params: { owner: repo.owner, repo: repo.repo },
        options: { ...listOptions, updatedSince: undefined },
        maxPageSize: MAX_PAGE_SIZE,
        itemsKey: 'workflow_runs',
      },
      (raw) => (keep(typeof raw.updated_at === 'string' ? raw.updated_at : undefined) ? mapWorkflowRun(ctx, raw, { scope: repoScope }) : undefined),
    );
  }

  async function getPipeline(ref: ExternalRef, callOptions: CallOptions = {}) {
    const operation = 'getPipeline';
    const repo = parseRepoScope(ref?.scope, operation);
    const runId = parseNumericId(ref, 'pipeline', operation);
    return ctx.call(operation, () => readRun(repo, runId, callOptions.signal));
  }

  async function listJobs(pipelineRef: ExternalRef, listOptions: ListOptions = {}) {
    const operation = 'listJobs';
    const repo = parseRepoScope(pipelineRef?.scope, operation);
    const runId = parseNumericId(pipelineRef, 'pipeline', operation);
    const keep = since(listOptions.updatedSince);
    const repoScope = `${repo.owner}/${repo.repo}`;
    return ctx.listPage(
      operation,
      repo.owner,
      {
        route: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
        params: { owner: repo.owner, repo: repo.repo, run_id: runId, filter: 'latest' },
        options: { ...listOptions, updatedSince: undefined },
        maxPageSize: MAX_PAGE_SIZE,
        itemsKey: 'jobs',
      },
      (raw: GhRaw) => {
        const time = [raw.completed_at, raw.started_at, raw.created_at].find((t): t is string => typeof t === 'string');
        return keep(time) ? mapWorkflowJob(ctx, raw, { scope: repoScope }) : undefined;
      },
    );
  }

  async function getJobLog(jobRef: ExternalRef, callOptions: CallOptions = {}): Promise<ExternalLogRef> {
    const operation = 'getJobLog';
    const repo = parseRepoScope(jobRef?.scope, operation);
    const jobId = parseNumericId(jobRef, 'job', operation);
    const signal = callOptions.signal;
    const ref = { scope: `${repo.owner}/${repo.repo}`, id: String(jobId) };
    const apiUrl = `${ctx.apiBaseUrl}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}/actions/jobs/${jobId}/logs`;
    return ctx.call(operation, async () => {
      const client = await octokit(repo.owner);
      // GitHub answers with a 302 to a pre-signed URL; `manual` keeps Octokit (and its
      // Authorization header) from following it.
      const res = await client.rest.actions.downloadJobLogsForWorkflowRun({
        owner: repo.owner,
        repo: repo.repo,
        job_id: jobId,
        request: { redirect: 'manual', ...(signal ? { signal } : {}) },
      });
      const headers = res.headers as Record<string, unknown>;
      const location = typeof headers.location === 'string' ? headers.location : undefined;
      let download: LogDownload;
      if (location) {
        download = await downloadJobLog(logFetch(), new URL(location, apiUrl).toString(), { operation, maxBytes: maxLogBytes, signal });
      } else if (typeof res.data === 'string') {
        // A server that answers with the log itself (no redirect).
        const bytes = new TextEncoder().encode(res.data);
        download = bytes.byteLength > maxLogBytes
          ? { text: new TextDecoder().decode(bytes.subarray(0, bytes.lastIndexOf(0x0a, maxLogBytes - 1) + 1)), sizeBytes: bytes.byteLength, truncated: true }
          : { text: res.data, sizeBytes: bytes.byteLength, truncated: false };
      } else {
        throw new NotFoundError({ provider: PROVIDER, operation, status: res.status, message: `GitHub gave no log download location for job ${jobId}` });
      }
      const { text, redacted } = redactJobLog(download.text, ctx.redactor);
      // The job's page (GitHub's job html_url form /runs/{job_id}); the log host's validators
      // version the log, or a digest of the content when it sends none.
      const htmlUrl = `${ctx.webBaseUrl}/${repo.owner}/${repo.repo}/runs/${jobId}`;
      const out: ExternalLogRef = {
        ref,
        external: ctx.envelope(
          'cicd',
          'workflow_job_log',
          { id: jobId, url: apiUrl, html_url: htmlUrl, updated_at: download.lastModified ?? null },
          { etag: download.etag ?? contentEtag(text) },
        ),
        jobRef: ref,
        url: apiUrl,
        content: text,
        redacted,
        truncated: download.truncated,
      };
      if (download.sizeBytes !== undefined) out.sizeBytes = download.sizeBytes;
      return out;
    });
  }

  async function listArtifacts(pipelineRef: ExternalRef, listOptions: ListOptions = {}) {
    const operation = 'listArtifacts';
    const repo = parseRepoScope(pipelineRef?.scope, operation);
    const runId = parseNumericId(pipelineRef, 'pipeline', operation);
    const keep = since(listOptions.updatedSince);
    const repoScope = `${repo.owner}/${repo.repo}`;
    return ctx.listPage(
      operation,
      repo.owner,
      {
        route: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
        params: { owner: repo.owner, repo: repo.repo, run_id: runId },
        options: { ...listOptions, updatedSince: undefined },
        maxPageSize: MAX_PAGE_SIZE,
        itemsKey: 'artifacts',
      },
      (raw: GhRaw) =>
        keep(typeof raw.updated_at === 'string' ? raw.updated_at : undefined) ? mapArtifact(ctx, raw, { scope: repoScope, runId }) : undefined,
    );
  }

  async function rerunPipeline(ref: ExternalRef, rerunOptions: RerunOptions & CallOptions = {}) {
    const operation = 'rerunPipeline';
    const repo = parseRepoScope(ref?.scope, operation);
    const runId = parseNumericId(ref, 'pipeline', operation);
    const signal = rerunOptions.signal;
    return ctx.call(operation, async () => {
      const client = await octokit(repo.owner);
      const params = { owner: repo.owner, repo: repo.repo, run_id: runId, ...withSignal(signal) };
      try {
        if (rerunOptions.failedOnly) await client.rest.actions.reRunWorkflowFailedJobs(params);
        else await client.rest.actions.reRunWorkflow(params);
      } catch (error) {
        // A live attempt cannot be re-run: it is the re-run a repeated call asked for.
        if (!(errorStatus(error) === 403 && /already running/i.test(errorMessage(error)))) throw error;
      }
      return readRun(repo, runId, signal);
    });
  }

  async function cancelPipeline(ref: ExternalRef, callOptions: CallOptions = {}) {
    const operation = 'cancelPipeline';
    const repo = parseRepoScope(ref?.scope, operation);
    const runId = parseNumericId(ref, 'pipeline', operation);
    const signal = callOptions.signal;
    return ctx.call(operation, async () => {
      const client = await octokit(repo.owner);
      let requested = true;
      try {
        await client.rest.actions.cancelWorkflowRun({ owner: repo.owner, repo: repo.repo, run_id: runId, ...withSignal(signal) });
      } catch (error) {
        // 409 "Cannot cancel a workflow run that is completed.": nothing left to cancel.
        if (errorStatus(error) !== 409) throw error;
        requested = false;
      }
      const run = await readRun(repo, runId, signal);
      // GitHub cancels asynchronously: until the run completes it is being cancelled.
      if (requested && run.nativeStatus !== 'completed') return { ...run, phase: 'canceling' as const };
      return run;
    });
  }

  async function listRunners(scope: string, listOptions: ListOptions = {}) {
    const operation = 'listRunners';
    const target = parseRunnerScope(scope, operation);
    const runnerScope = target.kind === 'org' ? target.org : `${target.owner}/${target.repo}`;
    const listing =
      target.kind === 'org'
        ? { route: 'GET /orgs/{org}/actions/runners', params: { org: target.org } }
        : { route: 'GET /repos/{owner}/{repo}/actions/runners', params: { owner: target.owner, repo: target.repo } };
    return ctx.listPage(
      operation,
      target.kind === 'org' ? target.org : target.owner,
      { ...listing, options: { ...listOptions, updatedSince: undefined }, maxPageSize: MAX_PAGE_SIZE, itemsKey: 'runners' },
      (raw: GhRaw) => mapRunner(ctx, raw, { scope: runnerScope }),
    );
  }

  async function registerRunner(scope: string, registerOptions: RegisterRunnerOptions & CallOptions = {}) {
    const operation = 'registerRunner';
    const target = parseRunnerScope(scope, operation);
    const signal = registerOptions.signal;
    return ctx.call(operation, async () => {
      if (target.kind === 'org') {
        const client = await octokit(target.org);
        const res = await client.rest.actions.createRegistrationTokenForOrg({ org: target.org, ...withSignal(signal) });
        ctx.redactor.add(res.data.token);
        return createRunnerRegistration({
          scope: target.org,
          token: res.data.token,
          expiresAt: res.data.expires_at,
          registrationUrl: `${ctx.webBaseUrl}/${target.org}`,
        });
      }
      const client = await octokit(target.owner);
      const res = await client.rest.actions.createRegistrationTokenForRepo({ owner: target.owner, repo: target.repo, ...withSignal(signal) });
      ctx.redactor.add(res.data.token);
      return createRunnerRegistration({
        scope: `${target.owner}/${target.repo}`,
        token: res.data.token,
        expiresAt: res.data.expires_at,
        registrationUrl: `${ctx.webBaseUrl}/${target.owner}/${target.repo}`,
      });
    });
  }

  async function createCheck(input: CheckInput, callOptions: CallOptions = {}): Promise<ExternalCheck> {
    const operation = 'createCheck';
    const repo = parseRepoScope(input?.scope, operation);
    const repoScope = `${repo.owner}/${repo.repo}`;
    const kind = input.kind ?? 'check-run';
    const status = input.conclusion !== undefined ? 'completed' : (input.status ?? 'queued');
    if (status === 'completed' && input.conclusion === undefined) {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: 'a completed check needs a conclusion' });
    }
    const signal = callOptions.signal;
    const sha = input.sha.toLowerCase();
    return ctx.call(operation, async () => {
      const client = await octokit(repo.owner);
      if (kind === 'commit-status') {
        const res = await client.rest.repos.createCommitStatus({
          owner: repo.owner,
          repo: repo.repo,
          sha,
          state: statusStateFor(status, input.conclusion),
          context: input.name,
          ...(input.detailsUrl !== undefined ? { target_url: input.detailsUrl } : {}),
          ...(input.summary !== undefined ? { description: cutDescription(input.summary) } : {}),
          ...withSignal(signal),
        });
        return mapCommitStatus(ctx, res.data as unknown as GhRaw, { scope: repoScope, sha, etag: etagOf(res.headers) });
      }
      if (input.externalId !== undefined) {
        // The natural key of a check run: (head_sha, name, external_id).
        const found = await client.rest.checks.listForRef({
          owner: repo.owner,
          repo: repo.repo,
          ref: sha,
          check_name: input.name,
          filter: 'all',
          per_page: MAX_PAGE_SIZE,
          ...withSignal(signal),
        });
        const existing = found.data.check_runs.find((run) => run.external_id === input.externalId && run.name === input.name);
        if (existing) return mapCheckRun(ctx, existing as unknown as GhRaw, { scope: repoScope });
      }
      const res = await client.rest.checks.create({
        owner: repo.owner,
        repo: repo.repo,
        name: input.name,
        head_sha: sha,
        status,
        ...(input.conclusion !== undefined ? { conclusion: input.conclusion } : {}),
        ...(input.detailsUrl !== undefined ? { details_url: input.detailsUrl } : {}),
        ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
        ...(input.summary !== undefined ? { output: { title: input.name, summary: input.summary } } : {}),
        ...withSignal(signal),
      });
      return mapCheckRun(ctx, res.data as unknown as GhRaw, { scope: repoScope, etag: etagOf(res.headers) });
    });
  }

  async function updateCheck(ref: ExternalRef, patch: CheckPatch, callOptions: CallOptions = {}): Promise<ExternalCheck> {
    const operation = 'updateCheck';
    const repo = parseRepoScope(ref?.scope, operation);
    const repoScope = `${repo.owner}/${repo.repo}`;
    const check = parseCheckId(ref, operation);
    const signal = callOptions.signal;
    if (patch?.status === 'completed' && patch.conclusion === undefined) {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: 'a completed check needs a conclusion' });
    }
    return ctx.call(operation, async () => {
      const client = await octokit(repo.owner);
      if (check.kind === 'check-run') {
        let title: string | undefined;
        if (patch.summary !== undefined) {
          // GitHub requires the output title with a new summary: keep the current one.
          const current = await client.rest.checks.get({ owner: repo.owner, repo: repo.repo, check_run_id: check.id, ...withSignal(signal) });
          title = current.data.output.title ?? current.data.name;
        }
        const res = await client.rest.checks.update({
          owner: repo.owner,
          repo: repo.repo,
          check_run_id: check.id,
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.conclusion !== undefined ? { conclusion: patch.conclusion } : {}),
          ...(patch.detailsUrl !== undefined ? { details_url: patch.detailsUrl } : {}),
          ...(patch.summary !== undefined ? { output: { title: title ?? '', summary: patch.summary } } : {}),
          ...withSignal(signal),
        });
        return mapCheckRun(ctx, res.data as unknown as GhRaw, { scope: repoScope, etag: etagOf(res.headers) });
      }
      // Statuses cannot be edited: read the context's latest status and post a new one.
      const combined = await client.rest.repos.getCombinedStatusForRef({
        owner: repo.owner,
        repo: repo.repo,
        ref: check.sha,
        per_page: MAX_PAGE_SIZE,
        ...withSignal(signal),
      });
      const current = combined.data.statuses.find((s) => s.context.toLowerCase() === check.context.toLowerCase());
      if (!current) {
        throw new NotFoundError({ provider: PROVIDER, operation, status: 404, message: `no commit status "${check.context}" on ${check.sha} in ${repoScope}` });
      }
      const state =
        patch.status !== undefined || patch.conclusion !== undefined
          ? statusStateFor(patch.conclusion !== undefined ? 'completed' : patch.status, patch.conclusion)
          : (current.state as 'pending' | 'success' | 'failure' | 'error');
      const targetUrl = patch.detailsUrl ?? current.target_url ?? undefined;
      const description = patch.summary !== undefined ? cutDescription(patch.summary) : (current.description ?? undefined);
      const res = await client.rest.repos.createCommitStatus({
        owner: repo.owner,
        repo: repo.repo,
        sha: check.sha,
        state,
        context: current.context,
        ...(targetUrl !== undefined ? { target_url: targetUrl } : {}),
        ...(description !== undefined ? { description } : {}),
        ...withSignal(signal),
      });
      return mapCommitStatus(ctx, res.data as unknown as GhRaw, { scope: repoScope, sha: check.sha, etag: etagOf(res.headers) });
    });
  }

  return {
    listPipelines,
    getPipeline,
    listJobs,
    getJobLog,
    listArtifacts,
    rerunPipeline,
    cancelPipeline,
    listRunners,
    registerRunner,
    createCheck,
    updateCheck,
  };
}
