import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  InvalidConfigError, WebhookSignatureInvalidError, getHeader, requireWebhookSecret, safeEqual, verifyHmac, verifyTimestamp, type WebhookRequest,
} from '@krate/core';
import { PROVIDER } from '../buildkite-errors.js';

/** The signature header: `timestamp=1619071700,signature=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'x-buildkite-signature';
/** The plain token header. */
export const TOKEN_HEADER = 'x-buildkite-token';

export interface BuildkiteWebhookCredentials {
  /** The token used as HMAC key for `X-Buildkite-Signature`. */
  secret?: string | undefined;
  /** The token compared with `X-Buildkite-Token`. */
  token?: string | undefined;
}

export interface VerifyOptions {
  now?: Date | number | undefined;
  toleranceSeconds: number;
}

/** Parses `timestamp=...,signature=...` (order and spaces free); undefined when either part is missing. */
export function parseSignatureHeader(value: string | undefined): { timestamp: string; signature: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = new Map<string, string>();
  for (const piece of value.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    if (!parts.has(key)) parts.set(key, piece.slice(eq + 1).trim());
  }
  const timestamp = parts.get('timestamp');
  const signature = parts.get('signature');
  if (!timestamp || !signature) return undefined;
  return { timestamp, signature };
}

/** The signed message of the signature scheme: `${timestamp}.${raw body}`, byte for byte. */
function signedPayload(timestamp: string, rawBody: string | Uint8Array): Uint8Array {
  const prefix = Buffer.from(`${timestamp}.`, 'utf8');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  return Buffer.concat([prefix, body]);
}

/**
 * The HMAC-SHA256 of `timestamp.body` fed in two parts (no copy of the body into a new
 * buffer), with the checks and errors of core's `verifyHmac`.
 */
function verifySignedBody(secret: string, timestamp: string, rawBody: string | Uint8Array, signature: string): void {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    // core's verifyHmac reports a body that is neither text nor bytes.
    verifyHmac({ secret, payload: rawBody, signature, algorithm: 'sha256', encoding: 'hex', provider: PROVIDER });
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'webhook body must be the raw string or bytes as received' });
  }
  const text = signature.trim();
  if (text === '' || text.length !== 64 || !/^[0-9a-fA-F]+$/.test(text)) {
    // The same refusal, worded by core.
    verifyHmac({ secret, payload: '', signature, algorithm: 'sha256', encoding: 'hex', provider: PROVIDER });
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'webhook signature is not a sha256 hex digest' });
  }
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8');
  const expected = (typeof rawBody === 'string' ? hmac.update(rawBody, 'utf8') : hmac.update(rawBody)).digest();
  if (!timingSafeEqual(Buffer.from(text, 'hex'), expected)) {
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'webhook signature does not match the payload' });
  }
}

/**
 * Verifies a delivery before anything of it is parsed, failing closed:
 *
 * - with a `secret`, `X-Buildkite-Signature` is required: the HMAC-SHA256 (hex) of
 *   `timestamp.body` keyed with the secret must match (constant time), then the signed
 *   timestamp must be within `toleranceSeconds` of now (stale and future both refused);
 * - else with a `token`, `X-Buildkite-Token` is required and must equal it (constant time);
 * - with neither, every delivery is refused with `invalid_config`.
 *
 * Returns the scheme that verified the delivery.
 */
export function verifyBuildkiteDelivery(
  request: WebhookRequest,
  credentials: BuildkiteWebhookCredentials,
  options: VerifyOptions,
): 'signature' | 'token' {
  const headers = request.headers ?? {};
  if (credentials.secret !== undefined && credentials.secret !== '') {
    const secret = requireWebhookSecret(credentials.secret, PROVIDER);
    const header = getHeader(headers, SIGNATURE_HEADER);
    if (header === undefined || header.trim() === '') {
      throw new WebhookSignatureInvalidError({
        provider: PROVIDER,
        message: 'delivery has no X-Buildkite-Signature header; this receiver requires signed deliveries',
        hint: 'set the webhook to send its token as a signature, or configure webhookToken instead of webhookSecret',
      });
    }
    const parsed = parseSignatureHeader(header);
    if (!parsed) {
      throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'X-Buildkite-Signature is not "timestamp=...,signature=..."' });
    }
    if (!/^\d{1,12}$/.test(parsed.timestamp)) {
      throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'X-Buildkite-Signature timestamp is not a Unix time' });
    }
    verifySignedBody(secret, parsed.timestamp, request.rawBody, parsed.signature);
    verifyTimestamp(parsed.timestamp, { now: options.now, toleranceSeconds: options.toleranceSeconds, unit: 's', provider: PROVIDER });
    return 'signature';
  }
  if (credentials.token !== undefined && credentials.token !== '') {
    const token = requireWebhookSecret(credentials.token, PROVIDER);
    const header = getHeader(headers, TOKEN_HEADER);
    if (header === undefined || header === '') {
      throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'delivery has no X-Buildkite-Token header' });
    }
    if (!safeEqual(header, token)) {
      throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'X-Buildkite-Token does not match the configured webhook token' });
    }
    return 'token';
  }
  throw new InvalidConfigError({
    provider: PROVIDER,
    message: 'neither webhookSecret nor webhookToken is configured; deliveries cannot be verified and are refused',
    hint: 'set webhookSecret (signature header) or webhookToken (token header) to the token of the Buildkite webhook',
  });
}
