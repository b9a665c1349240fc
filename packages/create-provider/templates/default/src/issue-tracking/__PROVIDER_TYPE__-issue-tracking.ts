import { decodeCursor, encodeCursor, type ExternalRef, type IssueTrackingProvider } from '@krate/core';
import type { __PASCAL__Context } from '../__PROVIDER_TYPE__-context.js';
import { PROVIDER } from '../__PROVIDER_TYPE__-errors.js';
import { map__PASCAL__Issue, type __PASCAL__Issue } from './__PROVIDER_TYPE__-issue-tracking-mapping.js';

/** The vendor allows at most this many items per page. */
export const MAX_PAGE_SIZE = 100;

function issuePath(ref: ExternalRef): string {
  return `/projects/${encodeURIComponent(ref.scope)}/issues/${encodeURIComponent(ref.id)}`;
}

/** The issue tracking interface on the vendor's REST API. */
export function create__PASCAL__IssueTracking(client: __PASCAL__Context): Partial<Omit<IssueTrackingProvider, 'specificationVersion'>> {
  const map = (project: string, raw: __PASCAL__Issue) => map__PASCAL__Issue(project, raw, client.baseUrl);
  return {
    async listIssues(scope, options = {}) {
      // The vendor's keyset cursor is wrapped in our own opaque cursor, so a cursor from
      // elsewhere is refused (invalid_input) instead of silently restarting the listing.
      const after = options.cursor ? decodeCursor<{ v: 1; after: string }>(options.cursor, { provider: PROVIDER, operation: 'listIssues' }).after : undefined;
      const page = await client.request<{ data: __PASCAL__Issue[]; next_cursor: string | null }>(
        'listIssues', 'GET', `/projects/${encodeURIComponent(scope)}/issues`, {
          query: { limit: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE), cursor: after, updated_since: options.updatedSince === undefined ? undefined : new Date(options.updatedSince).toISOString() },
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
