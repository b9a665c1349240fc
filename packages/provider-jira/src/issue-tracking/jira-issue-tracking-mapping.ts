import { createHash } from 'node:crypto';
import type {
  ExternalComment, ExternalEnvelope, ExternalIssue, ExternalIssueEvent, ExternalLabel, ExternalMilestone, ExternalRef, ExternalUser,
  IssueCloseReason, IssuePhase,
} from '@krate/core';
import type { JiraConfig } from '../jira-config.js';
import { adfRichText } from '../shared/jira-rich-text.js';
import { projectOfKey } from '../shared/jira-refs.js';
import { jiraTimeToIso } from '../shared/jira-time.js';

type Raw = Record<string, any>;

/** What the mappers need: envelopes, the site for browse links, the resolution names. No network. */
export interface JiraMappingContext {
  readonly webBaseUrl: string;
  readonly config: Pick<JiraConfig, 'resolutions'>;
  envelope(nativeKind: string, raw: { id: string; url?: string; apiUrl?: string; updatedAt?: string; etag?: string; number?: number }, fields?: Record<string, unknown>): ExternalEnvelope;
}

/** Labels the provider adds to carry an idempotency key; never shown as the issue's labels. */
export const IDEMPOTENCY_LABEL_PREFIX = 'krate-idem-';

/** The label that carries an idempotency key (a digest: labels cannot hold spaces). */
export function idempotencyLabel(key: string): string {
  return `${IDEMPOTENCY_LABEL_PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 24)}`;
}

/** The fields every issue read asks for (`/search/jql` returns only `id` unless told). */
export const ISSUE_FIELDS = [
  'summary', 'description', 'status', 'resolution', 'resolutiondate', 'labels', 'assignee', 'reporter', 'fixVersions',
  'created', 'updated', 'project', 'issuetype',
] as const;

/** Phase from `status.statusCategory.key`: new -> open, indeterminate -> in_progress, done -> closed; no category -> open. */
export function phaseOfStatus(status: Raw | null | undefined): IssuePhase {
  const key = status?.statusCategory?.key;
  if (key === 'done') return 'closed';
  if (key === 'indeterminate') return 'in_progress';
  return 'open';
}

/** The close reason of a resolution name, by the configured names (case-insensitive); unknown names are `completed`. */
export function closeReasonOf(resolution: string | undefined, resolutions: JiraConfig['resolutions']): IssueCloseReason | undefined {
  if (!resolution) return undefined;
  const folded = resolution.toLowerCase();
  for (const reason of ['not_planned', 'duplicate', 'completed'] as const) {
    if (resolutions[reason].some((n) => n.toLowerCase() === folded)) return reason;
  }
  return 'completed';
}

/** A Jira user (`accountId`, `displayName`, `emailAddress` when privacy settings show it). */
export function mapUser(raw: Raw | null | undefined): ExternalUser | undefined {
  if (!raw || typeof raw !== 'object' || !raw.accountId) return undefined;
  const user: ExternalUser = { id: String(raw.accountId) };
  if (typeof raw.displayName === 'string') user.name = raw.displayName;
  if (typeof raw.emailAddress === 'string' && raw.emailAddress !== '') user.email = raw.emailAddress;
  return user;
}

function etagOf(parts: unknown[]): string {
  return `W/"${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}"`;
}

/**
 * A Jira issue (REST v3, with ISSUE_FIELDS) as an ExternalIssue. The ref is
 * `{ scope: project key, id: issue key }`, `nativeId` the numeric id. When the key
 * differs from the one asked for (the issue moved project), `extensions.fields.movedFrom`
 * holds the old key: hosts re-key by `nativeId`.
 */
export function mapIssue(ctx: JiraMappingContext, raw: Raw, options: { requestedKey?: string; sprintField?: string | undefined } = {}): ExternalIssue {
  const f: Raw = raw.fields ?? {};
  const key = String(raw.key);
  const project = typeof f.project?.key === 'string' ? f.project.key : projectOfKey(key);
  const body = adfRichText(f.description);
  const allLabels: string[] = Array.isArray(f.labels) ? f.labels.map(String) : [];
  const resolution = typeof f.resolution?.name === 'string' ? f.resolution.name : undefined;
  const phase = phaseOfStatus(f.status);
  const updatedAt = jiraTimeToIso(f.updated) ?? jiraTimeToIso(f.created) ?? new Date(0).toISOString();
  const fields: Record<string, unknown> = {
    key,
    statusCategory: f.status?.statusCategory?.key ?? null,
    issueType: f.issuetype?.name ?? null,
  };
  if (f.status?.id !== undefined) fields.statusId = String(f.status.id);
  if (resolution) fields.resolution = resolution;
  if (body.lossy) fields.descriptionAdf = f.description;
  if (options.requestedKey && options.requestedKey !== key) fields.movedFrom = options.requestedKey;
  const issue: ExternalIssue = {
    ref: { scope: project, id: key },
    external: ctx.envelope('Issue', { id: String(raw.id), url: `${ctx.webBaseUrl}/browse/${key}`, apiUrl: typeof raw.self === 'string' ? raw.self : undefined, updatedAt }, fields),
    title: typeof f.summary === 'string' ? f.summary : '',
    body: body.text,
    phase,
    state: typeof f.status?.name === 'string' ? f.status.name : 'Unknown',
    labels: allLabels.filter((l) => !l.startsWith(IDEMPOTENCY_LABEL_PREFIX)),
    assignees: [mapUser(f.assignee)].filter((u): u is ExternalUser => u !== undefined),
    createdAt: jiraTimeToIso(f.created) ?? updatedAt,
    updatedAt,
  };
  const author = mapUser(f.reporter);
  if (author) issue.author = author;
  const reason = phase === 'closed' ? closeReasonOf(resolution, ctx.config.resolutions) ?? 'completed' : undefined;
  if (reason) issue.closeReason = reason;
  if (options.sprintField) {
    // Milestones are sprints: the active sprint of the issue, else its latest one.
    const sprints: Raw[] = Array.isArray(f[options.sprintField]) ? f[options.sprintField] : [];
    const current = sprints.find((s) => s?.state === 'active') ?? sprints[sprints.length - 1];
    if (current && typeof current.name === 'string') {
      issue.milestone = current.name;
      fields.sprintId = String(current.id);
    }
  } else {
    const versions: Raw[] = Array.isArray(f.fixVersions) ? f.fixVersions : [];
    if (versions.length > 0 && typeof versions[0]!.name === 'string') issue.milestone = versions[0]!.name;
  }
  const closedAt = phase === 'closed' ? jiraTimeToIso(f.resolutiondate) : undefined;
  if (closedAt) issue.closedAt = closedAt;
  return issue;
}

/** A comment (REST v3: ADF body) as an ExternalComment; ref `{ scope: issue key, id: comment id }`. */
export function mapComment(ctx: JiraMappingContext, raw: Raw, issueRef: ExternalRef): ExternalComment {
  const body = adfRichText(raw.body);
  const updatedAt = jiraTimeToIso(raw.updated) ?? jiraTimeToIso(raw.created) ?? new Date(0).toISOString();
  const fields: Record<string, unknown> = {};
  if (body.lossy) fields.bodyAdf = raw.body;
  const comment: ExternalComment = {
    ref: { scope: issueRef.id, id: String(raw.id) },
    external: ctx.envelope(
      'Comment',
      { id: String(raw.id), url: `${ctx.webBaseUrl}/browse/${issueRef.id}?focusedCommentId=${String(raw.id)}`, apiUrl: typeof raw.self === 'string' ? raw.self : undefined, updatedAt },
      fields,
    ),
    issueRef,
    body: body.text,
    createdAt: jiraTimeToIso(raw.created) ?? updatedAt,
    updatedAt,
  };
  const author = mapUser(raw.author);
  if (author) comment.author = author;
  return comment;
}

/**
 * A label. Jira labels are global strings, with no colour, description, id or time:
 * the name is the whole label, so its version tag is a digest of the name. The ref's
 * scope is the scope the listing was asked for (labels are shared by every project).
 */
export function mapLabel(ctx: JiraMappingContext, name: string, scope: string): ExternalLabel {
  return {
    ref: { scope, id: name },
    external: ctx.envelope('Label', { id: name, url: `${ctx.webBaseUrl}/issues/?jql=${encodeURIComponent(`labels = "${name}"`)}`, etag: etagOf(['label', name]) }),
    name,
  };
}

/** A fix version as a milestone (`released` -> closed; `releaseDate` -> dueOn). */
export function mapMilestone(ctx: JiraMappingContext, raw: Raw, projectKey: string): ExternalMilestone {
  const milestone: ExternalMilestone = {
    ref: { scope: projectKey, id: String(raw.id) },
    external: ctx.envelope(
      'Version',
      {
        id: String(raw.id),
        url: `${ctx.webBaseUrl}/projects/${projectKey}/versions/${String(raw.id)}`,
        apiUrl: typeof raw.self === 'string' ? raw.self : undefined,
        etag: etagOf([raw.name, raw.description, raw.released, raw.archived, raw.releaseDate]),
      },
      { archived: raw.archived === true, released: raw.released === true },
    ),
    title: String(raw.name ?? ''),
    state: raw.released === true || raw.archived === true ? 'closed' : 'open',
  };
  if (typeof raw.description === 'string' && raw.description !== '') milestone.description = raw.description;
  if (typeof raw.releaseDate === 'string' && raw.releaseDate !== '') milestone.dueOn = `${raw.releaseDate}T00:00:00.000Z`;
  return milestone;
}

/** The fields an issue read asks for: ISSUE_FIELDS, and the Sprint field when milestones are sprints. */
export function issueFieldList(sprintField: string | undefined): string {
  return sprintField ? `${ISSUE_FIELDS.join(',')},${sprintField}` : ISSUE_FIELDS.join(',');
}

/** A sprint of a Scrum board as a milestone (`closed` -> closed; `endDate` -> dueOn; `goal` -> description). */
export function mapSprint(ctx: JiraMappingContext, raw: Raw, projectKey: string): ExternalMilestone {
  const milestone: ExternalMilestone = {
    ref: { scope: projectKey, id: String(raw.id) },
    external: ctx.envelope(
      'Sprint',
      {
        id: String(raw.id),
        url: `${ctx.webBaseUrl}/jira/software/projects/${projectKey}/boards/${String(raw.originBoardId ?? '')}`,
        apiUrl: typeof raw.self === 'string' ? raw.self : undefined,
        etag: etagOf([raw.name, raw.goal, raw.state, raw.startDate, raw.endDate, raw.completeDate]),
      },
      { sprintState: raw.state ?? null, boardId: raw.originBoardId ?? null },
    ),
    title: String(raw.name ?? ''),
    state: raw.state === 'closed' ? 'closed' : 'open',
  };
  if (typeof raw.goal === 'string' && raw.goal !== '') milestone.description = raw.goal;
  const due = jiraTimeToIso(raw.endDate);
  if (due) milestone.dueOn = due;
  return milestone;
}

/** The event kind of one changelog item (`status` -> transitioned, `labels` -> labeled/unlabeled, ...). */
export function eventKindOf(item: Raw): string {
  const field = String(item.fieldId ?? item.field ?? '').toLowerCase();
  switch (field) {
    case 'status': return 'transitioned';
    case 'resolution': return item.to ? 'resolved' : 'unresolved';
    case 'assignee': return item.to ? 'assigned' : 'unassigned';
    case 'labels': {
      const before = new Set(String(item.fromString ?? '').split(/\s+/).filter(Boolean));
      const after = String(item.toString ?? '').split(/\s+/).filter(Boolean);
      return after.some((l) => !before.has(l)) || after.length >= before.size ? 'labeled' : 'unlabeled';
    }
    case 'fixversions':
    case 'fix version': return item.to ? 'milestoned' : 'demilestoned';
    case 'summary': return 'renamed';
    case 'description': return 'edited';
    case 'key':
    case 'issuekey':
    case 'project': return 'moved';
    default: return `changed:${field || 'unknown'}`;
  }
}

/**
 * One changelog history entry as an issue event: the kind from its first item, every
 * item (field, from, to) in `details.items`. Ref `{ scope: issue key, id: history id }`.
 */
export function mapIssueEvent(ctx: JiraMappingContext, raw: Raw, issueRef: ExternalRef): ExternalIssueEvent {
  const items: Raw[] = Array.isArray(raw.items) ? raw.items : [];
  const createdAt = jiraTimeToIso(raw.created) ?? new Date(0).toISOString();
  const event: ExternalIssueEvent = {
    ref: { scope: issueRef.id, id: String(raw.id) },
    external: ctx.envelope('ChangelogHistory', { id: String(raw.id), url: `${ctx.webBaseUrl}/browse/${issueRef.id}?page=com.atlassian.jira.plugin.system.issuetabpanels:changehistory-tabpanel`, updatedAt: createdAt }),
    issueRef,
    kind: items.length > 0 ? eventKindOf(items[0]!) : 'changed',
    createdAt,
    details: {
      items: items.map((i) => ({ field: i.field ?? null, fieldId: i.fieldId ?? null, from: i.from ?? null, fromString: i.fromString ?? null, to: i.to ?? null, toString: i.toString ?? null })),
    },
  };
  const actor = mapUser(raw.author);
  if (actor) event.actor = actor;
  return event;
}
