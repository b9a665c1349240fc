import { FakeInvalidCursor, json, keysetPage, linkHeader, pageSlice, type FakeRoute, type FakeRouteContext } from '@krate/contract-tests/kit';
import { agentJson, artifactJson, buildApiUrl, buildJson, jobJson, type FakeUrls } from './buildkite-fake-objects.js';
import { FINISHED_FILTER, type BuildkiteFakeState, type FakeBuild } from './buildkite-fake-state.js';
import { errorResponse } from './buildkite-fake-responses.js';

/** Buildkite's page size for numbered listings: default 30, maximum 100. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

const CANCELABLE = new Set(['scheduled', 'running', 'failing']);
const TERMINAL_JOB_STATES = new Set(['passed', 'failed', 'canceled', 'timed_out', 'skipped', 'broken', 'expired', 'finished', 'unblocked', 'blocked_failed', 'waiting_failed', 'unblocked_failed']);
const RETRYABLE_JOB_STATES = ['canceled', 'expired', 'failed', 'soft_failed', 'timed_out'];

class Answer extends Error {
  constructor(readonly response: Response) {
    super('fake answer');
  }
}

function notFound(message = 'Not Found'): never {
  throw new Answer(errorResponse(404, message));
}

function values(url: URL, name: string): string[] {
  return [...url.searchParams.getAll(name), ...url.searchParams.getAll(`${name}[]`)].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function time(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Answer(errorResponse(400, `${name} must be a date in ISO 8601 format`));
  return ms;
}

function globMatch(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/** The `state`, `branch`, `commit`, `created_from`, `created_to` and `finished_from` filters of build listings. */
export function filterBuilds(builds: FakeBuild[], url: URL): FakeBuild[] {
  const states = values(url, 'state').flatMap((s) => (s === 'finished' ? FINISHED_FILTER : [s]));
  const branches = values(url, 'branch');
  const commits = values(url, 'commit');
  const createdFrom = time(url, 'created_from');
  const createdTo = time(url, 'created_to');
  const finishedFrom = time(url, 'finished_from');
  return builds.filter((b) => {
    const effective = b.blocked ? 'blocked' : b.state;
    if (states.length && !states.includes(effective)) return false;
    if (branches.length && !branches.some((p) => globMatch(p, b.branch))) return false;
    if (commits.length && !commits.includes(b.commit)) return false;
    const created = Date.parse(b.createdAt);
    if (createdFrom !== undefined && created < createdFrom) return false;
    if (createdTo !== undefined && created >= createdTo) return false;
    if (finishedFrom !== undefined && (b.finishedAt === null || Date.parse(b.finishedAt) < finishedFrom)) return false;
    return true;
  });
}

export interface RouteDeps {
  state: BuildkiteFakeState;
  urls: FakeUrls;
  /** Rate-limit headers for one answered request. */
  rateLimitHeaders(): Record<string, string>;
}

/** The routes of the fake, below the API base path. */
export function buildkiteFakeRoutes(deps: RouteDeps): FakeRoute[] {
  const { state, urls } = deps;

  const requireOrg = (org: string) => {
    if (!state.organizations.has(org)) notFound();
  };
  const requirePipeline = (org: string, slug: string) => {
    requireOrg(org);
    if (!state.findPipeline(org, slug)) notFound();
  };
  const requireBuild = (params: Record<string, string>): FakeBuild => {
    requirePipeline(params.org!, params.pipeline!);
    const number = /^\d+$/.test(params.number ?? '') ? Number(params.number) : Number.NaN;
    const build = state.findBuild(params.org!, params.pipeline!, number);
    if (!build) notFound();
    return build;
  };

  /** One numbered page; only the items on the page are serialized. */
  const listPage = <T>(ctx: FakeRouteContext, items: T[], serialize: (item: T) => unknown): Response => {
    const slice = pageSlice(items, { page: ctx.url.searchParams.get('page'), perPage: ctx.url.searchParams.get('per_page') }, {
      defaultPerPage: DEFAULT_PER_PAGE,
      maxPerPage: MAX_PER_PAGE,
    });
    const link = linkHeader(ctx.request.url, slice.page, slice.totalPages);
    return json(slice.items.map(serialize), { headers: link ? { link } : {} });
  };

  const buildsListing = (ctx: FakeRouteContext, org: string, slug?: string): Response => {
    const excludeJobs = ctx.url.searchParams.get('exclude_jobs') === 'true';
    const excludePipeline = ctx.url.searchParams.get('exclude_pipeline') === 'true';
    const includeRetried = ctx.url.searchParams.get('include_retried_jobs') === 'true';
    const builds = filterBuilds(state.listBuilds(org, slug), ctx.url);
    return listPage(ctx, builds, (b) => buildJson(state, urls, b, { includeJobs: !excludeJobs, includePipeline: !excludePipeline, includeRetried }));
  };

  const now = () => state.clock.tick();

  const routes: FakeRoute[] = [
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
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/jobs',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const perPageText = ctx.url.searchParams.get('per_page');
        if (perPageText !== null && !(/^\d+$/.test(perPageText) && Number(perPageText) >= 1 && Number(perPageText) <= MAX_PER_PAGE)) {
          return errorResponse(400, `per_page must be between 1 and ${MAX_PER_PAGE}`);
        }
        const states = values(ctx.url, 'state');
        const includeRetried = ctx.url.searchParams.get('include_retried_jobs') !== 'false';
        const items = build.jobs.filter((j) => (includeRetried || !j.retried) && (!states.length || states.includes(j.state)));
        const cursorOf = (job: { id: string }) => Buffer.from(`job:${job.id}`).toString('base64url');
        const page = keysetPage(items, {
          after: ctx.url.searchParams.get('after'),
          first: perPageText === null ? DEFAULT_PER_PAGE : Number(perPageText),
          maxPageSize: MAX_PER_PAGE,
          cursorOf,
        });
        let next: string | null = null;
        if (page.hasNextPage && page.endCursor) {
          const nextUrl = new URL(ctx.request.url);
          nextUrl.searchParams.set('after', page.endCursor);
          nextUrl.searchParams.set('per_page', String(perPageText ?? DEFAULT_PER_PAGE));
          next = nextUrl.toString();
        }
        return json({ items: page.items.map((j) => jobJson(state, urls, build, j)), links: { self: ctx.request.url, ...(next ? { next } : {}) } });
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/jobs/:job',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const job = state.findJob(build, ctx.params.job!);
        if (!job) notFound('No job found');
        return json(jobJson(state, urls, build, job));
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/jobs/:job/log',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const job = state.findJob(build, ctx.params.job!);
        if (!job || job.type === 'waiter') notFound('No job found');
        if ((ctx.request.headers.get('accept') ?? '').includes('text/plain')) {
          return new Response(job.log, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
        }
        return json({
          url: `${buildApiUrl(urls, build)}/jobs/${job.id}/log`,
          content: job.log,
          size: Buffer.byteLength(job.log, 'utf8'),
          header_times: [],
        });
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/artifacts',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const items = state.artifacts.list((a) => a.buildId === build.id && a.state !== 'deleted');
        return listPage(ctx, items, (a) => artifactJson(urls, build, a));
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/agents',
      handle(ctx) {
        requireOrg(ctx.params.org!);
        // Buildkite lists connected agents only.
        const agents = state.agents.list((a) => a.org === ctx.params.org && (a.connectionState === 'connected' || a.connectionState === 'stopping'));
        return listPage(ctx, agents, (a) => agentJson(state, urls, a));
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/agents/:id',
      handle(ctx) {
        requireOrg(ctx.params.org!);
        const agent = state.agents.get(ctx.params.id!);
        if (!agent || agent.org !== ctx.params.org) notFound();
        return json(agentJson(state, urls, agent));
      },
    },
  ];

  // Every answer carries the rate-limit headers; `Answer` ends a route early with an error.
  return routes.map((route) => ({
    ...route,
    async handle(ctx: FakeRouteContext) {
      let response: Response;
      try {
        response = await route.handle(ctx);
      } catch (error) {
        if (error instanceof Answer) response = error.response;
        else if (error instanceof FakeInvalidCursor) response = errorResponse(400, 'Invalid cursor value');
        else throw error;
      }
      for (const [name, value] of Object.entries(deps.rateLimitHeaders())) response.headers.set(name, value);
      return response;
    },
  }));
}
