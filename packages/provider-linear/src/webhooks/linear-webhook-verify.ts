import { getHeader, verifyHmac, verifyTimestamp, type WebhookRequest } from '@krate/core';
import { PROVIDER } from '../linear-errors.js';

/** The header carrying the signature: lowercase hex HMAC-SHA256 of the raw body with the webhook's signing secret. */
export const LINEAR_SIGNATURE_HEADER = 'linear-signature';
/** The header carrying the delivery's UUID (the dedupe key). */
export const LINEAR_DELIVERY_HEADER = 'linear-delivery';
/** The header naming the entity type (`Issue`, `Comment`, ...). */
export const LINEAR_EVENT_HEADER = 'linear-event';

/**
 * Verifies Linear's signature before a byte of the body is parsed: `Linear-Signature` is
 * the hex HMAC-SHA256 of the raw body. A missing or empty secret is `invalid_config`
 * (never "skip the check"); a missing, garbled or wrong signature is
 * `webhook_signature_invalid`.
 */
export function verifyLinearSignature(secret: string, request: WebhookRequest): void {
  verifyHmac({
    secret,
    payload: request.rawBody,
    signature: getHeader(request.headers, LINEAR_SIGNATURE_HEADER),
    algorithm: 'sha256',
    encoding: 'hex',
    provider: PROVIDER,
  });
}

/**
 * Replay protection: `webhookTimestamp` is inside the signed body, in milliseconds since
 * the epoch; a delivery further than `toleranceMs` (Linear: 60 s) from the clock, either
 * way, is `webhook_signature_invalid`. The legacy `Linear-Timestamp` header is not
 * trusted (it is not signed).
 */
export function verifyLinearTimestamp(webhookTimestamp: unknown, toleranceMs: number, now: Date | number | undefined): void {
  verifyTimestamp(typeof webhookTimestamp === 'number' || typeof webhookTimestamp === 'string' ? webhookTimestamp : undefined, {
    unit: 'ms',
    toleranceSeconds: toleranceMs / 1000,
    now,
    provider: PROVIDER,
  });
}
