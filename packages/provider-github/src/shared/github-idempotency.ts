import { InvalidInputError } from '@krate/core';
import { PROVIDER } from '../github-errors.js';

/**
 * GitHub has no idempotency header for issue and comment creates. A create with an
 * `idempotencyKey` stores the key as a hidden HTML comment at the end of the body
 * (`<!-- krate:idempotency-key=KEY -->`, the same marker pull requests use) and
 * looks it up among the most recent objects before writing, and again after a
 * dropped connection, so a retried create returns the first result.
 *
 * The marker is found by a scan from the end of the body, in time linear in its length
 * (bodies reach 65,536 characters and are read on every webhook, listing and resync).
 */
const OPEN = '<!-- krate:idempotency-key=';
const CLOSE = ' -->';
const KEY = /^[A-Za-z0-9._:@/+=-]{1,200}$/;
const MAX_KEY = 200;

/** Checks that a key fits in the marker (letters, digits and `. _ : @ / + = -`, at most 200). */
export function assertIdempotencyKey(key: string, operation: string): void {
  if (!KEY.test(key)) {
    throw new InvalidInputError({
      provider: PROVIDER,
      operation,
      message: 'idempotencyKey must be 1-200 characters of letters, digits and . _ : @ / + = -',
    });
  }
}

/** Whether a UTF-16 unit is white space as `\s` reads it. */
function isSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** Where the trailing marker starts (its leading line breaks included) and its key; undefined without one. */
function findMarker(body: string): { start: number; key: string } | undefined {
  let end = body.length;
  while (end > 0 && isSpace(body.charCodeAt(end - 1))) end--;
  if (end < OPEN.length + 1 + CLOSE.length || !body.startsWith(CLOSE, end - CLOSE.length)) return undefined;
  const keyEnd = end - CLOSE.length;
  // The key holds no "<" or space, so the nearest opening is the only candidate; it is at most 200 characters back.
  const from = Math.max(0, keyEnd - MAX_KEY - OPEN.length);
  const open = body.lastIndexOf(OPEN, keyEnd - OPEN.length - 1);
  if (open < from) return undefined;
  const key = body.slice(open + OPEN.length, keyEnd);
  if (!KEY.test(key)) return undefined;
  let start = open;
  while (start > 0 && body.charCodeAt(start - 1) === 0x0a) start--;
  return { start, key };
}

/** The body with the hidden key marker appended. */
export function withIdempotencyMarker(body: string | undefined, key: string): string {
  const text = stripIdempotencyMarker(body ?? '');
  return `${text}${text.length > 0 ? '\n\n' : ''}${OPEN}${key}${CLOSE}`;
}

/** The key stored in a body, if any. */
export function readIdempotencyMarker(body: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  return findMarker(body)?.key;
}

/** The body without the hidden key marker (what users read on GitHub). */
export function stripIdempotencyMarker(body: unknown): string {
  if (typeof body !== 'string') return '';
  const marker = findMarker(body);
  return marker ? body.slice(0, marker.start) : body;
}
