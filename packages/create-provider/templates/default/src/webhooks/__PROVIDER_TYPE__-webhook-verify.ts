import { WebhookSignatureInvalidError, getHeader, verifyHmac, verifyTimestamp, type WebhookRequest } from '@krate/core';
import { PROVIDER } from '../__PROVIDER_TYPE__-errors.js';

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = '__PROVIDER_TYPE__-signature';
export const EVENT_HEADER = '__PROVIDER_TYPE__-event';
export const DELIVERY_HEADER = '__PROVIDER_TYPE__-delivery';

/** Reads `t=` and `v1=` out of the signature header. */
export function parseSignatureHeader(value: string | undefined): { timestamp: string; signature: string } {
  const parts = Object.fromEntries((value ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  if (!parts.t || !parts.v1) {
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: `missing or malformed ${SIGNATURE_HEADER} header` });
  }
  return { timestamp: parts.t, signature: parts.v1 };
}

/**
 * Verifies a delivery: the HMAC-SHA256 of `<t>.<raw body>` under the webhook secret, then
 * the age of `t`. Throws webhook_signature_invalid / webhook_timestamp_invalid.
 */
export function verify__PASCAL__Delivery(
  request: WebhookRequest,
  body: string,
  options: { secret: string; toleranceSeconds: number; now?: Date | number | undefined },
): void {
  const { timestamp, signature } = parseSignatureHeader(getHeader(request.headers, SIGNATURE_HEADER));
  verifyHmac({ secret: options.secret, payload: `${timestamp}.${body}`, signature, provider: PROVIDER });
  verifyTimestamp(timestamp, { now: options.now, toleranceSeconds: options.toleranceSeconds, provider: PROVIDER });
}
