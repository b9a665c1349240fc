import { randomBytes } from 'node:crypto';
import type { PluginContext, WebhookRequest } from '@krate/core';
import {
  createFakeHandlers, createFaultQueue, createRequestRecorder, json, type CreateFakeOptions, type FakeBackend, type FakeRoute, type FakeSeed,
  type RecordedRequest, type WebhookOptions,
} from '@krate/contract-tests/kit';
import { GitLabConfigSchema, type GitLabConfig, type GitLabConfigInput } from '../gitlab-config.js';
import { gitlabFakeIssues } from './gitlab-fake-issues.js';
import { gitlabHumanUrl, gitlabInspect, gitlabWebhookActions, type GitLabFakeObjectState, type GitLabFakeWebhookAction } from './gitlab-fake-inspect.js';
import { gitlabFakePipelines } from './gitlab-fake-pipelines.js';
import { gitlabFakeRepositories } from './gitlab-fake-repositories.js';
import { GitLabFakeState, glError, type GitLabFakeModule } from './gitlab-fake-state.js';
import { gitlabDelivery, type GitLabWebhookScheme } from './gitlab-fake-webhooks.js';

/** The project every interface of the fake works in by default (a subgroup path). */
export const GITLAB_FAKE_PROJECT = 'krate-group/platform/web';
/** The namespace of the default project (repository owner). */
export const GITLAB_FAKE_NAMESPACE = 'krate-group/platform';
/** The fake's default base URL: GitLab.com's API. */
export const GITLAB_FAKE_BASE_URL = 'https://gitlab.com/api/v4';
/** A self-managed instance under a relative URL root, for the configuration variant. */
export const GITLAB_FAKE_SELF_MANAGED_BASE_URL = 'https://git.example.test/gitlab/api/v4';

export interface GitLabFakeOptions extends CreateFakeOptions {
  /** A configuration variant by name (`oauth token`). */
  variant?: string;
  /** The request timeout to configure (the suite's timeout and abort cases set it). */
  timeoutMs?: number;
  /** How webhook deliveries are signed (default `signing-token`, GitLab 19's Standard Webhooks). */
  webhookScheme?: GitLabWebhookScheme;
  /** Authenticate as an OAuth application token (`Authorization: Bearer gloas-...`) instead of `PRIVATE-TOKEN`. */
  oauth?: boolean;
  /** Give the credentials as secret references resolved by the fake's plugin context. */
  secretRefs?: boolean;
}

/** The configuration variants the contract suite runs again: OAuth bearer tokens instead of PRIVATE-TOKEN. */
export const GITLAB_FAKE_VARIANTS = [{ name: 'oauth token', affects: ['auth'] as const }];

/** The GitLab fake: a FakeBackend plus its state. */
export interface GitLabFake extends FakeBackend<GitLabConfig> {
  readonly state: GitLabFakeState;
  /** The header names GitLab reads credentials from. */
  readonly credentialHeaders: readonly string[];
  humanUrl(kind: string, ref: { scope: string; id: string }): string | undefined;
  inspect(kind: string, ref: { scope: string; id: string }): GitLabFakeObjectState | undefined;
  webhookActions(event: string): readonly GitLabFakeWebhookAction[];
  readonly variants: ReadonlyArray<{ name: string; affects: readonly ('baseUrl' | 'webhooks' | 'auth' | 'all')[] }>;
  /** The credentials the fake accepts and signs with. */
  readonly credentials: { token: string; webhookToken: string; signingToken: string; otherSigningToken: string };
}

/** The route modules the fake serves, in routing order. */
export const GITLAB_FAKE_MODULES: GitLabFakeModule[] = [gitlabFakeIssues, gitlabFakePipelines, gitlabFakeRepositories];

/** GitLab's rate-limit headers: `RateLimit-Reset` in epoch seconds, `RateLimit-ResetTime` as an HTTP date. */
function rateLimitHeaders(remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'ratelimit-name': 'throttle_authenticated_api',
    'ratelimit-limit': '2000',
    'ratelimit-observed': String(2000 - remaining),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetSeconds),
    'ratelimit-resettime': new Date(Date.now() + resetSeconds * 1000).toUTCString(),
  };
}

function token(prefix: string): string {
  return `${prefix}${randomBytes(15).toString('base64url')}`;
}

/**
 * A stateful MSW model of the GitLab REST API v4 the provider calls, at GitLab.com or
 * at any base URL (`https://git.example.test/gitlab/api/v4`): GitLab's routes, project
 * paths or ids in `:id` (URL-encoded `group%2Fsub%2Fproject`), iids, offset pages (20 by
 * default, at most 100) with `Link` and `x-*` headers (no totals past 10,000 records),
 * keyset pages for project issues, `RateLimit-*` headers, GitLab's error bodies and
 * 429 answers (`Retry-After`, `RateLimit-Reset` in epoch seconds).
 */
export function createFake(options: GitLabFakeOptions = {}): GitLabFake {
  if (options.variant === 'oauth token') options = { ...options, oauth: true };
  else if (options.variant !== undefined) throw new TypeError(`createFake: unknown variant "${options.variant}"`);
  const baseUrl = (options.baseUrl ?? GITLAB_FAKE_BASE_URL).replace(/\/+$/, '');
  const webUrl = baseUrl.replace(/\/api\/v4$/, '');
  const state = new GitLabFakeState(baseUrl, webUrl);
  const credentials = {
    token: token(options.oauth ? 'gloas-' : 'glpat-'),
    webhookToken: token('krate-hook-'),
    signingToken: `whsec_${randomBytes(32).toString('base64')}`,
    otherSigningToken: `whsec_${randomBytes(32).toString('base64')}`,
  };
  const secrets = (): string[] => [credentials.token, credentials.webhookToken, credentials.signingToken, ...state.runnerTokens];
  const origin = new URL(baseUrl).origin;
  const recorder = createRequestRecorder({ secrets, origin });
  const faults = createFaultQueue();
  const modules = GITLAB_FAKE_MODULES;
  // GitLab.com answers every API request with its RateLimit-* headers (reset in epoch seconds).
  let used = 0;
  const routes: FakeRoute[] = modules.flatMap((m) => m.routes(state)).map((route) => ({
    ...route,
    async handle(ctx) {
      const response = await route.handle(ctx);
      used += 1;
      for (const [name, value] of Object.entries(rateLimitHeaders(Math.max(0, 2000 - used), 60))) response.headers.set(name, value);
      return response;
    },
  }));


  const handlers = createFakeHandlers({
    baseUrl,
    routes,
    recorder,
    faults,
    renderFault(fault) {
      if (fault.kind === 'rateLimit') {
        const seconds = fault.options.retryAfterSeconds ?? 1;
        return new Response('Retry later\n', { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(seconds), ...rateLimitHeaders(0, seconds) } });
      }
      if (fault.kind === 'malformed') return new Response('{"id":1,"iid":1,"title":"trunc', { status: 200, headers: { 'content-type': 'application/json' } });
      if (fault.kind === 'serverError') return glError(fault.options.status ?? 502);
      return glError(fault.options.status ?? 500);
    },
    authorize(request) {
      const given = options.oauth
        ? /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
        : request.headers.get('private-token') ?? undefined;
      if (given !== credentials.token) return json({ message: '401 Unauthorized' }, { status: 401 });
      return undefined;
    },
    notFound: () => glError(404, '404 Not found'),
    invalidCursor: () => json({ message: 'cursor is invalid' }, { status: 400 }),
  });

  const seed: FakeSeed = Object.assign({}, ...modules.map((m) => m.seeds(state))) as FakeSeed;
  const builders = Object.assign({}, ...modules.map((m) => m.webhooks(state))) as ReturnType<GitLabFakeModule['webhooks']>;
  const eventFor = Object.assign({}, ...modules.map((m) => m.webhookEventFor ?? {})) as Record<string, { event: string; action?: string }>;
  state.ensureProject(GITLAB_FAKE_PROJECT);
  state.user('krate-bot');

  const scheme = options.webhookScheme ?? 'signing-token';
  function webhook(event: string, webhookOptions: WebhookOptions = {}): WebhookRequest {
    const builder = builders[event];
    const payload = builder ? builder(webhookOptions) : { object_kind: event, event_name: event };
    return gitlabDelivery(event, payload, { ...webhookOptions, scheme, secretToken: credentials.webhookToken, signingToken: credentials.signingToken, otherSigningToken: credentials.otherSigningToken, webUrl });
  }

  const refs = { token: { secretRef: { name: 'gitlab', key: 'token' } }, hook: { secretRef: { name: 'gitlab', key: 'webhook-token' } }, signing: { secretRef: { name: 'gitlab', key: 'signing-token' } } };
  const context: PluginContext | undefined = options.secretRefs
    ? { secrets: { resolve: (ref) => ({ token: credentials.token, 'webhook-token': credentials.webhookToken, 'signing-token': credentials.signingToken })[ref.key ?? ''] } }
    : undefined;
  const input: GitLabConfigInput = {
    auth: { type: options.oauth ? 'oauth' : 'token', token: options.secretRefs ? refs.token : credentials.token },
    baseUrl,
    webhookToken: options.secretRefs ? refs.hook : credentials.webhookToken,
    webhookSigningToken: options.secretRefs ? refs.signing : credentials.signingToken,
    timeoutMs: options.timeoutMs ?? 1000,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 50 },
    mergeStatusPollAttempts: 3,
    mergeStatusPollDelayMs: 1,
  };
  const config: GitLabConfig = GitLabConfigSchema.parse(input);

  return {
    providerType: 'gitlab',
    handlers,
    state,
    credentials,
    config,
    ...(context ? { context } : {}),
    get secrets() {
      return secrets();
    },
    scopes: { issueTracking: GITLAB_FAKE_PROJECT, cicd: GITLAB_FAKE_PROJECT, runners: GITLAB_FAKE_PROJECT, repositoryOwner: GITLAB_FAKE_NAMESPACE, repository: GITLAB_FAKE_PROJECT },
    maxPageSize: 100,
    seed,
    faults: faults.injector,
    get requests(): readonly RecordedRequest[] {
      return recorder.requests;
    },
    get wire() {
      return recorder.wire;
    },
    webhook,
    webhookEventFor: (kind) => eventFor[kind],
    reset() {
      recorder.reset();
      faults.clear();
    },
    signsTimestamp: scheme !== 'secret-token',
    credentialHeaders: options.oauth ? ['authorization'] : ['private-token'],
    humanUrl: (kind, ref) => gitlabHumanUrl(state, kind, ref),
    inspect: (kind, ref) => gitlabInspect(state, kind, ref),
    webhookActions: (event) => gitlabWebhookActions(event),
    variants: GITLAB_FAKE_VARIANTS,
  };
}
