import { ProviderError } from '../errors.js';
import type { ProviderStateStore, RateLimitObservation } from '../state/provider-state-store.js';
import { DEFAULT_PROBE_LEASE_MS } from '../state/rate-limit-budget.js';
import { stateKeyDigest } from '../state/state-lock.js';
import type { RateLimitSnapshot } from './types.js';

/**
 * A rate-limit budget shared through a {@link ProviderStateStore}: every attempt reserves
 * from its bucket before it is sent, and every response's rate-limit headers are recorded,
 * so replicas sharing the store never send more than the server said is left.
 */
export interface RateLimitBudgetOptions {
  /** Where budgets live; a shared store (Redis) makes the fleet share them. */
  store: ProviderStateStore;
  /**
   * The bucket (credential and resource) a request counts against; undefined sends it
   * without a reservation. Default {@link defaultBudgetBucket}.
   */
  bucket?(request: Request): string | undefined;
  /**
   * What a request does when its bucket is spent: `wait` for the reset when it comes within
   * `maxWaitMs`, else fail; `fail` at once with `rate_limited`. Default `wait`.
   */
  whenSpent?: 'wait' | 'fail' | undefined;
  /** The longest wait for a spent budget. Default: the retry policy's `maxRetryAfterMs`. */
  maxWaitMs?: number | undefined;
}

/**
 * The default bucket of a request: the provider, the API host and a one-way digest of the
 * `Authorization` header (the credential itself is never stored).
 */
export function defaultBudgetBucket(provider: string, request: Request): string {
  const credential = request.headers.get('authorization');
  return `ratelimit:${provider}:${new URL(request.url).host}:${credential ? stateKeyDigest(credential) : 'anonymous'}`;
}

export interface BudgetGate {
  /** Reserves for one attempt; resolves with the bucket to record into, or throws `rate_limited`. */
  reserve(request: Request, sleep: (ms: number) => Promise<void>): Promise<string | undefined>;
  /** Records what a response said about the bucket. Never throws. */
  record(bucket: string, snapshot: Partial<RateLimitSnapshot> | undefined, retryAfterMs: number | undefined): Promise<void>;
}

function storeError(provider: string, error: unknown): ProviderError {
  if (ProviderError.isInstance(error)) return error.withContext(provider);
  return new ProviderError({
    code: 'upstream_unavailable',
    provider,
    message: `the rate-limit budget could not be read: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/** The longest a request waits for another request that is learning an unknown budget. */
const MAX_PROBE_WAIT_MS = 2 * DEFAULT_PROBE_LEASE_MS;

/** Builds the gate a transport runs every attempt through. */
export function createBudgetGate(
  provider: string,
  options: RateLimitBudgetOptions,
  defaults: { maxWaitMs: number; now: () => number },
): BudgetGate {
  const { store } = options;
  const maxWaitMs = options.maxWaitMs ?? defaults.maxWaitMs;
  const whenSpent = options.whenSpent ?? 'wait';
  const bucketOf = options.bucket ?? ((request: Request) => defaultBudgetBucket(provider, request));
  return {
    async reserve(request, sleep) {
      const bucket = bucketOf(request);
      if (bucket === undefined) return undefined;
      let waited = 0;
      let waitedForProbe = 0;
      for (;;) {
        let reservation;
        try {
          reservation = await store.reserveRateLimit(bucket);
        } catch (error) {
          throw storeError(provider, error);
        }
        if (reservation.granted) return bucket;
        const wait = reservation.retryAfterMs;
        if (reservation.reason === 'probing' && waitedForProbe + wait <= MAX_PROBE_WAIT_MS) {
          // Another request is learning the budget: its answer comes within a round trip.
          await sleep(wait);
          waitedForProbe += wait;
          continue;
        }
        if (whenSpent === 'fail' || waited + wait > maxWaitMs) {
          throw new ProviderError({
            code: 'rate_limited',
            provider,
            retryAfterMs: wait,
            message:
              reservation.reason === 'spent'
                ? `the rate-limit budget of this credential is spent until ${new Date(defaults.now() + wait).toISOString()} (shared by every replica using the same state store)`
                : 'the rate-limit budget of this credential is being learned by another request',
          });
        }
        await sleep(wait);
        waited += wait;
      }
    },
    async record(bucket, snapshot, retryAfterMs) {
      const observation: RateLimitObservation = {};
      if (snapshot?.limit !== undefined) observation.limit = snapshot.limit;
      if (snapshot?.remaining !== undefined) observation.remaining = snapshot.remaining;
      if (snapshot?.resetAt !== undefined) {
        const reset = Date.parse(snapshot.resetAt);
        if (Number.isFinite(reset)) observation.resetAtMs = reset;
      }
      if (retryAfterMs !== undefined) {
        // The server asked for a pause (a secondary limit, a 429): the bucket is spent until then.
        observation.remaining = 0;
        observation.resetAtMs = Math.max(observation.resetAtMs ?? 0, defaults.now() + retryAfterMs);
      }
      try {
        await store.recordRateLimit(bucket, observation);
      } catch {
        // The response is already here: losing one record must not turn it into an error (the
        // next reservation fails with the store's error if the store is still unreachable).
      }
    },
  };
}
