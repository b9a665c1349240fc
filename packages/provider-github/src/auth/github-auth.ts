import { InvalidConfigError, isHeaderSafe, secretAccessor, type SecretRedactor, type SecretResolver } from '@krate/core';
import { Octokit } from '@octokit/rest';
import type { GitHubConfig } from '../github-config.js';
import { PROVIDER } from '../github-errors.js';
import { createAppJwtSource, normalizePrivateKey } from './github-app-jwt.js';
import { gitHubAuthStrategy } from './github-auth-strategy.js';
import { createInstallationLookup } from './github-installation-lookup.js';
import { createInstallationTokenSource } from './github-installation-tokens.js';
import type { GitHubSharedState } from '../shared/github-shared-state.js';
import { staticTokenSource, type GitHubTokenSource } from './github-token-source.js';

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

export interface GitHubAuth {
  readonly type: 'app' | 'token';
  /** The Octokit to call for an owner: that owner's installation with app auth, the token's otherwise. */
  octokitFor(owner: string): Promise<Octokit>;
  /** With app auth: the Octokit authenticated as the app itself (JWT). */
  readonly appOctokit: Octokit | undefined;
  /** Counters of auth requests (installation token mints, installation lookups). */
  stats(): { tokenRequests: number; installationLookups: number };
}

/**
 * Builds the credentials of an instance. Secrets are resolved lazily (first request)
 * through the plugin context's resolver; nothing is resolved at construction.
 */
export function createGitHubAuth(
  config: GitHubConfig,
  options: {
    fetch: typeof fetch;
    secrets?: SecretResolver | undefined;
    redactor: SecretRedactor;
    now?: () => number;
    /** State shared with the other replicas (installation lookups, token mints). */
    shared?: GitHubSharedState | undefined;
  },
): GitHubAuth {
  const counters = { tokenRequests: 0, installationLookups: 0 };
  const makeOctokit = (source: GitHubTokenSource) =>
    new Octokit({
      baseUrl: config.baseUrl,
      userAgent: config.userAgent,
      log: silentLog,
      request: { fetch: options.fetch },
      authStrategy: gitHubAuthStrategy,
      auth: { source },
    });

  if (config.auth.type === 'token') {
    const resolve = secretAccessor(config.auth.token, { provider: PROVIDER, setting: 'auth.token', resolver: options.secrets, redactor: options.redactor });
    // A resolved token goes into a header: CR or LF would fail late, inside fetch, as a network error.
    const token = async () => {
      const value = await resolve();
      if (!isHeaderSafe(value)) {
        throw new InvalidConfigError({ provider: PROVIDER, message: 'auth.token must not contain control characters such as CR or LF' });
      }
      return value;
    };
    const octokit = makeOctokit(staticTokenSource(token));
    return {
      type: 'token',
      appOctokit: undefined,
      octokitFor: async () => octokit,
      stats: () => ({ ...counters }),
    };
  }

  const appAuth = config.auth;
  // An inline key is checked now, not at the first request: it must be a PEM RSA key (RS256).
  if (typeof appAuth.privateKey === 'string') normalizePrivateKey(appAuth.privateKey);
  const appIdAccessor =
    typeof appAuth.appId === 'number'
      ? async () => String(appAuth.appId)
      : secretAccessor(appAuth.appId, { provider: PROVIDER, setting: 'auth.appId', resolver: options.secrets, redactor: options.redactor });
  const privateKey = secretAccessor(appAuth.privateKey, { provider: PROVIDER, setting: 'auth.privateKey', resolver: options.secrets, redactor: options.redactor });
  const appOctokit = makeOctokit(createAppJwtSource({ appId: appIdAccessor, privateKey, redactor: options.redactor, now: options.now }));
  const installations = appAuth.installations
    ? Object.fromEntries(Object.entries(appAuth.installations).map(([k, v]) => [k, Number(v)]))
    : undefined;
  const lookupInstallation = createInstallationLookup({
    appOctokit,
    installationId: appAuth.installationId === undefined ? undefined : Number(appAuth.installationId),
    installations,
    onLookup: () => {
      counters.installationLookups += 1;
    },
  });
  const { shared } = options;
  const resolved = new Map<string, number>();
  // With shared state an owner's installation is looked up once for the fleet, then kept here.
  const installationFor = shared
    ? async (owner: string): Promise<number> => {
        const key = owner.toLowerCase();
        const known = resolved.get(key);
        if (known !== undefined) return known;
        const id = await shared.installationFor(owner, () => lookupInstallation(owner));
        resolved.set(key, id);
        return id;
      }
    : lookupInstallation;
  const perInstallation = new Map<number, Octokit>();

  return {
    type: 'app',
    appOctokit,
    async octokitFor(owner) {
      const installationId = await installationFor(owner);
      let octokit = perInstallation.get(installationId);
      if (!octokit) {
        octokit = makeOctokit(
          createInstallationTokenSource({
            appOctokit,
            installationId,
            redactor: options.redactor,
            now: options.now,
            shared,
            onMint: () => {
              counters.tokenRequests += 1;
            },
          }),
        );
        perInstallation.set(installationId, octokit);
      }
      return octokit;
    },
    stats: () => ({ ...counters }),
  };
}
