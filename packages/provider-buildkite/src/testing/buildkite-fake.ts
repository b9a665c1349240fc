import { randomBytes } from 'node:crypto';
import {
  createFakeHandlers, createFaultQueue, createRequestRecorder, type CreateFakeOptions, type FakeBackend, type FakeSeed,
  type SeedArtifact, type SeedJob, type SeedPipeline, type SeedRunner, type WebhookOptions,
} from '@krate/contract-tests/kit';
import type { ExternalRef, WebhookRequest } from '@krate/core';
import type { BuildkiteConfig } from '../buildkite-config.js';
import { BUILDKITE_DEFAULT_BASE_URL, BUILDKITE_DEFAULT_MAX_LOG_BYTES } from '../buildkite-config.js';
import { FakeRateLimiter, UNAUTHENTICATED_MESSAGE, errorResponse, renderFault } from './buildkite-fake-responses.js';
import { MAX_PER_PAGE } from './buildkite-fake-route-kit.js';
import { buildkiteFakeRoutes } from './buildkite-fake-routes.js';
import type { FakeUrls } from './buildkite-fake-objects.js';
import { BuildkiteFakeState, SEED_BUILD_STATES, SEED_JOB_STATES, type FakeBuild, type FakeJob } from './buildkite-fake-state.js';
import { signDelivery, webhookPayload, type FakeWebhookScheme } from './buildkite-fake-webhooks.js';

export interface BuildkiteFakeOptions extends CreateFakeOptions {
  /**
   * How the webhook sends its token and how `config` is set up: `signature` (default;
   * `X-Buildkite-Signature` with a signed timestamp, config `webhookSecret`) or `token`
   * (`X-Buildkite-Token`, config `webhookToken`).
   */
  webhookScheme?: FakeWebhookScheme;
  /** The organization the fake starts with (default `acme`, with pipeline `web`). */
  organization?: string;
}

/** The Buildkite fake: the testing-kit `FakeBackend` plus its state for provider-specific tests. */
export interface BuildkiteFake extends FakeBackend<BuildkiteConfig> {
  readonly state: BuildkiteFakeState;
  readonly urls: FakeUrls;
  readonly webhookScheme: FakeWebhookScheme;
  /** The build behind a build ref (throws for an unknown one). */
  build(ref: ExternalRef): FakeBuild;
  /** Changes a build as Buildkite would while it runs (state, blocked, timestamps). */
  updateBuild(ref: ExternalRef, patch: Partial<FakeBuild>): FakeBuild;
  /** The job behind a job ref (`{ scope: 'org/pipeline', id: '42/<job id>' }`). */
  job(ref: ExternalRef): FakeJob;
}

function slugsOf(scope: string): { org: string; pipeline: string } {
  const parts = scope.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new TypeError(`fake: "${scope}" is not an "org/pipeline" scope`);
  return { org: parts[0], pipeline: parts[1] };
}

function iso(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`fake: "${value}" is not an ISO-8601 time`);
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

const MIME: Record<string, string> = {
  zip: 'application/zip', gz: 'application/x-gzip', tgz: 'application/x-gzip', json: 'application/json', txt: 'text/plain',
  log: 'text/plain', png: 'image/png', xml: 'application/xml', html: 'text/html',
};

/**
 * A stateful MSW model of the Buildkite REST API v2 endpoints the provider calls:
 * builds of a pipeline and of an organization (list with filters, get, cancel, rebuild,
 * retry failed jobs), the cursor-paginated jobs of a build, job logs, artifacts and
 * agents. Numbered listings page with `page`/`per_page` (default 30, maximum 100) and
 * a `Link` header; every answer carries `RateLimit-*` headers; errors are
 * `{ "message": "..." }`; a wrong token is a 401.
 */
export function createFake(options: BuildkiteFakeOptions = {}): BuildkiteFake {
  const baseUrl = (options.baseUrl ?? BUILDKITE_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const scheme: FakeWebhookScheme = options.webhookScheme ?? 'signature';
  const org = options.organization ?? 'acme';
  const urls: FakeUrls = { api: baseUrl, web: 'https://buildkite.com' };
  const state = new BuildkiteFakeState();
  state.ensurePipeline(org, 'web');

  const apiToken = `bkua_${randomBytes(20).toString('hex')}`;
  const webhookToken = randomBytes(16).toString('hex');
  const toleranceSeconds = 300;
  const config: BuildkiteConfig = {
    apiToken,
    organization: org,
    baseUrl,
    ...(scheme === 'signature' ? { webhookSecret: webhookToken } : { webhookToken }),
    webhookToleranceSeconds: toleranceSeconds,
    maxLogBytes: BUILDKITE_DEFAULT_MAX_LOG_BYTES,
    timeoutMs: options.timeoutMs ?? 1500,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 100 },
  };
  const secrets = [apiToken, webhookToken];

  const limiter = new FakeRateLimiter();
  const recorder = createRequestRecorder({ secrets: () => secrets, origin: new URL(baseUrl).origin });
  const faults = createFaultQueue();
  const handlers = createFakeHandlers({
    baseUrl,
    routes: buildkiteFakeRoutes({ state, urls, rateLimitHeaders: () => limiter.consume() }),
    recorder,
    faults,
    renderFault: (fault) => renderFault(fault, limiter),
    authorize(request) {
      if (request.headers.get('authorization') !== `Bearer ${apiToken}`) return errorResponse(401, UNAUTHENTICATED_MESSAGE);
      return undefined;
    },
    notFound: () => errorResponse(404, 'Not Found', limiter.consume()),
    invalidCursor: () => errorResponse(400, 'Invalid cursor value', limiter.consume()),
  });

  const findBuild = (ref: ExternalRef): FakeBuild => {
    const { org: o, pipeline } = slugsOf(ref.scope);
    const number = Number(String(ref.id).split('/')[0]);
    const build = state.findBuild(o, pipeline, number);
    if (!build) throw new TypeError(`fake: no build ${ref.scope}#${ref.id}`);
    return build;
  };

  const seed = {
    pipeline(scope: string, input: SeedPipeline = {}): ExternalRef {
      const { org: o, pipeline } = slugsOf(scope);
      state.ensurePipeline(o, pipeline);
      const status = input.status ?? 'succeeded';
      const mapped = SEED_BUILD_STATES[status];
      if (!mapped) throw new TypeError(`fake: unknown seed status "${status}"`);
      const createdAt = input.createdAt ? iso(input.createdAt) : state.clock.tick();
      const updatedAt = input.updatedAt ? iso(input.updatedAt) : createdAt;
      const number = state.nextNumber(o, pipeline);
      state.saveBuild({
        id: state.uuid('build'),
        org: o,
        pipeline,
        number,
        state: mapped.state,
        blocked: mapped.blocked === true,
        message: input.name ?? `Build ${number}`,
        commit: input.sha ?? state.sha(`${scope}#${number}`),
        branch: input.branch ?? 'main',
        source: 'webhook',
        cancelReason: status === 'canceled' ? 'Canceled by a user' : null,
        createdAt,
        scheduledAt: mapped.started ? createdAt : updatedAt,
        startedAt: mapped.started ? (mapped.finished ? createdAt : updatedAt) : null,
        failingAt: null,
        finishedAt: mapped.finished ? updatedAt : null,
        rebuiltFrom: null,
        jobs: [],
      });
      return { scope: `${o}/${pipeline}`, id: String(number) };
    },

    job(pipelineRef: ExternalRef, input: SeedJob): ExternalRef {
      const build = findBuild(pipelineRef);
      const status = input.status ?? 'succeeded';
      const mapped = SEED_JOB_STATES[status];
      if (!mapped) throw new TypeError(`fake: unknown seed status "${status}"`);
      const at = state.clock.tick();
      const job = state.newJob({
        type: mapped.type ?? 'script',
        name: input.name,
        stepKey: input.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-'),
        state: mapped.state,
        exitStatus: mapped.exitStatus,
        log: input.log ?? '',
        createdAt: at,
        scheduledAt: at,
        runnableAt: mapped.type === 'manual' ? null : at,
        startedAt: mapped.started ? at : null,
        finishedAt: mapped.finished ? at : null,
      });
      build.jobs.push(job);
      state.saveBuild(build);
      return { scope: pipelineRef.scope, id: `${build.number}/${job.id}` };
    },

    artifact(pipelineRef: ExternalRef, input: SeedArtifact): ExternalRef {
      const build = findBuild(pipelineRef);
      let job = build.jobs.find((j) => j.type === 'script' && !j.retried);
      if (!job) {
        job = state.newJob({ name: 'Upload artifacts', state: 'passed', exitStatus: 0, startedAt: state.clock.iso(), finishedAt: state.clock.iso() });
        build.jobs.push(job);
        state.saveBuild(build);
      }
      const id = state.uuid('artifact');
      const ext = /\.([A-Za-z0-9]+)$/.exec(input.name)?.[1]?.toLowerCase() ?? '';
      state.artifacts.insert({
        id,
        buildId: build.id,
        jobId: job.id,
        path: input.name,
        size: input.sizeBytes ?? 1024,
        sha1: state.sha(`${input.name}#${id}`),
        state: 'finished',
        mimeType: MIME[ext] ?? 'application/octet-stream',
      });
      return { scope: pipelineRef.scope, id: `${build.number}/${job.id}/${id}` };
    },

    runner(scope: string, input: SeedRunner): ExternalRef {
      if (scope.includes('/')) throw new TypeError(`fake: agents belong to an organization, not "${scope}"`);
      state.ensureOrg(scope);
      const id = state.uuid('agent');
      state.agents.insert({
        id,
        org: scope,
        name: input.name,
        connectionState: input.status === 'offline' ? 'disconnected' : 'connected',
        hostname: `${input.name}.ci.internal`,
        version: '3.100.0',
        metaData: input.labels ?? ['queue=default'],
        job: input.busy ? { id: state.uuid('job'), name: 'Busy job', buildId: null } : null,
        createdAt: state.clock.tick(),
        lastJobFinishedAt: null,
      });
      return { scope, id };
    },
  } satisfies FakeSeed;

  /** Deliveries asked for again with the same delivery id describe the same object (a redelivery). */
  const deliveries = new Map<string, { buildId?: string; jobId?: string; agentId?: string }>();

  const freshTarget = (event: string): { buildId?: string; jobId?: string; agentId?: string } => {
    const [kind, action = ''] = event.split('.');
    if (kind === 'build') {
      const status = ({ scheduled: 'queued', running: 'running', failing: 'running', finished: 'succeeded' } as Record<string, SeedPipeline['status']>)[action] ?? 'succeeded';
      const ref = seed.pipeline(`${org}/web`, { status });
      const build = findBuild(ref);
      if (action === 'failing') Object.assign(build, { state: 'failing', failingAt: state.clock.tick() });
      return { buildId: build.id };
    }
    if (kind === 'job') {
      const buildRef = seed.pipeline(`${org}/web`, { status: 'running' });
      const status = ({ scheduled: 'queued', started: 'running', finished: 'succeeded', activated: 'blocked' } as Record<string, SeedJob['status']>)[action] ?? 'succeeded';
      const jobRef = seed.job(buildRef, { name: 'RSpec', status, log: 'rspec output' });
      const build = findBuild(buildRef);
      const job = build.jobs.find((j) => `${build.number}/${j.id}` === jobRef.id)!;
      if (action === 'activated') Object.assign(job, { state: 'unblocked' });
      return { buildId: build.id, jobId: job.id };
    }
    if (kind === 'agent') {
      const ref = seed.runner(org, { name: `agent-${state.agents.size + 1}` });
      const connection = ({ connected: 'connected', disconnected: 'disconnected', lost: 'lost', stopping: 'stopping', stopped: 'stopped' } as Record<string, string>)[action];
      if (connection) state.agents.update(ref.id, { connectionState: connection });
      return { agentId: ref.id };
    }
    return {};
  };

  const targetOf = (event: string, ref: ExternalRef): { buildId?: string; jobId?: string; agentId?: string } => {
    const kind = event.split('.')[0];
    if (kind === 'agent') {
      state.agents.require(ref.id);
      return { agentId: ref.id };
    }
    const build = findBuild(ref);
    if (kind === 'job') {
      const jobId = String(ref.id).split('/')[1];
      if (!jobId || !build.jobs.some((j) => j.id === jobId)) throw new TypeError(`fake: no job ${ref.scope}#${ref.id}`);
      return { buildId: build.id, jobId };
    }
    return { buildId: build.id };
  };

  const fake: BuildkiteFake = {
    providerType: 'buildkite',
    handlers,
    config,
    secrets,
    scopes: { cicd: `${org}/web`, runners: org },
    maxPageSize: MAX_PER_PAGE,
    seed,
    faults: faults.injector,
    get requests() {
      return recorder.requests;
    },
    get wire() {
      return recorder.wire;
    },
    credentialHeaders: ['authorization'],
    humanUrl(kind, ref) {
      if (kind !== 'pipeline') return undefined;
      const build = findBuild(ref);
      return `${urls.web}/${build.org}/${build.pipeline}/builds/${build.number}`;
    },
    inspect(kind, ref) {
      if (kind !== 'pipeline') return undefined;
      const build = findBuild(ref);
      const NEUTRAL: Record<string, string> = {
        scheduled: 'queued', running: 'running', failing: 'running', passed: 'succeeded', failed: 'failed', canceled: 'canceled', canceling: 'canceling', blocked: 'blocked',
      };
      // A rebuild makes a new build: the runs of a build are itself and every rebuild made from it.
      const runs = 1 + state.builds.list((b) => b.org === build.org && b.pipeline === build.pipeline && b.rebuiltFrom?.number === build.number).length;
      return { status: build.blocked ? 'blocked' : (NEUTRAL[build.state] ?? build.state), runs };
    },
    webhookActions(event) {
      const kind = event.startsWith('build.') ? 'pipeline' : event.startsWith('job.') ? 'job' : event.startsWith('agent.') ? 'runner' : undefined;
      return kind ? [{ change: 'upserted', kind }] : [];
    },
    variants: scheme === 'signature' && options.variant === undefined ? [{ name: 'webhook token', affects: ['webhooks'], options: { webhookScheme: 'token' } as Record<string, unknown> }] : [],
    signsTimestamp: scheme === 'signature',
    ignoredWebhookEvents: ['ping'],
    state,
    urls,
    webhookScheme: scheme,
    webhook(event: string, webhookOptions: WebhookOptions = {}): WebhookRequest {
      const memoKey = webhookOptions.deliveryId !== undefined && !webhookOptions.ref ? `${event}#${webhookOptions.deliveryId}` : undefined;
      let target = webhookOptions.ref ? targetOf(event, webhookOptions.ref) : memoKey ? deliveries.get(memoKey) : undefined;
      if (!target) {
        target = freshTarget(event);
        if (memoKey) deliveries.set(memoKey, target);
      }
      const payload = webhookPayload(state, urls, event, target);
      const requestId = webhookOptions.deliveryId ?? state.uuid('request');
      return signDelivery(event, payload, requestId, { scheme, token: webhookToken, toleranceSeconds }, webhookOptions);
    },
    webhookEventFor(kind: string) {
      return ({ pipeline: { event: 'build.finished' }, job: { event: 'job.finished' }, runner: { event: 'agent.connected' } } as Record<string, { event: string }>)[kind];
    },
    reset() {
      recorder.reset();
      faults.clear();
    },
    build: findBuild,
    updateBuild(ref, patch) {
      const build = findBuild(ref);
      Object.assign(build, patch);
      return state.saveBuild(build);
    },
    job(ref) {
      const build = findBuild(ref);
      const jobId = String(ref.id).split('/')[1];
      const job = build.jobs.find((j) => j.id === jobId);
      if (!job) throw new TypeError(`fake: no job ${ref.scope}#${ref.id}`);
      return job;
    },
  };
  return fake;
}
