import { createHash } from 'node:crypto';
import {
  toRichText,
  type ExternalComment,
  type ExternalIssue,
  type ExternalIssueEvent,
  type ExternalLabel,
  type ExternalMilestone,
  type ExternalRef,
  type ExternalUser,
  type IssueCloseReason,
} from '@krate/core';
import { isoTime, mapGitHubUser, repoScopeFromUrl } from '../shared/github-mapping.js';
import type { GitHubMappingContext } from '../github-context.js';
import { readIdempotencyMarker, stripIdempotencyMarker } from '../shared/github-idempotency.js';

export type { GitHubMappingContext };

/** Facts a mapper cannot always read from the raw object. */
export interface IssueTrackingMapExtra {
  /** The response ETag (`external.version.etag`). */
  etag?: string | undefined;
  /** `owner/repo`, where the raw object does not name its repository (labels in webhooks, GraphQL nodes). */
  scope?: string | undefined;
  /** The issue number, for events listed below an issue. */
  issueNumber?: number | undefined;
}

type Raw = Record<string, unknown>;
type EnvelopeRaw = Parameters<GitHubMappingContext['envelope']>[2];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

/** A weak ETag-style digest of an object's content, for objects GitHub gives no version. */
function contentVersion(parts: unknown[]): string {
  return `W/"${createHash('sha1').update(JSON.stringify(parts)).digest('hex')}"`;
}

function scopeOf(raw: Raw, extra: IssueTrackingMapExtra, ...urls: unknown[]): string {
  const scope =
    extra.scope ??
    urls.map(repoScopeFromUrl).find((s) => s !== undefined) ??
    str(obj(raw.repository)?.full_name);
  if (!scope) throw new TypeError('cannot tell the repository of this object: pass extra.scope');
  return scope;
}

function users(value: unknown): ExternalUser[] {
  if (!Array.isArray(value)) return [];
  return value.map(mapGitHubUser).filter((u): u is ExternalUser => u !== undefined);
}

function closeReason(value: unknown): IssueCloseReason | undefined {
  return value === 'completed' || value === 'not_planned' || value === 'duplicate' ? value : undefined;
}

function envelopeRaw(raw: Raw, updatedAt?: string): EnvelopeRaw {
  const id = raw.id ?? raw.node_id;
  return {
    id: typeof id === 'number' || typeof id === 'string' ? id : undefined,
    node_id: str(raw.node_id),
    html_url: str(raw.html_url) ?? null,
    url: str(raw.url),
    updated_at: updatedAt ?? isoTime(raw.updated_at) ?? null,
    number: typeof raw.number === 'number' ? raw.number : undefined,
  };
}

/**
 * A GitHub issue (REST `issue`, webhook `issue`, or a GraphQL node converted to the
 * REST shape). A pull request's issue row maps to an issue with `pullRequestRef` set:
 * GitHub shares one number space between the two, and the pull request is the work item.
 */
export function mapIssue(m: GitHubMappingContext, raw: Raw, extra: IssueTrackingMapExtra = {}): ExternalIssue {
  const scope = scopeOf(raw, extra, raw.repository_url, raw.url);
  const number = Number(raw.number);
  const createdAt = isoTime(raw.created_at) ?? new Date(0).toISOString();
  const updatedAt = isoTime(raw.updated_at) ?? createdAt;
  const closedAt = isoTime(raw.closed_at);
  const state = str(raw.state) ?? 'open';
  const milestone = obj(raw.milestone);
  const author = mapGitHubUser(raw.user);
  const reason = closeReason(raw.state_reason);
  const labels = Array.isArray(raw.labels)
    ? raw.labels.map((l) => (typeof l === 'string' ? l : str(obj(l)?.name))).filter((n): n is string => typeof n === 'string' && n !== '')
    : [];
  const pullRequest = obj(raw.pull_request);
  const ref: ExternalRef = { scope, id: String(number) };
  const issue: ExternalIssue = {
    ref,
    external: m.envelope('issueTracking', 'issue', envelopeRaw(raw, updatedAt), {
      etag: extra.etag,
      fields: defined({
        stateReason: str(raw.state_reason),
        locked: typeof raw.locked === 'boolean' ? raw.locked : undefined,
        activeLockReason: str(raw.active_lock_reason),
        comments: typeof raw.comments === 'number' ? raw.comments : undefined,
        authorAssociation: str(raw.author_association),
        milestoneNumber: typeof milestone?.number === 'number' ? milestone.number : undefined,
        closedBy: str(obj(raw.closed_by)?.login),
        idempotencyKey: readIdempotencyMarker(raw.body),
        pullRequestUrl: str(pullRequest?.html_url),
        draft: typeof raw.draft === 'boolean' ? raw.draft : undefined,
      }),
    }),
    title: str(raw.title) ?? '',
    body: toRichText(stripIdempotencyMarker(raw.body)),
    phase: state === 'closed' ? 'closed' : 'open',
    state,
    labels,
    assignees: users(raw.assignees ?? (raw.assignee ? [raw.assignee] : [])),
    createdAt,
    updatedAt,
  };
  if (reason && state === 'closed') issue.closeReason = reason;
  if (author) issue.author = author;
  if (milestone && typeof milestone.title === 'string') issue.milestone = milestone.title;
  if (pullRequest) issue.pullRequestRef = { scope, id: String(number) };
  if (closedAt) issue.closedAt = closedAt;
  return issue;
}

/** An issue comment (REST `issue-comment`, webhook `comment`). Its issue comes from `issue_url`. */
export function mapComment(m: GitHubMappingContext, raw: Raw, extra: IssueTrackingMapExtra = {}): ExternalComment {
  const scope = scopeOf(raw, extra, raw.issue_url, raw.url);
  const issueNumber = /\/issues\/(\d+)(?:[/?#]|$)/.exec(str(raw.issue_url) ?? '')?.[1] ?? (extra.issueNumber !== undefined ? String(extra.issueNumber) : '0');
  const createdAt = isoTime(raw.created_at) ?? new Date(0).toISOString();
  const updatedAt = isoTime(raw.updated_at) ?? createdAt;
  const author = mapGitHubUser(raw.user);
  const comment: ExternalComment = {
    ref: { scope, id: String(raw.id) },
    external: m.envelope('issueTracking', 'issue_comment', envelopeRaw(raw, updatedAt), {
      etag: extra.etag,
      fields: defined({
        authorAssociation: str(raw.author_association),
        idempotencyKey: readIdempotencyMarker(raw.body),
      }),
    }),
    issueRef: { scope, id: issueNumber },
    body: toRichText(stripIdempotencyMarker(raw.body)),
    createdAt,
    updatedAt,
  };
  if (author) comment.author = author;
  return comment;
}

/** A repository label. Its ref id is the name (GitHub addresses labels by name). */
export function mapLabel(m: GitHubMappingContext, raw: Raw, extra: IssueTrackingMapExtra = {}): ExternalLabel {
  const scope = scopeOf(raw, extra, raw.url);
  const name = str(raw.name) ?? '';
  const label: ExternalLabel = {
    ref: { scope, id: name },
    external: m.envelope('issueTracking', 'label', { ...envelopeRaw(raw), html_url: `${m.webBaseUrl}/${scope}/labels/${encodeURIComponent(name)}` }, {
      // Labels carry no timestamps: without a response ETag the version is a digest of what a label holds.
      etag: extra.etag ?? contentVersion([name, raw.color, raw.description]),
      fields: defined({ default: typeof raw.default === 'boolean' ? raw.default : undefined }),
    }),
    name,
  };
  if (typeof raw.color === 'string' && raw.color !== '') label.color = raw.color.toLowerCase();
  if (typeof raw.description === 'string' && raw.description !== '') label.description = raw.description;
  return label;
}

/** A milestone. Its ref id is the milestone number. */
export function mapMilestone(m: GitHubMappingContext, raw: Raw, extra: IssueTrackingMapExtra = {}): ExternalMilestone {
  const scope = scopeOf(raw, extra, raw.url);
  const milestone: ExternalMilestone = {
    ref: { scope, id: String(raw.number) },
    external: m.envelope('issueTracking', 'milestone', envelopeRaw(raw), {
      etag: extra.etag,
      fields: defined({
        openIssues: typeof raw.open_issues === 'number' ? raw.open_issues : undefined,
        closedIssues: typeof raw.closed_issues === 'number' ? raw.closed_issues : undefined,
        closedAt: isoTime(raw.closed_at),
        createdAt: isoTime(raw.created_at),
        creator: str(obj(raw.creator)?.login),
      }),
    }),
    title: str(raw.title) ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
  };
  if (typeof raw.description === 'string' && raw.description !== '') milestone.description = raw.description;
  const dueOn = isoTime(raw.due_on);
  if (dueOn) milestone.dueOn = dueOn;
  return milestone;
}

/** An issue event (`GET /repos/{owner}/{repo}/issues/{number}/events`). */
export function mapIssueEvent(m: GitHubMappingContext, raw: Raw, extra: IssueTrackingMapExtra = {}): ExternalIssueEvent {
  const issue = obj(raw.issue);
  const scope = scopeOf(raw, extra, issue?.repository_url, raw.url);
  const number = typeof issue?.number === 'number' ? issue.number : extra.issueNumber;
  const createdAt = isoTime(raw.created_at) ?? new Date(0).toISOString();
  const actor = mapGitHubUser(raw.actor);
  const label = obj(raw.label);
  const rename = obj(raw.rename);
  const milestone = obj(raw.milestone);
  const htmlUrl = str(raw.html_url) ?? str(issue?.html_url) ?? `${m.webBaseUrl}/${scope}/issues/${String(number ?? 0)}`;
  const event: ExternalIssueEvent = {
    ref: { scope, id: String(raw.id ?? raw.node_id) },
    external: m.envelope(
      'issueTracking',
      'issue_event',
      { ...envelopeRaw(raw), html_url: `${htmlUrl}#event-${String(raw.id ?? '')}`, updated_at: createdAt },
      { etag: extra.etag },
    ),
    issueRef: { scope, id: String(number ?? 0) },
    kind: str(raw.event) ?? 'unknown',
    createdAt,
    details: defined({
      label: label ? defined({ name: str(label.name), color: str(label.color) }) : undefined,
      assignee: str(obj(raw.assignee)?.login),
      assigner: str(obj(raw.assigner)?.login),
      milestone: str(milestone?.title),
      rename: rename ? { from: str(rename.from), to: str(rename.to) } : undefined,
      commitId: str(raw.commit_id),
      stateReason: str(raw.state_reason),
      lockReason: str(raw.lock_reason),
    }),
  };
  if (actor) event.actor = actor;
  return event;
}
