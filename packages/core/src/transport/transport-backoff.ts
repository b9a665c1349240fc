import type { RetryPolicy } from './types.js';

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<Required<RetryPolicy>> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
});

/** A policy with every default filled in. Negative or non-finite values fall back to the default. */
export function resolveRetryPolicy(policy: RetryPolicy = {}): Required<RetryPolicy> {
  const pick = (key: keyof RetryPolicy): number => {
    const value = policy[key];
    // A timer longer than 2**31-1 ms fires after 1 ms: clamp, never wrap around.
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(value, 2 ** 31 - 1) : DEFAULT_RETRY_POLICY[key];
  };
  return {
    maxRetries: Math.floor(pick('maxRetries')),
    baseDelayMs: pick('baseDelayMs'),
    maxDelayMs: pick('maxDelayMs'),
    maxRetryAfterMs: pick('maxRetryAfterMs'),
  };
}

/**
 * The backoff before retry number `attempt` (1 for the first retry): "full jitter",
 * a uniform random delay in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))).
 */
export function computeBackoff(attempt: number, policy: Required<RetryPolicy>, random: () => number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 52);
  const cap = Math.max(0, Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(cap, Math.floor(unit * cap));
}
