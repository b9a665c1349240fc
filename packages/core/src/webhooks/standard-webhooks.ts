import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidConfigError, WebhookSignatureInvalidError } from '../errors.js';
import { verifyTimestamp } from './webhook-timestamp.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com), as GitLab's signing tokens,
 * Svix and others send them:
 *
 * - `webhook-id`: the delivery id (the same on retries);
 * - `webhook-timestamp`: Unix seconds;
 * - `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` entries (several
 *   during a secret rotation; one match is enough), keyed with the base64-decoded part
 *   of a `whsec_<base64>` secret, over `{id}.{timestamp}.{raw body}`.
 */

const PREFIX = 'whsec_';
/** The longest signature header read (a rotation carries a few entries, never thousands). */
const MAX_SIGNATURE_HEADER = 4096;
const DIGEST_BYTES = 32;

/**
 * The HMAC key of a Standard Webhooks secret: the base64 part of `whsec_<base64>`
 * decoded. A secret without the prefix is taken as base64 too, as the reference
 * libraries do. A secret that decodes to nothing is an `invalid_config` error.
 */
export function decodeStandardWebhookSecret(secret: string, provider?: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidConfigError({
      provider,
      message: 'no webhook signing secret is configured; deliveries cannot be verified and are refused',
      hint: 'set the signing token (whsec_...) shown when the webhook was created',
    });
  }
  const body = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new InvalidConfigError({ provider, message: 'the webhook signing secret is not "whsec_" followed by base64' });
  }
  const key = Buffer.from(body, 'base64');
  if (key.length === 0) throw new InvalidConfigError({ provider, message: 'the webhook signing secret decodes to no bytes' });
  return key;
}

/** Decoded keys of the secrets seen last (a receiver verifies many deliveries with the same few secrets). */
const KEY_CACHE = new Map<string, Buffer>();

function decodedKey(secret: string, provider?: string): Buffer {
  const cached = KEY_CACHE.get(secret);
  if (cached) return cached;
  const key = decodeStandardWebhookSecret(secret, provider);
  if (KEY_CACHE.size >= 16) KEY_CACHE.delete(KEY_CACHE.keys().next().value as string);
  KEY_CACHE.set(secret, key);
  return key;
}

/** What is signed: `{id}.{timestamp}.{body}`. */
function signedContent(id: string, timestamp: string, payload: string | Uint8Array): Buffer {
  const head = Buffer.from(`${id}.${timestamp}.`, 'utf8');
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return Buffer.concat([head, body]);
}

export interface SignStandardWebhookOptions {
  /** `whsec_<base64>`. */
  secret: string;
  /** The `webhook-id` header. */
  id: string;
  /** The `webhook-timestamp` header: Unix seconds, or a Date. */
  timestamp: number | string | Date;
  /** The body exactly as sent. */
  payload: string | Uint8Array;
}

/** One `v1,<base64>` signature entry, as a sender puts it in `webhook-signature`. */
export function signStandardWebhook(options: SignStandardWebhookOptions): string {
  const key = decodeStandardWebhookSecret(options.secret);
  const ts = options.timestamp instanceof Date ? String(Math.floor(options.timestamp.getTime() / 1000)) : String(options.timestamp);
  const digest = createHmac('sha256', key).update(signedContent(options.id, ts, options.payload)).digest('base64');
  return `v1,${digest}`;
}

export interface VerifyStandardWebhookOptions {
  /**
   * The signing secret(s), `whsec_<base64>`. Several may be given while a secret is
   * rotated on the receiving side; a signature made with any of them is accepted.
   * None (or only empty ones) is an `invalid_config` error: verification never skips.
   */
  secret: string | readonly string[] | undefined;
  /** The raw body exactly as received. */
  payload: string | Uint8Array;
  /** The `webhook-id` header. */
  id: string | undefined;
  /** The `webhook-timestamp` header (Unix seconds). */
  timestamp: string | undefined;
  /** The `webhook-signature` header. */
  signature: string | undefined;
  /** The current time, for the tolerance check. Default: now. */
  now?: Date | number | undefined;
  /** How far the timestamp may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number | undefined;
  /** The provider type, for error messages. */
  provider?: string | undefined;
}

/**
 * Verifies a Standard Webhooks delivery in constant time per candidate: the id and
 * timestamp headers must be present, the timestamp within the tolerance, and one
 * `v1,` entry of `webhook-signature` must match under one of the secrets. Anything
 * else throws `WebhookSignatureInvalidError`; a missing secret `InvalidConfigError`.
 * Returns the delivery id and timestamp that were verified.
 */
export function verifyStandardWebhook(options: VerifyStandardWebhookOptions): { id: string; timestamp: number } {
  const { provider, payload } = options;
  const secrets = (typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]).filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  if (secrets.length === 0) decodeStandardWebhookSecret('', provider);
  const keys = secrets.map((s) => decodedKey(s, provider));
  const id = options.id?.trim();
  const timestamp = options.timestamp?.trim();
  if (!id) throw new WebhookSignatureInvalidError({ provider, message: 'webhook delivery has no webhook-id header' });
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook delivery has no readable webhook-timestamp header' });
  }
  const header = options.signature?.trim();
  if (!header) throw new WebhookSignatureInvalidError({ provider, message: 'webhook delivery has no webhook-signature header' });
  if (header.length > MAX_SIGNATURE_HEADER) {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook-signature header is too long' });
  }
  verifyTimestamp(timestamp, { now: options.now, toleranceSeconds: options.toleranceSeconds ?? 300, provider });
  const given: Buffer[] = [];
  for (const entry of header.split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const text = entry.slice(comma + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) continue;
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === DIGEST_BYTES) given.push(bytes);
  }
  if (given.length === 0) {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook-signature holds no v1 HMAC-SHA256 signature' });
  }
  const content = signedContent(id, timestamp, payload);
  let matched = false;
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(content).digest();
    // Every candidate is compared, so the time taken does not tell which one matched.
    for (const candidate of given) if (timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new WebhookSignatureInvalidError({ provider, message: 'webhook signature does not match the payload' });
  return { id, timestamp: Number(timestamp) };
}
