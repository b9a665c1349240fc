import { ProviderError, type ExternalJob, type ExternalRef, type ListOptions, type Page } from '@krate/core';
import type { BuildkiteContext } from '../buildkite-context.js';
import { mapJob } from './buildkite-cicd-mapping.js';
import { PROVIDER } from '../buildkite-errors.js';
import { parseBuildRef, pathOf } from '../shared/buildkite-scope.js';
import type { BuildkiteJob, BuildkiteJobList } from '../shared/buildkite-types.js';
import { issueCursor, perPageFor, readCursor } from './buildkite-cicd-cursor.js';

/**
 * Job types that are not listed: `waiter` jobs (wait steps) are ordering barriers with
 * no command, agent or log. Command (`script`), block (`manual`) and trigger (`trigger`)
 * jobs, and types Buildkite may add later, are listed with their type in
 * `extensions.fields.type`.
 */
export const UNLISTED_JOB_TYPES: ReadonlySet<string> = new Set(['waiter']);

function isListed(job: BuildkiteJob): boolean {
  return typeof job.type !== 'string' || !UNLISTED_JOB_TYPES.has(job.type);
}

/**
 * `listJobs(buildRef)`: `GET .../builds/{number}/jobs`, Buildkite's cursor-paginated
 * job listing (`per_page` up to 100, `links.next` carries `after`). Retried jobs are
 * included (each attempt is a job).
 */
export async function listJobs(ctx: BuildkiteContext, ref: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalJob>> {
  const operation = 'listJobs';
  const build = parseBuildRef(ref, ctx.rules);
  const listing = `jobs:${build.org}/${build.pipeline}/${build.number}`;
  let after: string | undefined;
  let perPage = perPageFor(options.pageSize);
  if (options.cursor !== undefined) {
    const state = readCursor(options.cursor, listing, operation);
    after = state.after;
    perPage = state.perPage ?? perPage;
  }
  const path = pathOf('organizations', build.org, 'pipelines', build.pipeline, 'builds', build.number, 'jobs');
  const { data, url, response } = await ctx.client.json<BuildkiteJobList | BuildkiteJob[]>(operation, path, {
    query: { per_page: perPage, after },
    signal: options.signal,
  });
  const list = Array.isArray(data) ? { items: data, links: undefined } : data;
  if (!Array.isArray(list.items)) {
    throw new ProviderError({
      code: 'upstream_unavailable',
      provider: PROVIDER,
      operation,
      status: response.status,
      message: 'the job listing has no items array',
    });
  }
  const buildApiUrl = ctx.client.url(pathOf('organizations', build.org, 'pipelines', build.pipeline, 'builds', build.number));
  const items = list.items
    .filter(isListed)
    .map((job) => mapJob(ctx.mapping, job, { org: build.org, pipeline: build.pipeline, number: build.number, buildApiUrl: job.build_url ?? buildApiUrl }));

  let nextCursor: string | null = null;
  const next = list.links?.next;
  if (typeof next === 'string' && next !== '') {
    const nextUrl = ctx.client.assertSameHost(operation, next, url);
    const nextAfter = nextUrl.searchParams.get('after');
    if (!nextAfter) {
      throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, retryable: false, message: 'the next-page link of the job listing has no "after" cursor' });
    }
    nextCursor = issueCursor({ listing, after: nextAfter, perPage });
  }
  return { items, nextCursor };
}
