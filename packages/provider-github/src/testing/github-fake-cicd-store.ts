import { createHmac, randomBytes } from 'node:crypto';
import type { FakeRouteContext } from '@krate/contract-tests/kit';
import { appObject } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';

/**
 * What the CI/CD routes of the GitHub fake share: per-fake extras, repository and permission
 * guards, the app and bot user its writes belong to.
 */

/** The origin of pre-signed job log URLs on GitHub.com (GitHub's is pipelines.actions.githubusercontent.com). */
export const GITHUB_FAKE_LOG_HOST = 'https://pipelines.actions.githubusercontent.example';

/**
 * Where a fake serves pre-signed job logs: {@link GITHUB_FAKE_LOG_HOST} for GitHub.com
 * (`api.` hosts), and the server itself (`<web base>/_services/pipelines`) for GitHub
 * Enterprise Server, as GHES does. On GHES the log URL is on the API's own origin, so
 * a client that follows the redirect with its Authorization header is refused.
 */
export function githubFakeLogBase(core: Pick<GitHubFakeCore, 'apiBaseUrl' | 'webBaseUrl'>): string {
  return new URL(core.apiBaseUrl).hostname.startsWith('api.') ? GITHUB_FAKE_LOG_HOST : `${core.webBaseUrl}/_services/pipelines`;
}

/** How long a pre-signed log URL stays valid (GitHub: one minute). */
export const LOG_URL_TTL_MS = 60_000;
/** How long a runner registration token stays valid (GitHub: one hour). */
export const REGISTRATION_TOKEN_TTL_MS = 60 * 60_000;
/** GitHub refuses longer commit status descriptions. */
export const STATUS_DESCRIPTION_MAX = 140;

export const APP_SLUG = 'krate-fake-app';

/** Per-fake state this module keeps outside GitHubFakeState. */
export interface CicdExtras {
  hostId: string;
  signingKey: Buffer;
  /** Registration tokens issued so far: credentials the suite scans output for. */
  tokens: string[];
  /** workflow id per `owner/repo` + workflow name. */
  workflows: Map<string, number>;
  /** check suite id per `owner/repo` + sha. */
  suites: Map<string, number>;
  /** run_number sequence per `owner/repo`. */
  runNumbers: Map<string, number>;
  appId: number;
}

export const extrasByCore = new WeakMap<GitHubFakeCore, CicdExtras>();

export function extras(core: GitHubFakeCore): CicdExtras {
  let value = extrasByCore.get(core);
  if (!value) {
    value = {
      hostId: randomBytes(8).toString('hex'),
      signingKey: randomBytes(32),
      tokens: [],
      workflows: new Map(),
      suites: new Map(),
      runNumbers: new Map(),
      appId: core.nextId(),
    };
    extrasByCore.set(core, value);
  }
  return value;
}

export function fakeSha(seed: string): string {
  return createHmac('sha1', 'krate-fake').update(seed).digest('hex');
}

export function repoName(params: Record<string, string>): string {
  return `${params.owner}/${params.repo}`;
}

export function requireRepo(core: GitHubFakeCore, params: Record<string, string>): GhObject | Response {
  const repo = core.findRepo(params.owner ?? '', params.repo ?? '');
  return repo ?? core.error(404, 'Not Found');
}

/** GitHub's 403 "Resource not accessible by integration" when the installation lacks the permission. */
export function refused(core: GitHubFakeCore, request: Request, permission: string, level: 'read' | 'write'): Response | undefined {
  return core.requirePermission?.(request, permission, level);
}

export function numericParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function fullName(repo: GhObject): string {
  return typeof repo.full_name === 'string' ? repo.full_name : `${String(repo._owner)}/${String(repo._name ?? repo.name)}`;
}

/** The GitHub App the fake's check runs and suites belong to. */
export function appOf(core: GitHubFakeCore): Record<string, unknown> {
  return appObject(core, {
    id: extras(core).appId,
    slug: APP_SLUG,
    owner: core.user('octo-org'),
    name: 'Krate fake app',
    description: 'The app the GitHub fake acts as',
    permissions: { actions: 'write', checks: 'write', statuses: 'write', metadata: 'read' },
    events: ['check_run', 'check_suite', 'workflow_run', 'workflow_job', 'status'],
  });
}

/** The actor of writes made through the fake (the app's bot user). */
export function botUser(core: GitHubFakeCore): Record<string, unknown> {
  return { ...core.user(`${APP_SLUG}[bot]`), type: 'Bot' };
}

export function suiteIdFor(core: GitHubFakeCore, repo: string, sha: string): number {
  const { suites } = extras(core);
  const key = `${repo}@${sha}`;
  let id = suites.get(key);
  if (id === undefined) {
    id = core.nextId();
    suites.set(key, id);
  }
  return id;
}

export type Permission = [permission: string, level: 'read' | 'write'];
export const actionsRead: Permission = ['actions', 'read'];
export const actionsWrite: Permission = ['actions', 'write'];
export const checksRead: Permission = ['checks', 'read'];
export const checksWrite: Permission = ['checks', 'write'];
export const statusesRead: Permission = ['statuses', 'read'];
export const statusesWrite: Permission = ['statuses', 'write'];
export const orgRunnersRead: Permission = ['organization_self_hosted_runners', 'read'];
export const orgRunnersWrite: Permission = ['organization_self_hosted_runners', 'write'];
export const adminRead: Permission = ['administration', 'read'];
export const adminWrite: Permission = ['administration', 'write'];

/** The guards of the CI/CD routes: the repository (404 when missing) and the installation's permission. */
export function cicdRouteKit(core: GitHubFakeCore) {
  const withRepo =
    (permission: Permission, handle: (ctx: FakeRouteContext, repo: GhObject) => Response | Promise<Response>) => (ctx: FakeRouteContext) => {
      const repo = requireRepo(core, ctx.params);
      if (repo instanceof Response) return repo;
      return refused(core, ctx.request, ...permission) ?? handle(ctx, repo);
    };
  const withOrg = (permission: Permission, handle: (ctx: FakeRouteContext) => Response | Promise<Response>) => (ctx: FakeRouteContext) =>
    refused(core, ctx.request, ...permission) ?? handle(ctx);
  return { withRepo, withOrg };
}
