import { InvalidInputError, type ExternalRef } from '@krate/core';
import { PROVIDER } from '../gitlab-errors.js';

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/**
 * A project path (`group/sub/project`; groups nest) or a numeric project id. Namespace
 * and name split on the last `/`.
 */
export function parseProjectPath(scope: string, operation?: string): { path: string; namespace: string; name: string } {
  const path = String(scope).trim().replace(/^\/+|\/+$/g, '');
  const parts = path.split('/');
  if (/^\d+$/.test(path)) return { path, namespace: '', name: path };
  if (parts.length < 2 || !parts.every((p) => SEGMENT.test(p))) {
    throw new InvalidInputError({
      provider: PROVIDER, operation,
      message: `"${scope}" is not a GitLab project path (group/project, group/subgroup/project) or a numeric project id`,
    });
  }
  return { path, namespace: parts.slice(0, -1).join('/'), name: parts[parts.length - 1]! };
}

/** A group or user namespace path (`group`, `group/sub`). */
export function parseNamespacePath(scope: string, operation?: string): string {
  const path = String(scope).trim().replace(/^\/+|\/+$/g, '');
  if (!path || !path.split('/').every((p) => SEGMENT.test(p))) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `"${scope}" is not a GitLab group or user path` });
  }
  return path;
}

/** The positive integer id of a ref (`iid`, global id), or an `invalid_input` error. */
export function numericId(ref: ExternalRef, what: string, operation?: string): number {
  if (!/^\d{1,15}$/.test(ref.id)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `${what} ref id must be a number, got "${ref.id}"` });
  }
  return Number(ref.id);
}

/** Comment refs: `{ scope: project path, id: "<issue iid>#note_<note id>" }` (GitLab's own URL anchor). */
export function commentRefId(iid: number | string, noteId: number | string): string {
  return `${iid}#note_${noteId}`;
}

export function parseCommentRef(ref: ExternalRef, operation?: string): { iid: number; noteId: number } {
  const match = /^(\d{1,15})#note_(\d{1,15})$/.exec(ref.id);
  if (!match) throw new InvalidInputError({ provider: PROVIDER, operation, message: `comment ref id must be "<iid>#note_<id>", got "${ref.id}"` });
  return { iid: Number(match[1]), noteId: Number(match[2]) };
}

/** Commit-status (check) refs: `{ scope: project path, id: "<sha>:<name>" }`; an update posts a new status under the same name. */
export function checkRefId(sha: string, name: string): string {
  return `${sha}:${name}`;
}

export function parseCheckRef(ref: ExternalRef, operation?: string): { sha: string; name: string } {
  const match = /^([0-9a-fA-F]{7,64}):(.+)$/s.exec(ref.id);
  if (!match) throw new InvalidInputError({ provider: PROVIDER, operation, message: `check ref id must be "<sha>:<name>", got "${ref.id}"` });
  return { sha: match[1]!, name: match[2]! };
}

/** Artifact refs: `{ scope: project path, id: "<job id>:<file type>" }`. */
export function artifactRefId(jobId: number | string, fileType: string): string {
  return `${jobId}:${fileType}`;
}
