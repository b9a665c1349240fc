import { InvalidInputError } from '@krate/core';
import { PROVIDER } from '../github-errors.js';

/**
 * GitHub has no idempotency header for issue and comment creates. A create with an
 * `idempotencyKey` stores the key as a hidden HTML comment at the end of the body
 * (`<!-- krate:idempotency-key=KEY -->`, the same marker pull requests use) and
 * looks it up among the most recent objects before writing, and again after a
 * dropped connection, so a retried create returns the first result.
 */
const MARKER = /\n*<!-- krate:idempotency-key=([A-Za-z0-9._:@/+=-]{1,200}) -->\s*$/;
const KEY = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

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

/** The body with the hidden key marker appended. */
export function withIdempotencyMarker(body: string | undefined, key: string): string {
  const text = (body ?? '').replace(MARKER, '');
  return `${text}${text.length > 0 ? '\n\n' : ''}<!-- krate:idempotency-key=${key} -->`;
}

/** The key stored in a body, if any. */
export function readIdempotencyMarker(body: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  return MARKER.exec(body)?.[1];
}

/** The body without the hidden key marker (what users read on GitHub). */
export function stripIdempotencyMarker(body: unknown): string {
  return typeof body === 'string' ? body.replace(MARKER, '') : '';
}
