import { toRichText, type ExternalIssue } from '@krate/core';
import { PROVIDER } from '../__PROVIDER_TYPE__-errors.js';

/** An issue as the vendor API returns it. */
export interface __PASCAL__Issue {
  id: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  close_reason: 'completed' | 'not_planned' | 'duplicate' | null;
  labels: string[];
  assignees: string[];
  url: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/**
 * Maps a vendor issue to the normalized model. The REST reads and the webhook events
 * both use it, so a read and a delivery of the same issue agree.
 */
export function map__PASCAL__Issue(project: string, raw: __PASCAL__Issue, apiBaseUrl: string): ExternalIssue {
  return {
    ref: { scope: project, id: String(raw.number) },
    external: {
      interface: 'issueTracking',
      nativeKind: 'issue',
      nativeId: raw.id,
      nativeNumber: raw.number,
      url: raw.url,
      apiUrl: `${apiBaseUrl}/projects/${encodeURIComponent(project)}/issues/${raw.number}`,
      version: { updatedAt: raw.updated_at },
      extensions: { providerType: PROVIDER, schemaVersion: '__PROVIDER_TYPE__-v1', fields: {} },
    },
    title: raw.title,
    body: toRichText(raw.body),
    phase: raw.state === 'closed' ? 'closed' : 'open',
    state: raw.state,
    ...(raw.close_reason ? { closeReason: raw.close_reason } : {}),
    labels: raw.labels,
    assignees: raw.assignees.map((login) => ({ id: login, login })),
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    ...(raw.closed_at ? { closedAt: raw.closed_at } : {}),
  };
}
