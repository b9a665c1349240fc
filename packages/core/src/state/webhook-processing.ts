import { ProviderError } from '../errors.js';
import type { WebhookDelivery } from '../model/sync-event.js';
import type { ProviderStateStore } from './provider-state-store.js';

/** Settings of {@link processWebhookDelivery} (and `instance.webhooks.process`). */
export interface ProcessWebhookOptions {
  /**
   * How long a claim lasts while the handler runs; a replica that dies mid-way lets a
   * redelivery in after this. Default 300 000 ms (5 minutes).
   */
  claimTtlMs?: number | undefined;
  /** How long a processed delivery is remembered (the vendor's redelivery horizon). Default 3 days. */
  processedTtlMs?: number | undefined;
  /**
   * How long to keep trying to record a processed delivery while the store is unreachable.
   * Default 15 000 ms. If it still fails, the claim stays until it expires.
   */
  confirmRetryMs?: number | undefined;
}

/** What {@link processWebhookDelivery} did with a delivery. */
export type WebhookProcessResult<T> =
  /** This call ran the handler, and the delivery is recorded as processed. */
  | { outcome: 'processed'; delivery: WebhookDelivery; result: T }
  /** The delivery was processed before (a redelivery, or another replica got it first). */
  | { outcome: 'duplicate'; delivery: WebhookDelivery }
  /**
   * Another call (on this or another replica) is processing it now. Answer the vendor with
   * a retryable status if the other call may fail (its failure releases the claim).
   */
  | { outcome: 'in_progress'; delivery: WebhookDelivery; retryAfterMs: number };

export const DEFAULT_CLAIM_TTL_MS = 5 * 60_000;
export const DEFAULT_PROCESSED_TTL_MS = 3 * 24 * 60 * 60_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function storeError(delivery: WebhookDelivery, error: unknown, what: string): ProviderError {
  if (ProviderError.isInstance(error)) return error.withContext(delivery.provider, 'webhooks.process');
  return new ProviderError({
    code: 'upstream_unavailable',
    provider: delivery.provider,
    operation: 'webhooks.process',
    message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/**
 * Runs `handler` for a verified delivery at most once across every replica sharing the
 * store: the delivery's dedupe key is claimed first; a delivery processed before is a
 * `duplicate`, one being processed elsewhere is `in_progress`. When the handler throws, the
 * claim is released (so the vendor's redelivery is processed) and the error is rethrown;
 * when it returns, the delivery is recorded as processed.
 *
 * The store failing before the handler runs rejects with `upstream_unavailable` and runs
 * nothing (the vendor redelivers).
 */
export async function processWebhookDelivery<T>(
  store: ProviderStateStore,
  delivery: WebhookDelivery,
  handler: (delivery: WebhookDelivery) => Promise<T> | T,
  options: ProcessWebhookOptions = {},
): Promise<WebhookProcessResult<T>> {
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const processedTtlMs = options.processedTtlMs ?? DEFAULT_PROCESSED_TTL_MS;
  const confirmRetryMs = options.confirmRetryMs ?? 15_000;
  const key = `webhook:${delivery.dedupeKey}`;
  let claim;
  try {
    claim = await store.claimDelivery(key, claimTtlMs);
  } catch (error) {
    throw storeError(delivery, error, 'the delivery could not be claimed');
  }
  if (claim.outcome === 'processed') return { outcome: 'duplicate', delivery };
  if (claim.outcome === 'in_progress') return { outcome: 'in_progress', delivery, retryAfterMs: claim.expiresInMs };

  let result: T;
  try {
    result = await handler(delivery);
  } catch (error) {
    await store.releaseDelivery(key, claim.token).catch(() => undefined);
    throw error;
  }

  const deadline = Date.now() + confirmRetryMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      await store.confirmDelivery(key, claim.token, processedTtlMs);
      return { outcome: 'processed', delivery, result };
    } catch (error) {
      if (Date.now() + delay > deadline) {
        const failure = storeError(delivery, error, 'the delivery was processed but could not be recorded as processed');
        throw new ProviderError({
          code: failure.code,
          provider: delivery.provider,
          operation: 'webhooks.process',
          message: failure.message.replace(/^\[krate\](?: \[[^\]]+\])?(?: [A-Za-z.]+:)? /, ''),
          hint: `the handler ran; its claim keeps redeliveries out for up to ${claimTtlMs} ms`,
          retryable: false,
          cause: error,
        });
      }
      await pause(delay);
    }
  }
}
