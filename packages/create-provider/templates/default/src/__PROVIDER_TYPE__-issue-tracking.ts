import {
  decodeCursor,
  encodeCursor,
  toRichText,
  type ExternalIssue,
  type ExternalRef,
  type IssueTrackingProvider,
} from '@krate/core';
import type { __PASCAL__Client } from './__PROVIDER_TYPE__-client.js';
import { PROVIDER } from './__PROVIDER_TYPE__-client.js';

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

/** The vendor allows at most this many items per page. */
export const MAX_PAGE_SIZE = 100;

/** Maps a vendor issue to the normalized model. */
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

function issuePath(ref: ExternalRef): string {
  return `/projects/${encodeURIComponent(ref.scope)}/issues/${encodeURIComponent(ref.id)}`;
}

export function create__PASCAL__IssueTracking(client: __PASCAL__Client): Partial<Omit<IssueTrackingProvider, 'specificationVersion'>> {
  const map = (project: string, raw: __PASCAL__Issue) => map__PASCAL__Issue(project, raw, client.baseUrl);
  return {
    async listIssues(scope, options = {}) {
      // The vendor's keyset cursor is wrapped in our own opaque cursor, so a cursor from
      // elsewhere is refused (invalid_input) instead of silently restarting the listing.
      const after = options.cursor ? decodeCursor<{ v: 1; after: string }>(options.cursor, { provider: PROVIDER, operation: 'listIssues' }).after : undefined;
      const page = await client.request<{ data: __PASCAL__Issue[]; next_cursor: string | null }>(
        'listIssues', 'GET', `/projects/${encodeURIComponent(scope)}/issues`, {
          query: { limit: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE), cursor: after, updated_since: options.updatedSince },
          signal: options.signal,
        },
      );
      return {
        items: page.data.map((raw) => map(scope, raw)),
        nextCursor: page.next_cursor ? encodeCursor({ after: page.next_cursor }) : null,
      };
    },
    async getIssue(ref, options) {
      return map(ref.scope, await client.request<__PASCAL__Issue>('getIssue', 'GET', issuePath(ref), { signal: options?.signal }));
    },
    async createIssue(input, options) {
      const raw = await client.request<__PASCAL__Issue>('createIssue', 'POST', `/projects/${encodeURIComponent(input.scope)}/issues`, {
        body: { title: input.title, body: input.body ?? '', labels: input.labels ?? [], assignees: input.assignees ?? [] },
        // The vendor honours Idempotency-Key: a retried create returns the first result,
        // and the transport may then safely repeat the POST.
        headers: input.idempotencyKey ? { 'idempotency-key': input.idempotencyKey } : {},
        signal: options?.signal,
      });
      return map(input.scope, raw);
    },
    async updateIssue(ref, patch, options) {
      const body: Record<string, unknown> = {};
      if (patch.title !== undefined) body.title = patch.title;
      if (patch.body !== undefined) body.body = patch.body;
      if (patch.state !== undefined) body.state = patch.state;
      if (patch.labels !== undefined) body.labels = patch.labels;
      if (patch.assignees !== undefined) body.assignees = patch.assignees;
      return map(ref.scope, await client.request<__PASCAL__Issue>('updateIssue', 'PATCH', issuePath(ref), { body, signal: options?.signal }));
    },
    async closeIssue(ref, reason, options) {
      const body = { state: 'closed', close_reason: reason ?? 'completed' };
      return map(ref.scope, await client.request<__PASCAL__Issue>('closeIssue', 'PATCH', issuePath(ref), { body, signal: options?.signal }));
    },
  };
}
