import { createHash } from 'node:crypto';
import { FakeClock, FakeCollection, createSequence } from '@krate/contract-tests/kit';

/**
 * The fake's state: pipelines, builds with their jobs, artifacts and agents, kept as
 * records and serialized in the shapes of the Buildkite REST API v2 documentation
 * (https://buildkite.com/docs/apis/rest-api).
 */

export interface FakePipeline {
  id: string;
  org: string;
  slug: string;
  name: string;
  repository: string;
  createdAt: string;
}

export interface FakeJob {
  id: string;
  type: 'script' | 'waiter' | 'manual' | 'trigger';
  name: string;
  stepKey: string | null;
  state: string;
  exitStatus: number | null;
  softFailed: boolean;
  agentId: string | null;
  log: string;
  createdAt: string;
  scheduledAt: string | null;
  runnableAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  retried: boolean;
  retriedInJobId: string | null;
  retriesCount: number | null;
}

export interface FakeBuild {
  id: string;
  org: string;
  pipeline: string;
  number: number;
  state: string;
  blocked: boolean;
  message: string;
  commit: string;
  branch: string;
  source: string;
  cancelReason: string | null;
  createdAt: string;
  scheduledAt: string;
  startedAt: string | null;
  failingAt: string | null;
  finishedAt: string | null;
  rebuiltFrom: { id: string; number: number } | null;
  /** For a pull request build: its number (as a string), base branch and repository. */
  pullRequest?: { id: string; base: string; repository: string } | null;
  jobs: FakeJob[];
}

export interface FakeArtifact {
  id: string;
  buildId: string;
  jobId: string;
  path: string;
  size: number;
  sha1: string;
  state: string;
  mimeType: string;
}

export interface FakeAgent {
  id: string;
  org: string;
  name: string;
  connectionState: string;
  hostname: string;
  version: string;
  metaData: string[];
  job: { id: string; name: string; buildId: string | null } | null;
  createdAt: string;
  lastJobFinishedAt: string | null;
}

/** Neutral seed status -> the build state and fields Buildkite reports for it. */
export const SEED_BUILD_STATES: Record<string, { state: string; blocked?: boolean; started: boolean; finished: boolean }> = {
  queued: { state: 'scheduled', started: false, finished: false },
  running: { state: 'running', started: true, finished: false },
  succeeded: { state: 'passed', started: true, finished: true },
  failed: { state: 'failed', started: true, finished: true },
  canceled: { state: 'canceled', started: true, finished: true },
  // A build waiting at a block step keeps its last state and sets `blocked`.
  blocked: { state: 'passed', blocked: true, started: true, finished: true },
};

/** Neutral seed status -> the job state (REST `passed`/`failed` aliases) and exit status. */
export const SEED_JOB_STATES: Record<string, { state: string; exitStatus: number | null; started: boolean; finished: boolean; type?: FakeJob['type'] }> = {
  queued: { state: 'scheduled', exitStatus: null, started: false, finished: false },
  running: { state: 'running', exitStatus: null, started: true, finished: false },
  succeeded: { state: 'passed', exitStatus: 0, started: true, finished: true },
  failed: { state: 'failed', exitStatus: 1, started: true, finished: true },
  canceled: { state: 'canceled', exitStatus: null, started: true, finished: true },
  blocked: { state: 'blocked', exitStatus: null, started: false, finished: false, type: 'manual' },
};

/** Build states the `state` filter's `finished` shortcut stands for. */
export const FINISHED_FILTER = ['passed', 'failed', 'blocked', 'canceled'];

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

export class BuildkiteFakeState {
  readonly clock = new FakeClock();
  readonly pipelines = new FakeCollection<FakePipeline>({ name: 'pipeline' });
  readonly builds = new FakeCollection<FakeBuild>({ name: 'build' });
  readonly artifacts = new FakeCollection<FakeArtifact>({ name: 'artifact' });
  readonly agents = new FakeCollection<FakeAgent>({ name: 'agent' });
  /** Organizations that exist (others answer 404). */
  readonly organizations = new Set<string>();
  readonly #ids = createSequence();
  readonly #numbers = new Map<string, number>();

  /** A UUID in Buildkite's format; the kind digit keeps ids of different kinds apart. */
  uuid(kind: 'pipeline' | 'build' | 'job' | 'artifact' | 'agent' | 'user' | 'request'): string {
    const digit = { pipeline: 1, build: 2, job: 3, artifact: 4, agent: 5, user: 6, request: 7 }[kind];
    return `0190${hex(digit, 4)}-${hex(0, 4)}-4000-8000-${hex(this.#ids(), 12)}`;
  }

  /** A 40-hex commit SHA derived from a seed value. */
  sha(seed: string): string {
    return createHash('sha1').update(seed).digest('hex');
  }

  ensureOrg(org: string): void {
    this.organizations.add(org);
  }

  ensurePipeline(org: string, slug: string): FakePipeline {
    this.ensureOrg(org);
    const existing = this.findPipeline(org, slug);
    if (existing) return existing;
    const name = slug.split(/[-_]/).map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
    return this.pipelines.insert({
      id: this.uuid('pipeline'),
      org,
      slug,
      name,
      repository: `git@github.com:${org}/${slug}.git`,
      createdAt: this.clock.iso(),
    });
  }

  findPipeline(org: string, slug: string): FakePipeline | undefined {
    return this.pipelines.list((p) => p.org === org && p.slug === slug)[0];
  }

  nextNumber(org: string, slug: string): number {
    const key = `${org}/${slug}`;
    const next = (this.#numbers.get(key) ?? 0) + 1;
    this.#numbers.set(key, next);
    return next;
  }

  findBuild(org: string, slug: string, number: number): FakeBuild | undefined {
    return this.builds.list((b) => b.org === org && b.pipeline === slug && b.number === number)[0];
  }

  /** Builds of a pipeline or organization, newest first (as Buildkite lists them). */
  listBuilds(org: string, slug?: string): FakeBuild[] {
    return this.builds
      .list((b) => b.org === org && (slug === undefined || b.pipeline === slug))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.pipeline === b.pipeline ? b.number - a.number : a.pipeline < b.pipeline ? -1 : 1));
  }

  /** Replaces a build (builds are stored by id). */
  saveBuild(build: FakeBuild): FakeBuild {
    return this.builds.insert(build);
  }

  newJob(fields: Partial<FakeJob> & { name: string }): FakeJob {
    const now = this.clock.iso();
    return {
      id: this.uuid('job'),
      type: 'script',
      stepKey: null,
      state: 'scheduled',
      exitStatus: null,
      softFailed: false,
      agentId: null,
      log: '',
      createdAt: now,
      scheduledAt: now,
      runnableAt: null,
      startedAt: null,
      finishedAt: null,
      retried: false,
      retriedInJobId: null,
      retriesCount: null,
      ...fields,
    };
  }

  findJob(build: FakeBuild, jobId: string): FakeJob | undefined {
    return build.jobs.find((j) => j.id === jobId);
  }
}

/** Where the fake is served: API base (path included) and the web host. */
export interface FakeUrls {
  api: string;
  web: string;
}

function userJson(id: string, name: string, email: string): Record<string, unknown> {
  return { id, graphql_id: Buffer.from(`User---${id}`).toString('base64'), name, email, avatar_url: 'https://www.gravatar.com/avatar/0', created_at: '2025-01-01T00:00:00.000Z' };
}

export const FAKE_CREATOR = userJson('01900006-0000-4000-8000-00000000c0de', 'Contract Bot', 'bot@example.com');

export function pipelineJson(state: BuildkiteFakeState, urls: FakeUrls, pipeline: FakePipeline): Record<string, unknown> {
  const base = `${urls.api}/organizations/${pipeline.org}/pipelines/${pipeline.slug}`;
  let scheduled = 0;
  let running = 0;
  for (const b of state.builds.list((b) => b.org === pipeline.org && b.pipeline === pipeline.slug)) {
    if (b.state === 'scheduled') scheduled += 1;
    else if (b.state === 'running') running += 1;
  }
  return {
    id: pipeline.id,
    graphql_id: Buffer.from(`Pipeline---${pipeline.id}`).toString('base64'),
    url: base,
    web_url: `${urls.web}/${pipeline.org}/${pipeline.slug}`,
    name: pipeline.name,
    slug: pipeline.slug,
    repository: pipeline.repository,
    branch_configuration: null,
    default_branch: 'main',
    provider: { id: 'github', webhook_url: '', settings: { repository: `${pipeline.org}/${pipeline.slug}`, publish_commit_status: true } },
    skip_queued_branch_builds: false,
    skip_queued_branch_builds_filter: null,
    cancel_running_branch_builds: false,
    cancel_running_branch_builds_filter: null,
    builds_url: `${base}/builds`,
    badge_url: `https://badge.buildkite.com/${pipeline.id.replace(/-/g, '')}.svg`,
    created_at: pipeline.createdAt,
    scheduled_builds_count: scheduled,
    running_builds_count: running,
    scheduled_jobs_count: 0,
    running_jobs_count: 0,
    waiting_jobs_count: 0,
  };
}

export function buildApiUrl(urls: FakeUrls, build: Pick<FakeBuild, 'org' | 'pipeline' | 'number'>): string {
  return `${urls.api}/organizations/${build.org}/pipelines/${build.pipeline}/builds/${build.number}`;
}

export function agentSummaryJson(urls: FakeUrls, agent: FakeAgent): Record<string, unknown> {
  return {
    id: agent.id,
    graphql_id: Buffer.from(`Agent---${agent.id}`).toString('base64'),
    url: `${urls.api}/organizations/${agent.org}/agents/${agent.id}`,
    web_url: `${urls.web}/organizations/${agent.org}/agents/${agent.id}`,
    name: agent.name,
    connection_state: agent.connectionState,
    hostname: agent.hostname,
    ip_address: '192.0.2.10',
    user_agent: `buildkite-agent/${agent.version} (linux; amd64)`,
    creator: FAKE_CREATOR,
    created_at: agent.createdAt,
  };
}

export function jobJson(state: BuildkiteFakeState, urls: FakeUrls, build: FakeBuild, job: FakeJob): Record<string, unknown> {
  const buildUrl = buildApiUrl(urls, build);
  const web = `${urls.web}/${build.org}/${build.pipeline}/builds/${build.number}#${job.id}`;
  const agent = job.agentId ? state.agents.get(job.agentId) : undefined;
  const common = {
    id: job.id,
    graphql_id: Buffer.from(`Job---${job.id}`).toString('base64'),
    type: job.type,
    state: job.state,
    step_key: job.stepKey,
    web_url: web,
    created_at: job.createdAt,
    scheduled_at: job.scheduledAt,
    runnable_at: job.runnableAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
  };
  if (job.type === 'manual') {
    return { ...common, label: job.name, unblocked_by: null, unblocked_at: null, unblockable: job.state === 'blocked', unblock_url: web };
  }
  if (job.type === 'waiter') return { ...common, name: null };
  return {
    ...common,
    name: job.name,
    step: { id: job.id.replace(/^0190/, '018c'), signature: null },
    priority: { number: 0 },
    agent_query_rules: ['queue=default'],
    build_url: buildUrl,
    log_url: `${buildUrl}/jobs/${job.id}/log`,
    raw_log_url: `${buildUrl}/jobs/${job.id}/log.txt`,
    artifacts_url: `${buildUrl}/jobs/${job.id}/artifacts`,
    command: job.type === 'script' ? `./run ${job.name}` : null,
    soft_failed: job.softFailed,
    exit_status: job.exitStatus,
    signal: null,
    signal_reason: null,
    artifact_paths: '',
    agent: agent ? agentSummaryJson(urls, agent) : null,
    expired_at: null,
    retried: job.retried,
    retried_in_job_id: job.retriedInJobId,
    retries_count: job.retriesCount,
    retry_source: null,
    retry_type: null,
    parallel_group_index: null,
    parallel_group_total: null,
    matrix: null,
    cluster_id: null,
    cluster_url: null,
    cluster_queue_id: null,
    cluster_queue_url: null,
    ...(job.type === 'trigger' ? { async: false, triggered_build: null } : {}),
  };
}

/**
 * A build in the REST shape. `includeJobs: false` is the webhook shape (Buildkite leaves
 * jobs out of webhook builds) and `exclude_jobs=true`.
 */
export function buildJson(
  state: BuildkiteFakeState,
  urls: FakeUrls,
  build: FakeBuild,
  options: { includeJobs?: boolean; includePipeline?: boolean; includeRetried?: boolean } = {},
): Record<string, unknown> {
  const url = buildApiUrl(urls, build);
  const pipeline = state.findPipeline(build.org, build.pipeline);
  const out: Record<string, unknown> = {
    id: build.id,
    graphql_id: Buffer.from(`Build---${build.id}`).toString('base64'),
    url,
    web_url: `${urls.web}/${build.org}/${build.pipeline}/builds/${build.number}`,
    number: build.number,
    state: build.state,
    cancel_reason: build.cancelReason,
    blocked: build.blocked,
    message: build.message,
    commit: build.commit,
    branch: build.branch,
    env: {},
    source: build.source,
    creator: FAKE_CREATOR,
    created_at: build.createdAt,
    scheduled_at: build.scheduledAt,
    started_at: build.startedAt,
    failing_at: build.failingAt,
    finished_at: build.finishedAt,
    meta_data: {},
    pull_request: build.pullRequest ? { ...build.pullRequest } : {},
    rebuilt_from: build.rebuiltFrom ? { ...build.rebuiltFrom, url: buildApiUrl(urls, { ...build, number: build.rebuiltFrom.number }) } : null,
  };
  if (options.includeJobs !== false) {
    out.jobs = build.jobs.filter((j) => options.includeRetried || !j.retried).map((j) => jobJson(state, urls, build, j));
  }
  if (options.includePipeline !== false && pipeline) out.pipeline = pipelineJson(state, urls, pipeline);
  return out;
}

export function artifactJson(urls: FakeUrls, build: FakeBuild, artifact: FakeArtifact): Record<string, unknown> {
  const url = `${buildApiUrl(urls, build)}/jobs/${artifact.jobId}/artifacts/${artifact.id}`;
  const slash = artifact.path.lastIndexOf('/');
  return {
    id: artifact.id,
    job_id: artifact.jobId,
    url,
    download_url: `${url}/download`,
    state: artifact.state,
    path: artifact.path,
    dirname: slash >= 0 ? artifact.path.slice(0, slash) : '.',
    filename: slash >= 0 ? artifact.path.slice(slash + 1) : artifact.path,
    mime_type: artifact.mimeType,
    file_size: artifact.size,
    glob_path: null,
    original_path: null,
    sha1sum: artifact.sha1,
  };
}

export function agentJson(state: BuildkiteFakeState, urls: FakeUrls, agent: FakeAgent): Record<string, unknown> {
  const job = agent.job;
  let jobJsonValue: Record<string, unknown> | null = null;
  if (job) {
    const build = job.buildId ? state.builds.get(job.buildId) : undefined;
    const full = build?.jobs.find((j) => j.id === job.id);
    jobJsonValue = build && full ? jobJson(state, urls, build, full) : { id: job.id, type: 'script', name: job.name, state: 'running' };
  }
  return {
    ...agentSummaryJson(urls, agent),
    version: agent.version,
    job: jobJsonValue,
    last_job_finished_at: agent.lastJobFinishedAt,
    priority: null,
    meta_data: [...agent.metaData],
  };
}
