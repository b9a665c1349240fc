import type { ExternalComment, ExternalIssue, ExternalSyncEvent } from '@krate/core';
import type { JiraContext } from '../jira-context.js';
import { JiraHttpFailure } from '../jira-errors.js';
import {
  ISSUE_FIELDS, issueFieldList, mapComment, mapIssue, mapIssueEvent,
} from '../issue-tracking/jira-issue-tracking-mapping.js';
import { isAdfDoc } from '../shared/jira-adf.js';
import { projectOfKey } from '../shared/jira-refs.js';

type Raw = Record<string, any>;

function occurredAt(body: Raw): string | undefined {
  return typeof body.timestamp === 'number' ? new Date(body.timestamp).toISOString() : undefined;
}

/**
 * Whether a webhook's issue can be mapped as it is: it must carry every field a REST read
 * asks for, with the description as ADF (or none). Admin webhooks use the REST v2 shape
 * (wiki markup) and can be thin (`id`, `key`, `self` only): those are read again through v3.
 */
export function isCompleteV3Issue(issue: Raw | undefined, sprintField?: string): boolean {
  const fields = issue?.fields;
  if (!fields || typeof fields !== 'object') return false;
  if (!ISSUE_FIELDS.every((f) => f in fields)) return false;
  if (sprintField && !(sprintField in fields)) return false;
  return fields.description === null || isAdfDoc(fields.description);
}

function isNotFound(error: unknown): boolean {
  return error instanceof JiraHttpFailure && error.failure.status === 404;
}

async function hydrateIssue(ctx: JiraContext, issue: Raw, sprintField: string | undefined): Promise<Raw | undefined> {
  if (isCompleteV3Issue(issue, sprintField)) return issue;
  const id = String(issue.id ?? issue.key ?? '');
  try {
    const { data } = await ctx.request<Raw>({ path: `/rest/api/3/issue/${encodeURIComponent(id)}`, query: { fields: issueFieldList(sprintField) } });
    return data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The previous key of an issue from a changelog that moved it (`Key` item). */
function movedFrom(changelog: Raw | undefined): string | undefined {
  const items: Raw[] = Array.isArray(changelog?.items) ? changelog.items : [];
  const item = items.find((i) => String(i.field ?? '').toLowerCase() === 'key');
  return typeof item?.fromString === 'string' ? item.fromString : undefined;
}

/**
 * A delivery's body -> sync events, through the REST mappers (after reading thin or
 * wiki-markup bodies again through v3), so a delivery and a read of the same object agree.
 * The changelog of an issue update is an `issueEvent` too.
 */
export async function normalizeJiraEvent(ctx: JiraContext, event: string, body: Raw): Promise<ExternalSyncEvent[]> {
  const at = occurredAt(body);
  const base = (extra: Partial<ExternalSyncEvent>) => ({ interface: 'issueTracking' as const, ...(at ? { occurredAt: at } : {}), ...extra }) as ExternalSyncEvent;
  const issue: Raw | undefined = body.issue && typeof body.issue === 'object' ? body.issue : undefined;
  const issueKey = typeof issue?.key === 'string' ? issue.key : undefined;
  switch (event) {
    case 'jira:issue_created':
    case 'jira:issue_updated': {
      if (!issue || !issueKey) return [];
      const sprintField = await ctx.sprintField();
      const full = await hydrateIssue(ctx, issue, sprintField);
      if (!full) return [base({ kind: 'issue', ref: { scope: projectOfKey(issueKey), id: issueKey }, change: 'deleted' })];
      const from = movedFrom(body.changelog);
      const mapped: ExternalIssue = mapIssue(ctx, full, { ...(from ? { requestedKey: from } : {}), sprintField });
      const events = [base({ kind: 'issue', ref: mapped.ref, change: 'upserted', object: mapped })];
      const changelog = body.changelog;
      if (changelog && Array.isArray(changelog.items) && changelog.id !== undefined) {
        const history = { id: changelog.id, author: body.user, created: at ?? mapped.updatedAt, items: changelog.items };
        const issueEvent = mapIssueEvent(ctx, history, mapped.ref);
        events.push(base({ kind: 'issueEvent', ref: issueEvent.ref, change: 'upserted', object: issueEvent }));
      }
      return events;
    }
    case 'jira:issue_deleted': {
      if (!issueKey) return [];
      const project = typeof issue?.fields?.project?.key === 'string' ? issue.fields.project.key : projectOfKey(issueKey);
      return [base({ kind: 'issue', ref: { scope: project, id: issueKey }, change: 'deleted' })];
    }
    case 'comment_created':
    case 'comment_updated':
    case 'comment_deleted': {
      const comment: Raw | undefined = body.comment;
      if (!comment || comment.id === undefined) return [];
      // The issue of a comment event: in the body (key), else from the comment's self link (issue id).
      let key = issueKey;
      const issueId = issue?.id ?? /\/issue\/([^/]+)\/comment\//.exec(String(comment.self ?? ''))?.[1];
      if (!key && issueId !== undefined) {
        const full = await hydrateIssue(ctx, { id: issueId }, undefined);
        key = typeof full?.key === 'string' ? full.key : undefined;
      }
      if (!key) return [];
      const issueRef = { scope: projectOfKey(key), id: key };
      const ref = { scope: key, id: String(comment.id) };
      if (event === 'comment_deleted') return [base({ kind: 'comment', ref, change: 'deleted' })];
      let raw: Raw | undefined = comment;
      if (!isAdfDoc(comment.body)) {
        try {
          raw = (await ctx.request<Raw>({ path: `/rest/api/3/issue/${encodeURIComponent(key)}/comment/${encodeURIComponent(String(comment.id))}` })).data;
        } catch (error) {
          if (!isNotFound(error)) throw error;
          raw = undefined;
        }
      }
      if (!raw) return [base({ kind: 'comment', ref, change: 'deleted' })];
      const mapped: ExternalComment = mapComment(ctx, raw, issueRef);
      return [base({ kind: 'comment', ref: mapped.ref, change: 'upserted', object: mapped })];
    }
    default:
      return [];
  }
}
