import { randomBytes } from 'node:crypto';
import type { ExternalRef } from '@krate/core';
import { FakeNotFound, json, type FakeRoute, type SeedPipeline } from '@krate/contract-tests/kit';
import { jobJson, pipelineJson, runnerJson, statusJson } from './gitlab-fake-objects.js';
import {
  bodyOf, glError, hookTime, listAnswer, ordered, updatedFilter, type FakeJob, type FakePipeline, type FakePipelineStatus, type FakeStatus,
  type GitLabFakeModule, type GitLabFakeState,
} from './gitlab-fake-state.js';

const SEED_STATUS: Record<NonNullable<SeedPipeline['status']>, FakePipelineStatus> = {
  queued: 'pending', running: 'running', succeeded: 'success', failed: 'failed', canceled: 'canceled', blocked: 'manual',
};
const FINISHED = new Set<FakePipelineStatus>(['success', 'failed', 'canceled', 'skipped']);
const ACTIVE = new Set<FakePipelineStatus>(['created', 'waiting_for_resource', 'preparing', 'pending', 'running']);

function pipelineOf(s: GitLabFakeState, projectId: number, id: string | number): FakePipeline {
  const found = s.pipelines.get(Number(id));
  if (!found || found.projectId !== projectId) throw new FakeNotFound(id, 'pipeline');
  return found;
}

function jobOf(s: GitLabFakeState, projectId: number, id: string | number): FakeJob {
  const found = s.jobs.get(Number(id));
  if (!found || found.projectId !== projectId) throw new FakeNotFound(id, 'job');
  return found;
}

/** A pipeline that was asked to cancel shows `canceling` once, then `canceled` (GitLab 17+ cancels running jobs asynchronously). */
function settle(s: GitLabFakeState, p: FakePipeline): FakePipeline {
  if (p.status !== 'canceling') return p;
  const at = s.tick();
  for (const j of s.jobs.list((x) => x.pipelineId === p.id && (ACTIVE.has(x.status) || x.status === 'canceling'))) s.jobs.update(j.id, { status: 'canceled', finishedAt: at });
  return s.pipelines.update(p.id, { status: 'canceled', finishedAt: at, updatedAt: at });
}

function newPipeline(s: GitLabFakeState, projectId: number, input: { ref: string; sha: string; status: FakePipelineStatus; source: string; name?: string | null; createdAt?: string; updatedAt?: string }): FakePipeline {
  const at = input.createdAt ?? s.tick();
  const updatedAt = input.updatedAt ?? at;
  const finished = FINISHED.has(input.status);
  return s.pipelines.insert({
    id: s.nextId(), iid: s.nextIid(s.pipelines, projectId), projectId, name: input.name ?? null, ref: input.ref, sha: input.sha, status: input.status, source: input.source,
    userId: s.user('krate-bot').id, createdAt: at, updatedAt, startedAt: input.status === 'pending' || input.status === 'created' ? null : at, finishedAt: finished ? updatedAt : null,
    runs: 1,
  });
}

/** Pipelines, jobs, bridges, job logs and artifacts, runners, commit statuses. */
export const gitlabFakePipelines: GitLabFakeModule = {
  routes(s): FakeRoute[] {
    return [
      {
        method: 'GET', path: '/projects/:id/pipelines',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          const status = url.searchParams.get('status');
          const ref = url.searchParams.get('ref');
          const sha = url.searchParams.get('sha');
          const inUpdated = updatedFilter(url);
          const items = s.pipelines.list((x) => x.projectId === p.id && (!status || x.status === status) && (!ref || x.ref === ref) && (!sha || x.sha === sha) && inUpdated(x.updatedAt)).map((x) => settle(s, x));
          return listAnswer(url, ordered(url, items, 'id'), (x) => pipelineJson(s, x));
        },
      },
      { method: 'GET', path: '/projects/:id/pipelines/:pipeline_id', handle: ({ params }) => json(pipelineJson(s, settle(s, pipelineOf(s, s.project(params.id!).id, params.pipeline_id!)), true)) },
      {
        method: 'POST', path: '/projects/:id/pipeline',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          const branch = typeof b.ref === 'string' ? s.branches.get(`${p.id}:${b.ref}`) : undefined;
          if (!branch) return json({ message: { base: ['Reference not found'] } }, { status: 400 });
          // A new pipeline for a ref is another run of the ref's latest pipeline.
          const previous = s.pipelines.list((x) => x.projectId === p.id && x.ref === branch.name).pop();
          if (previous) s.pipelines.update(previous.id, { runs: previous.runs + 1 });
          const pipeline = newPipeline(s, p.id, { ref: branch.name, sha: branch.sha, status: 'pending', source: 'api' });
          return json(pipelineJson(s, pipeline, true), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/projects/:id/pipelines/:pipeline_id/retry',
        handle: ({ params }) => {
          const pipeline = pipelineOf(s, s.project(params.id!).id, params.pipeline_id!);
          const retryable = s.jobs.list((j) => j.pipelineId === pipeline.id && (j.status === 'failed' || j.status === 'canceled'));
          if (retryable.length === 0 && pipeline.status !== 'failed' && pipeline.status !== 'canceled') return glError(403, '403 Forbidden');
          const at = s.tick();
          for (const j of retryable) s.jobs.update(j.id, { status: 'pending', startedAt: null, finishedAt: null });
          return json(pipelineJson(s, s.pipelines.update(pipeline.id, { status: 'pending', updatedAt: at, finishedAt: null, runs: pipeline.runs + 1 }), true), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/projects/:id/pipelines/:pipeline_id/cancel',
        handle: ({ params }) => {
          const pipeline = settle(s, pipelineOf(s, s.project(params.id!).id, params.pipeline_id!));
          if (!ACTIVE.has(pipeline.status)) return json(pipelineJson(s, pipeline, true));
          const at = s.tick();
          const running = s.jobs.list((j) => j.pipelineId === pipeline.id && j.status === 'running');
          for (const j of running) s.jobs.update(j.id, { status: 'canceling' });
          for (const j of s.jobs.list((x) => x.pipelineId === pipeline.id && ACTIVE.has(x.status))) s.jobs.update(j.id, { status: 'canceled', finishedAt: at });
          const status: FakePipelineStatus = pipeline.status === 'running' ? 'canceling' : 'canceled';
          return json(pipelineJson(s, s.pipelines.update(pipeline.id, { status, updatedAt: at, ...(status === 'canceled' ? { finishedAt: at } : {}) }), true));
        },
      },
      {
        method: 'GET', path: '/projects/:id/pipelines/:pipeline_id/jobs',
        handle: ({ params, url }) => {
          const pipeline = pipelineOf(s, s.project(params.id!).id, params.pipeline_id!);
          const scopes = url.searchParams.getAll('scope[]');
          const items = s.jobs.list((j) => j.pipelineId === pipeline.id && !j.bridge && (scopes.length === 0 || scopes.includes(j.status)));
          return listAnswer(url, items, (j) => jobJson(s, j));
        },
      },
      {
        method: 'GET', path: '/projects/:id/pipelines/:pipeline_id/bridges',
        handle: ({ params, url }) => {
          const pipeline = pipelineOf(s, s.project(params.id!).id, params.pipeline_id!);
          return listAnswer(url, s.jobs.list((j) => j.pipelineId === pipeline.id && j.bridge), (j) => jobJson(s, j));
        },
      },
      { method: 'GET', path: '/projects/:id/jobs/:job_id', handle: ({ params }) => json(jobJson(s, jobOf(s, s.project(params.id!).id, params.job_id!))) },
      {
        method: 'GET', path: '/projects/:id/jobs/:job_id/trace',
        handle: ({ params }) => {
          const job = jobOf(s, s.project(params.id!).id, params.job_id!);
          return new Response(job.trace, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
        },
      },
      {
        method: 'GET', path: '/projects/:id/runners',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          return listAnswer(url, s.runners.list((r) => r.projectIds.includes(p.id)), (r) => runnerJson(s, r));
        },
      },
      { method: 'GET', path: '/runners/:runner_id', handle: ({ params }) => json(runnerJson(s, s.runners.require(Number(params.runner_id)), true)) },
      {
        method: 'POST', path: '/user/runners',
        handle: ({ body, url }) => {
          const b = bodyOf(body, url);
          if (!['instance_type', 'group_type', 'project_type'].includes(String(b.runner_type))) return json({ error: 'runner_type does not have a valid value' }, { status: 400 });
          if (b.runner_type === 'project_type') {
            if (b.project_id === undefined) return json({ error: 'project_id is missing' }, { status: 400 });
            s.project(String(b.project_id));
          }
          const tags = typeof b.tag_list === 'string' ? b.tag_list.split(',').map((t) => t.trim()).filter(Boolean) : Array.isArray(b.tag_list) ? b.tag_list.map(String) : [];
          const runner = s.runners.insert({
            id: s.nextId(), description: typeof b.description === 'string' ? b.description : '', projectIds: b.project_id !== undefined ? [Number(b.project_id)] : [],
            status: 'never_contacted', paused: b.paused === true, tagList: tags, runnerType: b.runner_type as 'project_type', version: null, platform: null,
          });
          const token = `glrt-${randomBytes(15).toString('base64url')}`;
          s.runnerTokens.push(token);
          return json({ id: runner.id, token, token_expires_at: null }, { status: 201 });
        },
      },
      {
        method: 'POST', path: '/runners',
        handle: () => (s.legacyRunnerRegistration ? json({ message: 'not modelled' }, { status: 501 }) : glError(410, '410 Gone')),
      },
      {
        method: 'POST', path: '/projects/:id/statuses/:sha',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const sha = params.sha!;
          if (!s.commits.get(`${p.id}:${sha}`)) return glError(404, '404 Commit Not Found');
          const b = bodyOf(body, url);
          const state = String(b.state ?? '');
          if (!['pending', 'running', 'success', 'failed', 'canceled', 'skipped'].includes(state)) return json({ error: 'state does not have a valid value' }, { status: 400 });
          const name = typeof b.name === 'string' && b.name ? b.name : typeof b.context === 'string' && b.context ? b.context : 'default';
          const latest = s.statuses.list((x) => x.projectId === p.id && x.sha === sha && x.name === name).pop();
          if (latest && latest.status === state) {
            const verb = { pending: 'enqueue', running: 'run', success: 'succeed', failed: 'drop', canceled: 'cancel', skipped: 'skip' }[state];
            return json({ message: `Cannot transition status via :${verb} from :${latest.status}` }, { status: 400 });
          }
          const at = s.tick();
          // A status without pipeline_id attaches to the sha's latest pipeline, or creates an external one.
          const pipeline = b.pipeline_id !== undefined
            ? pipelineOf(s, p.id, String(b.pipeline_id))
            : s.pipelines.list((x) => x.projectId === p.id && x.sha === sha).pop() ?? newPipeline(s, p.id, { ref: typeof b.ref === 'string' ? b.ref : p.defaultBranch, sha, status: 'running', source: 'external' });
          const status: FakeStatus = {
            id: s.nextId(), projectId: p.id, sha, ref: typeof b.ref === 'string' ? b.ref : pipeline.ref, name, status: state as FakeStatus['status'],
            targetUrl: typeof b.target_url === 'string' ? b.target_url : latest?.targetUrl ?? null, description: typeof b.description === 'string' ? b.description : latest?.description ?? null,
            createdAt: latest?.createdAt ?? at, startedAt: state === 'pending' ? null : latest?.startedAt ?? at, finishedAt: FINISHED.has(state as FakePipelineStatus) ? at : null, pipelineId: pipeline.id,
          };
          s.statuses.insert(status);
          return json(statusJson(s, status), { status: 201 });
        },
      },
      {
        method: 'GET', path: '/projects/:id/repository/commits/:sha/statuses',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          const name = url.searchParams.get('name');
          const all = url.searchParams.get('all') === 'true';
          let items = s.statuses.list((x) => x.projectId === p.id && x.sha === params.sha && (!name || x.name === name));
          if (!all) items = [...new Map(items.map((x) => [x.name, x])).values()];
          return listAnswer(url, items, (x) => statusJson(s, x));
        },
      },
    ];
  },

  seeds(s) {
    const seeds = {
      pipeline(scope: string, input: SeedPipeline): ExternalRef {
        const p = s.ensureProject(scope);
        const branch = input.branch ?? p.defaultBranch;
        const sha = input.sha ?? s.branches.get(`${p.id}:${branch}`)?.sha ?? s.setBranch(p.id, branch).sha;
        if (!s.commits.get(`${p.id}:${sha}`)) s.addCommit(p.id, { message: `Commit ${sha.slice(0, 8)}`, sha });
        if (!s.branches.get(`${p.id}:${branch}`)) s.setBranch(p.id, branch, sha);
        const status = SEED_STATUS[input.status ?? 'succeeded'];
        const pipeline = newPipeline(s, p.id, {
          ref: branch, sha, status, source: 'push', name: input.name ?? null,
          ...(input.createdAt ? { createdAt: new Date(input.createdAt).toISOString() } : {}), ...(input.updatedAt ? { updatedAt: new Date(input.updatedAt).toISOString() } : {}),
        });
        return { scope: p.path, id: String(pipeline.id) };
      },
      job(pipelineRef: ExternalRef, input: { name: string; status?: SeedPipeline['status']; log?: string }): ExternalRef {
        const p = s.project(pipelineRef.scope);
        const pipeline = pipelineOf(s, p.id, pipelineRef.id);
        const status = SEED_STATUS[input.status ?? 'succeeded'];
        const at = s.tick();
        const job = s.jobs.insert({
          id: s.nextId(), projectId: p.id, pipelineId: pipeline.id, name: input.name, stage: 'test', status, bridge: false,
          trace: input.log ?? `\u001b[0KRunning with gitlab-runner 17.11.0\n$ echo ${input.name}\n${input.name}\nJob succeeded\n`,
          artifacts: [], artifactsExpireAt: null, runnerId: null, allowFailure: false, createdAt: at, startedAt: status === 'pending' ? null : at,
          finishedAt: FINISHED.has(status) ? at : null,
        });
        return { scope: p.path, id: String(job.id) };
      },
      artifact(pipelineRef: ExternalRef, input: { name: string; sizeBytes?: number }): ExternalRef {
        // GitLab keeps artifacts per job: each seeded artifact is the archive of its own job.
        const job = seeds.job(pipelineRef, { name: `package ${input.name}` });
        s.jobs.update(Number(job.id), { artifacts: [{ file_type: 'archive', size: input.sizeBytes ?? 1024, filename: input.name, file_format: 'zip' }] });
        return { scope: job.scope, id: `${job.id}:archive` };
      },
      runner(scope: string, input: { name: string; status?: 'online' | 'offline'; labels?: string[] }): ExternalRef {
        const p = s.ensureProject(scope);
        const runner = s.runners.insert({
          id: s.nextId(), description: input.name, projectIds: [p.id], status: input.status ?? 'online', paused: false, tagList: input.labels ?? [],
          runnerType: 'project_type', version: '17.11.0', platform: 'linux',
        });
        return { scope: p.path, id: String(runner.id) };
      },
    };
    return seeds;
  },

  webhooks(s) {
    const projectOf = (id: number) => {
      const p = s.projects.require(id);
      return { id: p.id, name: p.name, description: p.description ?? '', web_url: `${s.webUrl}/${p.path}`, avatar_url: null, git_ssh_url: `git@${new URL(s.webUrl).host}:${p.path}.git`, git_http_url: `${s.webUrl}/${p.path}.git`, namespace: p.path.split('/').slice(0, -1).join('/'), visibility_level: 0, path_with_namespace: p.path, default_branch: p.defaultBranch, ci_config_path: null };
    };
    const hookUser = (id: number) => {
      const u = s.users.require(id);
      return { id: u.id, name: u.name, username: u.username, avatar_url: null, email: '[REDACTED]' };
    };
    const pipelineFor = (ref?: ExternalRef): FakePipeline => {
      if (ref) return pipelineOf(s, s.project(ref.scope).id, ref.id);
      const fresh = gitlabFakePipelines.seeds(s).pipeline!('krate-group/platform/web', { status: 'succeeded' });
      return s.pipelines.require(Number(fresh.id));
    };
    const buildHook = (j: FakeJob) => {
      const runner = j.runnerId ? s.runners.get(j.runnerId) : undefined;
      return {
        id: j.id, stage: j.stage, name: j.name, status: j.status, created_at: hookTime(j.createdAt), started_at: hookTime(j.startedAt), finished_at: hookTime(j.finishedAt),
        duration: j.startedAt && j.finishedAt ? (Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000 : null, queued_duration: null, failure_reason: j.status === 'failed' ? 'script_failure' : null,
        when: 'on_success', manual: false, allow_failure: j.allowFailure, user: hookUser(s.pipelines.require(j.pipelineId).userId),
        runner: runner ? { id: runner.id, description: runner.description, runner_type: runner.runnerType, active: !runner.paused, is_shared: false, tags: runner.tagList } : null,
        artifacts_file: { filename: null, size: null }, environment: null,
      };
    };
    return {
      'Pipeline Hook': (options) => {
        const pl = pipelineFor(options.ref);
        const p = s.projects.require(pl.projectId);
        const commit = s.commits.get(`${p.id}:${pl.sha}`);
        return {
          object_kind: 'pipeline',
          object_attributes: {
            id: pl.id, iid: pl.iid, name: pl.name, ref: pl.ref, tag: false, sha: pl.sha, before_sha: '0000000000000000000000000000000000000000', source: pl.source, status: pl.status,
            detailed_status: pl.status, stages: ['test'], created_at: hookTime(pl.createdAt), finished_at: hookTime(pl.finishedAt),
            duration: pl.startedAt && pl.finishedAt ? Math.round((Date.parse(pl.finishedAt) - Date.parse(pl.startedAt)) / 1000) : null, queued_duration: null, variables: [],
            url: `${s.webUrl}/${p.path}/-/pipelines/${pl.id}`,
          },
          merge_request: null, user: hookUser(pl.userId), project: projectOf(p.id),
          commit: commit ? { id: commit.sha, message: commit.message, title: commit.message.split('\n')[0], timestamp: commit.committedAt, url: `${s.webUrl}/${p.path}/-/commit/${commit.sha}`, author: { name: commit.authorName, email: commit.authorEmail } } : null,
          builds: s.jobs.list((j) => j.pipelineId === pl.id && !j.bridge).map(buildHook),
        };
      },
      'Job Hook': (options) => {
        let job: FakeJob;
        if (options.ref) {
          job = jobOf(s, s.project(options.ref.scope).id, options.ref.id);
        } else {
          const pl = pipelineFor();
          const ref = gitlabFakePipelines.seeds(s).job!({ scope: s.projects.require(pl.projectId).path, id: String(pl.id) }, { name: 'test' });
          job = s.jobs.require(Number(ref.id));
        }
        const pl = s.pipelines.require(job.pipelineId);
        const p = s.projects.require(job.projectId);
        const commit = s.commits.get(`${p.id}:${pl.sha}`);
        const b = buildHook(job);
        return {
          object_kind: 'build', ref: pl.ref, tag: false, before_sha: '0000000000000000000000000000000000000000', sha: pl.sha, retries_count: 0,
          build_id: job.id, build_name: job.name, build_stage: job.stage, build_status: job.status, build_created_at: b.created_at, build_started_at: b.started_at,
          build_finished_at: b.finished_at, build_duration: b.duration, build_queued_duration: null, build_allow_failure: job.allowFailure, build_failure_reason: b.failure_reason ?? 'unknown_failure',
          pipeline_id: pl.id, runner: b.runner, project_id: p.id, project_name: p.path.split('/').join(' / '), user: hookUser(pl.userId),
          commit: { id: pl.id, name: null, sha: pl.sha, message: commit?.message ?? '', author_name: commit?.authorName ?? '', author_email: commit?.authorEmail ?? '', author_url: null, status: pl.status, duration: null, started_at: hookTime(pl.startedAt), finished_at: hookTime(pl.finishedAt) },
          repository: { name: p.name, url: `git@${new URL(s.webUrl).host}:${p.path}.git`, description: p.description ?? '', homepage: `${s.webUrl}/${p.path}`, git_http_url: `${s.webUrl}/${p.path}.git`, git_ssh_url: `git@${new URL(s.webUrl).host}:${p.path}.git`, visibility_level: 0 },
          project: projectOf(p.id), environment: null,
        };
      },
      'Deployment Hook': (options) => {
        // About a job (the deployable): the given one, or a fresh deploy job.
        const given = options.ref ? s.jobs.get(Number(options.ref.id)) : undefined;
        const pl = given ? s.pipelines.require(given.pipelineId) : pipelineFor();
        const p = s.projects.require(pl.projectId);
        const jobRef = given ? { scope: p.path, id: String(given.id) } : gitlabFakePipelines.seeds(s).job!({ scope: p.path, id: String(pl.id) }, { name: 'deploy' });
        return {
          object_kind: 'deployment', status: 'success', status_changed_at: hookTime(s.now()), deployment_id: s.nextId(), deployable_id: Number(jobRef.id),
          deployable_url: `${s.webUrl}/${p.path}/-/jobs/${jobRef.id}`, environment: 'production', environment_tier: 'production', environment_slug: 'production',
          environment_external_url: 'https://app.example.test', project: projectOf(p.id), short_sha: pl.sha.slice(0, 8), user: hookUser(pl.userId),
          user_url: `${s.webUrl}/${s.users.require(pl.userId).username}`, commit_url: `${s.webUrl}/${p.path}/-/commit/${pl.sha}`, commit_title: 'Deploy',
        };
      },
    };
  },

  webhookEventFor: {
    pipeline: { event: 'Pipeline Hook' },
    job: { event: 'Job Hook' },
  },
};
