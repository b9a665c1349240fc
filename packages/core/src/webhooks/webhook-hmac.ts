import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidConfigError, WebhookMalformedError, WebhookSignatureInvalidError } from '../errors.js';
import { requireWebhookSecret } from './webhook-secret.js';

export type HmacAlgorithm = 'sha256' | 'sha1';
export type SignatureEncoding = 'hex' | 'base64';

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha256: 32, sha1: 20 };

/** The HMAC of a payload (bytes as received, or a string taken as UTF-8). */
export function computeHmac(
  algorithm: HmacAlgorithm,
  secret: string,
  payload: string | Uint8Array,
  encoding: SignatureEncoding,
): string {
  return createHmac(algorithm, secret).update(payload).digest(encoding);
}

/**
 * Compares two strings in constant time for equal lengths (`crypto.timingSafeEqual`).
 * Lengths are compared first (a length is not a secret); never throws.
 */
export function safeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export interface VerifyHmacOptions {
  /** The webhook secret. Empty or missing is an `invalid_config` error: verification never skips. */
  secret: string | undefined;
  /** The body exactly as received. */
  payload: string | Uint8Array;
  /** The signature header's value. */
  signature: string | undefined;
  /** Default `sha256`. */
  algorithm?: HmacAlgorithm | undefined;
  /** How the signature is written. Default `hex` (compared case-insensitively). */
  encoding?: SignatureEncoding | undefined;
  /** A prefix the header carries before the digest, e.g. `sha256=`. Default none. */
  prefix?: string | undefined;
  /** The provider type, for error messages. */
  provider?: string | undefined;
}

function decodeSignature(text: string, algorithm: HmacAlgorithm, encoding: SignatureEncoding): Buffer | undefined {
  const bytes = DIGEST_BYTES[algorithm];
  if (encoding === 'hex') {
    if (text.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(text)) return undefined;
    return Buffer.from(text, 'hex');
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return decoded.length === bytes ? decoded : undefined;
}

/**
 * Verifies an HMAC signature over the raw body, in constant time. Fails closed: a
 * missing secret throws `InvalidConfigError`; a missing, garbled or wrong signature
 * throws `WebhookSignatureInvalidError`.
 */
export function verifyHmac(options: VerifyHmacOptions): void {
  const { payload, signature, algorithm = 'sha256', encoding = 'hex', prefix, provider } = options;
  const secret = requireWebhookSecret(options.secret, provider as string);
  // Own keys only: `__proto__`, `constructor` and `toString` are not algorithms.
  if (typeof algorithm !== 'string' || !Object.hasOwn(DIGEST_BYTES, algorithm)) {
    throw new InvalidConfigError({ provider, message: `unsupported webhook signature algorithm "${String(algorithm)}" (use sha256 or sha1)` });
  }
  if (encoding !== 'hex' && encoding !== 'base64') {
    throw new InvalidConfigError({ provider, message: `unsupported webhook signature encoding "${String(encoding)}" (use hex or base64)` });
  }
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw new WebhookMalformedError({ provider, message: 'webhook body must be the raw string or bytes as received' });
  }
  if (typeof signature !== 'string' || signature.trim() === '') {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook delivery has no signature' });
  }
  let text = signature.trim();
  if (prefix) {
    if (!text.startsWith(prefix)) {
      throw new WebhookSignatureInvalidError({ provider, message: `webhook signature does not start with "${prefix}"` });
    }
    text = text.slice(prefix.length);
  }
  const given = decodeSignature(text, algorithm, encoding);
  if (!given) {
    throw new WebhookSignatureInvalidError({ provider, message: `webhook signature is not a ${algorithm} ${encoding} digest` });
  }
  const expected = createHmac(algorithm, secret).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook signature does not match the payload' });
  }
}
