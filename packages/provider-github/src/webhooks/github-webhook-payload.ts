import { WebhookMalformedError, type ExternalRef, type ExternalSyncEvent, type InterfaceName, type ObjectKind } from '@krate/core';
import type { GitHubMappingContext } from '../github-context.js';

export type { GitHubMappingContext };

/** A webhook payload object as GitHub sends it (JSON). */
export type GhPayload = Record<string, unknown>;

/** Normalizes one event's payload to sync events. */
export type GitHubEventNormalizer = (m: GitHubMappingContext, payload: GhPayload) => ExternalSyncEvent[];

/** The payload's `action`, when it has one. */
export function actionOf(payload: GhPayload): string | undefined {
  return typeof payload.action === 'string' ? payload.action : undefined;
}

/** A nested object of the payload, or a `webhook_malformed` error naming the field. */
export function objectField(payload: GhPayload, field: string, event: string): GhPayload {
  const value = payload[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookMalformedError({
      provider: 'github',
      operation: 'webhooks.receive',
      message: `"${event}" delivery has no "${field}" object`,
    });
  }
  return value as GhPayload;
}

/** A nested object of the payload, or undefined. */
export function optionalObject(payload: GhPayload, field: string): GhPayload | undefined {
  const value = payload[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as GhPayload) : undefined;
}

/** A string or number field as a string, or undefined. */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length > 0) return value;
  return undefined;
}

/** The `owner/repo` scope of a delivery (from `repository.full_name`). */
export function repoScopeOf(payload: GhPayload, event: string): string {
  const repo = objectField(payload, 'repository', event);
  if (typeof repo.full_name === 'string' && repo.full_name.includes('/')) return repo.full_name;
  const owner = optionalObject(repo, 'owner');
  if (owner && typeof owner.login === 'string' && typeof repo.name === 'string') return `${owner.login}/${repo.name}`;
  throw new WebhookMalformedError({
    provider: 'github',
    operation: 'webhooks.receive',
    message: `"${event}" delivery has a repository without full_name`,
  });
}

/** A required id of an object (`issue.number`, `label.name`), as a string. */
export function requireId(value: unknown, what: string, event: string): string {
  const id = idString(value);
  if (id === undefined) {
    throw new WebhookMalformedError({ provider: 'github', operation: 'webhooks.receive', message: `"${event}" delivery has no ${what}` });
  }
  return id;
}

/** The time an object last changed, where the payload says it. */
export function occurredAtOf(raw: GhPayload | undefined): string | undefined {
  if (!raw) return undefined;
  for (const field of ['updated_at', 'submitted_at', 'completed_at', 'started_at', 'created_at']) {
    const value = raw[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** An upsert event that carries the normalized object (its ref is the object's ref). */
export function upserted<T extends { ref: ExternalRef }>(
  iface: InterfaceName,
  kind: ObjectKind,
  object: T,
  occurredAt?: string,
): ExternalSyncEvent {
  const event: ExternalSyncEvent = { interface: iface, kind, ref: { scope: object.ref.scope, id: object.ref.id }, change: 'upserted', object };
  if (occurredAt !== undefined) event.occurredAt = occurredAt;
  return event;
}

/** An event about a ref, without an object (deletions, or a payload too thin to map). */
export function refEvent(
  iface: InterfaceName,
  kind: ObjectKind,
  ref: ExternalRef,
  change: 'upserted' | 'deleted',
  occurredAt?: string,
): ExternalSyncEvent {
  const event: ExternalSyncEvent = { interface: iface, kind, ref, change };
  if (occurredAt !== undefined) event.occurredAt = occurredAt;
  return event;
}
