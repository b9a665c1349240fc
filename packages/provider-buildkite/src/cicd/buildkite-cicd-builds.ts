import { ProviderError, type ExternalPipeline, type ListOptions, type Page } from '@krate/core';
import type { Query } from '../buildkite-context.js';
import type { BuildkiteContext } from '../buildkite-context.js';
import { PROVIDER } from '../buildkite-errors.js';
import { addressFromBuildUrl, parseListScope, pathOf } from '../shared/buildkite-scope.js';
import { ACTIVE_BUILD_STATES } from '../shared/buildkite-states.js';
import type { BuildkiteBuild } from '../shared/buildkite-types.js';
import { issueCursor, perPageFor, readCursor } from './buildkite-cicd-cursor.js';
import { buildUpdatedAt, mapBuild, toIso } from './buildkite-cicd-mapping.js';

/**
 * How `listPipelines` reads `updatedSince` (T). Buildkite keeps no `updated_at` on
 * builds and its list filters are `created_from`/`created_to`/`finished_from` and
 * `state`, so the listing runs three passes, each an ordinary paged listing:
 *
 * 1. `created` — `created_from=T`: builds created at or after T.
 * 2. `finished` — `finished_from=T&created_to=T`: older builds that finished at or after T.
 * 3. `active` — `state[]=creating|scheduled|running|failing|blocked|canceling&created_to=T`:
 *    older builds that have not finished; kept when they started or began failing at or
 *    after T (checked here, Buildkite cannot filter on it).
 *
 * Together these are exactly the builds whose `updatedAt` (the latest of created,
 * scheduled, started, failing and finished times) is at or after T. A state change that
 * Buildkite does not timestamp (a block step being reached) is seen when the build
 * finishes. A build that changes while the listing runs can show up in two passes.
 */
export const UPDATED_SINCE_PASSES = ['created', 'finished', 'active'] as const;
type Pass = (typeof UPDATED_SINCE_PASSES)[number] | 'all';

function passQuery(pass: Pass, since: string | undefined): Query {
  switch (pass) {
    case 'created':
      return { created_from: since };
    case 'finished':
      return { finished_from: since, created_to: since };
    case 'active':
      return { state: ACTIVE_BUILD_STATES, created_to: since };
    default:
      return {};
  }
}

function nextPass(pass: Pass): Pass | undefined {
  const index = UPDATED_SINCE_PASSES.indexOf(pass as (typeof UPDATED_SINCE_PASSES)[number]);
  return index >= 0 ? UPDATED_SINCE_PASSES[index + 1] : undefined;
}

/** Where a build of an organization listing lives: its pipeline summary, else its API URL. */
function locate(raw: BuildkiteBuild, org: string): { org: string; pipeline: string } {
  if (raw.pipeline?.slug) return { org, pipeline: raw.pipeline.slug };
  const address = addressFromBuildUrl(raw.url);
  if (address) return { org: address.org, pipeline: address.pipeline };
  throw new ProviderError({
    code: 'upstream_unavailable',
    provider: PROVIDER,
    operation: 'listPipelines',
    message: `build ${String(raw.number)} in the organization listing names no pipeline`,
  });
}

/** `listPipelines(scope)`: builds of `org/pipeline` or of the organization `org`, newest first. */
export async function listBuilds(ctx: BuildkiteContext, scope: string, options: ListOptions = {}): Promise<Page<ExternalPipeline>> {
  const operation = 'listPipelines';
  const where = parseListScope(scope, ctx.rules);
  const since = options.updatedSince === undefined ? undefined : new Date(Date.parse(options.updatedSince)).toISOString();
  const listing = `builds:${where.org}/${where.pipeline ?? ''}:${since ?? ''}`;
  let pass: Pass = since === undefined ? 'all' : 'created';
  let page = 1;
  let perPage = perPageFor(options.pageSize);
  if (options.cursor !== undefined) {
    const state = readCursor(options.cursor, listing, operation);
    pass = (state.pass as Pass | undefined) ?? pass;
    if (pass !== 'all' && !UPDATED_SINCE_PASSES.includes(pass)) {
      throw new ProviderError({ code: 'invalid_input', provider: PROVIDER, operation, message: 'cursor is not one this provider issued' });
    }
    page = state.page ?? 1;
    perPage = state.perPage ?? perPage;
  }

  const path = where.pipeline
    ? pathOf('organizations', where.org, 'pipelines', where.pipeline, 'builds')
    : pathOf('organizations', where.org, 'builds');
  // exclude_jobs is documented for the pipeline listing only; jobs come from listJobs.
  const query: Query = { ...passQuery(pass, since), ...(where.pipeline ? { exclude_jobs: true } : {}) };
  const result = await ctx.client.page<BuildkiteBuild>(operation, path, { query, page, perPage, signal: options.signal });

  const sinceMs = since === undefined ? undefined : Date.parse(since);
  const items: ExternalPipeline[] = [];
  for (const raw of result.items) {
    if (pass === 'active' && sinceMs !== undefined) {
      const finished = toIso(raw.finished_at);
      if (finished !== undefined && Date.parse(finished) >= sinceMs) continue; // listed by the finished pass
      const updated = buildUpdatedAt(raw);
      if (updated === undefined || Date.parse(updated) < sinceMs) continue;
    }
    const location = where.pipeline ? { org: where.org, pipeline: where.pipeline } : locate(raw, where.org);
    items.push(mapBuild(ctx.mapping, raw, location));
  }

  let nextCursor: string | null = null;
  if (result.nextPage !== null) {
    nextCursor = issueCursor({ listing, pass, page: result.nextPage, perPage });
  } else {
    const following = nextPass(pass);
    if (following) nextCursor = issueCursor({ listing, pass: following, page: 1, perPage });
  }
  return { items, nextCursor };
}
