import type { ExternalRef } from '../model/common.js';

/**
 * What a rate-limit response header told: the window's size, what is left in it and
 * when it resets. Every field is optional; a vendor that sends only `Retry-After`
 * is recorded as `{ remaining: 0, resetAtMs }`.
 */
export interface RateLimitObservation {
  /** Requests (or points) allowed in the window. */
  limit?: number | undefined;
  /** Requests (or points) left in the window, as the server counted them. */
  remaining?: number | undefined;
  /** When the window resets, in ms since the epoch. Default: one minute from now. */
  resetAtMs?: number | undefined;
}

/** The answer of {@link ProviderStateStore.reserveRateLimit}. */
export type RateLimitReservation =
  | {
      granted: true;
      /**
       * What is left in the budget after this reservation; `undefined` while the budget is
       * unknown and this request is the one probe that will learn it from the response.
       */
      remaining: number | undefined;
    }
  | {
      granted: false;
      /** How long until the budget may grant again (the window's reset, or the probe's answer). */
      retryAfterMs: number;
      /** Why: the window is spent, or another request is learning the budget right now. */
      reason: 'spent' | 'probing';
    };

/** Settings of one reservation. */
export interface ReserveOptions {
  /** Points the request costs. Default 1. */
  cost?: number | undefined;
  /**
   * While the budget is unknown (nothing recorded yet, or the window has passed), one
   * request at a time is let through to learn it from the response's headers; the others
   * wait. The probe's lease ends after this long even if its response never comes back.
   * Default 10 000 ms.
   */
  probeLeaseMs?: number | undefined;
}

/** The answer of {@link ProviderStateStore.claimDelivery}. */
export type DeliveryClaim =
  /** This caller processes the delivery; pass the token to confirm or release. */
  | { outcome: 'claimed'; token: string }
  /** The delivery was processed already (by this replica or another). */
  | { outcome: 'processed' }
  /** Another caller holds an unexpired claim and is processing it now. */
  | { outcome: 'in_progress'; expiresInMs: number };

/**
 * What a write with an idempotency key created: the object's ref and, for operations
 * without a read operation to fetch it again, the normalized object itself (normalized
 * objects never hold credentials).
 */
export interface IdempotencyRecord {
  ref: ExternalRef;
  /** The operation's normalized answer, kept where no read operation can fetch it again. */
  object?: unknown;
  /** When the object was created, in ms since the epoch. */
  createdAtMs: number;
}

/** A held lock; release it when the work is done (it also expires on its own). */
export interface StateLock {
  readonly name: string;
  /** A random value that tells this holder from a later one. */
  readonly token: string;
  /** Gives the lock up if this holder still has it. Never throws for an expired lock. */
  release(): Promise<void>;
}

/**
 * The state a provider instance shares with the other replicas of the same installation:
 * rate-limit budgets, cached validator pages, webhook delivery claims, idempotency
 * records of writes, locks for single-flight work and (only where the store is set up to
 * encrypt them) short-lived credentials.
 *
 * Keys are plain strings chosen by the caller (`github:<installation>:...`); a store adds
 * its own prefix. Every method is atomic on its own: two replicas calling
 * `reserveRateLimit` or `claimDelivery` at once never both get the last unit.
 *
 * The default, {@link createMemoryStateStore}, keeps everything in the process. A shared
 * store (`@krate/state-redis`) makes replicas share it. A store that cannot reach its
 * backend rejects with a `ProviderError` of code `upstream_unavailable`.
 */
export interface ProviderStateStore {
  /** `memory`, `redis`, ... (for logs and tests). */
  readonly kind: string;
  /** Whether several processes see the same state (false for the in-memory store). */
  readonly shared: boolean;

  /**
   * Takes `cost` from the budget of a bucket (one credential and resource, e.g.
   * `github:app-1:inst-7:core`). Granted while the budget is unknown only to one probe at a
   * time; refused once the recorded window is spent, with the wait until its reset.
   */
  reserveRateLimit(bucket: string, options?: ReserveOptions): Promise<RateLimitReservation>;
  /**
   * Records what the server reported. Within one window the budget only goes down (the
   * smaller of the local count and the server's); a later reset starts a new window.
   * Ends a probe.
   */
  recordRateLimit(bucket: string, observation: RateLimitObservation): Promise<void>;

  /** A cached value (a page body with its validator), or undefined when absent or expired. */
  getCached(key: string): Promise<string | undefined>;
  /**
   * Caches a value for `ttlMs`. The cache is bounded in bytes: when it is full the entries
   * closest to expiry go first. A value larger than the bound is not kept.
   */
  setCached(key: string, value: string, ttlMs: number): Promise<void>;

  /**
   * Claims a webhook delivery (by its dedupe key) for `ttlMs`. Exactly one of concurrent
   * callers gets `claimed`; the others see `in_progress`, or `processed` once confirmed.
   * A claim that is neither confirmed nor released expires after `ttlMs`.
   */
  claimDelivery(key: string, ttlMs: number): Promise<DeliveryClaim>;
  /**
   * Marks a claimed delivery processed, remembered for `ttlMs` (how long the vendor may
   * redeliver). False when the claim was lost (expired and taken by another caller).
   */
  confirmDelivery(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim up after a failure, so that a redelivery is processed. False when the claim was lost. */
  releaseDelivery(key: string, token: string): Promise<boolean>;

  /** The record of a write made with this idempotency key, if any. */
  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
  /** Records what a write with an idempotency key created, for `ttlMs`. */
  putIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;

  /** Takes a lock for `ttlMs` if nobody holds it; undefined when it is held. */
  acquireLock(name: string, ttlMs: number): Promise<StateLock | undefined>;

  /**
   * A credential another replica shared (an installation token), or undefined. Stores
   * that do not keep secrets always answer undefined.
   */
  getSecret(key: string): Promise<string | undefined>;
  /**
   * Shares a short-lived credential for `ttlMs`. Returns false, storing nothing, unless the
   * store keeps secrets (the Redis store does only with an encryption key).
   */
  putSecret(key: string, value: string, ttlMs: number): Promise<boolean>;
}
