import { createHash } from 'node:crypto';
import { WebhookMalformedError } from '../errors.js';

/**
 * A stable key for one delivery, the same for a redelivery of it: the provider type,
 * then the SHA-256 (hex) of provider, installation, event and delivery id.
 */
export function webhookDedupeKey(parts: { provider: string; deliveryId: string; event: string; installationId?: string | undefined }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.provider, parts.installationId ?? '', parts.event, parts.deliveryId]))
    .digest('hex');
  return `${parts.provider}:${digest}`;
}

/** A header value as frameworks hand it over: a string, or a list for a repeated header. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return undefined;
}

/**
 * A header's value, looked up case-insensitively among the object's own keys; the first
 * value of a repeated header. A value that is not a string (`null`, a number, a list
 * whose first entry is not a string) reads as absent, and so does anything that is not
 * a header object: this never throws.
 */
export function getHeader(headers: Record<string, string | string[] | undefined> | Headers, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object' || typeof name !== 'string') return undefined;
  try {
    if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
      return headerText((headers as Headers).get(name)) ?? undefined;
    }
    const record = headers as Record<string, unknown>;
    // Node's IncomingMessage and most frameworks keep header names in lower case: look that up first.
    const wanted = name.toLowerCase();
    const direct = Object.hasOwn(record, wanted) ? record[wanted] : Object.hasOwn(record, name) ? record[name] : undefined;
    if (direct !== undefined) return headerText(direct);
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === wanted) return headerText(record[key]);
    }
  } catch {
    // A getter or proxy that throws: the header is absent.
  }
  return undefined;
}

/** GitHub's cap on a delivery's payload (25 MB), the default limit of `webhooks.receive`. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * Refuses a delivery whose body is larger than `maxBytes`, with `WebhookMalformedError`,
 * before anything hashes or parses it: a declared `Content-Length` over the limit and a
 * byte array over the limit are refused at once; a string is measured in UTF-8 bytes
 * (after a length check that needs no pass over it). A request that is not an object,
 * headers that are not an object and a body that is not a string or bytes are refused too.
 */
export function assertWebhookBodySize(
  request: { headers?: unknown; rawBody?: unknown },
  options: { maxBytes?: number | undefined; provider?: string | undefined } = {},
): void {
  const { provider } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
  if (typeof request !== 'object' || request === null) {
    throw new WebhookMalformedError({ provider, message: 'webhook request must be an object with headers and rawBody' });
  }
  const { headers, rawBody } = request;
  if (typeof headers !== 'object' || headers === null) {
    throw new WebhookMalformedError({ provider, message: 'webhook request headers must be an object or Headers' });
  }
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookMalformedError({ provider, message: 'webhook body must be the raw string or bytes as received' });
  }
  const tooLarge = (size: string) =>
    new WebhookMalformedError({
      provider,
      message: `webhook body is ${size}, over the limit of ${maxBytes} bytes; the delivery is refused`,
      hint: 'raise maxBodyBytes if the vendor really sends bodies this large',
    });
  const declared = getHeader(headers as Record<string, string>, 'content-length');
  if (declared !== undefined && /^\s*\d{1,16}\s*$/.test(declared) && Number(declared) > maxBytes) {
    throw tooLarge(`declared as ${Number(declared)} bytes`);
  }
  if (typeof rawBody !== 'string') {
    if (rawBody.byteLength > maxBytes) throw tooLarge(`${rawBody.byteLength} bytes`);
    return;
  }
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: decide without measuring when the length tells.
  if (rawBody.length > maxBytes) throw tooLarge(`at least ${rawBody.length} bytes`);
  if (rawBody.length * 3 <= maxBytes) return;
  const bytes = Buffer.byteLength(rawBody, 'utf8');
  if (bytes > maxBytes) throw tooLarge(`${bytes} bytes`);
}

/** The body as text (UTF-8). Decodes bytes in place, without copying them. */
export function rawBodyText(raw: string | Uint8Array): string {
  if (typeof raw === 'string') return raw;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return bytes.toString('utf8');
}

/**
 * Parses a verified delivery body. Bad or truncated JSON, or JSON that is not an
 * object, throws `WebhookMalformedError` (the message never quotes the body).
 */
export function parseWebhookJson(raw: string | Uint8Array, provider: string): unknown {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    throw new WebhookMalformedError({ provider, message: 'webhook body must be the raw string or bytes as received' });
  }
  const text = rawBodyText(raw);
  if (text.trim() === '') throw new WebhookMalformedError({ provider, message: 'webhook body is empty' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WebhookMalformedError({
      provider,
      message: `webhook body is not valid JSON (${text.length} characters; truncated or malformed)`,
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookMalformedError({ provider, message: 'webhook body is JSON but not an object' });
  }
  return value;
}
