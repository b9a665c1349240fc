import { SecretInputSchema, SecretRefSchema, TransportConfigSchema, baseUrlSchema, headerSecretInputSchema, headerValueSchema, z } from '@krate/core';

/** GitHub.com's REST API base. */
export const GITHUB_DEFAULT_BASE_URL = 'https://api.github.com';

/** The REST API version every request names (`X-GitHub-Api-Version`). */
export const GITHUB_API_VERSION = '2022-11-28';

/** Default `User-Agent` of the provider's requests. */
export const GITHUB_DEFAULT_USER_AGENT = 'krate-provider-github/0.1.0';

const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

/**
 * GitHub App authentication (the default): the app's id and private key sign a JWT
 * (RS256, 10 minutes), which is exchanged for one installation access token per
 * installation. Tokens are cached until 5 minutes before they expire, refreshed once
 * when many calls race, and re-minted once when GitHub answers 401.
 */
export const GitHubAppAuthSchema = z
  .object({
    type: z.literal('app'),
    /** The GitHub App's numeric id ("App ID" on the app's settings page), or a secret reference to it. */
    appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be the numeric App ID'), SecretRefSchema]),
    /** The app's PEM private key (PKCS#1 as GitHub downloads it, or PKCS#8), as a value or `{ secretRef }`. */
    privateKey: SecretInputSchema,
    /**
     * The installation to act as. Default: looked up once per owner with
     * `GET /orgs/{org}/installation`, then `GET /users/{user}/installation`, and cached.
     */
    installationId: numericId.optional(),
    /** Installation ids per owner login, for an app installed on several accounts. Default: looked up. */
    installations: z.record(z.string().min(1), numericId).optional(),
  })
  .strict();

/**
 * Token authentication: a personal access token (classic or fine-grained) or an
 * OAuth / GitHub App user access token, for user-attributed actions.
 */
export const GitHubTokenAuthSchema = z
  .object({
    type: z.literal('token'),
    /** The token, as a value or `{ secretRef }`. No CR, LF or other control characters. */
    token: headerSecretInputSchema,
  })
  .strict();

export const GitHubAuthSchema = z.discriminatedUnion('type', [GitHubAppAuthSchema, GitHubTokenAuthSchema]);

/** An absolute http(s) URL without `user:password@`, query or fragment; a trailing slash is dropped. */
const httpUrl = baseUrlSchema.transform((v) => v.replace(/\/+$/, ''));

/** Configuration of a GitHub provider instance. */
export const GitHubConfigSchema = z
  .object({
    /** How the provider authenticates. */
    auth: GitHubAuthSchema,
    /**
     * REST API base URL. Default `https://api.github.com`. GitHub Enterprise Server:
     * `https://<host>/api/v3`.
     */
    baseUrl: httpUrl.default(GITHUB_DEFAULT_BASE_URL),
    /**
     * Web base URL for links. Default: derived from `baseUrl` (`api.github.com` ->
     * `github.com`, `https://<host>/api/v3` -> `https://<host>`).
     */
    webBaseUrl: httpUrl.optional(),
    /** Secret of the GitHub App's (or repository/organization) webhook, as a value or `{ secretRef }`. Optional; without it `webhooks.receive` refuses every delivery. */
    webhookSecret: SecretInputSchema.optional(),
    /** Timeout of one HTTP attempt in ms, 100 to 2**31-1. Default 30 000. */
    timeoutMs: TransportConfigSchema.shape.timeoutMs,
    /** Retry policy of the shared transport (maxRetries 3, baseDelayMs 500, maxDelayMs 30 000, maxRetryAfterMs 60 000 by default). */
    retry: TransportConfigSchema.shape.retry,
    /** List issues through GitHub's GraphQL API where it saves calls. Default false (REST). */
    useGraphql: z.boolean().default(false),
    /** `User-Agent` header of every request. Default `krate-provider-github/<version>`. */
    userAgent: headerValueSchema.default(GITHUB_DEFAULT_USER_AGENT),
    /**
     * List pages kept with their ETag so that an unchanged resync is answered by
     * `304 Not Modified` (which does not count against GitHub's rate limit). 0 turns
     * conditional listing off. Default 256 pages.
     */
    etagCacheSize: z.number().int().min(0).max(100_000).default(256),
  })
  .strict();

/** Configuration as written by the user (defaults optional). */
export type GitHubConfigInput = z.input<typeof GitHubConfigSchema>;
/** Configuration after validation (defaults filled in). */
export type GitHubConfig = z.output<typeof GitHubConfigSchema>;
export type GitHubAppAuth = z.output<typeof GitHubAppAuthSchema>;
export type GitHubTokenAuth = z.output<typeof GitHubTokenAuthSchema>;

/**
 * The web base URL for an API base URL: `https://api.github.com` -> `https://github.com`,
 * `https://api.<sub>.ghe.com` -> `https://<sub>.ghe.com`, `https://<host>/api/v3` ->
 * `https://<host>`; anything else keeps its origin.
 */
export function deriveWebBaseUrl(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api\/v3$/.test(path)) return `${url.origin}${path.replace(/\/api\/v3$/, '')}`;
  if (path === '' && url.hostname.startsWith('api.')) return `${url.protocol}//${url.host.slice(4)}`;
  return `${url.origin}${path}`;
}
