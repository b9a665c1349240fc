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
  type IssuePhase,
} from '@krate/core';
import type { LinearMappingContext } from '../linear-context.js';

/** A user as Linear's reads (`User`) and webhooks (`UserChildWebhookPayload`) carry one. */
export interface LinearUserNode {
  id: string;
  name?: string | null;
  displayName?: string | null;
  email?: string | null;
  url?: string | null;
}

/** A workflow state: `type` is triage, backlog, unstarted, started, completed, canceled or duplicate. */
export interface LinearStateNode {
  id: string;
  name: string;
  type: string;
}

/**
 * An issue as the provider's queries select it, and as a webhook's `data` is brought to
 * (see {@link issueFromWebhookData}): the one shape {@link mapIssue} reads.
 */
export interface LinearIssueNode {
  id: string;
  identifier: string;
  number: number;
  title: string;
  description?: string | null;
  url: string;
  priority?: number | null;
  createdAt: string;
  updatedAt: string;
  archivedAt?: string | null;
  trashed?: boolean | null;
  completedAt?: string | null;
  canceledAt?: string | null;
  previousIdentifiers?: string[] | null;
  labelIds?: string[] | null;
  /** The first labels with their names (a read asks for 10; a webhook carries all). */
  labels?: { nodes: Array<{ id: string; name: string }> } | null;
  state: LinearStateNode;
  team: { id: string; key: string };
  assignee?: LinearUserNode | null;
  creator?: LinearUserNode | null;
  cycle?: { id: string; number: number; name?: string | null } | null;
}

export interface LinearCommentNode {
  id: string;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  editedAt?: string | null;
  archivedAt?: string | null;
  user?: LinearUserNode | null;
  issue?: { id: string; identifier: string; team: { key: string } } | null;
}

export interface LinearLabelNode {
  id: string;
  name: string;
  color: string;
  description?: string | null;
  isGroup?: boolean | null;
  createdAt?: string;
  updatedAt: string;
  archivedAt?: string | null;
  team?: { id: string; key?: string } | null;
  parent?: { id: string; name?: string } | null;
}

export interface LinearCycleNode {
  id: string;
  number: number;
  name?: string | null;
  description?: string | null;
  startsAt: string;
  endsAt: string;
  completedAt?: string | null;
  createdAt?: string;
  updatedAt: string;
  archivedAt?: string | null;
  team: { id: string; key: string };
}

export interface LinearHistoryNode {
  id: string;
  createdAt: string;
  updatedAt?: string;
  actor?: LinearUserNode | null;
  fromState?: LinearStateNode | null;
  toState?: LinearStateNode | null;
  fromAssignee?: LinearUserNode | null;
  toAssignee?: LinearUserNode | null;
  addedLabelIds?: string[] | null;
  removedLabelIds?: string[] | null;
  addedLabels?: Array<{ id: string; name: string }> | null;
  removedLabels?: Array<{ id: string; name: string }> | null;
  fromTitle?: string | null;
  toTitle?: string | null;
  fromTeam?: { key: string } | null;
  toTeam?: { key: string } | null;
  fromCycle?: { number: number; name?: string | null } | null;
  toCycle?: { number: number; name?: string | null } | null;
  archived?: boolean | null;
  trashed?: boolean | null;
  autoArchived?: boolean | null;
  autoClosed?: boolean | null;
}

/** Workflow state types that mean "closed", with the close reason each stands for. */
const CLOSE_REASONS: Record<string, IssueCloseReason> = {
  completed: 'completed',
  canceled: 'not_planned',
  duplicate: 'duplicate',
};

/** The phase a workflow state type stands for: triage, backlog, unstarted -> open; started -> in_progress; completed, canceled, duplicate -> closed. */
export function phaseOfStateType(type: string): IssuePhase {
  if (type === 'started') return 'in_progress';
  if (type in CLOSE_REASONS) return 'closed';
  return 'open';
}

/** The close reason of a closed state type (undefined for open ones). */
export function closeReasonOfStateType(type: string): IssueCloseReason | undefined {
  return CLOSE_REASONS[type];
}

/** A Linear user as an ExternalUser: id the UUID, login the display name (Linear's @handle, also the end of the profile URL). */
export function mapUser(user: LinearUserNode | null | undefined): ExternalUser | undefined {
  if (!user || typeof user.id !== 'string') return undefined;
  const out: ExternalUser = { id: user.id };
  // Webhook payloads carry no displayName; the profile URL ends with it (`.../profiles/<displayName>`).
  const login = user.displayName ?? (user.url ? /\/profiles\/([^/?#]+)/.exec(user.url)?.[1] : undefined);
  if (login) out.login = decodeURIComponent(login);
  if (user.name) out.name = user.name;
  if (user.email) out.email = user.email;
  if (user.url) out.url = user.url;
  return out;
}

/** The title of a cycle as a milestone name: its name, or `Cycle <number>`. */
export function cycleTitle(cycle: { number: number; name?: string | null }): string {
  return cycle.name && cycle.name.trim() !== '' ? cycle.name : `Cycle ${cycle.number}`;
}

/**
 * A Linear issue as an ExternalIssue. `ref` is `{ scope: team key, id: identifier }`
 * (both current: an issue that moved team comes back under its new identifier, with
 * the old ones in `previousIdentifiers`); `nativeId` is the UUID, which never changes.
 * Labels are named by the issue's own `labels` nodes, and `labelNames` (id -> name,
 * from the directory) for ids beyond them.
 */
export function mapIssue(ctx: LinearMappingContext, issue: LinearIssueNode, labelNames: ReadonlyMap<string, string> = new Map()): ExternalIssue {
  const phase = phaseOfStateType(issue.state.type);
  const closeReason = closeReasonOfStateType(issue.state.type);
  const inline = new Map((issue.labels?.nodes ?? []).map((l) => [l.id, l.name] as const));
  const labelIds = issue.labelIds ?? [...inline.keys()];
  const closedAt = phase === 'closed' ? (issue.completedAt ?? issue.canceledAt ?? undefined) : undefined;
  const out: ExternalIssue = {
    ref: { scope: issue.team.key, id: issue.identifier },
    external: ctx.envelope('issue', { id: issue.id, url: issue.url, updatedAt: issue.updatedAt, number: issue.number }, {
      identifier: issue.identifier,
      previousIdentifiers: issue.previousIdentifiers ?? [],
      teamId: issue.team.id,
      stateId: issue.state.id,
      stateType: issue.state.type,
      priority: issue.priority ?? 0,
      labelIds,
      archivedAt: issue.archivedAt ?? null,
      trashed: issue.trashed === true,
      cycle: issue.cycle ? { id: issue.cycle.id, number: issue.cycle.number } : null,
      milestoneSource: 'cycle',
    }),
    title: issue.title,
    body: toRichText(issue.description ?? '', { sourceFormat: 'linear-markdown' }),
    phase,
    state: issue.state.name,
    labels: labelIds.map((id) => inline.get(id) ?? labelNames.get(id)).filter((n): n is string => typeof n === 'string'),
    assignees: issue.assignee ? [mapUser(issue.assignee)!] : [],
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
  };
  if (closeReason) out.closeReason = closeReason;
  if (closedAt) out.closedAt = closedAt;
  const author = mapUser(issue.creator);
  if (author) out.author = author;
  if (issue.cycle) out.milestone = cycleTitle(issue.cycle);
  return out;
}

/** A comment: ref `{ scope: team key, id: comment UUID }`, `issueRef` the issue's current ref. */
export function mapComment(ctx: LinearMappingContext, comment: LinearCommentNode, issueRef: ExternalRef): ExternalComment {
  const out: ExternalComment = {
    ref: { scope: issueRef.scope, id: comment.id },
    external: ctx.envelope('comment', { id: comment.id, url: comment.url, updatedAt: comment.updatedAt }, {
      editedAt: comment.editedAt ?? null,
      archivedAt: comment.archivedAt ?? null,
    }),
    issueRef,
    body: toRichText(comment.body, { sourceFormat: 'linear-markdown' }),
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
  };
  const author = mapUser(comment.user);
  if (author) out.author = author;
  return out;
}

/** The ref scope of workspace labels, which belong to no team (and to every team's listing). */
export const WORKSPACE_LABEL_SCOPE = '*';

/**
 * A label: ref `{ scope: team key, id: label UUID }`, or `{ scope: '*', id }` for a
 * workspace label; colour without `#`.
 */
export function mapLabel(ctx: LinearMappingContext, label: LinearLabelNode): ExternalLabel {
  const scope = label.team?.key ?? WORKSPACE_LABEL_SCOPE;
  // Labels have no page of their own: the URL is the settings page that lists them.
  const url = ctx.webUrl(label.team?.key ? `/team/${label.team.key}/settings/labels` : '/settings/labels');
  const out: ExternalLabel = {
    ref: { scope, id: label.id },
    external: ctx.envelope('issueLabel', { id: label.id, url, updatedAt: label.updatedAt }, {
      workspaceLabel: !label.team,
      teamId: label.team?.id ?? null,
      isGroup: label.isGroup === true,
      parentId: label.parent?.id ?? null,
      archivedAt: label.archivedAt ?? null,
    }),
    name: label.name,
    color: label.color.replace(/^#/, '').toLowerCase(),
  };
  if (label.description) out.description = label.description;
  return out;
}

/** A cycle as a milestone: ref `{ scope: team key, id: cycle number }`, closed once completed, due at its end. */
export function mapCycle(ctx: LinearMappingContext, cycle: LinearCycleNode): ExternalMilestone {
  const out: ExternalMilestone = {
    ref: { scope: cycle.team.key, id: String(cycle.number) },
    external: ctx.envelope(
      'cycle',
      { id: cycle.id, url: ctx.webUrl(`/team/${cycle.team.key}/cycle/${cycle.number}`), updatedAt: cycle.updatedAt, number: cycle.number },
      { startsAt: cycle.startsAt, endsAt: cycle.endsAt, completedAt: cycle.completedAt ?? null, archivedAt: cycle.archivedAt ?? null },
    ),
    title: cycleTitle(cycle),
    state: cycle.completedAt ? 'closed' : 'open',
    dueOn: cycle.endsAt,
  };
  if (cycle.description) out.description = cycle.description;
  return out;
}

/** The event kind of one history entry: the first change it records. */
export function historyKind(entry: LinearHistoryNode): string {
  if (entry.trashed) return 'trashed';
  if (entry.archived || entry.autoArchived) return 'archived';
  if (entry.fromTeam || entry.toTeam) return 'moved';
  if (entry.toState) {
    const from = entry.fromState ? phaseOfStateType(entry.fromState.type) : undefined;
    const to = phaseOfStateType(entry.toState.type);
    if (to === 'closed' && from !== 'closed') return 'closed';
    if (from === 'closed' && to !== 'closed') return 'reopened';
    return 'transitioned';
  }
  if (entry.addedLabelIds?.length) return 'labeled';
  if (entry.removedLabelIds?.length) return 'unlabeled';
  if (entry.toAssignee) return 'assigned';
  if (entry.fromAssignee) return 'unassigned';
  if (entry.toTitle !== null && entry.toTitle !== undefined) return 'renamed';
  if (entry.toCycle) return 'milestoned';
  if (entry.fromCycle) return 'demilestoned';
  return 'updated';
}

/** One IssueHistory entry as an ExternalIssueEvent; label ids are named through `labelNames`. */
export function mapHistory(
  ctx: LinearMappingContext,
  entry: LinearHistoryNode,
  issueRef: ExternalRef,
  labelNames: ReadonlyMap<string, string>,
  issueUrl: string,
): ExternalIssueEvent {
  const details: Record<string, unknown> = {};
  const inline = new Map([...(entry.addedLabels ?? []), ...(entry.removedLabels ?? [])].map((l) => [l.id, l.name] as const));
  const name = (ids: string[] | null | undefined) => (ids ?? []).map((id) => inline.get(id) ?? labelNames.get(id) ?? id);
  if (entry.fromState || entry.toState) {
    details.fromState = entry.fromState?.name ?? null;
    details.toState = entry.toState?.name ?? null;
    if (entry.toState) details.toPhase = phaseOfStateType(entry.toState.type);
  }
  if (entry.addedLabelIds?.length) details.addedLabels = name(entry.addedLabelIds);
  if (entry.removedLabelIds?.length) details.removedLabels = name(entry.removedLabelIds);
  if (entry.fromAssignee || entry.toAssignee) {
    details.fromAssignee = entry.fromAssignee?.displayName ?? entry.fromAssignee?.name ?? null;
    details.toAssignee = entry.toAssignee?.displayName ?? entry.toAssignee?.name ?? null;
  }
  if (entry.toTitle !== null && entry.toTitle !== undefined) {
    details.fromTitle = entry.fromTitle ?? null;
    details.toTitle = entry.toTitle;
  }
  if (entry.fromTeam || entry.toTeam) {
    details.fromTeam = entry.fromTeam?.key ?? null;
    details.toTeam = entry.toTeam?.key ?? null;
  }
  if (entry.fromCycle || entry.toCycle) {
    details.fromMilestone = entry.fromCycle ? cycleTitle(entry.fromCycle) : null;
    details.toMilestone = entry.toCycle ? cycleTitle(entry.toCycle) : null;
  }
  if (entry.archived) details.archived = true;
  if (entry.trashed) details.trashed = true;
  if (entry.autoArchived) details.autoArchived = true;
  if (entry.autoClosed) details.autoClosed = true;
  const out: ExternalIssueEvent = {
    ref: { scope: issueRef.scope, id: entry.id },
    external: ctx.envelope('issueHistory', { id: entry.id, url: `${issueUrl}#activity`, updatedAt: entry.updatedAt ?? entry.createdAt }),
    issueRef,
    kind: historyKind(entry),
    createdAt: entry.createdAt,
    details,
  };
  const actor = mapUser(entry.actor);
  if (actor) out.actor = actor;
  return out;
}
