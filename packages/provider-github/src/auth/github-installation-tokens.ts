import { ProviderError, type SecretRedactor } from '@krate/core';
import type { Octokit } from '@octokit/rest';
import { PROVIDER, mapGitHubError, statusOf } from '../github-errors.js';
import type { GitHubSharedState } from '../shared/github-shared-state.js';
import { singleFlight, type GitHubTokenSource } from './github-token-source.js';

/** An installation token is replaced this long before GitHub's `expires_at` (tokens live one hour). */
export const INSTALLATION_TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

const OPERATION = 'auth.installationToken';

/**
 * Installation access tokens of one installation, minted with
 * `POST /app/installations/{id}/access_tokens` (authenticated by the app JWT) and
 * cached until {@link INSTALLATION_TOKEN_REFRESH_MARGIN_MS} before they expire. Concurrent
 * callers share one mint (single flight); `refresh(stale)` mints once for a token GitHub
 * refused, and callers refused with the same token share that mint.
 */
export function createInstallationTokenSource(options: {
  appOctokit: Octokit;
  installationId: number;
  /** The instance's redactor: every installation token is added to it. */
  redactor: SecretRedactor;
  now?: () => number;
  /** Called with every token request (for counting). */
  onMint?: () => void;
  /**
   * State shared with the other replicas: one replica mints at a time, and where the store
   * keeps secrets encrypted the token itself is shared.
   */
  shared?: GitHubSharedState | undefined;
}): GitHubTokenSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let refused: string | undefined;

  const request = async (): Promise<{ token: string; expiresAt: number }> => {
    options.onMint?.();
    let data: { token?: unknown; expires_at?: unknown };
    try {
      const response = await options.appOctokit.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: options.installationId,
      });
      data = response.data as typeof data;
    } catch (error) {
      throw installationError(error, options.installationId);
    }
    if (typeof data.token !== 'string' || data.token === '') {
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        operation: OPERATION,
        message: `GitHub's answer to the installation token request of installation ${options.installationId} carries no token`,
      });
    }
    options.redactor.add(data.token);
    const expiresAt = typeof data.expires_at === 'string' ? Date.parse(data.expires_at) : Number.NaN;
    return { token: data.token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : now() + 55 * 60_000 };
  };

  const freshUntil = (expiresAt: number) => expiresAt - INSTALLATION_TOKEN_REFRESH_MARGIN_MS > now();
  const mint = singleFlight(async () => {
    const { shared } = options;
    const minted = shared ? await shared.mintToken(options.installationId, request, freshUntil, refused) : await request();
    options.redactor.add(minted.token);
    shared?.noteInstallationToken(minted.token, options.installationId);
    cached = minted;
    return minted.token;
  });

  const fresh = () => cached !== undefined && freshUntil(cached.expiresAt);

  return {
    scheme: 'token',
    async get() {
      if (fresh()) return cached!.token;
      return mint();
    },
    async refresh(stale) {
      if (fresh() && cached!.token !== stale) return cached!.token;
      if (cached?.token === stale) cached = undefined;
      refused = stale;
      return mint();
    },
  };
}

function installationError(error: unknown, installationId: number): ProviderError {
  const status = statusOf(error);
  if (status === 404) {
    return new ProviderError({
      code: 'not_found',
      provider: PROVIDER,
      operation: OPERATION,
      status,
      message: `GitHub App installation ${installationId} was not found`,
      hint: 'check auth.installationId, or install the GitHub App on the account that owns the repository',
      cause: error,
    });
  }
  if (status === 401) {
    return new ProviderError({
      code: 'unauthenticated',
      provider: PROVIDER,
      operation: OPERATION,
      status,
      message: `GitHub refused the app's JWT when minting a token for installation ${installationId}`,
      hint: 'check that auth.appId and auth.privateKey belong to the same GitHub App, and the system clock',
      cause: error,
    });
  }
  return mapGitHubError(error, { operation: OPERATION, authType: 'app' });
}
