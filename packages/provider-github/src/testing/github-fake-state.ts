import type { FakeClock, FakeCollection, FakeRoute } from '@krate/contract-tests/kit';
import type { FakeSeed, WebhookOptions } from '@krate/contract-tests/kit';
import type { RequestHandler } from 'msw';

/** A stored GitHub object, kept in GitHub's REST response shape plus private `_` fields. */
export type GhObject = { id: number } & Record<string, unknown>;

/**
 * The fake's state. Objects are stored in GitHub's REST shape so routes return them
 * as they are. Issues and pull requests share one number space per repository; a
 * pull request also has a row in `issues` with a `pull_request` key, as on GitHub.
 */
export interface GitHubFakeState {
  repos: FakeCollection<GhObject>; // _owner, _name
  issues: FakeCollection<GhObject>; // _repo: 'owner/repo'
  comments: FakeCollection<GhObject>; // _repo, _issue (number)
  labels: FakeCollection<GhObject>; // _repo
  milestones: FakeCollection<GhObject>; // _repo
  issueEvents: FakeCollection<GhObject>; // _repo, _issue
  workflowRuns: FakeCollection<GhObject>; // _repo
  workflowJobs: FakeCollection<GhObject>; // _repo, _run
  jobLogs: Map<number, string>; // job id -> log text
  artifacts: FakeCollection<GhObject>; // _repo, _run
  runners: FakeCollection<GhObject>; // _scope: 'org' or 'owner/repo'
  checkRuns: FakeCollection<GhObject>; // _repo
  statuses: FakeCollection<GhObject>; // _repo, _sha
  pulls: FakeCollection<GhObject>; // _repo
  reviews: FakeCollection<GhObject>; // _repo, _pull
  refs: FakeCollection<GhObject>; // _repo (git refs: ref, object.sha)
  commits: FakeCollection<GhObject>; // _repo
  deployKeys: FakeCollection<GhObject>; // _repo
  collaborators: FakeCollection<GhObject>; // _repo
  protections: FakeCollection<GhObject>; // _repo, _branch
  installations: FakeCollection<GhObject>; // account.login
}

/** What every route module of the fake is built on. */
export interface GitHubFakeCore {
  readonly state: GitHubFakeState;
  readonly clock: FakeClock;
  /** e.g. https://api.github.com or https://ghe.example.com/api/v3 */
  readonly apiBaseUrl: string;
  /** e.g. https://github.com or https://ghe.example.com */
  readonly webBaseUrl: string;
  nextId(): number;
  /** The next issue/PR number of a repository (shared number space). */
  nextNumber(repoFullName: string): number;
  apiUrl(path: string): string;
  htmlUrl(path: string): string;
  /** The repository row, or undefined. */
  findRepo(owner: string, repo: string): GhObject | undefined;
  /** Ensures a repository exists (used by seeds and construction). */
  ensureRepo(owner: string, repo: string, fields?: Record<string, unknown>): GhObject;
  /** GitHub's error body: { message, documentation_url, status, errors? }. */
  error(status: number, message: string, extra?: { errors?: unknown[]; headers?: Record<string, string> }): Response;
  /** A paginated list answer: per_page (default 30, max 100) / page, Link header, ETag + 304, x-ratelimit-* headers. */
  listResponse(
    request: Request,
    url: URL,
    items: unknown[],
    options?: {
      defaultPerPage?: number;
      maxPerPage?: number;
      wrap?: (page: unknown[], total: number) => unknown;
      /** Renders each item of the served page (applied after slicing, so a large listing renders one page, not all of it). */
      map?: (item: never) => unknown;
    },
  ): Response;
  /** A single object answer with ETag / If-None-Match -> 304 and x-ratelimit-* headers. */
  itemResponse(request: Request, body: unknown, status?: number): Response;
  /** Sets `updated_at` to a fresh clock tick (ETag changes with it). */
  touch(obj: GhObject): void;
  /** A user object in GitHub's shape. */
  user(login: string): Record<string, unknown>;
  /**
   * GitHub's 403 "Resource not accessible by integration" when the request's
   * installation token lacks `permission` at `level` (personal tokens pass); undefined
   * when allowed.
   */
  requirePermission?(request: Request, permission: string, level: 'read' | 'write' | 'admin'): Response | undefined;
  /** The owner's installation row, creating the owner as an organization or a user account when missing. */
  ensureOwner?(login: string, type?: 'Organization' | 'User'): GhObject;
}

/** One route module of the fake: its routes, its seed functions and its webhook payload builders. */
export interface GitHubFakeModule {
  /** Runs once when the fake is made, after its default repository exists (e.g. to give it a first commit). */
  init?(core: GitHubFakeCore): void;
  routes(core: GitHubFakeCore): FakeRoute[];
  seeds(core: GitHubFakeCore): Partial<FakeSeed>;
  /**
   * Webhook payload builders per native event name: build the payload (without
   * repository/sender/installation, which the core adds) from the current state.
   */
  webhooks(core: GitHubFakeCore): Record<string, (options: WebhookOptions) => { action?: string; payload: Record<string, unknown> }>;
  /** For convergence: which event reports a change to an object kind. */
  webhookEventFor?: Record<string, { event: string; action?: string }>;
  /**
   * MSW handlers for hosts other than the API base (e.g. the pre-signed job log host
   * a logs redirect points at). createFake installs them after the API handlers.
   */
  handlers?(core: GitHubFakeCore): RequestHandler[];
  /**
   * Credentials the module issued (e.g. runner registration tokens): the fake's
   * `secrets` include them, so the suite scans output for them too.
   */
  secrets?(core: GitHubFakeCore): string[];
}
