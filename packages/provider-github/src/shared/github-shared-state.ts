import { stateKeyDigest, withStateLock, type ProviderStateStore } from '@krate/core';

/** How long a list page is kept in a shared store for conditional requests. */
export const GITHUB_SHARED_PAGE_TTL_MS = 60 * 60_000;
/** How long an owner's installation id is kept in a shared store. */
export const GITHUB_SHARED_INSTALLATION_TTL_MS = 60 * 60_000;

/** A list page kept for conditional requests (see the context's `listPage`). */
export interface GitHubCachedPage {
  etag: string;
  body: string;
  link: string | undefined;
}

/**
 * What a GitHub instance keeps in the host's {@link ProviderStateStore} so that replicas
 * share it: the rate-limit budget per installation (or token) and resource, list pages with
 * their ETags, owner -> installation lookups, and the single-flight mint of installation
 * tokens (the tokens themselves only in a store that encrypts them). Keys start with
 * `github:<API host>:<credential>`; no key or value holds a credential.
 */
export interface GitHubSharedState {
  readonly store: ProviderStateStore;
  /** The transport's budget bucket of a request. */
  budgetBucket(request: Request): string | undefined;
  /** Makes requests carrying this installation token count against the installation's budget. */
  noteInstallationToken(token: string, installationId: number): void;
  getPage(key: string): Promise<GitHubCachedPage | undefined>;
  setPage(key: string, page: GitHubCachedPage): Promise<void>;
  /** The installation of an owner, looked up once for the fleet. */
  installationFor(owner: string, lookup: () => Promise<number>): Promise<number>;
  /** Mints an installation token once for the fleet at a time; shares it where the store encrypts secrets. */
  mintToken(
    installationId: number,
    mint: () => Promise<{ token: string; expiresAt: number }>,
    isFresh: (expiresAt: number) => boolean,
    /** A token GitHub refused: a shared copy of it is not used. */
    refused?: string,
  ): Promise<{ token: string; expiresAt: number }>;
}

/** The resource GitHub counts a request against (`x-ratelimit-resource`). */
export function githubResourceOf(path: string): string {
  if (/\/graphql$/.test(path)) return 'graphql';
  if (/\/search\/code(?:\/|$)/.test(path)) return 'code_search';
  if (/\/search\//.test(path)) return 'search';
  return 'core';
}

/**
 * Builds the shared state of one instance. `identity` names the credential without holding
 * it: the app id for app auth, a digest of the token setting for token auth.
 */
export function createGitHubSharedState(store: ProviderStateStore, options: { apiBaseUrl: string; identity: string }): GitHubSharedState {
  const host = new URL(options.apiBaseUrl).host;
  const base = `github:${host}:${options.identity}`;
  // Installation tokens rotate hourly; GitHub counts their requests against the installation.
  const tokenInstallations = new Map<string, number>();

  return {
    store,
    budgetBucket(request) {
      const url = new URL(request.url);
      const authorization = request.headers.get('authorization');
      // The app's own JWT requests (installation lookups, token mints) are counted by GitHub per app, apart.
      if (authorization && /^bearer\s+eyJ/i.test(authorization)) return undefined;
      // Redirected log and artifact downloads go to other hosts, which do not count.
      if (url.host !== host) return undefined;
      const credential = authorization ? stateKeyDigest(authorization.replace(/^\S+\s+/, '')) : 'anonymous';
      const installation = tokenInstallations.get(credential);
      const who = installation !== undefined ? `installation-${installation}` : `credential-${credential}`;
      return `ratelimit:github:${host}:${who}:${githubResourceOf(url.pathname)}`;
    },
    noteInstallationToken(token, installationId) {
      tokenInstallations.set(stateKeyDigest(token), installationId);
    },
    async getPage(key) {
      const text = await store.getCached(`${base}:page:${stateKeyDigest(key)}`);
      if (text === undefined) return undefined;
      try {
        const page = JSON.parse(text) as GitHubCachedPage;
        return typeof page.etag === 'string' && typeof page.body === 'string' ? page : undefined;
      } catch {
        return undefined;
      }
    },
    async setPage(key, page) {
      await store.setCached(`${base}:page:${stateKeyDigest(key)}`, JSON.stringify(page), GITHUB_SHARED_PAGE_TTL_MS);
    },
    async installationFor(owner, lookup) {
      const key = `${base}:installation:${owner.toLowerCase()}`;
      const cached = await store.getCached(key);
      if (cached !== undefined && /^\d+$/.test(cached)) return Number(cached);
      const id = await lookup();
      await store.setCached(key, String(id), GITHUB_SHARED_INSTALLATION_TTL_MS).catch(() => undefined);
      return id;
    },
    async mintToken(installationId, mint, isFresh, refused) {
      const name = `${base}:installation-token:${installationId}`;
      const shared = async () => {
        const text = await store.getSecret(name);
        if (text === undefined) return undefined;
        const parsed = JSON.parse(text) as { token?: unknown; expiresAt?: unknown };
        if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number' || !isFresh(parsed.expiresAt)) return undefined;
        if (parsed.token === refused) return undefined;
        return { token: parsed.token, expiresAt: parsed.expiresAt };
      };
      const found = await shared().catch(() => undefined);
      if (found) return found;
      return withStateLock(
        store,
        `lock:${name}`,
        async () => {
          const again = await shared().catch(() => undefined);
          if (again) return again;
          const minted = await mint();
          await store.putSecret(name, JSON.stringify(minted), Math.max(1, minted.expiresAt - Date.now())).catch(() => false);
          return minted;
        },
        { ttlMs: 30_000, waitMs: 30_000, provider: 'github' },
      );
    },
  };
}
