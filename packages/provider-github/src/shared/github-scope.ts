import { InvalidInputError, type ExternalRef } from '@krate/core';
import type { RepoScope } from '../github-context.js';
import { PROVIDER } from '../github-errors.js';

const NAME = /^[A-Za-z0-9_.-]+$/;

/** `owner/repo` -> `{ owner, repo }`; anything else is an `invalid_input` error. */
export function parseRepoScope(scope: string, operation?: string): RepoScope {
  const parts = typeof scope === 'string' ? scope.trim().split('/') : [];
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo || !NAME.test(owner) || !NAME.test(repo)) {
    throw new InvalidInputError({
      provider: PROVIDER,
      operation,
      message: `scope must be "owner/repo", got ${JSON.stringify(String(scope).slice(0, 100))}`,
    });
  }
  return { owner, repo };
}

/** An owner scope (org or user login); `invalid_input` otherwise. */
export function parseOwnerScope(scope: string, operation?: string): string {
  const owner = typeof scope === 'string' ? scope.trim() : '';
  if (!owner || !NAME.test(owner)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `scope must be an owner login, got ${JSON.stringify(String(scope).slice(0, 100))}` });
  }
  return owner;
}

/** A ref whose id is a positive integer (issue number, comment id): `{ owner, repo, id }`. */
export function parseNumericRef(ref: ExternalRef, what: string, operation?: string): RepoScope & { id: number } {
  const scope = parseRepoScope(ref.scope, operation);
  const id = /^\d+$/.test(ref.id) ? Number(ref.id) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `${what} id must be a positive number, got ${JSON.stringify(ref.id.slice(0, 100))}` });
  }
  return { ...scope, id };
}
