import { z } from 'zod';
import type { PluginContext } from './plugin.js';
import { SecretInputSchema } from './secrets.js';
import type { RetryPolicy, TransportOptions } from './transport/types.js';

/** The longest delay a Node.js timer can wait (2**31 - 1 ms); a larger one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The shortest `timeoutMs` accepted: below it no HTTPS request can complete. */
export const MIN_TIMEOUT_MS = 100;
/** The longest `retry.maxRetryAfterMs` accepted: one hour (GitHub's primary limit window). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const delayMs = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int({ error: `${what} must be a whole number of milliseconds` })
    .min(0, { error: `${what} must be at least 0 ms` })
    .max(max, { error: `${what} must be at most ${max} ms` });

/** Zod schema of {@link RetryPolicy}, for provider config schemas. */
export const RetryPolicySchema = z
  .object({
    /** Retries after the first attempt, 0 to 20. Default 3. */
    maxRetries: z.number().int().min(0).max(20).optional(),
    /** Base of the exponential backoff in ms, 0 to 2**31-1. Default 500. */
    baseDelayMs: delayMs('retry.baseDelayMs', MAX_TIMER_MS).optional(),
    /** Cap of one backoff delay in ms, 0 to 2**31-1. Default 30 000. */
    maxDelayMs: delayMs('retry.maxDelayMs', MAX_TIMER_MS).optional(),
    /** The longest Retry-After wait that is slept, in ms, 0 to 3 600 000 (one hour). Default 60 000. */
    maxRetryAfterMs: delayMs('retry.maxRetryAfterMs', MAX_RETRY_AFTER_MS).optional(),
  })
  .strict();

/** An attempt timeout in ms: a whole number from {@link MIN_TIMEOUT_MS} to {@link MAX_TIMER_MS}. */
export const timeoutMsSchema = z
  .number({ error: 'timeoutMs must be a number of milliseconds' })
  .int({ error: 'timeoutMs must be a whole number of milliseconds' })
  .min(MIN_TIMEOUT_MS, { error: `timeoutMs must be at least ${MIN_TIMEOUT_MS} ms` })
  .max(MAX_TIMER_MS, { error: `timeoutMs must be at most ${MAX_TIMER_MS} ms (2**31-1, the longest timer Node.js runs)` });

/**
 * A value sent in an HTTP header (a token, a user agent): non-empty, with no control
 * characters (CR and LF would split the header; fetch refuses them late, as a network error).
 */
export const headerValueSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value), {
    error: 'must not contain control characters such as CR or LF (they would split the HTTP header)',
  });

/**
 * A credential sent in an HTTP header (an API token), as a value or `{ secretRef }`: an
 * inline value must be non-empty and free of control characters (see {@link headerValueSchema}).
 */
export const headerSecretInputSchema = SecretInputSchema.superRefine((value, ctx) => {
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must not contain control characters such as CR or LF (they would split the HTTP header)' });
  }
});

/** Whether a resolved credential can be sent in an HTTP header (no CR, LF or other control characters). */
export function isHeaderSafe(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}

/**
 * An API base URL: absolute `http:` or `https:`, with no `user:password@` (credentials go in
 * their own setting, never in a URL that errors and logs print), no query and no fragment.
 */
export const baseUrlSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'baseUrl must not contain spaces or control characters' });
      return;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'baseUrl must be an absolute URL such as https://api.example.com' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `baseUrl must use https: or http: (got ${url.protocol})` });
    }
    if (url.username !== '' || url.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'baseUrl must not carry user:password@; set the credentials in their own setting' });
    }
    if (url.search !== '' || value.includes('?')) ctx.addIssue({ code: 'custom', message: 'baseUrl must not have a query (?...)' });
    if (url.hash !== '' || value.includes('#')) ctx.addIssue({ code: 'custom', message: 'baseUrl must not have a fragment (#...)' });
  });

/**
 * Transport settings every provider config accepts: spread `TransportConfigSchema.shape`
 * into the provider's own schema.
 */
export const TransportConfigSchema = z.object({
  /** Timeout of one HTTP attempt in ms, 100 to 2**31-1. Default 30 000. */
  timeoutMs: timeoutMsSchema.optional(),
  /** Retry policy; see RetryPolicy for the defaults. */
  retry: RetryPolicySchema.optional(),
});

export type TransportConfig = z.infer<typeof TransportConfigSchema>;

/**
 * Builds {@link TransportOptions} from a provider's config (`timeoutMs`, `retry`) and
 * the plugin context (`fetch`, `onRequest`, and `state`, which turns on the shared
 * rate-limit budget).
 */
export function transportOptionsFromConfig(
  provider: string,
  config: { timeoutMs?: number | undefined; retry?: RetryPolicy | undefined } | undefined,
  context: PluginContext = {},
): TransportOptions {
  const options: TransportOptions = { provider };
  if (config?.timeoutMs !== undefined) options.timeoutMs = config.timeoutMs;
  if (config?.retry !== undefined) options.retry = { ...config.retry };
  if (context.fetch !== undefined) options.fetch = context.fetch;
  if (context.onRequest !== undefined) options.onRequest = context.onRequest;
  // A store given by the host turns on the shared rate-limit budget (replicas share it).
  if (context.state !== undefined) options.rateLimitBudget = { store: context.state };
  return options;
}
