import { createHash } from 'node:crypto';
import { ProviderError } from '../errors.js';
import type { ExternalRef } from '../model/common.js';
import type { ProviderStateStore } from './provider-state-store.js';
import { withStateLock } from './state-lock.js';

/** How long an idempotency record is kept. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

/**
 * The writes that take an `idempotencyKey`: where the key sits among the arguments, what
 * scopes it, and the read operation that fetches the created object again (without one,
 * the record keeps the normalized object).
 */
export const IDEMPOTENT_WRITES: Readonly<
  Record<string, { keyArg: number; scope: (args: unknown[]) => string; read?: string }>
> = {
  'issueTracking.createIssue': { keyArg: 0, scope: (a) => String((a[0] as { scope: string }).scope), read: 'getIssue' },
  'issueTracking.createComment': { keyArg: 1, scope: (a) => refText(a[0]) },
  'gitForge.createPullRequest': { keyArg: 0, scope: (a) => String((a[0] as { scope: string }).scope), read: 'getPullRequest' },
  'cicd.rerunPipeline': { keyArg: 1, scope: (a) => refText(a[0]), read: 'getPipeline' },
};

function refText(value: unknown): string {
  const ref = value as Partial<ExternalRef> | undefined;
  return `${ref?.scope ?? ''}#${ref?.id ?? ''}`;
}

/** The idempotency key among a write's arguments, if the caller gave one. */
export function idempotencyKeyOf(write: string, args: unknown[]): string | undefined {
  const spec = IDEMPOTENT_WRITES[write];
  if (!spec) return undefined;
  const holder = args[spec.keyArg] as { idempotencyKey?: unknown } | undefined;
  return typeof holder?.idempotencyKey === 'string' && holder.idempotencyKey !== '' ? holder.idempotencyKey : undefined;
}

function recordKey(provider: string, instanceKey: string, write: string, scope: string, key: string): string {
  const digest = createHash('sha256').update(JSON.stringify([write, scope, key])).digest('hex').slice(0, 32);
  return `idempotency:${provider}:${instanceKey}:${digest}`;
}

/**
 * Runs a write that carries an idempotency key once across every replica sharing the
 * store: a record of an earlier write with the same key answers with that object (read
 * again where the contract has a read operation); otherwise the write runs while holding
 * a lock on the key, and its result's ref is recorded.
 */
export async function runIdempotentWrite<T extends { ref?: ExternalRef }>(
  store: ProviderStateStore,
  request: {
    provider: string;
    /** Tells instances apart (the provider ref, or a digest of the API base and credential). */
    instanceKey: string;
    write: string;
    args: unknown[];
    key: string;
    /** Runs the write. */
    perform: () => Promise<T>;
    /** Reads the object again by ref; undefined where the contract has no read operation. */
    read?: ((ref: ExternalRef) => Promise<T>) | undefined;
    ttlMs?: number | undefined;
  },
): Promise<T> {
  const spec = IDEMPOTENT_WRITES[request.write];
  const name = recordKey(request.provider, request.instanceKey, request.write, spec ? spec.scope(request.args) : '', request.key);
  const operation = request.write.split('.').pop();
  const wrap = (error: unknown) =>
    ProviderError.isInstance(error)
      ? error
      : new ProviderError({
          code: 'upstream_unavailable',
          provider: request.provider,
          operation,
          message: `the idempotency record could not be read: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });

  const replay = async (): Promise<T | undefined> => {
    const record = await store.getIdempotencyRecord(name).catch((error: unknown) => {
      throw wrap(error);
    });
    if (!record) return undefined;
    if (request.read) return request.read(record.ref);
    return record.object as T;
  };

  const first = await replay();
  if (first !== undefined) return first;
  return withStateLock(
    store,
    `lock:${name}`,
    async () => {
      const again = await replay();
      if (again !== undefined) return again;
      const created = await request.perform();
      if (created?.ref) {
        await store
          .putIdempotencyRecord(
            name,
            { ref: created.ref, createdAtMs: Date.now(), ...(request.read ? {} : { object: created }) },
            request.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
          )
          .catch(() => undefined);
      }
      return created;
    },
    { ttlMs: 60_000, waitMs: 60_000, provider: request.provider },
  );
}
