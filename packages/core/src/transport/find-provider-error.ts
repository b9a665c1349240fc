import { ProviderError } from '../errors.js';

/**
 * The first {@link ProviderError} in an error's `cause` chain (the error itself
 * included, and the `errors` of an AggregateError). Vendor SDKs wrap what `fetch`
 * throws, so a transport timeout arrives as the cause of the SDK's own error.
 */
export function findProviderError(error: unknown): ProviderError | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 32) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (ProviderError.isInstance(current)) return current;
    const record = current as { cause?: unknown; errors?: unknown };
    if (record.cause !== undefined) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
  return undefined;
}
