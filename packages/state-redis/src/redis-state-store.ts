import { createHash, randomUUID } from 'node:crypto';
import {
  DEFAULT_PROBE_LEASE_MS,
  ProviderError,
  redactSecrets,
  type DeliveryClaim,
  type IdempotencyRecord,
  type ProviderStateStore,
  type RateLimitObservation,
  type RateLimitReservation,
  type ReserveOptions,
  type StateLock,
} from '@krate/core';
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { createSecretBox, type SecretBox } from './redis-secret-box.js';
import { CACHE_SET, CLAIM, CONFIRM, RECORD, RELEASE_CLAIM, RELEASE_LOCK, RESERVE } from './redis-scripts.js';

/** Settings of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /**
   * A client you made (`new Redis(...)`, `new Redis({ sentinels, name })` or
   * `new Cluster([...])`); the store does not close it. Give it `enableOfflineQueue: false`
   * so calls fail at once while Redis is down instead of waiting for it.
   */
  client?: Redis | Cluster | undefined;
  /**
   * `redis://[user:password@]host:port/db` or `rediss://...` (TLS), used when no `client`
   * is given; the store then makes and owns the client.
   */
  url?: string | undefined;
  /** Options of the client the store makes (`tls`, `username`, `password`, `sentinels`, ...). */
  redisOptions?: RedisOptions | undefined;
  /** Prefix of every key the store writes. Default `krate:`. */
  keyPrefix?: string | undefined;
  /**
   * A 32-byte key (bytes, 64 hex digits or base64) that lets the store share credentials
   * (installation tokens) between replicas, encrypted with AES-256-GCM. Without it no
   * credential is ever written to Redis: `putSecret` stores nothing.
   */
  encryptionKey?: string | Uint8Array | undefined;
  /** Bound of the shared page cache in bytes. Default 64 MiB. */
  cacheMaxBytes?: number | undefined;
  /** How long one command may take before it fails with `upstream_unavailable`. Default 2 000 ms. */
  commandTimeoutMs?: number | undefined;
  /** Called with client errors (connection refused, reconnecting); default: ignored. */
  onError?: ((error: Error) => void) | undefined;
}

/** A {@link ProviderStateStore} on Redis, with `close()` for the client it made. */
export interface RedisStateStore extends ProviderStateStore {
  readonly kind: 'redis';
  readonly shared: true;
  /** The ioredis client (for health checks). */
  readonly client: Redis | Cluster;
  /** Whether credentials may be shared (an encryption key was given). */
  readonly storesSecrets: boolean;
  /** Closes the client if the store made it. */
  close(): Promise<void>;
}

/** Default bound of the shared page cache. */
export const REDIS_DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function describe(client: Redis | Cluster): string {
  const options = (client as Redis).options as { host?: string; port?: number; sentinels?: unknown[] } | undefined;
  if (options?.sentinels) return 'Redis (through Sentinel)';
  if (options?.host) return `Redis at ${options.host}:${options.port ?? 6379}`;
  return 'Redis';
}

/**
 * Creates the Redis store. Every operation is one atomic command or Lua script, timed by
 * the Redis server's clock. While Redis cannot be reached every call rejects with a
 * `ProviderError` of code `upstream_unavailable` (no call waits for Redis to come back);
 * the client reconnects on its own, and calls succeed again once it has.
 *
 * @example
 * import { createRedisStateStore } from '@krate/state-redis';
 * const state = createRedisStateStore({ url: process.env.REDIS_URL, keyPrefix: 'krate:prod:' });
 * const github = createGitHubProvider(config, { secrets, state });
 */
export function createRedisStateStore(options: RedisStateStoreOptions = {}): RedisStateStore {
  const prefix = options.keyPrefix ?? 'krate:';
  const cacheMaxBytes = options.cacheMaxBytes ?? REDIS_DEFAULT_CACHE_MAX_BYTES;
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  const box: SecretBox | undefined = options.encryptionKey === undefined ? undefined : createSecretBox(options.encryptionKey);
  const owned = options.client === undefined;
  const base: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1_000),
    ...options.redisOptions,
  };
  const client: Redis | Cluster = options.client ?? (options.url ? new Redis(options.url, base) : new Redis(base));
  const where = describe(client);
  client.on('error', (error: Error) => options.onError?.(error));

  function unavailable(operation: string, error: unknown): ProviderError {
    const reason = error instanceof Error ? error.message : String(error);
    return new ProviderError({
      code: 'upstream_unavailable',
      operation: `state.${operation}`,
      message: `${where} did not answer: ${redactSecrets(reason)}`,
      hint: 'the call can be repeated once Redis is reachable again; the client reconnects on its own',
      cause: error,
    });
  }

  /** Waits (at most the command timeout) for a client that is still connecting. */
  async function ready(operation: string): Promise<void> {
    const status = client.status;
    if (status === 'ready') return;
    if (status === 'end' || status === 'close' && owned === false) {
      throw unavailable(operation, new Error(`the client is ${status}`));
    }
    if (status === 'wait') (client as Redis).connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('ready', onReady);
        reject(unavailable(operation, new Error(`not connected (${client.status})`)));
      }, commandTimeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('ready', onReady);
    });
  }

  async function run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    await ready(operation);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Bounds the call even on a client made elsewhere without a command timeout or with an offline queue.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${commandTimeoutMs} ms`)), commandTimeoutMs + 50);
    });
    try {
      return await Promise.race([fn(), deadline]);
    } catch (error) {
      throw unavailable(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async function script(source: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const sha = shas.get(source)!;
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, keys.length, ...keys, ...args);
    }
  }
  const shas = new Map([RESERVE, RECORD, CACHE_SET, CLAIM, CONFIRM, RELEASE_CLAIM, RELEASE_LOCK].map((s) => [s, sha1(s)]));

  // One hash tag for the cache's keys, so its script touches a single Cluster slot.
  const cacheValuePrefix = `${prefix}{cache}:v:`;
  const cacheKeys = (key: string) => [cacheValuePrefix + key, `${prefix}{cache}:sizes`, `${prefix}{cache}:order`, `${prefix}{cache}:bytes`];

  const store: RedisStateStore = {
    kind: 'redis',
    shared: true,
    client,
    storesSecrets: box !== undefined,

    reserveRateLimit(bucket: string, reserve: ReserveOptions = {}): Promise<RateLimitReservation> {
      return run('reserveRateLimit', async () => {
        const [granted, value, reason] = (await script(RESERVE, [`${prefix}rl:${bucket}`], [
          reserve.cost ?? 1,
          reserve.probeLeaseMs ?? DEFAULT_PROBE_LEASE_MS,
        ])) as [number, number, number];
        if (granted === 1) return { granted: true, remaining: value < 0 ? undefined : value };
        return { granted: false, retryAfterMs: Math.max(1, value), reason: reason === 2 ? 'probing' : 'spent' };
      });
    },

    recordRateLimit(bucket: string, observation: RateLimitObservation): Promise<void> {
      const text = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : String(Math.round(n)));
      return run('recordRateLimit', async () => {
        await script(RECORD, [`${prefix}rl:${bucket}`], [text(observation.limit), text(observation.remaining), text(observation.resetAtMs)]);
      });
    },

    getCached(key: string): Promise<string | undefined> {
      return run('getCached', async () => (await client.get(cacheValuePrefix + key)) ?? undefined);
    },

    setCached(key: string, value: string, ttlMs: number): Promise<void> {
      return run('setCached', async () => {
        await script(CACHE_SET, cacheKeys(key), [key, value, Math.floor(ttlMs), cacheMaxBytes, cacheValuePrefix]);
      });
    },

    claimDelivery(key: string, ttlMs: number): Promise<DeliveryClaim> {
      return run('claimDelivery', async () => {
        const token = randomUUID();
        const [outcome, ms] = (await script(CLAIM, [`${prefix}claim:${key}`], [token, Math.max(1, Math.floor(ttlMs))])) as [string, number];
        if (outcome === 'claimed') return { outcome: 'claimed', token };
        if (outcome === 'processed') return { outcome: 'processed' };
        return { outcome: 'in_progress', expiresInMs: ms };
      });
    },

    confirmDelivery(key: string, token: string, ttlMs: number): Promise<boolean> {
      return run('confirmDelivery', async () => (await script(CONFIRM, [`${prefix}claim:${key}`], [token, Math.max(1, Math.floor(ttlMs))])) === 1);
    },

    releaseDelivery(key: string, token: string): Promise<boolean> {
      return run('releaseDelivery', async () => (await script(RELEASE_CLAIM, [`${prefix}claim:${key}`], [token])) === 1);
    },

    getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
      return run('getIdempotencyRecord', async () => {
        const text = await client.get(`${prefix}idem:${key}`);
        return text === null ? undefined : (JSON.parse(text) as IdempotencyRecord);
      });
    },

    putIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
      return run('putIdempotencyRecord', async () => {
        await client.set(`${prefix}idem:${key}`, JSON.stringify(record), 'PX', Math.max(1, Math.floor(ttlMs)));
      });
    },

    acquireLock(name: string, ttlMs: number): Promise<StateLock | undefined> {
      return run('acquireLock', async () => {
        const token = randomUUID();
        const key = `${prefix}lock:${name}`;
        const ok = await client.set(key, token, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX');
        if (ok !== 'OK') return undefined;
        return {
          name,
          token,
          release: () => run('releaseLock', async () => void (await script(RELEASE_LOCK, [key], [token]))),
        };
      });
    },

    getSecret(key: string): Promise<string | undefined> {
      if (!box) return Promise.resolve(undefined);
      return run('getSecret', async () => {
        const redisKey = `${prefix}secret:${key}`;
        const sealed = await client.get(redisKey);
        return sealed === null ? undefined : box.open(sealed, redisKey);
      });
    },

    putSecret(key: string, value: string, ttlMs: number): Promise<boolean> {
      if (!box) return Promise.resolve(false);
      return run('putSecret', async () => {
        const redisKey = `${prefix}secret:${key}`;
        await client.set(redisKey, box.seal(value, redisKey), 'PX', Math.max(1, Math.floor(ttlMs)));
        return true;
      });
    },

    async close() {
      if (!owned) return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
  return store;
}
