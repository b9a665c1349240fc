import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { buildJson } from './buildkite-fake-objects.js';
import type { FakeBuild } from './buildkite-fake-state.js';
import { errorResponse } from './buildkite-fake-responses.js';
import { CANCELABLE, RETRYABLE_JOB_STATES, type RouteKit, TERMINAL_JOB_STATES } from './buildkite-fake-route-kit.js';

/** Builds of the Buildkite fake: organization and pipeline listings, one build, cancel, rebuild and retry of failed jobs. */
export function buildRoutes({ state, urls, requireOrg, requirePipeline, requireBuild, buildsListing, now }: RouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/organizations/:org/builds',
      handle(ctx) {
        requireOrg(ctx.params.org!);
        return buildsListing(ctx, ctx.params.org!);
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds',
      handle(ctx) {
        requirePipeline(ctx.params.org!, ctx.params.pipeline!);
        return buildsListing(ctx, ctx.params.org!, ctx.params.pipeline!);
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        return json(buildJson(state, urls, build, {
          includeJobs: ctx.url.searchParams.get('exclude_jobs') !== 'true',
          includeRetried: ctx.url.searchParams.get('include_retried_jobs') === 'true',
        }));
      },
    },
    {
      method: 'PUT',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/cancel',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        if (!CANCELABLE.has(build.state) || build.blocked) {
          return errorResponse(422, `Build can't be canceled because it's ${build.blocked ? 'blocked' : build.state}`);
        }
        const at = now();
        for (const job of build.jobs) {
          if (!TERMINAL_JOB_STATES.has(job.state) && job.type !== 'waiter') {
            job.state = 'canceled';
            job.finishedAt = at;
          }
        }
        Object.assign(build, { state: 'canceled', cancelReason: 'Canceled through the API', finishedAt: at });
        state.saveBuild(build);
        return json(buildJson(state, urls, build));
      },
    },
    {
      method: 'PUT',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/rebuild',
      handle(ctx) {
        const original = requireBuild(ctx.params);
        const at = now();
        const rebuilt: FakeBuild = {
          ...original,
          id: state.uuid('build'),
          number: state.nextNumber(original.org, original.pipeline),
          state: 'scheduled',
          blocked: false,
          source: 'api',
          cancelReason: null,
          createdAt: at,
          scheduledAt: at,
          startedAt: null,
          failingAt: null,
          finishedAt: null,
          rebuiltFrom: { id: original.id, number: original.number },
          jobs: original.jobs.filter((j) => !j.retried).map((j) => state.newJob({ type: j.type, name: j.name, stepKey: j.stepKey, state: j.type === 'manual' ? 'blocked' : 'scheduled' })),
        };
        state.saveBuild(rebuilt);
        return json(buildJson(state, urls, rebuilt));
      },
    },
    {
      method: 'PUT',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/retry_failed_jobs',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const requested = typeof (ctx.body as { states?: unknown } | undefined)?.states === 'string'
          ? String((ctx.body as { states: string }).states).split(',').map((s) => s.trim()).filter(Boolean)
          : [];
        const invalid = requested.filter((s) => !RETRYABLE_JOB_STATES.includes(s));
        if (invalid.length) {
          return errorResponse(400, `Invalid states: ${invalid.join(', ')}. Valid states are ${RETRYABLE_JOB_STATES.join(', ')}.`);
        }
        const wanted = new Set(requested.length ? requested : RETRYABLE_JOB_STATES);
        let count = 0;
        const jobs = [];
        for (const job of build.jobs) {
          jobs.push(job);
          const kind = job.softFailed ? 'soft_failed' : job.state;
          if (job.retried || job.type !== 'script' || !wanted.has(kind)) continue;
          const retry = state.newJob({ name: job.name, stepKey: job.stepKey, retriesCount: (job.retriesCount ?? 0) + 1, log: '' });
          job.retried = true;
          job.retriedInJobId = retry.id;
          jobs.push(retry);
          count += 1;
        }
        build.jobs = jobs;
        if (count > 0) Object.assign(build, { state: 'scheduled', finishedAt: null, failingAt: null, scheduledAt: now() });
        state.saveBuild(build);
        return json({ ...buildJson(state, urls, build), retried_jobs_count: count }, { status: 202 });
      },
    },
  ];
}
