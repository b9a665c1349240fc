import { createHmac } from 'node:crypto';

/** An HMAC of `payload` with `secret`, hex (default) or base64: what most vendors put in a signature header. */
export function hmac(
  algorithm: 'sha1' | 'sha256' | 'sha512',
  secret: string,
  payload: string | Uint8Array,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return createHmac(algorithm, secret).update(payload).digest(encoding);
}

/** The same string with one character changed (for `wrong` signatures of the right length). */
export function flipLastChar(text: string): string {
  if (text.length === 0) return 'x';
  const last = text[text.length - 1]!;
  const replacement = last === '0' ? '1' : last === 'a' ? 'b' : '0';
  return text.slice(0, -1) + replacement;
}

/** A JSON body cut in half: signed validly, it must be rejected as `webhook_malformed`. */
export function truncateJson(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}
