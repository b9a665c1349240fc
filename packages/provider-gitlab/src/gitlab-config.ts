import { SecretInputSchema, TransportConfigSchema, z } from '@krate/core';

/** GitLab.com's REST API. */
export const GITLAB_DEFAULT_BASE_URL = 'https://gitlab.com/api/v4';
/** Default cap of a fetched job log, in bytes (a longer log keeps its tail). */
export const GITLAB_DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024;
/** Default tolerance of a signed webhook timestamp, in seconds (Standard Webhooks suggests 5 minutes). */
export const GITLAB_DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const apiUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''))
  .refine((value) => /\/api\/v4$/.test(value), 'must be the REST API root, ending in /api/v4 (https://gitlab.example.com/api/v4, or https://host/gitlab/api/v4 under a relative URL root)');

/**
 * How the provider authenticates.
 *
 * - `token`: a personal, project or group access token (`glpat-...`), sent as `PRIVATE-TOKEN`.
 *   Scopes: `api` (or `read_api` for a read-only instance); `create_runner` for registerRunner.
 * - `oauth`: an OAuth 2 access token (`gloas-...` applications issue them), sent as
 *   `Authorization: Bearer`. Refreshing it is the host's job: pass a secret reference the host keeps current.
 */
export const GitLabAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), token: SecretInputSchema }).strict(),
  z.object({ type: z.literal('oauth'), token: SecretInputSchema }).strict(),
]);
export type GitLabAuth = z.infer<typeof GitLabAuthSchema>;

/** Config of the GitLab provider. */
export const GitLabConfigSchema = z
  .object({
    /** Credentials (required). */
    auth: GitLabAuthSchema,
    /**
     * The REST API root, `/api/v4` included. Default `https://gitlab.com/api/v4`. A
     * self-managed instance under a relative URL root works: `https://git.example.com/gitlab/api/v4`.
     * Web URLs (issues, merge requests, jobs) are built from the part before `/api/v4`.
     */
    baseUrl: apiUrl.default(GITLAB_DEFAULT_BASE_URL),
    /**
     * The webhook's legacy secret token, sent by GitLab as `X-Gitlab-Token` (compared in
     * constant time). Default: none.
     */
    webhookToken: SecretInputSchema.optional(),
    /**
     * The webhook's signing token(s) (`whsec_...`, GitLab 19+ "signing token"): deliveries
     * carrying `webhook-signature` are verified as Standard Webhooks. Give two while
     * rotating. Default: none. A delivery is verified by the scheme it carries; with
     * neither setting, every delivery is refused (`invalid_config`).
     */
    webhookSigningToken: z.union([SecretInputSchema, z.array(SecretInputSchema).min(1).max(4)]).optional(),
    /** How far a signed `webhook-timestamp` may be from the clock, either way, in seconds. Default 300. */
    webhookToleranceSeconds: z.number().int().positive().max(86_400).default(GITLAB_DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
    /** Largest job log content kept by `getJobLog`, in bytes; a longer log keeps its end and is marked `truncated`. Default 5 MiB. */
    maxLogBytes: z.number().int().positive().default(GITLAB_DEFAULT_MAX_LOG_BYTES),
    /**
     * While GitLab is still computing a merge request's mergeability (`detailed_merge_status`
     * `unchecked`, `checking`, `preparing`, `approvals_syncing`), reads poll it this many times
     * more (0 disables). Default 3.
     */
    mergeStatusPollAttempts: z.number().int().min(0).max(20).default(3),
    /** Delay between two of those polls in ms. Default 1000. */
    mergeStatusPollDelayMs: z.number().int().min(0).max(60_000).default(1000),
    /**
     * Whether `listJobs` also lists the pipeline's trigger jobs (bridges), which GitLab serves
     * from a separate endpoint (one more request at the end of the listing). Default true.
     */
    includeBridges: z.boolean().default(true),
    /** Timeout of one HTTP attempt in ms. Default 30 000. */
    timeoutMs: TransportConfigSchema.shape.timeoutMs,
    /** Retry policy (maxRetries 3, baseDelayMs 500, maxDelayMs 30 000, maxRetryAfterMs 60 000 by default). */
    retry: TransportConfigSchema.shape.retry,
  })
  .strict();

/** The config as the user writes it (defaults optional). */
export type GitLabConfigInput = z.input<typeof GitLabConfigSchema>;
/** The config after validation (defaults filled in). */
export type GitLabConfig = z.output<typeof GitLabConfigSchema>;
