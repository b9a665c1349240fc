import { createHash } from 'node:crypto';
import { ProviderError } from '../errors.js';
import type { ProviderStateStore } from './provider-state-store.js';

/** Settings of {@link withStateLock}. */
export interface WithStateLockOptions {
  /** How long the lock is held at most (it expires if the holder dies). Default 30 000 ms. */
  ttlMs?: number | undefined;
  /** How long to wait for a held lock before failing with `timeout`. Default 30 000 ms. */
  waitMs?: number | undefined;
  /** Pause between tries while the lock is held elsewhere. Default 50 ms. */
  pollMs?: number | undefined;
  /** Aborts the wait. */
  signal?: AbortSignal | undefined;
  /** Provider named in errors. */
  provider?: string | undefined;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Runs `fn` while holding a lock of the store, so that one replica of the fleet does the
 * work at a time (minting an installation token, a create with an idempotency key). Waits
 * for a lock held elsewhere; releases it when `fn` settles.
 */
export async function withStateLock<T>(
  store: ProviderStateStore,
  name: string,
  fn: () => Promise<T>,
  options: WithStateLockOptions = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + waitMs;
  for (;;) {
    let lock;
    try {
      lock = await store.acquireLock(name, ttlMs);
    } catch (error) {
      if (ProviderError.isInstance(error)) throw error;
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: options.provider,
        message: `the lock "${name}" could not be taken: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release().catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) {
      throw new ProviderError({
        code: 'timeout',
        provider: options.provider,
        message: `waited ${waitMs} ms for work another replica is doing (lock "${name}")`,
      });
    }
    await pause(pollMs, options.signal);
  }
}

/**
 * A short, stable, one-way name for a value that must not be stored (a token): the first
 * 24 hex digits of its SHA-256. Used to tell credentials apart in state keys.
 */
export function stateKeyDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 24);
}
