import type { ExternalUser } from '@krate/core';

/**
 * Mapping helpers every interface of the GitHub provider uses: times, users and the
 * repository a REST URL names.
 */

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Webhook payloads give some times as Unix seconds (push `repository.created_at`); REST gives ISO strings. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString().replace(/\.000Z$/, 'Z');
  if (typeof value === 'string' && value.length > 0 && !Number.isNaN(Date.parse(value))) return value;
  return undefined;
}

/** A GitHub user object as an ExternalUser. */
export function mapGitHubUser(raw: unknown): ExternalUser | undefined {
  const user = obj(raw);
  if (!user || user.id === undefined || user.id === null) return undefined;
  return {
    id: String(user.id),
    ...(str(user.login) !== undefined ? { login: str(user.login) } : {}),
    ...(str(user.name) ? { name: str(user.name) } : {}),
    ...(str(user.email) ? { email: str(user.email) } : {}),
    ...(str(user.html_url) ? { url: str(user.html_url) } : {}),
  };
}

/** `owner/repo` out of a REST URL (`.../repos/{owner}/{repo}/...`), or undefined. */
export function repoScopeFromUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const match = /\/repos\/([^/]+)\/([^/?#]+)/.exec(url);
  return match ? `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}` : undefined;
}
