import { InvalidInputError, type ExternalRef } from '@krate/core';
import { PROVIDER } from '../jira-errors.js';

/** A Jira project key: an uppercase letter, then uppercase letters, digits or underscores. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;
/** An issue key: `PROJ-123`. */
const ISSUE_KEY = /^([A-Z][A-Z0-9_]{0,254})-(\d{1,18})$/;

/** Validates a project key scope (`PROJ`). */
export function parseProjectKey(scope: string, operation: string): string {
  const key = String(scope ?? '').trim();
  if (!PROJECT_KEY.test(key)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `"${key.slice(0, 60)}" is not a Jira project key (e.g. KRATE)` });
  }
  return key;
}

/** Validates an issue ref `{ scope: 'PROJ', id: 'PROJ-12' }` and returns the key. */
export function parseIssueRef(ref: ExternalRef, operation: string): string {
  const key = String(ref?.id ?? '').trim();
  if (!ISSUE_KEY.test(key)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `"${key.slice(0, 60)}" is not a Jira issue key (e.g. KRATE-12)` });
  }
  return key;
}

/** The project key of an issue key (`PROJ-12` -> `PROJ`). */
export function projectOfKey(key: string): string {
  return ISSUE_KEY.exec(key)?.[1] ?? key.replace(/-\d+$/, '');
}

/** Validates a ref whose scope is an issue key and whose id is numeric (comments, changelog entries). */
export function parseChildRef(ref: ExternalRef, what: string, operation: string): { issueKey: string; id: string } {
  const issueKey = String(ref?.scope ?? '').trim();
  const id = String(ref?.id ?? '').trim();
  if (!ISSUE_KEY.test(issueKey) || !/^\d{1,18}$/.test(id)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `a ${what} ref is { scope: issue key, id: numeric id }, got ${JSON.stringify({ scope: issueKey.slice(0, 40), id: id.slice(0, 40) })}` });
  }
  return { issueKey, id };
}

/** Quotes a value as a JQL string. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
