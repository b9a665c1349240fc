import {
  createFakeHandlers,
  createFaultQueue,
  createRequestRecorder,
  type CreateFakeOptions,
  type FakeBackend,
  type FakeRoute,
  type FakeSeed,
  type FakeWebhookAction,
  type FaultQueue,
  type RecordedRequest,
} from '@krate/contract-tests/kit';
import type { RequestHandler } from 'msw';
import type { GitHubConfig } from '../github-config.js';
import { githubFakeCicd } from './github-fake-cicd.js';
import { createGitHubFakeCore, type GitHubFakeCoreImpl } from './github-fake-api.js';
import type { GhObject, GitHubFakeModule } from './github-fake-state.js';
import { githubFakeGitForge } from './github-fake-git-forge.js';
import { githubFakeGraphql, githubGraphqlBaseUrl, renderGraphqlFault } from './github-fake-graphql.js';
import { githubFakeIssues } from './github-fake-issues.js';
import { createGitHubDeliveries } from './github-fake-webhooks.js';

/** The repository every interface of the fake works in by default. */
export const GITHUB_FAKE_REPOSITORY = 'octo-org/hello-world';
/** The organization (owner, runner scope) of the default repository. */
export const GITHUB_FAKE_OWNER = 'octo-org';

/** The GitHub fake: a FakeBackend plus handles on the fake app and its state. */
export interface GitHubFake extends FakeBackend<GitHubConfig> {
  /** The fake's state and controls (token lifetime, revocation, rate limit budget, installations). */
  readonly core: GitHubFakeCoreImpl;
  /** App-auth requests (installation lookups, token mints), kept apart from `requests`. */
  readonly authRequests: ReadonlyArray<{ method: string; path: string; status: number }>;
}

/**
 * The actions the provider documents per event, with the change each means (deletions
 * and the events that only delete). Sent by the contract suite's `webhooks.<event>.actions`.
 */
const GITHUB_WEBHOOK_ACTIONS: Record<string, FakeWebhookAction[]> = {
  issues: ['opened', 'edited', 'closed', 'reopened', 'labeled', 'assigned'].map((action): FakeWebhookAction => ({ action, change: 'upserted' })).concat([{ action: 'deleted', change: 'deleted' }]),
  issue_comment: [{ action: 'created', change: 'upserted' }, { action: 'edited', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
  label: [{ action: 'created', change: 'upserted' }, { action: 'edited', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
  milestone: [{ action: 'created', change: 'upserted' }, { action: 'closed', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
  workflow_run: [{ action: 'requested', change: 'upserted' }, { action: 'in_progress', change: 'upserted' }, { action: 'completed', change: 'upserted' }],
  workflow_job: [{ action: 'queued', change: 'upserted' }, { action: 'in_progress', change: 'upserted' }, { action: 'completed', change: 'upserted' }],
  check_run: [{ action: 'created', change: 'upserted' }, { action: 'completed', change: 'upserted' }],
  check_suite: [{ action: 'completed', change: 'upserted' }],
  status: [{ change: 'upserted' }],
  repository: [{ action: 'created', change: 'upserted' }, { action: 'edited', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
  pull_request: ['opened', 'edited', 'closed', 'reopened', 'synchronize'].map((action): FakeWebhookAction => ({ action, change: 'upserted' })),
  pull_request_review: [{ action: 'submitted', change: 'upserted' }, { action: 'edited', change: 'upserted' }],
  pull_request_review_comment: [{ action: 'created', change: 'upserted' }, { action: 'edited', change: 'upserted' }],
  push: [{ change: 'upserted' }],
  create: [{ change: 'upserted' }],
  delete: [{ change: 'deleted' }],
  branch_protection_rule: [{ action: 'created', change: 'upserted' }, { action: 'edited', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
  deploy_key: [{ action: 'created', change: 'upserted' }, { action: 'deleted', change: 'deleted' }],
};

/** The route modules the fake serves, in routing order. */
export const GITHUB_FAKE_MODULES: readonly GitHubFakeModule[] = [githubFakeIssues, githubFakeCicd, githubFakeGitForge, githubFakeGraphql];

/**
 * Faults target API requests: the app-auth endpoints (installation lookups and token
 * mints) are left alone unless a fault names their path, so "fail the next request"
 * means the operation's own request even on a fresh instance.
 */
function apiFaults(queue: FaultQueue, isAuthPath: (path: string) => boolean, basePath: string): FaultQueue {
  return {
    injector: queue.injector,
    get pending() {
      return queue.pending;
    },
    clear: () => queue.clear(),
    take(request, path) {
      const relative = path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
      if (isAuthPath(relative)) {
        const targeted = queue.pending.some((f) => f.options.path !== undefined && (typeof f.options.path === 'string' ? f.options.path === path : f.options.path.test(path)));
        if (!targeted) return undefined;
      }
      return queue.take(request, path);
    },
  };
}

/**
 * A stateful MSW model of the GitHub REST API the provider calls: issues, comments,
 * labels, milestones and events; Actions, checks, statuses and runners; GraphQL issue
 * listing; the GitHub App endpoints. It serves GitHub's routes and shapes with
 * Link-header pagination (30 per page by default, at most 100), ETags and free 304s,
 * `x-ratelimit-*` headers, GitHub's error bodies and its rate limits.
 *
 * The config authenticates as a GitHub App: a process-wide RSA key pair; the fake
 * verifies the JWT's RS256 signature with the public key and issues installation
 * tokens (`ghs_...`, one hour) per installation; each owner the fake knows has one.
 *
 * Faults in GitHub's shapes: `rateLimit()` is a secondary rate limit (403, `retry-after`,
 * "You have exceeded a secondary rate limit..."); `rateLimit({ status: 403 | 429 })` is
 * the primary limit (`x-ratelimit-remaining: 0`, `x-ratelimit-reset`); `status(n)` is
 * GitHub's error body for n (403: "Resource not accessible by integration").
 */
export function createFake(options: CreateFakeOptions = {}): GitHubFake {
  const core = createGitHubFakeCore({ baseUrl: options.baseUrl });
  const modules = GITHUB_FAKE_MODULES;

  const secrets = (): string[] => [
    core.app.privateKeyPem,
    core.webhookSecret,
    ...core.tokens(),
    ...modules.flatMap((m) => m.secrets?.(core) ?? []),
  ];
  const base = new URL(core.apiBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const innerRecorder = createRequestRecorder({ secrets, origin: base.origin });
  /** Every request as sent (app-auth requests included), for the contract suite's wire scan. */
  const wireRecorder = createRequestRecorder({ secrets, origin: base.origin });
  const recorder = {
    record(request: Request, status: number, body?: unknown, raw?: string) {
      wireRecorder.record(request, status, body, raw);
      const path = new URL(request.url).pathname;
      const relative = path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
      if (core.isAuthPath(relative)) {
        core.authRequests.push({ method: request.method.toUpperCase(), path, status });
        return;
      }
      innerRecorder.record(request, status, body, raw);
    },
    get requests() {
      return innerRecorder.requests;
    },
    get wire() {
      return wireRecorder.wire;
    },
    reset: () => {
      innerRecorder.reset();
      wireRecorder.reset();
    },
  };
  const queue = createFaultQueue();
  const faults = apiFaults(queue, core.isAuthPath, basePath);

  const renderFault: Parameters<typeof createFakeHandlers>[0]['renderFault'] = (fault, request) =>
    renderGraphqlFault(core, fault, request) ?? core.renderFault(fault, request);

  const graphqlBase = githubGraphqlBaseUrl(core.apiBaseUrl);
  const restRoutes: FakeRoute[] = [...core.coreRoutes()];
  const graphqlRoutes: FakeRoute[] = [];
  for (const module of modules) {
    const routes = module.routes(core);
    if (module === githubFakeGraphql && graphqlBase !== core.apiBaseUrl) graphqlRoutes.push(...routes);
    else restRoutes.push(...routes);
  }
  const handlers: RequestHandler[] = [
    ...createFakeHandlers({
      baseUrl: core.apiBaseUrl,
      routes: restRoutes,
      recorder,
      faults,
      renderFault,
      authorize: (request) => core.authorize(request),
      notFound: (request) => core.notFound(request),
    }),
  ];
  if (graphqlRoutes.length > 0) {
    handlers.push(
      ...createFakeHandlers({
        baseUrl: graphqlBase,
        routes: graphqlRoutes,
        recorder,
        faults,
        renderFault,
        authorize: (request) => core.authorize(request),
        notFound: (request) => core.notFound(request),
      }),
    );
  }
  for (const module of modules) handlers.push(...(module.handlers?.(core) ?? []));

  const seed: FakeSeed = Object.assign({}, ...modules.map((m) => m.seeds(core))) as FakeSeed;
  // The default repository exists from the start; modules initialize it (a first commit on `main`).
  core.ensureRepo(GITHUB_FAKE_OWNER, 'hello-world');
  for (const module of modules) module.init?.(core);
  const webhook = createGitHubDeliveries(core, modules);
  const eventFor = Object.assign({}, ...modules.map((m) => m.webhookEventFor ?? {})) as Record<string, { event: string; action?: string }>;

  const fake: GitHubFake = {
    providerType: 'github',
    handlers,
    core,
    get authRequests() {
      return core.authRequests;
    },
    config: {
      auth: { type: 'app', appId: String(core.app.id), privateKey: core.app.privateKeyPem },
      baseUrl: core.apiBaseUrl,
      webhookSecret: core.webhookSecret,
      timeoutMs: options.timeoutMs ?? 1000,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 50 },
      useGraphql: false,
      userAgent: 'krate-provider-github/0.1.0 (fake)',
      etagCacheSize: 256,
    },
    get secrets() {
      return secrets();
    },
    scopes: {
      issueTracking: GITHUB_FAKE_REPOSITORY,
      cicd: GITHUB_FAKE_REPOSITORY,
      runners: GITHUB_FAKE_OWNER,
      repositoryOwner: GITHUB_FAKE_OWNER,
      repository: GITHUB_FAKE_REPOSITORY,
    },
    maxPageSize: 100,
    seed,
    faults: faults.injector,
    get requests(): readonly RecordedRequest[] {
      return recorder.requests;
    },
    webhook,
    webhookEventFor: (kind) => eventFor[kind],
    get wire() {
      return wireRecorder.wire;
    },
    credentialHeaders: ['authorization'],
    humanUrl(kind, ref) {
      const path = { issue: `/${ref.scope}/issues/${ref.id}`, pullRequest: `/${ref.scope}/pull/${ref.id}`, pipeline: `/${ref.scope}/actions/runs/${ref.id}`, repository: `/${ref.scope}/${ref.id}` }[kind];
      return path === undefined ? undefined : core.htmlUrl(path);
    },
    inspect(kind, ref) {
      const inRepo = (row: GhObject) => String(row._repo).toLowerCase() === ref.scope.toLowerCase();
      if (kind === 'pipeline') {
        const run = core.state.workflowRuns.list((r) => inRepo(r) && String(r.id) === ref.id)[0];
        if (!run) return undefined;
        const status = run.status === 'completed'
          ? ({ success: 'succeeded', failure: 'failed', cancelled: 'canceled' } as Record<string, string>)[String(run.conclusion)] ?? String(run.conclusion)
          : run.status === 'in_progress' ? 'running' : 'queued';
        return { status, runs: Number(run.run_attempt ?? 1) };
      }
      if (kind === 'pullRequest') {
        const pull = core.state.pulls.list((p) => inRepo(p) && String(p.number) === ref.id)[0];
        if (!pull) return undefined;
        return { status: pull.merged === true ? 'merged' : String(pull.state), ...(typeof pull._merge_method === 'string' ? { mergeMethod: pull._merge_method } : {}) };
      }
      if (kind === 'issue') {
        const issue = core.state.issues.list((i) => inRepo(i) && String(i.number) === ref.id)[0];
        if (!issue) return undefined;
        return { status: String(issue.state), ...(typeof issue.state_reason === 'string' ? { closeReason: issue.state_reason } : {}) };
      }
      return undefined;
    },
    webhookActions: (event) => GITHUB_WEBHOOK_ACTIONS[event] ?? [],
    reset() {
      recorder.reset();
      faults.clear();
      core.authRequests.length = 0;
    },
    signsTimestamp: false,
    ignoredWebhookEvents: ['ping'],
  };
  return fake;
}
