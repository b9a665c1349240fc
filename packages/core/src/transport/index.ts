export * from './types.js';
export { createTransport, DEFAULT_TIMEOUT_MS } from './create-transport.js';
export { DEFAULT_RETRY_POLICY } from './transport-backoff.js';
export { parseRetryAfter, readRateLimitHeaders, retryAfterFromHeaders, resetHeaderToEpochMs } from './transport-headers.js';
export { redactUrl } from './transport-redact.js';
export { findProviderError } from './find-provider-error.js';
export { defaultBudgetBucket, type RateLimitBudgetOptions } from './transport-budget.js';
