export type {
  DeliveryClaim,
  IdempotencyRecord,
  ProviderStateStore,
  RateLimitObservation,
  RateLimitReservation,
  ReserveOptions,
  StateLock,
} from './provider-state-store.js';
export { createMemoryStateStore, DEFAULT_CACHE_MAX_BYTES, type MemoryStateStoreOptions } from './memory-state-store.js';
export {
  reserveFromBudget,
  recordInBudget,
  RESET_TOLERANCE_MS,
  DEFAULT_WINDOW_MS,
  DEFAULT_PROBE_LEASE_MS,
  type RateLimitBucketState,
} from './rate-limit-budget.js';
export { withStateLock, stateKeyDigest, type WithStateLockOptions } from './state-lock.js';
export {
  processWebhookDelivery,
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_PROCESSED_TTL_MS,
  type ProcessWebhookOptions,
  type WebhookProcessResult,
} from './webhook-processing.js';
export { runIdempotentWrite, idempotencyKeyOf, IDEMPOTENT_WRITES, DEFAULT_IDEMPOTENCY_TTL_MS } from './idempotent-writes.js';
