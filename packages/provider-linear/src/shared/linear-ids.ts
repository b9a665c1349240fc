import { createHash, randomUUID } from 'node:crypto';
import { InvalidInputError } from '@krate/core';
import { PROVIDER } from '../linear-errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `ENG-123`: a team key, a dash, the issue number. */
const IDENTIFIER = /^([A-Za-z0-9_]{1,20})-(\d{1,9})$/;
/** A team key as Linear allows it (letters and digits, up to 20 here to be lenient). */
const TEAM_KEY = /^[A-Za-z0-9_]{1,20}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A UUID in version-4 format derived from an idempotency key: the same key (within the
 * same kind and scope) always gives the same id. Linear accepts client-supplied ids on
 * `issueCreate`, `commentCreate` and `issueLabelCreate`, so a retried create names the
 * same id and meets Linear's conflict instead of creating twice.
 */
export function deterministicUuid(kind: string, scope: string, key: string): string {
  const bytes = createHash('sha256').update(`krate:linear:${kind}\u0000${scope}\u0000${key}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id a create sends: derived from the idempotency key, or random (still lets a dropped answer be looked up). */
export function clientId(kind: string, scope: string, idempotencyKey: string | undefined): string {
  return idempotencyKey ? deterministicUuid(kind, scope, idempotencyKey) : randomUUID();
}

/** A team key (the scope of every Linear listing), or invalid_input. */
export function parseTeamKey(scope: unknown, operation: string): string {
  if (typeof scope !== 'string' || !TEAM_KEY.test(scope.trim())) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `scope must be a Linear team key such as "ENG", got ${JSON.stringify(scope)}` });
  }
  return scope.trim();
}

/** An issue's id in a ref: an identifier (`ENG-123`, also a previous one) or the issue's UUID. */
export function parseIssueId(ref: unknown, operation: string): string {
  const id = (ref as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && (IDENTIFIER.test(id.trim()) || isUuid(id.trim()))) return id.trim();
  throw new InvalidInputError({
    provider: PROVIDER,
    operation,
    message: `an issue ref's id must be an identifier such as "ENG-123" or the issue's UUID, got ${JSON.stringify(id)}`,
  });
}

/** A UUID in a ref (comments and labels are addressed by their UUID), or invalid_input. */
export function parseUuidRef(ref: unknown, what: string, operation: string): string {
  const id = (ref as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && isUuid(id.trim())) return id.trim();
  throw new InvalidInputError({ provider: PROVIDER, operation, message: `a ${what} ref's id must be the ${what}'s UUID, got ${JSON.stringify(id)}` });
}

/** The team key of an identifier (`ENG-123` -> `ENG`). */
export function teamKeyOfIdentifier(identifier: string): string | undefined {
  return IDENTIFIER.exec(identifier)?.[1];
}
