import { randomUUID } from 'node:crypto';
import type { ExternalRef, WebhookRequest } from '@krate/core';
import { flipLastChar, hmac, truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';
import { FAKE_ORGANIZATION, type LinearFakeState } from './linear-fake-state.js';
import type { FakeComment, FakeCycle, FakeIssue, FakeLabel, FakeProject, FakeUser } from './linear-fake-objects.js';

/** How old a `stale` delivery claims to be (Linear's window is 60 s). */
const STALE_MS = 5 * 60_000;

function userChild(s: LinearFakeState, user: FakeUser | undefined | null): Record<string, unknown> | null {
  if (!user) return null;
  return { id: user.id, name: user.name, email: user.email, avatarUrl: user.avatarUrl, url: s.userUrl(user) };
}

/** `IssueWebhookPayload` of an issue as it is now. */
export function issuePayload(s: LinearFakeState, issue: FakeIssue): Record<string, unknown> {
  const team = s.teams.require(issue.teamId);
  const state = s.states.require(issue.stateId);
  const cycle = issue.cycleId ? s.cycles.get(issue.cycleId) : undefined;
  const labels = issue.labelIds.map((id) => s.labels.get(id)).filter((l): l is FakeLabel => l !== undefined);
  return {
    id: issue.id,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    archivedAt: issue.archivedAt,
    number: issue.number,
    title: issue.title,
    description: issue.description,
    priority: issue.priority,
    priorityLabel: ['No priority', 'Urgent', 'High', 'Medium', 'Low'][issue.priority] ?? 'No priority',
    prioritySortOrder: 0,
    sortOrder: issue.sortOrder,
    identifier: issue.identifier,
    url: s.issueUrl(issue),
    previousIdentifiers: issue.previousIdentifiers,
    teamId: team.id,
    team: { id: team.id, key: team.key, name: team.name },
    stateId: state.id,
    state: { id: state.id, name: state.name, type: state.type, color: state.color },
    assigneeId: issue.assigneeId,
    assignee: userChild(s, issue.assigneeId ? s.users.get(issue.assigneeId) : null),
    creatorId: issue.creatorId,
    creator: userChild(s, issue.creatorId ? s.users.get(issue.creatorId) : null),
    cycleId: issue.cycleId,
    cycle: cycle ? { id: cycle.id, number: cycle.number, name: cycle.name, startsAt: cycle.startsAt, endsAt: cycle.endsAt } : null,
    labelIds: issue.labelIds,
    labels: labels.map((l) => ({ id: l.id, name: l.name, color: l.color, parentId: l.parentId })),
    subscriberIds: [],
    reactionData: [],
    trashed: issue.trashed,
    startedAt: issue.startedAt,
    completedAt: issue.completedAt,
    canceledAt: issue.canceledAt,
  };
}

export function commentPayload(s: LinearFakeState, comment: FakeComment): Record<string, unknown> {
  const issue = s.issues.require(comment.issueId);
  const team = s.teams.require(issue.teamId);
  return {
    id: comment.id,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    archivedAt: comment.archivedAt,
    editedAt: comment.editedAt,
    body: comment.body,
    issueId: issue.id,
    issue: { id: issue.id, identifier: issue.identifier, title: issue.title, url: s.issueUrl(issue), teamId: team.id, team: { id: team.id, key: team.key, name: team.name } },
    userId: comment.userId,
    user: userChild(s, comment.userId ? s.users.get(comment.userId) : null),
    reactionData: [],
  };
}

export function labelPayload(label: FakeLabel): Record<string, unknown> {
  return {
    id: label.id, createdAt: label.createdAt, updatedAt: label.updatedAt, archivedAt: label.archivedAt, name: label.name, color: label.color,
    description: label.description, isGroup: label.isGroup, teamId: label.teamId, parentId: label.parentId, creatorId: label.creatorId,
  };
}

export function cyclePayload(cycle: FakeCycle): Record<string, unknown> {
  return {
    id: cycle.id, createdAt: cycle.createdAt, updatedAt: cycle.updatedAt, archivedAt: cycle.archivedAt, number: cycle.number, name: cycle.name,
    description: cycle.description, startsAt: cycle.startsAt, endsAt: cycle.endsAt, completedAt: cycle.completedAt, teamId: cycle.teamId,
    scopeHistory: [], issueCountHistory: [], completedScopeHistory: [], completedIssueCountHistory: [], inProgressScopeHistory: [], uncompletedIssuesUponCloseIds: [],
  };
}

export function projectPayload(s: LinearFakeState, project: FakeProject): Record<string, unknown> {
  return {
    id: project.id, createdAt: project.createdAt, updatedAt: project.updatedAt, archivedAt: project.archivedAt, name: project.name, description: project.description,
    teamIds: project.teamIds, startDate: project.startDate, targetDate: project.targetDate, url: `${s.webBaseUrl}/${FAKE_ORGANIZATION.urlKey}/project/${project.id.slice(0, 12)}`,
  };
}

export interface FakeWebhookContext {
  state: LinearFakeState;
  secret: string;
  /** The `data` (and web URL) of a delivery of this entity type about `ref`, or a fresh object. */
  describe(event: string, ref: ExternalRef | undefined, action: string): { data: Record<string, unknown>; url: string | null; updatedFrom?: Record<string, unknown> };
}

/**
 * A delivery signed as Linear signs it: `Linear-Signature` is the lowercase hex
 * HMAC-SHA256 of the raw body; `webhookTimestamp` (ms) is inside the signed body;
 * `Linear-Delivery` is a UUID per delivery, `Linear-Event` the entity type.
 */
export function linearDelivery(ctx: FakeWebhookContext, event: string, options: WebhookOptions = {}): WebhookRequest {
  const action = options.action ?? (options.ref ? 'update' : 'create');
  const nowMs = (options.now ?? new Date()).getTime();
  const timestamp = options.signature === 'stale' ? nowMs - STALE_MS : nowMs;
  const { data, url, updatedFrom } = ctx.describe(event, options.ref, action);
  const body: Record<string, unknown> = {
    action,
    actor: { id: ctx.state.viewer.id, type: 'user', name: ctx.state.viewer.name, email: ctx.state.viewer.email, url: ctx.state.userUrl(ctx.state.viewer) },
    createdAt: new Date(timestamp).toISOString(),
    data,
    ...(updatedFrom ? { updatedFrom } : {}),
    url,
    type: event,
    organizationId: FAKE_ORGANIZATION.id,
    webhookTimestamp: timestamp,
    webhookId: '00000000-0000-4000-8000-00000000f00d',
  };
  const text = JSON.stringify(body);
  const raw = options.malformed ? truncateJson(text) : text;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Linear-Webhook',
    'linear-delivery': options.deliveryId ?? randomUUID(),
    'linear-event': event,
  };
  const signature = hmac('sha256', ctx.secret, raw, 'hex');
  switch (options.signature) {
    case 'missing':
      break;
    case 'wrong':
      headers['linear-signature'] = hmac('sha256', `${ctx.secret}-not`, raw, 'hex');
      break;
    case 'tampered':
      headers['linear-signature'] = signature;
      // Still JSON, but not the bytes that were signed.
      return { headers, rawBody: raw.includes('"type":') ? raw.replace('"type":', '"type" :') : flipLastChar(raw) };
    default:
      headers['linear-signature'] = signature;
  }
  return { headers, rawBody: raw };
}
