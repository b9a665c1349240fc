import { z } from 'zod';
import type { PluginContext } from './plugin.js';
import type { RetryPolicy, TransportOptions } from './transport/types.js';

/** Zod schema of {@link RetryPolicy}, for provider config schemas. */
export const RetryPolicySchema = z
  .object({
    /** Retries after the first attempt. Default 3. */
    maxRetries: z.number().int().min(0).max(20).optional(),
    /** Base of the exponential backoff in ms. Default 500. */
    baseDelayMs: z.number().int().nonnegative().optional(),
    /** Cap of one backoff delay in ms. Default 30 000. */
    maxDelayMs: z.number().int().nonnegative().optional(),
    /** The longest Retry-After wait that is slept, in ms. Default 60 000. */
    maxRetryAfterMs: z.number().int().nonnegative().optional(),
  })
  .strict();

/**
 * Transport settings every provider config accepts: spread `TransportConfigSchema.shape`
 * into the provider's own schema.
 */
export const TransportConfigSchema = z.object({
  /** Timeout of one HTTP attempt in ms. Default 30 000. */
  timeoutMs: z.number().int().positive().optional(),
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
