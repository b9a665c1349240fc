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

/** A header's value, looked up case-insensitively; the first value of a repeated header. */
export function getHeader(headers: Record<string, string | string[] | undefined> | Headers, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  // Node's IncomingMessage and most frameworks keep header names in lower case: look that up first.
  const wanted = name.toLowerCase();
  const direct = Object.hasOwn(record, wanted) ? record[wanted] : Object.hasOwn(record, name) ? record[name] : undefined;
  if (direct !== undefined) return Array.isArray(direct) ? direct[0] : direct;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) return value[0];
    return value;
  }
  return undefined;
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
