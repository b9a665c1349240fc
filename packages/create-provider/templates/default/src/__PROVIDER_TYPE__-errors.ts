import { errorFromStatus, retryAfterFromHeaders, type ProviderError } from '@krate/core';

/** The provider type, as in the manifest and every error. */
export const PROVIDER = '__PROVIDER_TYPE__';

/** The vendor's error body: `{ "error": { "code": "...", "message": "..." } }`. */
async function readErrorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? response.statusText;
  } catch {
    return response.statusText || `HTTP ${response.status}`;
  }
}

/** A non-2xx answer of the vendor as a typed ProviderError (429 is rate_limited with its Retry-After). */
export async function errorFromResponse(response: Response, operation: string): Promise<ProviderError> {
  const message = await readErrorMessage(response);
  return errorFromStatus(response.status, message, {
    provider: PROVIDER,
    operation,
    retryAfterMs: response.status === 429 ? (retryAfterFromHeaders(response.headers) ?? 1000) : undefined,
  });
}

/**
 * The shapes of the vendor's credentials, registered with the plugin (`secretPatterns`):
 * redacted from this provider's errors and logs wherever they appear. Replace with your
 * vendor's token format.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [/\b__PROVIDER_TYPE___[A-Za-z0-9]{20,}\b/g];
