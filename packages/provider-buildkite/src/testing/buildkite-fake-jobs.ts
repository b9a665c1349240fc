import { json, keysetPage, type FakeRoute } from '@krate/contract-tests/kit';
import { buildApiUrl, jobJson } from './buildkite-fake-objects.js';
import { errorResponse } from './buildkite-fake-responses.js';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, type RouteKit, notFound, values } from './buildkite-fake-route-kit.js';

/** Jobs of a build in the Buildkite fake, one job and its log. */
export function jobRoutes({ state, urls, requireBuild }: RouteKit): FakeRoute[] {
  return [
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
  ];
}
