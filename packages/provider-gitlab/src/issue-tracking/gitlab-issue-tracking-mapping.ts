import {
  toRichText, type ExternalComment, type ExternalIssue, type ExternalIssueEvent, type ExternalLabel, type ExternalMilestone,
  type ExternalRef, type ExternalUser,
} from '@krate/core';
import { commentRefId } from '../shared/gitlab-scope.js';
import { envelope, projectApiUrl, projectWebUrl, type GitLabMapContext } from '../shared/gitlab-envelope.js';
import { stripMarker } from '../shared/gitlab-markers.js';
import { gitlabDate, gitlabTime } from '../shared/gitlab-time.js';

/** The fields of a GitLab issue the mappers read (REST `GET /projects/:id/issues/:iid`). */
export interface GlIssue {
  id: number;
  iid: number;
  project_id?: number;
  title: string;
  description?: string | null;
  state: string;
  labels?: Array<string | { name?: string; title?: string }>;
  assignees?: unknown[];
  author?: unknown;
  milestone?: { id?: number; title?: string } | null;
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  web_url?: string;
  moved_to_id?: number | null;
  closed_as_duplicate_of?: unknown;
  confidential?: boolean;
  issue_type?: string;
  type?: string;
  due_date?: string | null;
}

export interface GlNote {
  id: number;
  body: string;
  system?: boolean;
  author?: unknown;
  created_at: string;
  updated_at?: string;
  noteable_iid?: number;
  noteable_type?: string;
  internal?: boolean;
}

export interface GlLabel {
  id: number;
  name: string;
  color?: string;
  description?: string | null;
  is_project_label?: boolean;
}

export interface GlMilestone {
  id: number;
  iid?: number;
  title: string;
  description?: string | null;
  state: string;
  due_date?: string | null;
  created_at?: string;
  updated_at?: string;
  web_url?: string;
}

/**
 * A GitLab user as the contract's ExternalUser: id, username and name. Web URLs and
 * e-mails are left out because webhook payloads do not carry them (a private e-mail is
 * `[REDACTED]`), so a read and a delivery of the same object agree.
 */
export function mapUser(value: unknown): ExternalUser | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const u = value as Record<string, unknown>;
  const id = u.id ?? u.username;
  if (id === undefined || id === null) return undefined;
  const out: ExternalUser = { id: String(id) };
  if (typeof u.username === 'string') out.login = u.username;
  if (typeof u.name === 'string') out.name = u.name;
  return out;
}

function labelNames(labels: GlIssue['labels']): string[] {
  return (labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? l.title ?? ''))).filter((n) => n !== '');
}

/** `opened` -> open, `closed` -> closed. GitLab has no in-progress state (a label or a work item status shows it). */
export function issuePhase(state: string): 'open' | 'closed' {
  return state === 'closed' ? 'closed' : 'open';
}

/** The issue's web URL: GitLab's own `web_url`, else built from the project path. */
function issueUrl(ctx: GitLabMapContext, scope: string, issue: GlIssue): string {
  return issue.web_url ?? `${projectWebUrl(ctx, scope)}/-/issues/${issue.iid}`;
}

/** A GitLab issue (REST, or a webhook's issue rebuilt in the REST shape) as an ExternalIssue. */
export function mapIssue(ctx: GitLabMapContext, scope: string, issue: GlIssue): ExternalIssue {
  const createdAt = gitlabTime(issue.created_at) ?? new Date(0).toISOString();
  const updatedAt = gitlabTime(issue.updated_at) ?? createdAt;
  const phase = issuePhase(issue.state);
  const body = stripMarker(issue.description ?? '');
  const out: ExternalIssue = {
    ref: { scope, id: String(issue.iid) },
    external: envelope(ctx, {
      iface: 'issueTracking',
      nativeKind: issue.issue_type && issue.issue_type !== 'issue' ? issue.issue_type : 'issue',
      nativeId: issue.id,
      nativeNumber: issue.iid,
      url: issueUrl(ctx, scope, issue),
      apiUrl: `${projectApiUrl(ctx, scope)}/issues/${issue.iid}`,
      updatedAt,
      fields: {
        ...(issue.project_id !== undefined ? { projectId: issue.project_id } : {}),
        ...(issue.confidential !== undefined ? { confidential: issue.confidential } : {}),
        ...(issue.moved_to_id ? { movedToId: issue.moved_to_id } : {}),
        ...(issue.due_date ? { dueDate: issue.due_date } : {}),
      },
    }),
    title: issue.title,
    body: toRichText(body, { sourceFormat: 'gitlab-markdown', source: issue.description ?? '' }),
    phase,
    state: issue.state,
    labels: labelNames(issue.labels),
    assignees: (issue.assignees ?? []).map(mapUser).filter((u): u is ExternalUser => u !== undefined),
    createdAt,
    updatedAt,
  };
  const author = mapUser(issue.author);
  if (author) out.author = author;
  if (issue.milestone?.title) out.milestone = issue.milestone.title;
  if (phase === 'closed') {
    out.closeReason = issue.closed_as_duplicate_of ? 'duplicate' : 'completed';
    const closedAt = gitlabTime(issue.closed_at);
    if (closedAt) out.closedAt = closedAt;
  }
  return out;
}

/** A (non-system) note on an issue as an ExternalComment. */
export function mapNote(ctx: GitLabMapContext, issueRef: ExternalRef, note: GlNote): ExternalComment {
  const createdAt = gitlabTime(note.created_at) ?? new Date(0).toISOString();
  const updatedAt = gitlabTime(note.updated_at) ?? createdAt;
  const out: ExternalComment = {
    ref: { scope: issueRef.scope, id: commentRefId(issueRef.id, note.id) },
    external: envelope(ctx, {
      iface: 'issueTracking',
      nativeKind: 'note',
      nativeId: note.id,
      url: `${projectWebUrl(ctx, issueRef.scope)}/-/issues/${issueRef.id}#note_${note.id}`,
      apiUrl: `${projectApiUrl(ctx, issueRef.scope)}/issues/${issueRef.id}/notes/${note.id}`,
      updatedAt,
      fields: note.internal ? { internal: true } : {},
    }),
    issueRef,
    body: toRichText(stripMarker(note.body), { sourceFormat: 'gitlab-markdown', source: note.body }),
    createdAt,
    updatedAt,
  };
  const author = mapUser(note.author);
  if (author) out.author = author;
  return out;
}

/** Label colours are `#RRGGBB` on GitLab, six hex digits without `#` in the contract. Named colours are kept as they are. */
export function labelColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color.slice(1).toLowerCase() : color;
}

export function mapLabel(ctx: GitLabMapContext, scope: string, label: GlLabel): ExternalLabel {
  const out: ExternalLabel = {
    ref: { scope, id: String(label.id) },
    external: envelope(ctx, {
      iface: 'issueTracking',
      nativeKind: label.is_project_label === false ? 'group_label' : 'label',
      nativeId: label.id,
      url: `${projectWebUrl(ctx, scope)}/-/labels?search=${encodeURIComponent(label.name)}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/labels/${label.id}`,
      // Labels carry no timestamps: the version is a digest of what can change.
      sha: `${labelColor(label.color) ?? ''}:${label.description ?? ''}:${label.name}`,
      fields: { inherited: label.is_project_label === false },
    }),
    name: label.name,
  };
  const color = labelColor(label.color);
  if (color) out.color = color;
  if (label.description) out.description = label.description;
  return out;
}

export function mapMilestone(ctx: GitLabMapContext, scope: string, milestone: GlMilestone): ExternalMilestone {
  const out: ExternalMilestone = {
    ref: { scope, id: String(milestone.id) },
    external: envelope(ctx, {
      iface: 'issueTracking',
      nativeKind: 'milestone',
      nativeId: milestone.id,
      ...(milestone.iid !== undefined ? { nativeNumber: milestone.iid } : {}),
      url: milestone.web_url ?? `${projectWebUrl(ctx, scope)}/-/milestones/${milestone.iid ?? milestone.id}`,
      apiUrl: `${projectApiUrl(ctx, scope)}/milestones/${milestone.id}`,
      updatedAt: gitlabTime(milestone.updated_at) ?? gitlabTime(milestone.created_at) ?? new Date(0).toISOString(),
    }),
    title: milestone.title,
    state: milestone.state === 'closed' ? 'closed' : 'open',
  };
  if (milestone.description) out.description = milestone.description;
  const due = gitlabDate(milestone.due_date);
  if (due) out.dueOn = due;
  return out;
}

/**
 * What a system note says, as an event kind. GitLab writes its timeline as system notes
 * (`added ~bug label`, `assigned to @alice`, `closed`, `changed milestone to %v1`); the
 * text is in the instance's language, so unknown ones are `system_note`.
 */
export function systemNoteKind(body: string): string {
  const text = body.trim();
  const rules: Array<[RegExp, string]> = [
    [/^(added|removed|added .* and removed) .*labels?$/i, 'labeled'],
    [/^removed .*label/i, 'unlabeled'],
    [/^(assigned to|reassigned to)/i, 'assigned'],
    [/^unassigned/i, 'unassigned'],
    [/^(changed milestone|milestone)/i, 'milestoned'],
    [/^removed milestone/i, 'demilestoned'],
    [/^closed/i, 'closed'],
    [/^reopened/i, 'reopened'],
    [/^changed title/i, 'renamed'],
    [/^changed the description/i, 'edited'],
    [/^marked this issue as a duplicate/i, 'marked_as_duplicate'],
    [/^moved to/i, 'moved'],
    [/^mentioned in/i, 'cross_referenced'],
    [/^changed due date/i, 'due_date_changed'],
    [/^made the issue confidential/i, 'made_confidential'],
  ];
  for (const [pattern, kind] of rules) if (pattern.test(text)) return kind;
  return 'system_note';
}

/** A system note on an issue as an ExternalIssueEvent (the note's text is kept in details). */
export function mapSystemNote(ctx: GitLabMapContext, issueRef: ExternalRef, note: GlNote): ExternalIssueEvent {
  const createdAt = gitlabTime(note.created_at) ?? new Date(0).toISOString();
  const out: ExternalIssueEvent = {
    ref: { scope: issueRef.scope, id: commentRefId(issueRef.id, note.id) },
    external: envelope(ctx, {
      iface: 'issueTracking',
      nativeKind: 'system_note',
      nativeId: note.id,
      url: `${projectWebUrl(ctx, issueRef.scope)}/-/issues/${issueRef.id}#note_${note.id}`,
      updatedAt: createdAt,
    }),
    issueRef,
    kind: systemNoteKind(note.body),
    createdAt,
    details: { text: note.body },
  };
  const actor = mapUser(note.author);
  if (actor) out.actor = actor;
  return out;
}
