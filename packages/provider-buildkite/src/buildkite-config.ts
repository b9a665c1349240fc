import { SecretInputSchema, TransportConfigSchema, baseUrlSchema, headerSecretInputSchema } from '@krate/core';
import { z } from '@krate/core';

/** The public Buildkite REST API. */
export const BUILDKITE_DEFAULT_BASE_URL = 'https://api.buildkite.com/v2';

/** Default tolerance of the signed webhook timestamp, in seconds (5 minutes, as Buildkite suggests). */
export const BUILDKITE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Default cap of a fetched job log, in bytes (longer logs keep their tail). */
export const BUILDKITE_DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024;

const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an organization slug (letters, digits, ".", "_", "-")');

/** An absolute http(s) URL without `user:password@`, query or fragment; a trailing slash is dropped. */
const httpUrl = baseUrlSchema.transform((value) => value.replace(/\/+$/, ''));

/** Config of the Buildkite provider. */
export const BuildkiteConfigSchema = z
  .object({
    /**
     * API access token (`bkua_...`), as a value or `{ secretRef }`. Scopes: `read_builds`,
     * `write_builds` (rerun/cancel), `read_build_logs`, `read_artifacts`, `read_agents`.
     * Required.
     */
    apiToken: headerSecretInputSchema,
    /**
     * The organization slug this instance works in. Scopes and refs in another
     * organization are refused before any request. Required.
     */
    organization: slug,
    /**
     * REST API base URL, path included (a proxy such as `https://bk.example.com/proxy/v2`
     * works). Default `https://api.buildkite.com/v2`.
     */
    baseUrl: httpUrl.default(BUILDKITE_DEFAULT_BASE_URL),
    /**
     * The webhook's token when the webhook sends it as `X-Buildkite-Token`. Deliveries
     * must then carry that header (compared in constant time). Default: none.
     */
    webhookToken: SecretInputSchema.optional(),
    /**
     * The webhook's token when the webhook sends `X-Buildkite-Signature` (HMAC-SHA256 of
     * `timestamp.body` keyed with the token). When set, every delivery must carry a valid
     * signature; it takes precedence over `webhookToken`. Default: none. With neither
     * setting, `webhooks.receive()` refuses every delivery (`invalid_config`).
     */
    webhookSecret: SecretInputSchema.optional(),
    /**
     * How far the signed timestamp may be from the receiver's clock, either way, in
     * seconds (replay window). Default 300.
     */
    webhookToleranceSeconds: z.number().int().positive().max(86_400).default(BUILDKITE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
    /**
     * Largest job log content kept by `getJobLog`, in bytes; a longer log keeps its last
     * bytes and is marked `truncated`. Default 5 MiB.
     */
    maxLogBytes: z.number().int().positive().default(BUILDKITE_DEFAULT_MAX_LOG_BYTES),
    /** Timeout of one HTTP attempt in ms, 100 to 2**31-1. Default 30 000. */
    timeoutMs: TransportConfigSchema.shape.timeoutMs,
    /** Retry policy (maxRetries 3, baseDelayMs 500, maxDelayMs 30 000, maxRetryAfterMs 60 000 by default). */
    retry: TransportConfigSchema.shape.retry,
  })
  .strict();

/** The config as the user writes it (defaults optional). */
export type BuildkiteConfigInput = z.input<typeof BuildkiteConfigSchema>;
/** The config after validation (defaults filled in). */
export type BuildkiteConfig = z.output<typeof BuildkiteConfigSchema>;
