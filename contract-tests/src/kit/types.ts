import type { ExternalRef, PluginContext, ProviderPlugin, WebhookRequest } from '@krate/core';
import type { RequestHandler } from 'msw';

/**
 * The testing kit: what every provider's `./testing` export implements so the
 * contract suite can run against it. A fake is a small stateful model of the
 * vendor API served through MSW handlers.
 */

/** One request the fake answered, with credentials redacted. */
export interface RecordedRequest {
  method: string;
  /** The path below the fake's origin, with the base path (`/api/v3`) included. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Request headers with `authorization` and other credential headers replaced by `[REDACTED]`. */
  headers: Record<string, string>;
  /** The JSON body of a write, as parsed (never holds credentials the fake knows of). */
  body?: unknown;
}

/**
 * One request exactly as it reached the fake, before any redaction: the suite's
 * wire scan looks for configured secrets in the URL, the query, the body and every
 * header but the ones the vendor expects credentials in ({@link FakeBackend.credentialHeaders}).
 * Never shown in reports (the suite only says where a secret was found).
 */
export interface WireRequest {
  method: string;
  /** The full URL, query included. */
  url: string;
  /** Every header, lower-case names, values untouched. */
  headers: Record<string, string>;
  /** The raw body text, if any. */
  body?: string;
}

export interface FaultOptions {
  /** How many matching requests the fault applies to (default 1). `Infinity` for all. */
  times?: number;
  /** Only requests whose method matches (case-insensitive). */
  method?: string;
  /** Only requests whose path (below the origin) matches. */
  path?: string | RegExp;
  /** For rate limits: seconds in the vendor's `Retry-After` / reset headers (default 1). */
  retryAfterSeconds?: number;
  /** For `status`: the status to answer with. */
  status?: number;
  /**
   * Let this many matching requests through before the fault applies (default 0).
   * `{ method: 'GET', after: 1 }` fails the second page of a listing.
   */
  after?: number;
}

/** Makes the next matching request(s) fail the way the vendor fails. */
export interface FaultInjector {
  /** The vendor's own rate-limit answer (status, headers and body exactly as the vendor sends them). */
  rateLimit(options?: FaultOptions): void;
  /** A 5xx answer (502 by default, or `options.status`). */
  serverError(options?: FaultOptions): void;
  /** The request never gets an answer (the client's timeout must fire). */
  timeout(options?: FaultOptions): void;
  /**
   * The connection drops. With `afterWrite: true` the fake applies the write first and
   * then drops the response: the client cannot know whether the write happened.
   */
  drop(options?: FaultOptions & { afterWrite?: boolean }): void;
  /** A 200 with a truncated, unparseable JSON body. */
  malformed(options?: FaultOptions): void;
  /** An error answer with this status in the vendor's error-body shape (401, 403, 404, 409, 422, ...). */
  status(status: number, options?: FaultOptions): void;
  /** Removes every pending fault. */
  clear(): void;
}

/** How the webhook signature of a generated delivery is made. */
export type SignatureMode = 'valid' | 'missing' | 'wrong' | 'tampered' | 'stale';

export interface WebhookOptions {
  /** The vendor action (`opened`, `closed`, ...) where the event has actions. */
  action?: string;
  /** The object the delivery is about; the fake builds the payload from its current state. */
  ref?: ExternalRef;
  /** Signature mode; default `valid`. `stale` is only meaningful where the scheme signs a timestamp. */
  signature?: SignatureMode;
  /** Delivery id to use (to test redeliveries); a fresh one by default. */
  deliveryId?: string;
  /** The time the delivery claims to be sent at (for timestamp schemes). */
  now?: Date;
  /**
   * Sign a truncated, unparseable JSON body with a valid signature: the receiver
   * must verify it and then fail with `webhook_malformed`.
   */
  malformed?: boolean;
}

/** Provider-neutral seed input shapes. Times are ISO-8601. */
export interface SeedIssue {
  title: string;
  body?: string;
  state?: 'open' | 'closed';
  /** Label names; the fake creates labels it does not know yet. */
  labels?: string[];
  /** User logins or ids as the provider returns them in `assignees[].login` (or `id`). */
  assignees?: string[];
  /** Milestone title; the fake creates it if needed. */
  milestone?: string;
  createdAt?: string;
  updatedAt?: string;
}
export interface SeedComment { body: string; author?: string; createdAt?: string; updatedAt?: string }
export interface SeedLabel { name: string; color?: string; description?: string }
export interface SeedMilestone { title: string; state?: 'open' | 'closed'; dueOn?: string }
export interface SeedIssueEvent { kind: string; actor?: string; createdAt?: string }
export interface SeedPipeline {
  name?: string;
  branch?: string;
  sha?: string;
  /** Neutral status: the fake maps it to its own states. */
  status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'blocked';
  createdAt?: string;
  updatedAt?: string;
}
export interface SeedJob { name: string; status?: SeedPipeline['status']; log?: string }
export interface SeedArtifact { name: string; sizeBytes?: number }
export interface SeedRunner { name: string; status?: 'online' | 'offline'; busy?: boolean; labels?: string[] }
export interface SeedRepository {
  name: string;
  description?: string;
  visibility?: 'public' | 'private' | 'internal';
  defaultBranch?: string;
  archived?: boolean;
  createdAt?: string;
  updatedAt?: string;
}
export interface SeedPullRequest {
  title: string;
  body?: string;
  headBranch: string;
  baseBranch?: string;
  state?: 'open' | 'closed' | 'merged';
  draft?: boolean;
  createdAt?: string;
  updatedAt?: string;
}
export interface SeedReview { state: 'approved' | 'changes_requested' | 'commented'; body?: string; author?: string }
export interface SeedGitRef { name: string; kind?: 'branch' | 'tag'; sha?: string }
export interface SeedCommit { message: string; sha?: string; parents?: string[]; authorName?: string; authorEmail?: string }
export interface SeedDeployKey { title: string; key: string; readOnly?: boolean }
export interface SeedCollaborator { login: string; permission?: 'read' | 'triage' | 'write' | 'maintain' | 'admin' }
export interface SeedBranchProtection {
  branch: string;
  requiredApprovingReviews?: number;
  requiredStatusChecks?: string[];
  enforceAdmins?: boolean;
}

/**
 * Seed functions put objects straight into the fake's state (no request is recorded).
 * Each returns the ref the provider will use for the object. A fake implements the
 * ones for the object kinds its manifest declares.
 */
export interface FakeSeed {
  issue?(scope: string, input: SeedIssue): ExternalRef;
  comment?(issueRef: ExternalRef, input: SeedComment): ExternalRef;
  label?(scope: string, input: SeedLabel): ExternalRef;
  milestone?(scope: string, input: SeedMilestone): ExternalRef;
  issueEvent?(issueRef: ExternalRef, input: SeedIssueEvent): ExternalRef;
  pipeline?(scope: string, input: SeedPipeline): ExternalRef;
  job?(pipelineRef: ExternalRef, input: SeedJob): ExternalRef;
  artifact?(pipelineRef: ExternalRef, input: SeedArtifact): ExternalRef;
  runner?(scope: string, input: SeedRunner): ExternalRef;
  repository?(owner: string, input: SeedRepository): ExternalRef;
  pullRequest?(repoScope: string, input: SeedPullRequest): ExternalRef;
  review?(pullRequestRef: ExternalRef, input: SeedReview): ExternalRef;
  gitRef?(repoScope: string, input: SeedGitRef): ExternalRef;
  commit?(repoScope: string, input: SeedCommit): ExternalRef;
  deployKey?(repoScope: string, input: SeedDeployKey): ExternalRef;
  collaborator?(repoScope: string, input: SeedCollaborator): ExternalRef;
  branchProtection?(repoScope: string, input: SeedBranchProtection): ExternalRef;
}

/** The scopes the suite works in; a fake creates them empty on construction. */
export interface FakeScopes {
  /** For issue tracking: `owner/repo`, a project key, a team key. */
  issueTracking?: string;
  /** For CI/CD listings: `owner/repo`, `org/pipeline`, a project path. */
  cicd?: string;
  /** For runners (`listRunners`, `registerRunner`): an org or a repo scope. */
  runners?: string;
  /** For repository listings: an owner (org or user). */
  repositoryOwner?: string;
  /** For repository-scoped forge operations: `owner/repo`. */
  repository?: string;
}

export interface CreateFakeOptions {
  /** Where the provider is pointed, for example `https://ghe.example.com/api/v3`. Each fake has a root default. */
  baseUrl?: string;
  /**
   * The name of a configuration variant the fake declared in {@link FakeBackend.variants}
   * (a webhook scheme, an auth mode): the fake returns the config for it.
   */
  variant?: string;
  /**
   * A per-request timeout budget set by the suite for cases that wait on the client's
   * timeout or on an abort (a few hundred ms): the fake puts it in `config` wherever
   * the provider reads its request timeout. A fake that ignores it still works; its
   * timeout cases just take longer.
   */
  timeoutMs?: number;
}

/** What a configuration variant can change, and so which case families run again for it. */
export type VariantAspect =
  /** Where requests go and which URLs the provider builds: round trips, listings, fields, human URLs. */
  | 'baseUrl'
  /** How deliveries are verified and parsed: webhook and convergence cases. */
  | 'webhooks'
  /** How requests are authenticated: round trips, listings, error mapping, secrets, abort. */
  | 'auth'
  /** Everything: the whole suite runs again. */
  | 'all';

/**
 * A configuration of the provider the suite must also prove: a self-hosted base
 * URL, the vendor's second webhook scheme, another auth mode. The suite runs the
 * case families the variant `affects` again, with `createFake(options)`.
 */
export interface FakeVariant {
  /** Shown in reports and test names: `webhook token`, `GitHub App auth`. Unique per provider. */
  name: string;
  affects: readonly VariantAspect[];
  /** Passed to `createFake` (the variant name is added as `options.variant`). */
  options?: CreateFakeOptions;
}

/**
 * What the fake's own state says about an object, in neutral terms, so the suite can
 * check that a write did what it means (not only what it returned). Return only the
 * fields the fake models; the suite fails a check that needs a missing field with a
 * message naming it.
 */
export interface FakeObjectState {
  /** Neutral status: `open`/`closed`/`merged` (issues, pull requests); for pipelines one of `SeedPipeline['status']` or `canceling`. */
  status?: string;
  /** Pipelines: how many times it has been run, 1 + reruns (an attempt of the same run or a new build made by the rerun both count). */
  runs?: number;
  /** Issues: the stored close reason (`completed`, `not_planned`, `duplicate`). */
  closeReason?: string;
  /** Pull requests: the method the merge used (`merge`, `squash`, `rebase`). */
  mergeMethod?: string;
  title?: string;
  body?: string;
  labels?: string[];
  assignees?: string[];
  milestone?: string;
}

/** A webhook action the provider documents for an event, and the `change` its events must carry. */
export interface FakeWebhookAction {
  /** The vendor action (`opened`, `deleted`); absent for events without actions. */
  action?: string;
  change: 'upserted' | 'deleted';
  /** The object kind the delivery is about (default: the kind `webhookEventFor` maps to this event). */
  kind?: string;
}

/** A vendor fake. Make a fresh one per test. */
export interface FakeBackend<Config = unknown> {
  /** The vendor name, as in the manifest's `providerType`. */
  readonly providerType: string;
  /** MSW handlers serving this fake; install with `server.use(...fake.handlers)`. */
  readonly handlers: RequestHandler[];
  /** A config that points the provider at the fake, with fast timeouts and retry delays for tests. */
  readonly config: Config;
  /** A plugin context to create the instance with (secret resolver for secret-ref configs). */
  readonly context?: PluginContext;
  /** Every credential in `config` (and the webhook secret): the suite scans output for them. */
  readonly secrets: string[];
  readonly scopes: FakeScopes;
  /** The vendor's maximum page size for the listings the provider makes. */
  readonly maxPageSize: number;
  readonly seed: FakeSeed;
  readonly faults: FaultInjector;
  /** Every request the fake answered since the last `reset()`, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * A webhook delivery for a native event (`issues`, `build.finished`), signed as
   * the vendor signs it. The payload describes `options.ref` in the fake's current
   * state, or a fresh object when no ref is given.
   */
  webhook(event: string, options?: WebhookOptions): WebhookRequest;
  /**
   * Which native webhook event reports a change to an object of this kind (for the
   * convergence case): for example `issue` -> `{ event: 'issues', action: 'edited' }`.
   */
  webhookEventFor?(kind: string): { event: string; action?: string } | undefined;
  /** Forgets recorded requests and pending faults (state stays). */
  reset(): void;
  /**
   * Every request since the last `reset()` exactly as sent, before redaction
   * (`createRequestRecorder(...).wire`). The secrets cases fail without it: they cannot
   * see a token sent in a URL, a query or a body otherwise.
   */
  readonly wire?: readonly WireRequest[];
  /**
   * Header names (lower case) where the vendor expects credentials; a secret anywhere
   * else on the wire fails the secrets cases. Default `['authorization']`.
   */
  readonly credentialHeaders?: readonly string[];
  /**
   * The page a person opens for an object (not the API URL): the suite compares
   * `external.url` with it. `kind` is an object kind (`issue`, `pipeline`, ...).
   * Return undefined for kinds that have no page.
   */
  humanUrl?(kind: string, ref: ExternalRef): string | undefined;
  /**
   * The fake's own state of an object, in neutral terms (see {@link FakeObjectState}),
   * or undefined when the fake has no such object. The write cases use it to check
   * that a rerun added a run, a cancel changed the state, a merge used the asked method.
   */
  inspect?(kind: string, ref: ExternalRef): FakeObjectState | undefined;
  /**
   * The actions the provider documents for a native event, each with the change its
   * normalized events carry (`issues`: `opened` -> upserted, `deleted` -> deleted).
   * The suite sends every one. Without it only the event's default delivery is sent.
   */
  webhookActions?(event: string): readonly FakeWebhookAction[];
  /**
   * Configuration variants of the provider (each webhook scheme, each auth mode);
   * the suite runs the case families each affects once per variant.
   */
  readonly variants?: readonly FakeVariant[];
  /**
   * True when the vendor's delivery scheme signs a timestamp (Slack/Stripe style), so
   * `signature: 'stale'` yields a delivery signed correctly but too long ago.
   * Default false: the `stale` case is not run.
   */
  readonly signsTimestamp?: boolean;
  /**
   * Native events the provider verifies but documents as carrying no object change
   * (GitHub `ping`): deliveries of these may normalize to `events: []`.
   */
  readonly ignoredWebhookEvents?: readonly string[];
}

export type CreateFake<Config = unknown> = (options?: CreateFakeOptions) => FakeBackend<Config>;

/** Cases that a provider skips, each with a written reason: `{ 'cicd.registerRunner.idempotency': 'reason' }`. */
export type ContractSkips = Record<string, string>;

export interface ContractSuiteOptions<Config = unknown> {
  plugin: ProviderPlugin<Config>;
  createFake: CreateFake<Config>;
  skip?: ContractSkips;
  /**
   * Non-root base URLs (self-hosted installs): the cases a base URL can affect
   * (round trips, listings, fields and human URLs) run again at each.
   */
  alternateBaseUrls?: string[];
  /** More configuration variants, in addition to the fake's own `variants`. */
  variants?: FakeVariant[];
}
