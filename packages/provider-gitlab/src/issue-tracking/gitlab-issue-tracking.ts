import {
  ConflictError, InvalidInputError, ProviderError, type CommentInput, type CommentPatch, type DesiredLabel, type ExternalComment,
  type ExternalIssue, type ExternalIssueEvent, type ExternalLabel, type ExternalMilestone, type ExternalRef, type IssueCloseReason,
  type IssueInput, type IssuePatch, type IssueTrackingProvider, type ListOptions, type Page, type SyncOptions, type SyncResult,
  type CallOptions,
} from '@krate/core';
import { encodePath, type GitLabContext, type Query } from '../gitlab-context.js';
import { PROVIDER } from '../gitlab-errors.js';
import type { GitLabMapContext } from '../shared/gitlab-envelope.js';
import { milestoneId, userIds } from '../shared/gitlab-lookups.js';
import { hasIdempotencyMarker, withMarker } from '../shared/gitlab-markers.js';
import { numericId, parseCommentRef, parseProjectPath } from '../shared/gitlab-scope.js';
import {
  mapIssue, mapLabel, mapMilestone, mapNote, mapSystemNote, type GlIssue, type GlLabel, type GlMilestone, type GlNote,
} from './gitlab-issue-tracking-mapping.js';

type Impl = Omit<IssueTrackingProvider, 'specificationVersion'>;

function issuePath(scope: string, operation: string): string {
  return `projects/${encodePath(parseProjectPath(scope, operation).path)}/issues`;
}

/** Only objects updated at or after `since` (for endpoints without a server-side filter). */
function since<T extends { updatedAt?: string; createdAt?: string }>(items: T[], updatedSince: string | undefined): T[] {
  if (!updatedSince) return items;
  const bound = Date.parse(updatedSince);
  if (Number.isNaN(bound)) throw new InvalidInputError({ provider: PROVIDER, message: `updatedSince "${updatedSince}" is not an ISO-8601 date` });
  return items.filter((i) => Date.parse(i.updatedAt ?? i.createdAt ?? '') >= bound);
}

function isoOrThrow(value: string | undefined, operation: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError({ provider: PROVIDER, operation, message: `updatedSince "${value}" is not an ISO-8601 date` });
  return new Date(ms).toISOString();
}

/**
 * GitLab issues, notes, labels, milestones and the system-note timeline. Issues are
 * addressed by project path and `iid`; the global id is `external.nativeId`.
 */
export function createGitLabIssueTracking(ctx: GitLabContext, map: GitLabMapContext): Impl {
  async function readIssue(ref: ExternalRef, operation: string, signal?: AbortSignal): Promise<GlIssue> {
    const iid = numericId(ref, 'issue', operation);
    return ctx.get<GlIssue>(operation, `${issuePath(ref.scope, operation)}/${iid}`, { signal });
  }

  async function findByKey(scope: string, key: string, operation: string, signal?: AbortSignal): Promise<GlIssue | undefined> {
    const list = await ctx.get<GlIssue[]>(operation, issuePath(scope, operation), {
      query: { search: `krate:idempotency-key=${key}`, in: 'description', scope: 'all', per_page: 100, order_by: 'created_at', sort: 'desc' },
      signal,
    });
    return list.find((i) => hasIdempotencyMarker(i.description, key));
  }

  async function listAllLabels(scope: string, operation: string, signal?: AbortSignal): Promise<GlLabel[]> {
    const out: GlLabel[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await ctx.page<GlLabel>(operation, `projects/${encodePath(scope)}/labels`, {
        query: { include_ancestor_groups: true }, cursor, signal,
      });
      out.push(...page.items);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, message: 'label listing did not end after 1000 pages' });
  }

  return {
    async listIssues(scope: string, options: ListOptions = {}): Promise<Page<ExternalIssue>> {
      const op = 'listIssues';
      const project = parseProjectPath(scope, op).path;
      const updatedAfter = isoOrThrow(options.updatedSince, op);
      const query: Query = { scope: 'all', order_by: 'updated_at', sort: 'asc', updated_after: updatedAfter };
      const endpoint = issuePath(project, op);
      let page;
      try {
        page = await ctx.page<GlIssue>(op, endpoint, { query: { ...query, pagination: 'keyset' }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal });
      } catch (error) {
        // Before GitLab 18.3 project issues have no keyset pagination: 405 means "use offset".
        if (!(ProviderError.isInstance(error) && error.status === 405 && options.cursor === undefined)) throw error;
        page = await ctx.page<GlIssue>(op, endpoint, { query, pageSize: options.pageSize, signal: options.signal });
      }
      return { items: page.items.map((i) => mapIssue(map, project, i)), nextCursor: page.nextCursor };
    },

    async getIssue(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalIssue> {
      const project = parseProjectPath(ref.scope, 'getIssue').path;
      return mapIssue(map, project, await readIssue(ref, 'getIssue', options.signal));
    },

    async createIssue(input: IssueInput, options: CallOptions = {}): Promise<ExternalIssue> {
      const op = 'createIssue';
      const project = parseProjectPath(input.scope, op).path;
      if (input.idempotencyKey) {
        const existing = await findByKey(project, input.idempotencyKey, op, options.signal);
        if (existing) return mapIssue(map, project, existing);
      }
      const body: Record<string, unknown> = { title: input.title };
      const description = withMarker(input.body, input.idempotencyKey);
      if (description !== undefined) body.description = description;
      if (input.labels?.length) body.labels = input.labels.join(',');
      if (input.assignees?.length) body.assignee_ids = await userIds(ctx, op, input.assignees, options);
      if (input.milestone) body.milestone_id = await milestoneId(ctx, op, project, input.milestone, options);
      const { data } = await ctx.call<GlIssue>(op, 'POST', issuePath(project, op), { body, signal: options.signal });
      return mapIssue(map, project, data);
    },

    async updateIssue(ref: ExternalRef, patch: IssuePatch, options: CallOptions = {}): Promise<ExternalIssue> {
      const op = 'updateIssue';
      const project = parseProjectPath(ref.scope, op).path;
      const iid = numericId(ref, 'issue', op);
      if (patch.ifMatch !== undefined) {
        // GitLab has no If-Match on writes: compare the last update time (a small race remains).
        const current = mapIssue(map, project, await readIssue(ref, op, options.signal));
        const expected = Date.parse(patch.ifMatch);
        if (Number.isNaN(expected) || expected !== Date.parse(current.updatedAt)) {
          throw new ConflictError({ provider: PROVIDER, operation: op, message: `issue ${project}#${iid} changed since ${patch.ifMatch} (now ${current.updatedAt})` });
        }
      }
      const body: Record<string, unknown> = {};
      if (patch.title !== undefined) body.title = patch.title;
      if (patch.body !== undefined) body.description = patch.body;
      if (patch.state !== undefined) body.state_event = patch.state === 'closed' ? 'close' : 'reopen';
      if (patch.labels !== undefined) body.labels = patch.labels.join(',');
      if (patch.assignees !== undefined) body.assignee_ids = patch.assignees.length ? await userIds(ctx, op, patch.assignees, options) : [0];
      if (patch.milestone !== undefined) body.milestone_id = patch.milestone === null ? 0 : await milestoneId(ctx, op, project, patch.milestone, options);
      const { data } = await ctx.call<GlIssue>(op, 'PUT', `${issuePath(project, op)}/${iid}`, { body, signal: options.signal });
      return mapIssue(map, project, data);
    },

    async closeIssue(ref: ExternalRef, reason?: IssueCloseReason, options: CallOptions = {}): Promise<ExternalIssue> {
      const op = 'closeIssue';
      if (reason === 'not_planned' || reason === 'duplicate') {
        throw new InvalidInputError({
          provider: PROVIDER, operation: op,
          message: reason === 'not_planned'
            ? 'GitLab issues have no close reason: "not_planned" cannot be recorded (close with "completed", or add a label)'
            : 'closing as a duplicate needs the original issue (GitLab\'s /duplicate quick action); closeIssue cannot name it',
        });
      }
      const project = parseProjectPath(ref.scope, op).path;
      const iid = numericId(ref, 'issue', op);
      const { data } = await ctx.call<GlIssue>(op, 'PUT', `${issuePath(project, op)}/${iid}`, { body: { state_event: 'close' }, signal: options.signal });
      return mapIssue(map, project, data);
    },

    async listComments(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalComment>> {
      const op = 'listComments';
      const project = parseProjectPath(issueRef.scope, op).path;
      const iid = numericId(issueRef, 'issue', op);
      isoOrThrow(options.updatedSince, op);
      const page = await ctx.page<GlNote>(op, `${issuePath(project, op)}/${iid}/notes`, {
        query: { sort: 'asc', order_by: 'updated_at' }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      const ref = { scope: project, id: String(iid) };
      const items = page.items.filter((n) => !n.system).map((n) => mapNote(map, ref, n));
      return { items: since(items, options.updatedSince), nextCursor: page.nextCursor };
    },

    async createComment(issueRef: ExternalRef, input: CommentInput, options: CallOptions = {}): Promise<ExternalComment> {
      const op = 'createComment';
      const project = parseProjectPath(issueRef.scope, op).path;
      const iid = numericId(issueRef, 'issue', op);
      const ref = { scope: project, id: String(iid) };
      const endpoint = `${issuePath(project, op)}/${iid}/notes`;
      if (input.idempotencyKey) {
        const recent = await ctx.get<GlNote[]>(op, endpoint, { query: { sort: 'desc', order_by: 'created_at', per_page: 100 }, signal: options.signal });
        const existing = recent.find((n) => !n.system && hasIdempotencyMarker(n.body, input.idempotencyKey!));
        if (existing) return mapNote(map, ref, existing);
      }
      const { data } = await ctx.call<GlNote>(op, 'POST', endpoint, { body: { body: withMarker(input.body, input.idempotencyKey) }, signal: options.signal });
      return mapNote(map, ref, data);
    },

    async updateComment(commentRef: ExternalRef, patch: CommentPatch, options: CallOptions = {}): Promise<ExternalComment> {
      const op = 'updateComment';
      const project = parseProjectPath(commentRef.scope, op).path;
      const { iid, noteId } = parseCommentRef(commentRef, op);
      const { data } = await ctx.call<GlNote>(op, 'PUT', `${issuePath(project, op)}/${iid}/notes/${noteId}`, { body: { body: patch.body }, signal: options.signal });
      return mapNote(map, { scope: project, id: String(iid) }, data);
    },

    async listLabels(scope: string, options: ListOptions = {}): Promise<Page<ExternalLabel>> {
      const op = 'listLabels';
      const project = parseProjectPath(scope, op).path;
      const page = await ctx.page<GlLabel>(op, `projects/${encodePath(project)}/labels`, {
        query: { include_ancestor_groups: true }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      return { items: page.items.map((l) => mapLabel(map, project, l)), nextCursor: page.nextCursor };
    },

    async syncLabels(scope: string, desired: DesiredLabel[], options: SyncOptions = {}): Promise<SyncResult> {
      const op = 'syncLabels';
      const project = parseProjectPath(scope, op).path;
      const prune = options.prune ?? true;
      const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
      const existing = await listAllLabels(project, op, options.signal);
      const byName = new Map(existing.map((l) => [l.name, l]));
      const endpoint = `projects/${encodePath(project)}/labels`;
      for (const want of desired) {
        const have = byName.get(want.name);
        const color = want.color ? `#${want.color.toLowerCase()}` : undefined;
        if (!have) {
          result.created.push(want.name);
          if (!options.dryRun) {
            await ctx.call(op, 'POST', endpoint, {
              body: { name: want.name, color: color ?? '#6699cc', ...(want.description !== undefined ? { description: want.description } : {}) },
              signal: options.signal,
            });
          }
          continue;
        }
        const changes: Record<string, unknown> = {};
        if (color && have.color?.toLowerCase() !== color) changes.color = color;
        if (want.description !== undefined && (have.description ?? '') !== want.description) changes.description = want.description;
        if (Object.keys(changes).length === 0) {
          result.unchanged.push(want.name);
        } else if (have.is_project_label === false) {
          // An inherited group label cannot be edited from the project.
          for (const [field, value] of Object.entries(changes)) {
            result.drift.push({ name: want.name, field, expected: value, actual: field === 'color' ? have.color : have.description });
          }
        } else {
          result.updated.push(want.name);
          if (!options.dryRun) await ctx.call(op, 'PUT', `${endpoint}/${have.id}`, { body: changes, signal: options.signal });
        }
      }
      if (prune) {
        const wanted = new Set(desired.map((d) => d.name));
        for (const label of existing) {
          if (wanted.has(label.name)) continue;
          if (label.is_project_label === false) {
            result.drift.push({ name: label.name, field: 'present', expected: false, actual: 'inherited group label: prune it in its group' });
            continue;
          }
          result.deleted.push(label.name);
          if (!options.dryRun) await ctx.call(op, 'DELETE', `${endpoint}/${label.id}`, { signal: options.signal });
        }
      }
      return result;
    },

    async listEvents(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalIssueEvent>> {
      const op = 'listEvents';
      const project = parseProjectPath(issueRef.scope, op).path;
      const iid = numericId(issueRef, 'issue', op);
      isoOrThrow(options.updatedSince, op);
      const page = await ctx.page<GlNote>(op, `${issuePath(project, op)}/${iid}/notes`, {
        query: { sort: 'asc', order_by: 'created_at' }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      const ref = { scope: project, id: String(iid) };
      const items = page.items.filter((n) => n.system).map((n) => mapSystemNote(map, ref, n));
      return { items: since(items, options.updatedSince), nextCursor: page.nextCursor };
    },

    async listMilestones(scope: string, options: ListOptions = {}): Promise<Page<ExternalMilestone>> {
      const op = 'listMilestones';
      const project = parseProjectPath(scope, op).path;
      const page = await ctx.page<GlMilestone>(op, `projects/${encodePath(project)}/milestones`, {
        query: { updated_after: isoOrThrow(options.updatedSince, op) }, pageSize: options.pageSize, cursor: options.cursor, signal: options.signal,
      });
      return { items: page.items.map((m) => mapMilestone(map, project, m)), nextCursor: page.nextCursor };
    },
  };
}
