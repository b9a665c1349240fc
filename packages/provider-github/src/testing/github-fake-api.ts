import { randomUUID } from 'node:crypto';
import {
  FakeClock,
  FakeCollection,
  createSequence,
  itemAnswer,
  json,
  listAnswer,
  type FakeRoute,
  type PendingFault,
} from '@krate/contract-tests/kit';
import { fakeAppKeys, newInstallationToken, verifyAppJwt } from './github-fake-app.js';
import { appObject, repositoryObject, userObject as makeUser } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeState } from './github-fake-state.js';

const DOCS = 'https://docs.github.com/rest';
const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID';

/** Permissions an installation of the fake app has unless a test changes them. */
export const DEFAULT_INSTALLATION_PERMISSIONS: Readonly<Record<string, 'read' | 'write' | 'admin'>> = Object.freeze({
  metadata: 'read',
  issues: 'write',
  pull_requests: 'write',
  contents: 'write',
  actions: 'write',
  checks: 'write',
  statuses: 'write',
  administration: 'write',
  organization_self_hosted_runners: 'write',
});

/** What a token the fake issued stands for. */
export interface FakeTokenInfo {
  kind: 'installation' | 'personal';
  installationId?: number;
  login?: string;
  /** Real time (ms since the epoch) after which GitHub refuses it. */
  expiresAt: number;
  revoked?: boolean;
}

/** The GitHub fake's core plus what createFake and the tests use to drive it. */
export interface GitHubFakeCoreImpl extends GitHubFakeCore {
  readonly app: { id: number; slug: string; privateKeyPem: string };
  readonly webhookSecret: string;
  /** Every token the fake issued or accepts (for the secrets scan). */
  tokens(): string[];
  /** Installation tokens live this long (seconds). Default 3600, as on GitHub. */
  tokenLifetimeSeconds: number;
  /** Requests per hour each token may make before the primary limit answers 403. Default 5000. */
  rateLimitPerHour: number;
  /** Makes every installation token issued so far invalid (as a revoke or an early expiry does). */
  revokeInstallationTokens(): void;
  /** Adds a personal access token acting as `login`. */
  addPersonalToken(token: string, login: string): void;
  /** The installation row of an owner, creating the owner (and the installation) when missing. */
  ensureOwner(login: string, type?: 'Organization' | 'User'): GhObject;
  /** App-auth requests (lookups and token mints) answered, oldest first; they are not in `requests`. */
  readonly authRequests: Array<{ method: string; path: string; status: number }>;
  /** Whether a path (below the base) is one of the app-auth endpoints. */
  isAuthPath(path: string): boolean;
  authorize(request: Request): Response | undefined;
  renderFault(fault: PendingFault, request: Request): Response;
  notFound(request: Request): Response;
  /** The routes of the app and installation endpoints and `GET /rate_limit`. */
  coreRoutes(): FakeRoute[];
}

const JWT_PATHS = [
  /^\/app$/,
  /^\/app\/installations$/,
  /^\/app\/installations\/[^/]+$/,
  /^\/app\/installations\/[^/]+\/access_tokens$/,
  /^\/orgs\/[^/]+\/installation$/,
  /^\/users\/[^/]+\/installation$/,
  /^\/repos\/[^/]+\/[^/]+\/installation$/,
];

/**
 * The core of the GitHub fake: state, clock, ids, URL building, GitHub's error
 * bodies, list and item answers (Link pagination with GitHub's 30/100 page sizes,
 * ETags and 304s, `x-ratelimit-*` headers; 304s are free), the GitHub App (JWT
 * verified against the app's public key, installation tokens with `expires_at`),
 * credential checks and faults in GitHub's shapes.
 */
export function createGitHubFakeCore(options: { baseUrl?: string } = {}): GitHubFakeCoreImpl {
  const apiBaseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const base = new URL(apiBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const webBaseUrl = /\/api\/v3$/.test(basePath)
    ? `${base.origin}${basePath.replace(/\/api\/v3$/, '')}`
    : base.hostname.startsWith('api.') && basePath === ''
      ? `${base.protocol}//${base.host.slice(4)}`
      : `${base.origin}${basePath}`;
  const keys = fakeAppKeys();
  const clock = new FakeClock();
  const nextId = createSequence(1001);
  const numbers = new Map<string, number>();
  const tokens = new Map<string, FakeTokenInfo>();
  const buckets = new Map<string, { used: number; reset: number }>();
  const authRequests: GitHubFakeCoreImpl['authRequests'] = [];
  const app = { id: 90_210, slug: 'krate-fake', privateKeyPem: keys.privateKeyPem };
  const webhookSecret = `whsec-fake-${randomUUID()}`;

  const byId = <T extends GhObject>() => new FakeCollection<T>({ compare: (a, b) => Number(a.id) - Number(b.id) });
  const state: GitHubFakeState = {
    repos: byId(),
    issues: byId(),
    comments: byId(),
    labels: byId(),
    milestones: byId(),
    issueEvents: byId(),
    workflowRuns: byId(),
    workflowJobs: byId(),
    jobLogs: new Map(),
    artifacts: byId(),
    runners: byId(),
    checkRuns: byId(),
    statuses: byId(),
    pulls: byId(),
    reviews: byId(),
    refs: byId(),
    commits: byId(),
    deployKeys: byId(),
    collaborators: byId(),
    protections: byId(),
    installations: byId(),
  };

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  function relativePath(request: Request): string {
    const path = new URL(request.url).pathname;
    return path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
  }

  function credentialOf(request: Request): { scheme: string; value: string } | undefined {
    const header = request.headers.get('authorization');
    if (!header) return undefined;
    const match = /^(\w+)\s+(\S+)$/.exec(header.trim());
    return match ? { scheme: match[1]!.toLowerCase(), value: match[2]! } : undefined;
  }

  function tokenOf(request: Request): FakeTokenInfo | undefined {
    const credential = credentialOf(request);
    return credential ? tokens.get(credential.value) : undefined;
  }

  function bucketOf(request: Request): { key: string; bucket: { used: number; reset: number } } | undefined {
    const info = tokenOf(request);
    if (!info) return undefined;
    const key = info.kind === 'installation' ? `installation:${info.installationId}` : `user:${info.login}`;
    let bucket = buckets.get(key);
    if (!bucket || bucket.reset <= nowSeconds()) {
      bucket = { used: 0, reset: nowSeconds() + 3600 };
      buckets.set(key, bucket);
    }
    return { key, bucket };
  }

  /** `x-ratelimit-*` headers; `count` spends one request of the budget (304s do not). */
  function rateHeaders(request: Request | undefined, count: boolean): Record<string, string> {
    const entry = request ? bucketOf(request) : undefined;
    const limit = core.rateLimitPerHour;
    if (entry && count) entry.bucket.used += 1;
    const used = entry?.bucket.used ?? 0;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(entry?.bucket.reset ?? nowSeconds() + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().slice(0, 18).toUpperCase(),
    };
  }

  function error(status: number, message: string, extra: { errors?: unknown[]; headers?: Record<string, string>; documentationUrl?: string } = {}): Response {
    const body: Record<string, unknown> = { message, documentation_url: extra.documentationUrl ?? DOCS, status: String(status) };
    if (extra.errors) body.errors = extra.errors;
    return json(body, { status, headers: extra.headers });
  }

  function primaryLimit(status: number, resetSeconds: number, installationId?: number): Response {
    const limit = core.rateLimitPerHour;
    return error(status, installationId !== undefined ? `API rate limit exceeded for installation ID ${installationId}.` : 'API rate limit exceeded.', {
      documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(limit),
        'x-ratelimit-reset': String(resetSeconds),
        'x-ratelimit-resource': 'core',
      },
    });
  }

  function installationFor(login: string): GhObject | undefined {
    const wanted = login.toLowerCase();
    return state.installations.list((i) => String((i.account as { login?: string } | undefined)?.login ?? '').toLowerCase() === wanted)[0];
  }

  const bases = { apiBaseUrl, webBaseUrl };
  const userObject = (login: string, type: 'User' | 'Organization' | 'Bot' = 'User') => makeUser(bases, login, type);

  function ensureOwner(login: string, type: 'Organization' | 'User' = 'Organization'): GhObject {
    const existing = installationFor(login);
    if (existing) return existing;
    const id = nextId();
    const account = userObject(login, type);
    const now = clock.iso();
    return state.installations.insert({
      id,
      account,
      repository_selection: 'all',
      access_tokens_url: `${apiBaseUrl}/app/installations/${id}/access_tokens`,
      repositories_url: `${apiBaseUrl}/installation/repositories`,
      html_url: `${webBaseUrl}/${type === 'Organization' ? `organizations/${login}/` : ''}settings/installations/${id}`,
      app_id: app.id,
      app_slug: app.slug,
      client_id: 'Iv1.fake0000000000',
      target_id: account.id,
      target_type: type,
      permissions: { ...DEFAULT_INSTALLATION_PERMISSIONS },
      events: ['issues', 'issue_comment', 'label', 'milestone', 'pull_request', 'push', 'workflow_run', 'workflow_job', 'check_run'],
      created_at: now,
      updated_at: now,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    });
  }

  function listResponse(
    request: Request,
    url: URL,
    items: unknown[],
    opts: { defaultPerPage?: number; maxPerPage?: number; wrap?: (page: unknown[], total: number) => unknown; map?: (item: never) => unknown } = {},
  ): Response {
    const wrap = opts.wrap;
    return listAnswer(request, url, items, {
      defaultPerPage: opts.defaultPerPage ?? 30,
      maxPerPage: opts.maxPerPage ?? 100,
      map: opts.map as ((item: unknown) => unknown) | undefined,
      wrap: wrap ? (page, slice) => wrap(page, slice.total) : undefined,
      headers: (counted) => rateHeaders(request, counted),
    });
  }

  function itemResponse(request: Request, body: unknown, status = 200): Response {
    return itemAnswer(request, body, { status, headers: (counted) => rateHeaders(request, counted) });
  }

  function requireJwt(request: Request): Response | undefined {
    const credential = credentialOf(request);
    if (!credential) return error(401, 'A JSON web token could not be decoded');
    if (credential.scheme !== 'bearer') return error(401, 'A JSON web token could not be decoded');
    const verdict = verifyAppJwt(credential.value, { appId: app.id, publicKey: keys.publicKey, nowSeconds: nowSeconds() });
    return verdict.ok ? undefined : error(401, verdict.message);
  }

  function installationJson(installation: GhObject): Record<string, unknown> {
    return { ...installation };
  }

  const core: GitHubFakeCoreImpl = {
    state,
    clock,
    apiBaseUrl,
    webBaseUrl,
    app,
    webhookSecret,
    tokenLifetimeSeconds: 3600,
    rateLimitPerHour: 5000,
    authRequests,
    nextId,
    nextNumber(repoFullName) {
      const key = repoFullName.toLowerCase();
      const next = (numbers.get(key) ?? 0) + 1;
      numbers.set(key, next);
      return next;
    },
    apiUrl: (path) => `${apiBaseUrl}${path.startsWith('/') ? '' : '/'}${path}`,
    htmlUrl: (path) => `${webBaseUrl}${path.startsWith('/') ? '' : '/'}${path}`,
    findRepo(owner, repo) {
      const full = `${owner}/${repo}`.toLowerCase();
      return state.repos.list((r) => String(r.full_name).toLowerCase() === full)[0];
    },
    ensureRepo(owner, repo, fields = {}) {
      const existing = core.findRepo(owner, repo);
      if (existing) return existing;
      const installation = ensureOwner(owner);
      const ownerType = String((installation.account as { type?: string }).type ?? 'Organization') as 'Organization' | 'User';
      const id = nextId();
      const now = clock.iso();
      return state.repos.insert({
        ...repositoryObject(bases, { id, owner, repo, ownerType, now }),
        ...fields,
        _owner: owner,
        _name: repo,
      });
    },
    error: (status, message, extra) => error(status, message, extra),
    listResponse,
    itemResponse,
    touch(obj) {
      const updated = clock.tick();
      Object.assign(obj, { updated_at: updated });
    },
    user: (login) => userObject(login),

    tokens: () => [...tokens.keys()],
    revokeInstallationTokens() {
      for (const info of tokens.values()) if (info.kind === 'installation') info.revoked = true;
    },
    addPersonalToken(token, login) {
      tokens.set(token, { kind: 'personal', login, expiresAt: Number.MAX_SAFE_INTEGER });
    },
    ensureOwner,
    isAuthPath: (path) => JWT_PATHS.some((p) => p.test(path)),

    authorize(request) {
      const path = relativePath(request);
      if (path === '/rate_limit') return tokenOf(request) ? undefined : error(401, 'Requires authentication');
      if (core.isAuthPath(path)) return requireJwt(request);
      const credential = credentialOf(request);
      if (!credential) return error(401, 'Requires authentication');
      const info = tokens.get(credential.value);
      if (!info || info.revoked || info.expiresAt <= Date.now()) return error(401, 'Bad credentials');
      if (info.kind === 'installation') {
        const owner = /^\/(?:repos|orgs)\/([^/]+)/.exec(path)?.[1];
        const installation = state.installations.get(info.installationId ?? -1);
        const account = String((installation?.account as { login?: string } | undefined)?.login ?? '');
        if (owner !== undefined && decodeURIComponent(owner).toLowerCase() !== account.toLowerCase()) return error(404, 'Not Found');
      }
      const entry = bucketOf(request);
      if (entry && entry.bucket.used >= core.rateLimitPerHour) return primaryLimit(403, entry.bucket.reset, info.installationId);
      return undefined;
    },

    requirePermission(request, permission, level) {
      const info = tokenOf(request);
      if (!info || info.kind !== 'installation') return undefined;
      const installation = state.installations.get(info.installationId ?? -1);
      const granted = (installation?.permissions as Record<string, string> | undefined)?.[permission];
      const rank = (value: string | undefined) => (value === 'admin' ? 3 : value === 'write' ? 2 : value === 'read' ? 1 : 0);
      if (rank(granted) >= rank(level)) return undefined;
      return error(403, 'Resource not accessible by integration', { documentationUrl: `${DOCS}/issues` });
    },

    renderFault(fault, request) {
      const seconds = fault.options.retryAfterSeconds ?? 1;
      const status = fault.options.status;
      if (fault.kind === 'rateLimit') {
        const info = tokenOf(request);
        if (status === 403 || status === 429) return primaryLimit(status, nowSeconds() + seconds, info?.installationId);
        const requestId = randomUUID().slice(0, 23).toUpperCase();
        return error(403, `${SECONDARY_LIMIT_MESSAGE} ${requestId}.`, {
          documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          headers: { 'retry-after': String(seconds), ...rateHeaders(request, false) },
        });
      }
      if (fault.kind === 'malformed') {
        return new Response('{"id": 1, "node_id": "I_kw', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
      }
      if (fault.kind === 'serverError') {
        const code = status ?? 502;
        return code === 500 ? error(500, 'Server Error') : error(code, 'Server Error: the service is temporarily unavailable, please retry');
      }
      const code = status ?? 500;
      const messages: Record<number, string> = {
        400: 'Problems parsing JSON',
        401: 'Bad credentials',
        403: 'Resource not accessible by integration',
        404: 'Not Found',
        409: 'Conflict',
        410: 'Gone',
        422: 'Validation Failed',
        429: 'API rate limit exceeded.',
      };
      if (code === 429) return primaryLimit(429, nowSeconds() + seconds, tokenOf(request)?.installationId);
      if (code === 422) return error(422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'invalid', field: 'title' }] });
      return error(code, messages[code] ?? (code >= 500 ? 'Server Error' : 'Error'));
    },

    notFound: () => error(404, 'Not Found'),

    coreRoutes(): FakeRoute[] {
      const installationOr404 = (id: string) => state.installations.get(Number(id));
      const appRoutes: FakeRoute[] = [
        {
          method: 'GET',
          path: '/app',
          handle: ({ request }) =>
            itemResponse(request, {
              ...appObject(bases, {
                id: app.id,
                slug: app.slug,
                owner: userObject('octo-org', 'Organization'),
                name: 'Krate (fake)',
                description: 'The GitHub App of the Krate fake',
                permissions: { ...DEFAULT_INSTALLATION_PERMISSIONS },
                events: ['issues', 'issue_comment', 'label', 'milestone'],
              }),
              installations_count: state.installations.size,
            }),
        },
        {
          method: 'GET',
          path: '/app/installations',
          handle: ({ request, url }) => listResponse(request, url, state.installations.list().map(installationJson)),
        },
        {
          method: 'GET',
          path: '/app/installations/:installation_id',
          handle: ({ request, params }) => {
            const installation = installationOr404(params.installation_id!);
            return installation ? itemResponse(request, installationJson(installation)) : error(404, 'Not Found');
          },
        },
        {
          method: 'POST',
          path: '/app/installations/:installation_id/access_tokens',
          handle: ({ params }) => {
            const installation = installationOr404(params.installation_id!);
            if (!installation) return error(404, 'Not Found');
            if (installation.suspended_at) return error(403, 'This installation has been suspended');
            const token = newInstallationToken();
            const expiresAt = Date.now() + core.tokenLifetimeSeconds * 1000;
            tokens.set(token, { kind: 'installation', installationId: installation.id, expiresAt });
            return json(
              {
                token,
                expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
                permissions: installation.permissions,
                repository_selection: installation.repository_selection,
              },
              { status: 201 },
            );
          },
        },
        {
          method: 'GET',
          path: '/orgs/:org/installation',
          handle: ({ request, params }) => {
            const installation = installationFor(params.org!);
            if (!installation || (installation.account as { type?: string }).type !== 'Organization') return error(404, 'Not Found');
            return itemResponse(request, installationJson(installation));
          },
        },
        {
          method: 'GET',
          path: '/users/:username/installation',
          handle: ({ request, params }) => {
            const installation = installationFor(params.username!);
            if (!installation || (installation.account as { type?: string }).type !== 'User') return error(404, 'Not Found');
            return itemResponse(request, installationJson(installation));
          },
        },
        {
          method: 'GET',
          path: '/repos/:owner/:repo/installation',
          handle: ({ request, params }) => {
            const installation = core.findRepo(params.owner!, params.repo!) ? installationFor(params.owner!) : undefined;
            return installation ? itemResponse(request, installationJson(installation)) : error(404, 'Not Found');
          },
        },
      ];
      return appRoutes.concat([
          {
            method: 'GET',
            path: '/rate_limit',
            handle: ({ request }) => {
              const entry = bucketOf(request);
              const used = entry?.bucket.used ?? 0;
              const core_ = { limit: core.rateLimitPerHour, used, remaining: Math.max(0, core.rateLimitPerHour - used), reset: entry?.bucket.reset ?? nowSeconds() + 3600 };
              return json({ resources: { core: core_, search: { limit: 30, used: 0, remaining: 30, reset: core_.reset } }, rate: core_ });
            },
          },
      ]);
    },
  };
  return core;
}
