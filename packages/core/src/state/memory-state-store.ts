import { randomUUID } from 'node:crypto';
import type {
  DeliveryClaim,
  IdempotencyRecord,
  ProviderStateStore,
  RateLimitObservation,
  RateLimitReservation,
  ReserveOptions,
  StateLock,
} from './provider-state-store.js';
import { DEFAULT_PROBE_LEASE_MS, recordInBudget, reserveFromBudget, type RateLimitBucketState } from './rate-limit-budget.js';

/** Settings of {@link createMemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** Bound of the page cache in bytes (UTF-16 length x 2 of keys and values). Default 32 MiB. */
  cacheMaxBytes?: number | undefined;
  /** Current time in ms since the epoch. Injectable for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Default bound of a store's page cache. */
export const DEFAULT_CACHE_MAX_BYTES = 32 * 1024 * 1024;

interface Expiring<V> {
  value: V;
  expiresAt: number;
}

const bytesOf = (key: string, value: string) => (key.length + value.length) * 2;

/**
 * The in-process {@link ProviderStateStore}: what every instance uses unless the host
 * passes a shared store in the plugin context. Nothing leaves the process; secrets are
 * never kept (`putSecret` answers false).
 */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): ProviderStateStore {
  const now = options.now ?? Date.now;
  const cacheMaxBytes = options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const buckets = new Map<string, RateLimitBucketState>();
  const cache = new Map<string, Expiring<string>>();
  let cacheBytes = 0;
  const claims = new Map<string, Expiring<{ token: string | undefined; done: boolean }>>();
  const records = new Map<string, Expiring<IdempotencyRecord>>();
  const locks = new Map<string, Expiring<string>>();

  function live<V>(map: Map<string, Expiring<V>>, key: string): Expiring<V> | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now()) {
      map.delete(key);
      if (map === (cache as unknown)) cacheBytes -= bytesOf(key, (entry as Expiring<string>).value);
      return undefined;
    }
    return entry;
  }

  function dropCached(key: string): void {
    const entry = cache.get(key);
    if (!entry) return;
    cache.delete(key);
    cacheBytes -= bytesOf(key, entry.value);
  }

  return {
    kind: 'memory',
    shared: false,

    async reserveRateLimit(bucket: string, reserve: ReserveOptions = {}): Promise<RateLimitReservation> {
      const cost = reserve.cost ?? 1;
      const { state, reservation } = reserveFromBudget(buckets.get(bucket) ?? {}, now(), cost, reserve.probeLeaseMs ?? DEFAULT_PROBE_LEASE_MS);
      buckets.set(bucket, state);
      return reservation;
    },

    async recordRateLimit(bucket: string, observation: RateLimitObservation): Promise<void> {
      buckets.set(bucket, recordInBudget(buckets.get(bucket) ?? {}, observation, now()));
    },

    async getCached(key: string): Promise<string | undefined> {
      const entry = live(cache, key);
      if (!entry) return undefined;
      // Least recently used goes first: a hit moves the entry to the end.
      cache.delete(key);
      cache.set(key, entry);
      return entry.value;
    },

    async setCached(key: string, value: string, ttlMs: number): Promise<void> {
      dropCached(key);
      const size = bytesOf(key, value);
      if (ttlMs <= 0 || size > cacheMaxBytes) return;
      cache.set(key, { value, expiresAt: now() + ttlMs });
      cacheBytes += size;
      if (cacheBytes <= cacheMaxBytes) return;
      const t = now();
      for (const [k, entry] of cache) {
        if (entry.expiresAt <= t) dropCached(k);
      }
      for (const k of cache.keys()) {
        if (cacheBytes <= cacheMaxBytes) break;
        dropCached(k);
      }
    },

    async claimDelivery(key: string, ttlMs: number): Promise<DeliveryClaim> {
      const entry = live(claims, key);
      if (entry?.value.done) return { outcome: 'processed' };
      if (entry) return { outcome: 'in_progress', expiresInMs: Math.max(0, entry.expiresAt - now()) };
      const token = randomUUID();
      claims.set(key, { value: { token, done: false }, expiresAt: now() + ttlMs });
      return { outcome: 'claimed', token };
    },

    async confirmDelivery(key: string, token: string, ttlMs: number): Promise<boolean> {
      const entry = live(claims, key);
      if (!entry || entry.value.token !== token) return false;
      claims.set(key, { value: { token, done: true }, expiresAt: now() + ttlMs });
      return true;
    },

    async releaseDelivery(key: string, token: string): Promise<boolean> {
      const entry = live(claims, key);
      if (!entry || entry.value.done || entry.value.token !== token) return false;
      claims.delete(key);
      return true;
    },

    async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
      const entry = live(records, key);
      return entry ? structuredClone(entry.value) : undefined;
    },

    async putIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
      records.set(key, { value: structuredClone(record), expiresAt: now() + ttlMs });
    },

    async acquireLock(name: string, ttlMs: number): Promise<StateLock | undefined> {
      if (live(locks, name)) return undefined;
      const token = randomUUID();
      locks.set(name, { value: token, expiresAt: now() + ttlMs });
      return {
        name,
        token,
        async release() {
          if (locks.get(name)?.value === token) locks.delete(name);
        },
      };
    },

    async getSecret(): Promise<string | undefined> {
      return undefined;
    },

    async putSecret(): Promise<boolean> {
      return false;
    },
  };
}
