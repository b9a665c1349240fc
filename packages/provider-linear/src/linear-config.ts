import { SecretInputSchema, TransportConfigSchema, z } from '@krate/core';

/** Linear's GraphQL endpoint. */
export const LINEAR_DEFAULT_API_URL = 'https://api.linear.app/graphql';

/** Linear's web app. */
export const LINEAR_DEFAULT_WEB_URL = 'https://linear.app';

/** Linear's largest `first` on a connection. */
const LINEAR_MAX_PAGE_SIZE = 250;

/**
 * A personal API key (`lin_api_...`): sent as `Authorization: <key>`, without a scheme,
 * as Linear expects.
 */
export const LinearApiKeyAuthSchema = z
  .object({
    type: z.literal('apiKey'),
    /** The API key, as a value or `{ secretRef }`. */
    apiKey: SecretInputSchema,
  })
  .strict();

/**
 * An OAuth 2.0 access token (`lin_oauth_...`) of an OAuth application: sent as
 * `Authorization: Bearer <token>`. Obtaining and refreshing the token is the host's job.
 */
export const LinearOAuthAuthSchema = z
  .object({
    type: z.literal('oauth'),
    /** The access token, as a value or `{ secretRef }`. */
    accessToken: SecretInputSchema,
  })
  .strict();

export const LinearAuthSchema = z.discriminatedUnion('type', [LinearApiKeyAuthSchema, LinearOAuthAuthSchema]);

const httpUrl = z
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

/** Configuration of a Linear provider instance. */
export const LinearConfigSchema = z
  .object({
    /** How the provider authenticates: an API key or an OAuth access token. */
    auth: LinearAuthSchema,
    /**
     * The GraphQL endpoint. Default `https://api.linear.app/graphql`. Another URL is
     * for a proxy or a test server.
     */
    apiUrl: httpUrl.default(LINEAR_DEFAULT_API_URL),
    /** The web app's origin, for links to pages Linear's API gives no URL for (cycles, label settings). Default `https://linear.app`. */
    webBaseUrl: httpUrl.default(LINEAR_DEFAULT_WEB_URL),
    /** The signing secret of the Linear webhook, as a value or `{ secretRef }`. Without it `webhooks.receive` refuses every delivery. */
    webhookSecret: SecretInputSchema.optional(),
    /**
     * How far a delivery's signed `webhookTimestamp` may be from the clock, in ms, either
     * way. Default 60 000 (Linear's documented window). Bounds 1 000 to 600 000.
     */
    webhookToleranceMs: z.number().int().min(1_000).max(600_000).default(60_000),
    /**
     * Whether listings and backfills include archived and trashed issues (Linear hides
     * them unless asked; teams auto-archive closed issues after a while). Default true, so
     * a backfill sees every issue; archived ones carry `archivedAt` in
     * `external.extensions.fields`.
     */
    includeArchived: z.boolean().default(true),
    /**
     * Whether listings include trashed (deleted, restorable for 30 days) issues, marked
     * `trashed: true` in `external.extensions.fields`. Default false: a trashed issue is a
     * deletion (a webhook `remove` of a trashed issue is a `deleted` event). Needs
     * `includeArchived` (Linear lists trashed issues with the archived ones).
     */
    includeTrashed: z.boolean().default(false),
    /** Timeout of one HTTP attempt in ms. Default 30 000. */
    timeoutMs: TransportConfigSchema.shape.timeoutMs,
    /** Retry policy of the shared transport (maxRetries 3, baseDelayMs 500, maxDelayMs 30 000, maxRetryAfterMs 60 000 by default). */
    retry: TransportConfigSchema.shape.retry,
    /**
     * How long the per-instance directory (teams, workflow states, labels, users that
     * writes resolve to UUIDs) is trusted, in ms. Default 300 000 (5 minutes); 0 looks
     * up again on every write. A name the cache does not know is always looked up again.
     */
    directoryTtlMs: z.number().int().min(0).max(86_400_000).default(300_000),
  })
  .strict();

/** Configuration as written by the user (defaults optional). */
export type LinearConfigInput = z.input<typeof LinearConfigSchema>;
/** Configuration after validation (defaults filled in). */
export type LinearConfig = z.output<typeof LinearConfigSchema>;
export type LinearApiKeyAuth = z.output<typeof LinearApiKeyAuthSchema>;
export type LinearOAuthAuth = z.output<typeof LinearOAuthAuthSchema>;
