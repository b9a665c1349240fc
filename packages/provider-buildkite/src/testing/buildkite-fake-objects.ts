import type { BuildkiteFakeState, FakeAgent, FakeArtifact, FakeBuild, FakeJob, FakePipeline } from './buildkite-fake-state.js';

/**
 * Builders of Buildkite's JSON objects (pipelines, builds, jobs, artifacts, agents,
 * users) from the fake's state, in the shapes the REST API and webhooks document.
 */

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
