import { InvalidInputError, type ExternalRef, type ProviderError } from '@krate/core';
import type { RepoScope } from '../github-context.js';
import { PROVIDER } from '../github-errors.js';
import { parseOwnerScope, parseRepoScope } from '../shared/github-scope.js';

export { parseRepoScope };

/** `owner/repo` split into its parts. */
export type GitHubRepoScope = RepoScope;

/** Where self-hosted runners live: an organization or one repository. */
export type GitHubRunnerScope = { kind: 'org'; org: string } | { kind: 'repo'; owner: string; repo: string };

function invalid(operation: string, message: string): ProviderError {
  return new InvalidInputError({ provider: PROVIDER, operation, message });
}

/** `octo-org` -> an organization; `owner/repo` -> a repository. */
export function parseRunnerScope(scope: string, operation: string): GitHubRunnerScope {
  const text = typeof scope === 'string' ? scope.trim() : '';
  if (!text.includes('/')) return { kind: 'org', org: parseOwnerScope(text, operation) };
  const { owner, repo } = parseRepoScope(text, operation);
  return { kind: 'repo', owner, repo };
}

/** The numeric id of a ref (`{ id: '42' }`), or an `invalid_input` error naming what it should be. */
export function parseNumericId(ref: ExternalRef, what: string, operation: string): number {
  const id = typeof ref?.id === 'string' ? ref.id.trim() : '';
  if (!/^[1-9]\d{0,18}$/.test(id)) throw invalid(operation, `${what} ref id must be a numeric GitHub id, got "${String(ref?.id)}"`);
  const value = Number(id);
  if (!Number.isSafeInteger(value)) throw invalid(operation, `${what} ref id ${id} is out of range`);
  return value;
}

/** A check ref id: a check run (`check-run:<id>`) or a commit status (`status:<sha>:<context>`). */
export type GitHubCheckId = { kind: 'check-run'; id: number } | { kind: 'commit-status'; sha: string; context: string };

/** Parses a check ref id; anything else is an `invalid_input` error. */
export function parseCheckId(ref: ExternalRef, operation: string): GitHubCheckId {
  const id = typeof ref?.id === 'string' ? ref.id : '';
  const run = /^check-run:([1-9]\d{0,18})$/.exec(id);
  if (run?.[1]) return { kind: 'check-run', id: Number(run[1]) };
  const status = /^status:([0-9a-fA-F]{7,64}):(.+)$/s.exec(id);
  if (status?.[1] && status[2]) return { kind: 'commit-status', sha: status[1].toLowerCase(), context: status[2] };
  throw invalid(operation, `check ref id must be "check-run:<id>" or "status:<sha>:<context>", got "${id}"`);
}

/** The ref id of a check run. */
export function checkRunRefId(id: number | string): string {
  return `check-run:${String(id)}`;
}

/** The ref id of a commit status: one per commit and context (GitHub keeps the latest per context). */
export function commitStatusRefId(sha: string, context: string): string {
  return `status:${sha.toLowerCase()}:${context}`;
}

/** `owner/repo` from a GitHub API URL (`.../repos/{owner}/{repo}/...`), or undefined. */
export function scopeFromApiUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const match = /\/repos\/([^/?#]+)\/([^/?#]+)(?:[/?#]|$)/.exec(url);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`;
  } catch {
    return undefined;
  }
}
