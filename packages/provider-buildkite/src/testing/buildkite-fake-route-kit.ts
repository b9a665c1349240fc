import { json, linkHeader, pageSlice, type FakeRouteContext } from '@krate/contract-tests/kit';
import { buildJson, type FakeUrls } from './buildkite-fake-objects.js';
import { FINISHED_FILTER, type BuildkiteFakeState, type FakeBuild } from './buildkite-fake-state.js';
import { errorResponse } from './buildkite-fake-responses.js';

/**
 * What the Buildkite fake's route modules share: Buildkite's page sizes, the error that
 * ends a route early, the listing filters, and the organization / pipeline / build lookups.
 */

/** Buildkite's page size for numbered listings: default 30, maximum 100. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export const CANCELABLE = new Set(['scheduled', 'running', 'failing']);
export const TERMINAL_JOB_STATES = new Set(['passed', 'failed', 'canceled', 'timed_out', 'skipped', 'broken', 'expired', 'finished', 'unblocked', 'blocked_failed', 'waiting_failed', 'unblocked_failed']);
export const RETRYABLE_JOB_STATES = ['canceled', 'expired', 'failed', 'soft_failed', 'timed_out'];

export class Answer extends Error {
  constructor(readonly response: Response) {
    super('fake answer');
  }
}

export function notFound(message = 'Not Found'): never {
  throw new Answer(errorResponse(404, message));
}

export function values(url: URL, name: string): string[] {
  return [...url.searchParams.getAll(name), ...url.searchParams.getAll(`${name}[]`)].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function time(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Answer(errorResponse(400, `${name} must be a date in ISO 8601 format`));
  return ms;
}

export function globMatch(pattern: string, value: string): boolean {
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

/** The lookups and the numbered page every route module uses, bound to one fake. */
export function routeKit(deps: RouteDeps) {
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
  return { state, urls, requireOrg, requirePipeline, requireBuild, listPage, buildsListing, now };
}

export type RouteKit = ReturnType<typeof routeKit>;
