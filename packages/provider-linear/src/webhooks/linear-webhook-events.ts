import type { ExternalRef, ExternalSyncEvent } from '@krate/core';
import type { LinearContext } from '../linear-context.js';
import {
  mapComment, mapCycle, mapIssue, mapLabel,
  type LinearCommentNode, type LinearCycleNode, type LinearIssueNode, type LinearLabelNode, type LinearUserNode,
} from '../issue-tracking/linear-issue-tracking-mapping.js';
import { teamKeyOfIdentifier } from '../shared/linear-ids.js';

/** The body of a Linear data-change delivery (`EntityWebhookPayload`). */
export interface LinearWebhookBody {
  action?: string;
  type?: string;
  data?: Record<string, unknown>;
  updatedFrom?: Record<string, unknown> | null;
  url?: string | null;
  actor?: unknown;
  createdAt?: string;
  organizationId?: string;
  webhookId?: string;
  webhookTimestamp?: number;
}

/** The entity types whose deliveries are normalized (Project deliveries are acknowledged with no events). */
const LINEAR_NORMALIZED_TYPES = ['Issue', 'Comment', 'IssueLabel', 'Cycle'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const user = (v: unknown): LinearUserNode | null => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as LinearUserNode) : null);

/**
 * An `IssueWebhookPayload` in the shape the reads select ({@link LinearIssueNode}), so a
 * delivery and a read of the same issue normalize through the same {@link mapIssue}.
 */
export function issueFromWebhookData(data: Record<string, unknown>, url: string | null | undefined): LinearIssueNode | undefined {
  const id = str(data.id);
  const identifier = str(data.identifier);
  const state = data.state as LinearIssueNode['state'] | undefined;
  if (!id || !identifier || !state || typeof state.type !== 'string') return undefined;
  const team = data.team as { id?: string; key?: string } | null | undefined;
  const teamKey = team?.key ?? teamKeyOfIdentifier(identifier);
  if (!teamKey) return undefined;
  const labels = Array.isArray(data.labels) ? (data.labels as Array<{ id: string; name: string }>) : [];
  const cycle = data.cycle as { id: string; number: number; name?: string | null } | null | undefined;
  return {
    id,
    identifier,
    number: typeof data.number === 'number' ? data.number : Number(identifier.split('-').pop()),
    title: str(data.title) ?? '',
    description: strOrNull(data.description),
    url: str(data.url) ?? url ?? '',
    priority: typeof data.priority === 'number' ? data.priority : 0,
    createdAt: str(data.createdAt) ?? '',
    updatedAt: str(data.updatedAt) ?? '',
    archivedAt: strOrNull(data.archivedAt),
    trashed: data.trashed === true,
    completedAt: strOrNull(data.completedAt),
    canceledAt: strOrNull(data.canceledAt),
    previousIdentifiers: Array.isArray(data.previousIdentifiers) ? (data.previousIdentifiers as string[]) : [],
    labelIds: Array.isArray(data.labelIds) ? (data.labelIds as string[]) : labels.map((l) => l.id),
    labels: { nodes: labels.map((l) => ({ id: l.id, name: l.name })) },
    state: { id: state.id, name: state.name, type: state.type },
    team: { id: team?.id ?? str(data.teamId) ?? '', key: teamKey },
    assignee: user(data.assignee),
    creator: user(data.creator),
    cycle: cycle && typeof cycle.id === 'string' ? { id: cycle.id, number: cycle.number, name: cycle.name ?? null } : null,
  };
}

/** The ref an issue had before this update, when the update moved it (team change or new identifier). */
export function previousIssueRef(issue: LinearIssueNode, updatedFrom: Record<string, unknown> | null | undefined): ExternalRef | undefined {
  if (!updatedFrom) return undefined;
  const oldIdentifier = str(updatedFrom.identifier) ?? ('teamId' in updatedFrom ? issue.previousIdentifiers?.at(-1) : undefined);
  if (!oldIdentifier || oldIdentifier === issue.identifier) return undefined;
  const scope = teamKeyOfIdentifier(oldIdentifier);
  return scope ? { scope, id: oldIdentifier } : undefined;
}

function event(kind: ExternalSyncEvent['kind'], ref: ExternalRef, change: ExternalSyncEvent['change'], object: unknown, occurredAt: string | undefined): ExternalSyncEvent {
  const out: ExternalSyncEvent = { interface: 'issueTracking', kind, ref, change };
  if (object !== undefined) out.object = object;
  if (occurredAt) out.occurredAt = occurredAt;
  return out;
}

/**
 * Normalizes one verified delivery through the interface's mappers:
 * - Issue `create`/`update`: upserted (an update that moved the issue to another team also
 *   deletes its old ref, so a consumer folding by ref keeps one copy); `remove` of a trashed
 *   issue is deleted, of an archived one upserted with `archivedAt` (listings include
 *   archived issues) unless `includeArchived` is off;
 * - Comment: upserted / deleted (comments on projects or documents carry no issue: none);
 * - IssueLabel and Cycle: upserted / deleted (the team key of `teamId` through the directory);
 * - Project and anything else: no events.
 */
export async function linearWebhookEvents(ctx: LinearContext, body: LinearWebhookBody): Promise<ExternalSyncEvent[]> {
  const data = body.data;
  if (!data || typeof data !== 'object') return [];
  // Pages without a URL of their own (label settings, cycles) need the workspace's URL key: any Linear URL in the delivery names it.
  ctx.learnUrlKey({ url: str(body.url) ?? str((body.actor as { url?: unknown } | undefined)?.url) });
  const action = body.action;
  const at = str(body.createdAt) ?? str(data.updatedAt);
  const removed = action === 'remove';
  switch (body.type) {
    case 'Issue': {
      const issue = issueFromWebhookData(data, body.url);
      if (!issue) return [];
      ctx.learnUrlKey({ url: issue.url });
      const object = mapIssue(ctx, issue);
      const ref = object.ref;
      if (removed) {
        if (issue.trashed || !ctx.config.includeArchived) return [event('issue', ref, 'deleted', undefined, at)];
        return [event('issue', ref, 'upserted', object, at)];
      }
      const events: ExternalSyncEvent[] = [];
      const before = previousIssueRef(issue, body.updatedFrom);
      if (before) events.push(event('issue', before, 'deleted', undefined, at));
      events.push(event('issue', ref, 'upserted', object, at));
      return events;
    }
    case 'Comment': {
      const issue = data.issue as { id?: string; identifier?: string; team?: { key?: string } } | null | undefined;
      const identifier = issue?.identifier;
      const scope = issue?.team?.key ?? (identifier ? teamKeyOfIdentifier(identifier) : undefined);
      const id = str(data.id);
      if (!identifier || !scope || !id) return [];
      const issueRef = { scope, id: identifier };
      if (removed) return [event('comment', { scope, id }, 'deleted', undefined, at)];
      const comment: LinearCommentNode = {
        id,
        body: str(data.body) ?? '',
        url: str(body.url) ?? ctx.webUrl(`/issue/${identifier}#comment-${id.slice(0, 8)}`),
        createdAt: str(data.createdAt) ?? '',
        updatedAt: str(data.updatedAt) ?? '',
        editedAt: strOrNull(data.editedAt),
        archivedAt: strOrNull(data.archivedAt),
        user: user(data.user),
      };
      return [event('comment', issueRef.scope ? { scope, id } : issueRef, 'upserted', mapComment(ctx, comment, issueRef), at)];
    }
    case 'IssueLabel': {
      const id = str(data.id);
      if (!id) return [];
      const teamId = str(data.teamId);
      const key = teamId ? await ctx.directory.teamKey(teamId, 'webhooks.receive') : undefined;
      const label: LinearLabelNode = {
        id,
        name: str(data.name) ?? '',
        color: str(data.color) ?? '',
        description: strOrNull(data.description),
        isGroup: data.isGroup === true,
        createdAt: str(data.createdAt) ?? '',
        updatedAt: str(data.updatedAt) ?? '',
        archivedAt: strOrNull(data.archivedAt),
        team: teamId && key ? { id: teamId, key } : null,
        parent: str(data.parentId) ? { id: str(data.parentId)! } : null,
      };
      const object = mapLabel(ctx, label);
      return [removed ? event('label', object.ref, 'deleted', undefined, at) : event('label', object.ref, 'upserted', object, at)];
    }
    case 'Cycle': {
      const id = str(data.id);
      const teamId = str(data.teamId);
      if (!id || !teamId || typeof data.number !== 'number') return [];
      const key = await ctx.directory.teamKey(teamId, 'webhooks.receive');
      const cycle: LinearCycleNode = {
        id,
        number: data.number,
        name: strOrNull(data.name),
        description: strOrNull(data.description),
        startsAt: str(data.startsAt) ?? '',
        endsAt: str(data.endsAt) ?? '',
        completedAt: strOrNull(data.completedAt),
        createdAt: str(data.createdAt) ?? '',
        updatedAt: str(data.updatedAt) ?? '',
        archivedAt: strOrNull(data.archivedAt),
        team: { id: teamId, key },
      };
      const object = mapCycle(ctx, cycle);
      return [removed ? event('milestone', object.ref, 'deleted', undefined, at) : event('milestone', object.ref, 'upserted', object, at)];
    }
    default:
      return [];
  }
}
