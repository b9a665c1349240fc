import { NotFoundError } from '@krate/core';
import type { Octokit } from '@octokit/rest';
import { PROVIDER, mapGitHubError, statusOf } from '../github-errors.js';

const OPERATION = 'auth.installationLookup';

/**
 * Finds the GitHub App installation for an owner (org or user) and caches it, so
 * minting a token never lists every installation:
 * 1. `auth.installations[owner]`, then `auth.installationId` when configured (no request);
 * 2. otherwise `GET /orgs/{owner}/installation`, and on 404 `GET /users/{owner}/installation`,
 *    once per owner. A failed lookup is not cached.
 */
export function createInstallationLookup(options: {
  appOctokit: Octokit;
  installationId?: number | undefined;
  installations?: Record<string, number> | undefined;
  /** Called with every lookup request (for counting). */
  onLookup?: (owner: string) => void;
}): (owner: string) => Promise<number> {
  const configured = new Map(Object.entries(options.installations ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const cache = new Map<string, Promise<number>>();

  async function lookup(owner: string): Promise<number> {
    options.onLookup?.(owner);
    const { appOctokit } = options;
    try {
      const { data } = await appOctokit.request('GET /orgs/{org}/installation', { org: owner });
      return data.id;
    } catch (error) {
      if (statusOf(error) !== 404) throw mapGitHubError(error, { operation: OPERATION, authType: 'app' });
    }
    try {
      const { data } = await appOctokit.request('GET /users/{username}/installation', { username: owner });
      return data.id;
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new NotFoundError({
          provider: PROVIDER,
          operation: OPERATION,
          status: 404,
          message: `the GitHub App is not installed on "${owner}"`,
          hint: `install the app on ${owner} (Settings > GitHub Apps), or set auth.installationId`,
          cause: error,
        });
      }
      throw mapGitHubError(error, { operation: OPERATION, authType: 'app' });
    }
  }

  return (owner: string) => {
    const key = owner.toLowerCase();
    const fixed = configured.get(key) ?? options.installationId;
    if (fixed !== undefined) return Promise.resolve(fixed);
    let pending = cache.get(key);
    if (!pending) {
      pending = lookup(owner);
      cache.set(key, pending);
      pending.catch(() => {
        if (cache.get(key) === pending) cache.delete(key);
      });
    }
    return pending;
  };
}
