import { WebhookMalformedError, type ExternalSyncEvent } from '@krate/core';
import { PROVIDER } from '../__PROVIDER_TYPE__-errors.js';
import { map__PASCAL__Issue, type __PASCAL__Issue } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking-mapping.js';

/** The events this provider normalizes (the manifest declares the same). */
export const NORMALIZED_EVENTS = ['issue.created', 'issue.updated', 'issue.deleted'] as const;

/**
 * A native event and its payload as normalized sync events, through the same mappers as
 * the REST reads. Events it does not normalize yield no events.
 */
export function normalize__PASCAL__Event(event: string, payload: unknown, apiBaseUrl: string): ExternalSyncEvent[] {
  const body = (payload ?? {}) as { project?: unknown; issue?: __PASCAL__Issue };
  if (!event.startsWith('issue.')) return [];
  if (typeof body.project !== 'string' || typeof body.issue?.number !== 'number') {
    throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has no project or issue` });
  }
  const issue = map__PASCAL__Issue(body.project, body.issue, apiBaseUrl);
  return [
    {
      interface: 'issueTracking',
      kind: 'issue',
      ref: issue.ref,
      change: event === 'issue.deleted' ? 'deleted' : 'upserted',
      ...(event === 'issue.deleted' ? {} : { object: issue }),
      occurredAt: issue.updatedAt,
    },
  ];
}
