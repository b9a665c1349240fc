import { json, type SeedIssue } from '@krate/contract-tests/kit';
import type { __PASCAL__Issue } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking-mapping.js';
import type { StoredIssue } from './__PROVIDER_TYPE__-fake-state.js';

/** Builders of the vendor's JSON objects, as its API documents them. */

/** A new issue as the vendor creates it. */
export function issueObject(options: {
  project: string;
  number: number;
  webUrl: string;
  now: string;
  input: SeedIssue & { close_reason?: __PASCAL__Issue['close_reason'] };
}): StoredIssue {
  const { project, number, webUrl, now, input } = options;
  return {
    id: `iss_${project}_${number}`,
    _project: project,
    number,
    title: input.title,
    body: input.body ?? '',
    state: input.state ?? 'open',
    close_reason: input.state === 'closed' ? (input.close_reason ?? 'completed') : null,
    labels: input.labels ?? [],
    assignees: input.assignees ?? [],
    url: `${webUrl}/${project}/issues/${number}`,
    created_at: input.createdAt ?? now,
    updated_at: input.updatedAt ?? now,
    closed_at: input.state === 'closed' ? now : null,
  };
}

/** An issue as the API shows it (without what only the fake keeps). */
export const publicIssue = ({ _project, ...issue }: StoredIssue): __PASCAL__Issue => issue;

/** The vendor's error body: `{ "error": { "code", "message" } }`. */
export function errorBody(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, { status, headers });
}

/** The vendor's error code for each status. */
export const STATUS_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 422: 'unprocessable',
};
