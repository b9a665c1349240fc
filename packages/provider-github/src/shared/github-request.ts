import type { ExternalRef } from '@krate/core';
import type { RepoScope } from '../github-context.js';
import { parseNumericRef } from './github-scope.js';

/** What the git forge reads from an Octokit `RequestError` before the context maps it. */
export interface GitHubHttpFailure {
  status: number;
  message: string;
  /** GitHub's `errors` array of a 422 (each `{ resource, code, field, message }`). */
  errors: Array<Record<string, unknown>>;
}

/** The status, message and 422 details of a failed Octokit request, or undefined for other errors. */
export function httpFailure(error: unknown): GitHubHttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') return undefined;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const errors = Array.isArray(body.errors) ? body.errors.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  return { status, message: typeof body.message === 'string' ? body.message : '', errors };
}

/** All the text of a failure (message and every 422 detail message), for matching GitHub's wording. */
export function failureText(failure: GitHubHttpFailure): string {
  return [failure.message, ...failure.errors.map((e) => (typeof e.message === 'string' ? e.message : ''))].join(' ');
}

/** A pull request ref `{ scope: 'owner/repo', id: '<number>' }`. */
export function parsePullRef(ref: ExternalRef, operation: string): RepoScope & { pullNumber: number } {
  const { owner, repo, id } = parseNumericRef(ref, 'pull request', operation);
  return { owner, repo, pullNumber: id };
}

/** Octokit request options for an abort signal. */
export function withSignal(signal: AbortSignal | undefined): { request?: { signal: AbortSignal } } {
  return signal ? { request: { signal } } : {};
}

/** The ETag of an Octokit response. */
export function etagOf(response: { headers?: Record<string, unknown> }): string | undefined {
  const etag = response.headers?.etag;
  return typeof etag === 'string' ? etag : undefined;
}
