import {
  ProviderError, type CallOptions, type CicdProvider, type ExternalArtifact, type ExternalPipeline, type ExternalRef,
  type ExternalRunner, type ListOptions, type Page, type RerunOptions,
} from '@krate/core';
import type { BuildkiteContext } from '../buildkite-context.js';
import { mapAgent, mapArtifact, mapBuild } from './buildkite-cicd-mapping.js';
import { parseBuildRef, parseOrgScope, pathOf, type BuildAddress } from '../shared/buildkite-scope.js';
import { CANCELABLE_BUILD_STATES } from '../shared/buildkite-states.js';
import type { BuildkiteAgent, BuildkiteArtifact, BuildkiteBuild } from '../shared/buildkite-types.js';
import { listBuilds } from './buildkite-cicd-builds.js';
import { issueCursor, perPageFor, readCursor } from './buildkite-cicd-cursor.js';
import { getJobLog } from './buildkite-cicd-logs.js';
import { listJobs } from './buildkite-cicd-jobs.js';

type Implemented = Omit<CicdProvider, 'specificationVersion' | 'registerRunner' | 'createCheck' | 'updateCheck'>;

function buildPath(build: BuildAddress, ...rest: string[]): string {
  return pathOf('organizations', build.org, 'pipelines', build.pipeline, 'builds', build.number, ...rest);
}

async function readBuild(ctx: BuildkiteContext, operation: string, build: BuildAddress, signal?: AbortSignal): Promise<ExternalPipeline> {
  const { data } = await ctx.client.json<BuildkiteBuild>(operation, buildPath(build), { query: { exclude_jobs: true }, signal });
  return mapBuild(ctx.mapping, data, build);
}

/** A numbered listing (page/per_page/Link) behind an opaque cursor. */
async function numberedPage<Raw, Item>(
  ctx: BuildkiteContext,
  operation: string,
  listing: string,
  path: string,
  options: ListOptions,
  map: (raw: Raw) => Item | undefined,
): Promise<Page<Item>> {
  let page = 1;
  let perPage = perPageFor(options.pageSize);
  if (options.cursor !== undefined) {
    const state = readCursor(options.cursor, listing, operation);
    page = state.page ?? 1;
    perPage = state.perPage ?? perPage;
  }
  const result = await ctx.client.page<Raw>(operation, path, { page, perPage, signal: options.signal });
  const items: Item[] = [];
  for (const raw of result.items) {
    const item = map(raw);
    if (item !== undefined) items.push(item);
  }
  return { items, nextCursor: result.nextPage === null ? null : issueCursor({ listing, page: result.nextPage, perPage }) };
}

/**
 * The CI/CD interface on the Buildkite REST API v2: builds are pipelines (runs),
 * jobs are jobs, agents are runners.
 */
export function createBuildkiteCicd(ctx: BuildkiteContext): Implemented {
  return {
    listPipelines: (scope, options) => listBuilds(ctx, scope, options),

    async getPipeline(ref, options: CallOptions = {}) {
      return readBuild(ctx, 'getPipeline', parseBuildRef(ref, ctx.rules), options.signal);
    },

    listJobs: (ref, options) => listJobs(ctx, ref, options),

    getJobLog: (ref, options) => getJobLog(ctx, ref, options),

    async listArtifacts(ref: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalArtifact>> {
      const build = parseBuildRef(ref, ctx.rules);
      return numberedPage<BuildkiteArtifact, ExternalArtifact>(
        ctx,
        'listArtifacts',
        `artifacts:${build.org}/${build.pipeline}/${build.number}`,
        buildPath(build, 'artifacts'),
        options,
        (raw) => (raw.state === 'deleted' ? undefined : mapArtifact(ctx.mapping, raw, build)),
      );
    },

    /**
     * Without options: `PUT .../rebuild`, a new build of the same commit, branch and
     * environment (its number is the new ref). With `failedOnly`: `PUT .../retry_failed_jobs`,
     * the failed jobs of the same build are retried (the ref stays). Neither is retried
     * automatically: a lost answer may still have created the build.
     */
    async rerunPipeline(ref, options: RerunOptions & CallOptions = {}) {
      const build = parseBuildRef(ref, ctx.rules);
      const action = options.failedOnly ? 'retry_failed_jobs' : 'rebuild';
      const { data } = await ctx.client.json<BuildkiteBuild>('rerunPipeline', buildPath(build, action), {
        method: 'PUT',
        signal: options.signal,
      });
      return mapBuild(ctx.mapping, data, { org: build.org, pipeline: build.pipeline });
    },

    /**
     * `PUT .../cancel`. Buildkite cancels only scheduled, running and failing builds and
     * answers 422 otherwise; then the build is read and returned as it is when it is
     * already finished or canceling (cancel is idempotent), else the 422 is a `conflict`.
     */
    async cancelPipeline(ref, options: CallOptions = {}) {
      const build = parseBuildRef(ref, ctx.rules);
      try {
        const { data } = await ctx.client.json<BuildkiteBuild>('cancelPipeline', buildPath(build, 'cancel'), {
          method: 'PUT',
          signal: options.signal,
          statusCodes: { 422: 'conflict' },
        });
        return mapBuild(ctx.mapping, data, build);
      } catch (error) {
        if (!(ProviderError.isInstance(error) && error.status === 422)) throw error;
        const current = await readBuild(ctx, 'cancelPipeline', build, options.signal);
        if (CANCELABLE_BUILD_STATES.has(current.nativeStatus) && current.phase !== 'blocked') throw error;
        return current;
      }
    },

    async listRunners(scope: string, options: ListOptions = {}): Promise<Page<ExternalRunner>> {
      const org = parseOrgScope(scope, ctx.rules);
      return numberedPage<BuildkiteAgent, ExternalRunner>(
        ctx,
        'listRunners',
        `agents:${org}`,
        pathOf('organizations', org, 'agents'),
        options,
        (raw) => mapAgent(ctx.mapping, raw, { org }),
      );
    },
  };
}
