import {
  ConflictError,
  InvalidInputError,
  ProviderError,
  encodeCursor,
  type CallOptions,
  type DesiredLabel,
  type ExternalComment,
  type ExternalIssue,
  type ExternalIssueEvent,
  type ExternalLabel,
  type ExternalMilestone,
  type ExternalRef,
  type IssueCloseReason,
  type IssueInput,
  type IssuePatch,
  type IssueTrackingProvider,
  type ListOptions,
  type Page,
  type SyncOptions,
  type SyncResult,
} from '@krate/core';
import type { JiraContext } from '../jira-context.js';
import { PROVIDER, mapJiraError } from '../jira-errors.js';
import { markdownToAdf } from '../shared/jira-markdown-to-adf.js';
import { offsetPage, pageSizeOf, readCursor } from '../shared/jira-paging.js';
import { jqlString, parseChildRef, parseIssueRef, parseProjectKey, projectOfKey } from '../shared/jira-refs.js';
import { JQL_OVERLAP_MS, jqlDate, parseSince } from '../shared/jira-time.js';
import {
  IDEMPOTENCY_LABEL_PREFIX, idempotencyLabel, issueFieldList, mapComment, mapIssue, mapIssueEvent, mapLabel, mapMilestone, mapSprint, phaseOfStatus,
} from './jira-issue-tracking-mapping.js';
import { doTransition, listTransitions, pickByCategory, pickTransition, transitionFields } from './jira-issue-tracking-transitions.js';

type Raw = Record<string, any>;

/** The comment property that carries an idempotency key. */
export const COMMENT_IDEMPOTENCY_PROPERTY = 'krate.idempotency';
/** Jira reconciles at most this many issue ids per search. */
const MAX_RECONCILE = 50;

/** A failure after which a write may or may not have happened (no answer arrived). */
function isUnanswered(error: unknown): boolean {
  const mapped = mapJiraError(error);
  return mapped.status === undefined && (mapped.code === 'upstream_unavailable' || mapped.code === 'timeout');
}

function assertKey(key: string, operation: string): void {
  if (key.length === 0 || key.length > 200) throw new InvalidInputError({ provider: PROVIDER, operation, message: 'idempotencyKey must be 1 to 200 characters' });
}

/** The IssueTrackingProvider of Jira Cloud on REST v3. */
export type JiraIssueTracking = Omit<IssueTrackingProvider, 'specificationVersion'> & {
  listMilestones: NonNullable<IssueTrackingProvider['listMilestones']>;
  transitionIssue: NonNullable<IssueTrackingProvider['transitionIssue']>;
};

/**
 * Issue tracking on Jira Cloud: issues through `/rest/api/3/search/jql` (token pages,
 * explicit fields, bounded JQL) and `/rest/api/3/issue`, state through workflow
 * transitions, ADF bodies, comments, global labels, fix versions as milestones and the
 * changelog as events.
 */
export function createJiraIssueTracking(ctx: JiraContext): JiraIssueTracking {
  /** Ids of issues this instance created lately, per project: passed as `reconcileIssues` (search is eventually consistent). */
  const recent = new Map<string, string[]>();
  const remember = (project: string, id: string) => {
    const list = (recent.get(project) ?? []).filter((x) => x !== id);
    list.push(id);
    recent.set(project, list.slice(-MAX_RECONCILE));
  };

  async function fetchIssue(key: string, signal?: AbortSignal): Promise<ExternalIssue> {
    const sprintField = await ctx.sprintField(signal);
    const { data } = await ctx.request<Raw>({ path: `/rest/api/3/issue/${encodeURIComponent(key)}`, query: { fields: issueFieldList(sprintField) }, signal });
    return mapIssue(ctx, data, { requestedKey: key, sprintField });
  }

  async function search(jql: string, options: { maxResults: number; nextPageToken?: string; reconcile?: string[]; signal?: AbortSignal; sprintField?: string | undefined }): Promise<{ issues: Raw[]; nextPageToken?: string }> {
    const query: Record<string, string | number> = { jql, maxResults: options.maxResults, fields: issueFieldList(options.sprintField) };
    if (options.nextPageToken) query.nextPageToken = options.nextPageToken;
    if (options.reconcile && options.reconcile.length > 0) query.reconcileIssues = options.reconcile.join(',');
    const { data } = await ctx.request<Raw>({ path: '/rest/api/3/search/jql', query, signal: options.signal });
    if (!Array.isArray(data?.issues)) {
      throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: 'Jira answered /search/jql without an issues list' });
    }
    const token = typeof data.nextPageToken === 'string' && data.nextPageToken !== '' && data.isLast !== true ? data.nextPageToken : undefined;
    return { issues: data.issues, ...(token ? { nextPageToken: token } : {}) };
  }

  async function findByIdempotencyKey(project: string, key: string, signal?: AbortSignal): Promise<ExternalIssue | undefined> {
    const sprintField = await ctx.sprintField(signal);
    const jql = `project = ${jqlString(project)} AND labels = ${jqlString(idempotencyLabel(key))} ORDER BY created DESC`;
    const { issues } = await search(jql, { maxResults: 1, reconcile: recent.get(project), signal, sprintField });
    return issues[0] ? mapIssue(ctx, issues[0], { sprintField }) : undefined;
  }

  /** The milestone fields of a write: a fix version, or the issue's sprint. */
  async function milestoneFields(project: string, name: string | null, operation: string, signal?: AbortSignal): Promise<Raw> {
    const sprintField = await ctx.sprintField(signal);
    if (!sprintField) return { fixVersions: name === null ? [] : [await resolveVersion(project, name, operation, signal)] };
    if (name === null) return { [sprintField]: null };
    let startAt = 0;
    for (;;) {
      const { data } = await ctx.request<Raw>({ path: `/rest/agile/1.0/board/${ctx.config.boardId}/sprint`, query: { startAt, maxResults: 50 }, signal });
      const values: Raw[] = Array.isArray(data?.values) ? data.values : [];
      const match = values.find((v) => v.name === name) ?? values.find((v) => String(v.id) === name);
      if (match) return { [sprintField]: Number(match.id) };
      if (data?.isLast !== false || values.length === 0) break;
      startAt += values.length;
    }
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `board ${ctx.config.boardId} has no sprint named "${name.slice(0, 100)}"` });
  }

  async function resolveVersion(project: string, name: string, operation: string, signal?: AbortSignal): Promise<{ id: string }> {
    let startAt = 0;
    for (;;) {
      const { data } = await ctx.request<Raw>({ path: `/rest/api/3/project/${encodeURIComponent(project)}/version`, query: { startAt, maxResults: 100 }, signal });
      const values: Raw[] = Array.isArray(data?.values) ? data.values : [];
      const match = values.find((v) => v.name === name) ?? values.find((v) => String(v.id) === name);
      if (match) return { id: String(match.id) };
      if (data?.isLast !== false || values.length === 0) break;
      startAt += values.length;
    }
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `project ${project} has no fix version named "${name.slice(0, 100)}"` });
  }

  function assigneeOf(assignees: string[] | undefined, operation: string): { accountId: string } | null | undefined {
    if (assignees === undefined) return undefined;
    if (assignees.length > 1) {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: `Jira issues have one assignee; got ${assignees.length}`, hint: 'pass at most one accountId in assignees' });
    }
    return assignees.length === 0 ? null : { accountId: assignees[0]! };
  }

  async function close(key: string, reason: IssueCloseReason | undefined, operation: string, signal?: AbortSignal): Promise<void> {
    const transitions = await listTransitions(ctx, key, signal);
    const transition = pickByCategory(transitions, 'done', key, operation, ctx.config.closeStatus, 'a "done" status');
    await doTransition(ctx, key, transition, transitionFields(transition, key, operation, reason ?? 'completed', ctx.config.resolutions), signal);
  }

  async function moveTo(key: string, to: string, operation: string, signal?: AbortSignal): Promise<void> {
    const transitions = await listTransitions(ctx, key, signal);
    const transition = pickTransition(transitions, to, key, operation, ctx.config.closeStatus);
    const reason = transition.to?.statusCategory?.key === 'done' ? 'completed' : undefined;
    await doTransition(ctx, key, transition, transitionFields(transition, key, operation, reason, ctx.config.resolutions), signal);
  }

  return {
    async listIssues(scope: string, options: ListOptions = {}): Promise<Page<ExternalIssue>> {
      const operation = 'listIssues';
      const project = parseProjectKey(scope, operation);
      return ctx.call({ operation }, async () => {
        let jql: string;
        let token: string | undefined;
        let since: number | undefined;
        let size = pageSizeOf(options);
        let reconcile: string[] | undefined;
        if (options.cursor) {
          const state = readCursor<{ j?: unknown; k?: unknown; f?: unknown; n?: unknown }>(options.cursor, 'issues', project, operation);
          if (typeof state.j !== 'string' || typeof state.k !== 'string' || typeof state.n !== 'number') {
            throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued' });
          }
          jql = state.j;
          token = state.k;
          size = pageSizeOf({ pageSize: state.n });
          since = typeof state.f === 'number' ? state.f : undefined;
        } else {
          // Bounded JQL (a bare ORDER BY is refused); updatedSince as a minute-precision date in the
          // searching user's time zone, one minute early: what the overlap brings back twice is dropped below.
          jql = `project = ${jqlString(project)}`;
          if (options.updatedSince) {
            since = parseSince(options.updatedSince, operation);
            const zone = await ctx.timeZone(options.signal);
            jql += ` AND updated >= ${jqlString(jqlDate(since - JQL_OVERLAP_MS, zone))}`;
          }
          jql += ' ORDER BY updated ASC, key ASC';
          reconcile = recent.get(project);
        }
        const sprintField = await ctx.sprintField(options.signal);
        const page = await search(jql, { maxResults: size, ...(token ? { nextPageToken: token } : {}), ...(reconcile ? { reconcile } : {}), signal: options.signal, sprintField });
        const items: ExternalIssue[] = [];
        for (const raw of page.issues) {
          const issue = mapIssue(ctx, raw, { sprintField });
          if (since !== undefined && Date.parse(issue.updatedAt) < since) continue;
          items.push(issue);
        }
        const nextCursor = page.nextPageToken ? encodeCursor({ l: 'issues', t: project, j: jql, k: page.nextPageToken, n: size, ...(since !== undefined ? { f: since } : {}) }) : null;
        return { items, nextCursor };
      });
    },

    async getIssue(ref: ExternalRef, options?: CallOptions) {
      const operation = 'getIssue';
      const key = parseIssueRef(ref, operation);
      return ctx.call({ operation, issueKey: key }, () => fetchIssue(key, options?.signal));
    },

    async createIssue(input: IssueInput, options?: CallOptions) {
      const operation = 'createIssue';
      const project = parseProjectKey(input.scope, operation);
      const key = input.idempotencyKey;
      if (key !== undefined) assertKey(key, operation);
      const assignee = assigneeOf(input.assignees, operation);
      const signal = options?.signal;
      return ctx.call({ operation }, async () => {
        if (key !== undefined) {
          const existing = await findByIdempotencyKey(project, key, signal);
          if (existing) return existing;
        }
        const fields: Raw = { project: { key: project }, summary: input.title, issuetype: { name: ctx.config.issueType } };
        if (input.body !== undefined) fields.description = markdownToAdf(input.body);
        const labels = [...(input.labels ?? []), ...(key !== undefined ? [idempotencyLabel(key)] : [])];
        if (labels.length > 0) fields.labels = labels;
        if (assignee) fields.assignee = assignee;
        if (input.milestone) Object.assign(fields, await milestoneFields(project, input.milestone, operation, signal));
        let created: Raw;
        try {
          created = (await ctx.request<Raw>({ method: 'POST', path: '/rest/api/3/issue', body: { fields }, signal })).data;
        } catch (error) {
          // No answer: look for the key, unless the caller gave up (nothing is sent after an abort).
          if (key === undefined || !isUnanswered(error) || signal?.aborted) throw error;
          const written = await findByIdempotencyKey(project, key, signal).catch(() => undefined);
          if (written) {
            remember(project, written.external.nativeId);
            return written;
          }
          throw error;
        }
        remember(project, String(created.id));
        return fetchIssue(String(created.key), signal);
      });
    },

    async updateIssue(ref: ExternalRef, patch: IssuePatch, options?: CallOptions) {
      const operation = 'updateIssue';
      const key = parseIssueRef(ref, operation);
      const signal = options?.signal;
      return ctx.call({ operation, issueKey: key }, async () => {
        if (patch.ifMatch !== undefined) {
          const current = await fetchIssue(key, signal);
          const same = Date.parse(current.updatedAt) === Date.parse(patch.ifMatch) || current.external.version.updatedAt === patch.ifMatch;
          if (!same) {
            throw new ConflictError({
              provider: PROVIDER,
              operation,
              status: 409,
              message: `issue ${key} changed since the version given in ifMatch (now updated ${current.updatedAt})`,
              hint: 'read the issue again, merge the change and retry with its new updatedAt',
            });
          }
        }
        const fields: Raw = {};
        if (patch.title !== undefined) fields.summary = patch.title;
        if (patch.body !== undefined) fields.description = markdownToAdf(patch.body);
        if (patch.labels !== undefined) {
          // Keep the provider's idempotency label: it is not one of the caller's labels.
          const current = await ctx.request<Raw>({ path: `/rest/api/3/issue/${encodeURIComponent(key)}`, query: { fields: 'labels' }, signal });
          const hidden = ((current.data?.fields?.labels ?? []) as string[]).filter((l) => l.startsWith(IDEMPOTENCY_LABEL_PREFIX));
          fields.labels = [...patch.labels, ...hidden];
        }
        const assignee = assigneeOf(patch.assignees, operation);
        if (assignee !== undefined) fields.assignee = assignee;
        if (patch.milestone !== undefined) {
          Object.assign(fields, await milestoneFields(projectOfKey(key), patch.milestone === '' ? null : patch.milestone, operation, signal));
        }
        if (Object.keys(fields).length > 0) {
          await ctx.request({ method: 'PUT', path: `/rest/api/3/issue/${encodeURIComponent(key)}`, body: { fields }, signal });
        }
        if (patch.state !== undefined) {
          const current = await fetchIssue(key, signal);
          const closed = current.phase === 'closed';
          if (patch.state === 'closed' && !closed) await close(key, undefined, operation, signal);
          if (patch.state === 'open' && closed) {
            const transitions = await listTransitions(ctx, key, signal);
            const transition = pickByCategory(transitions, 'new', key, operation, undefined, 'an open status');
            await doTransition(ctx, key, transition, transitionFields(transition, key, operation, undefined, ctx.config.resolutions), signal);
          }
        }
        return fetchIssue(key, signal);
      });
    },

    async closeIssue(ref: ExternalRef, reason?: IssueCloseReason, options?: CallOptions) {
      const operation = 'closeIssue';
      const key = parseIssueRef(ref, operation);
      const signal = options?.signal;
      return ctx.call({ operation, issueKey: key }, async () => {
        const current = await fetchIssue(key, signal);
        if (current.phase === 'closed') return current;
        await close(key, reason, operation, signal);
        return fetchIssue(key, signal);
      });
    },

    async transitionIssue(ref: ExternalRef, transition: { to: string }, options?: CallOptions) {
      const operation = 'transitionIssue';
      const key = parseIssueRef(ref, operation);
      const to = String(transition?.to ?? '').trim();
      if (to === '') throw new InvalidInputError({ provider: PROVIDER, operation, message: 'transitionIssue needs { to: status or transition name }' });
      const signal = options?.signal;
      return ctx.call({ operation, issueKey: key }, async () => {
        await moveTo(key, to, operation, signal);
        return fetchIssue(key, signal);
      });
    },

    async listComments(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalComment>> {
      const operation = 'listComments';
      const key = parseIssueRef(issueRef, operation);
      const since = options.updatedSince ? parseSince(options.updatedSince, operation) : undefined;
      return ctx.call({ operation, issueKey: key }, () =>
        offsetPage<ExternalComment>(
          ctx,
          { operation, listing: 'comments', target: key, path: `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, query: { orderBy: 'created' }, itemsKey: 'comments', options },
          (raw) => {
            const comment = mapComment(ctx, raw, { scope: issueRef.scope, id: key });
            return since !== undefined && Date.parse(comment.updatedAt) < since ? undefined : comment;
          },
        ),
      );
    },

    async createComment(issueRef: ExternalRef, input, options?: CallOptions) {
      const operation = 'createComment';
      const key = parseIssueRef(issueRef, operation);
      const idem = input.idempotencyKey;
      if (idem !== undefined) assertKey(idem, operation);
      const signal = options?.signal;
      const parent = { scope: issueRef.scope, id: key };
      async function findByKey(): Promise<Raw | undefined> {
        let startAt = 0;
        for (;;) {
          const { data } = await ctx.request<Raw>({ path: `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, query: { startAt, maxResults: 100, orderBy: '-created', expand: 'properties' }, signal });
          const rows: Raw[] = Array.isArray(data?.comments) ? data.comments : [];
          const found = rows.find((c) => (c.properties ?? []).some((p: Raw) => p.key === COMMENT_IDEMPOTENCY_PROPERTY && p.value?.key === idem));
          if (found) return found;
          startAt += rows.length;
          if (rows.length === 0 || startAt >= Number(data?.total ?? 0)) return undefined;
        }
      }
      return ctx.call({ operation, issueKey: key }, async () => {
        if (idem !== undefined) {
          const existing = await findByKey();
          if (existing) return mapComment(ctx, existing, parent);
        }
        const body: Raw = { body: markdownToAdf(input.body) };
        if (idem !== undefined) body.properties = [{ key: COMMENT_IDEMPOTENCY_PROPERTY, value: { key: idem } }];
        try {
          const { data } = await ctx.request<Raw>({ method: 'POST', path: `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, body, signal });
          return mapComment(ctx, data, parent);
        } catch (error) {
          if (idem === undefined || !isUnanswered(error) || signal?.aborted) throw error;
          const written = await findByKey().catch(() => undefined);
          if (written) return mapComment(ctx, written, parent);
          throw error;
        }
      });
    },

    async updateComment(commentRef: ExternalRef, patch, options?: CallOptions) {
      const operation = 'updateComment';
      const { issueKey, id } = parseChildRef(commentRef, 'comment', operation);
      return ctx.call({ operation, issueKey }, async () => {
        const { data } = await ctx.request<Raw>({
          method: 'PUT',
          path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment/${id}`,
          body: { body: markdownToAdf(patch.body) },
          signal: options?.signal,
        });
        return mapComment(ctx, data, { scope: projectOfKey(issueKey), id: issueKey });
      });
    },

    async listLabels(scope: string, options: ListOptions = {}): Promise<Page<ExternalLabel>> {
      const operation = 'listLabels';
      const project = parseProjectKey(scope, operation);
      return ctx.call({ operation }, () =>
        offsetPage<ExternalLabel>(ctx, { operation, listing: 'labels', target: project, path: '/rest/api/3/label', itemsKey: 'values', options }, (name) =>
          typeof name === 'string' && !name.startsWith(IDEMPOTENCY_LABEL_PREFIX) ? mapLabel(ctx, name, project) : undefined,
        ),
      );
    },

    async syncLabels(scope: string, desired: DesiredLabel[], options: SyncOptions = {}): Promise<SyncResult> {
      const operation = 'syncLabels';
      const project = parseProjectKey(scope, operation);
      for (const label of desired) {
        if (/\s/.test(label.name)) throw new InvalidInputError({ provider: PROVIDER, operation, message: `Jira labels cannot contain spaces: "${label.name.slice(0, 100)}"` });
      }
      return ctx.call({ operation }, async () => {
        const existing = new Set<string>();
        let startAt = 0;
        for (;;) {
          options.signal?.throwIfAborted();
          const { data } = await ctx.request<Raw>({ path: '/rest/api/3/label', query: { startAt, maxResults: 1000 }, signal: options.signal });
          const values: unknown[] = Array.isArray(data?.values) ? data.values : [];
          for (const v of values) if (typeof v === 'string') existing.add(v);
          startAt += values.length;
          if (data?.isLast !== false || values.length === 0) break;
        }
        // Jira labels have no create, update or delete API and no colour or description:
        // everything the desired state asks beyond "this name is in use" is drift to report.
        const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
        const wanted = new Set(desired.map((l) => l.name));
        for (const label of desired) {
          if (existing.has(label.name)) result.unchanged.push(label.name);
          else result.drift.push({ name: label.name, field: 'exists', expected: true, actual: false });
          if (label.color !== undefined) result.drift.push({ name: label.name, field: 'color', expected: label.color.toLowerCase(), actual: null });
          if (label.description !== undefined) result.drift.push({ name: label.name, field: 'description', expected: label.description, actual: null });
        }
        if (options.prune === true) {
          for (const name of existing) {
            if (!wanted.has(name) && !name.startsWith(IDEMPOTENCY_LABEL_PREFIX)) result.drift.push({ name, field: 'exists', expected: false, actual: true });
          }
        }
        return result;
      });
    },

    async listEvents(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalIssueEvent>> {
      const operation = 'listEvents';
      const key = parseIssueRef(issueRef, operation);
      const since = options.updatedSince ? parseSince(options.updatedSince, operation) : undefined;
      return ctx.call({ operation, issueKey: key }, () =>
        offsetPage<ExternalIssueEvent>(
          ctx,
          { operation, listing: 'changelog', target: key, path: `/rest/api/3/issue/${encodeURIComponent(key)}/changelog`, itemsKey: 'values', options },
          (raw) => {
            const event = mapIssueEvent(ctx, raw, { scope: issueRef.scope, id: key });
            return since !== undefined && Date.parse(event.createdAt) < since ? undefined : event;
          },
        ),
      );
    },

    async listMilestones(scope: string, options: ListOptions = {}): Promise<Page<ExternalMilestone>> {
      const operation = 'listMilestones';
      const project = parseProjectKey(scope, operation);
      if (ctx.config.milestones === 'sprints') {
        return ctx.call({ operation }, () =>
          offsetPage<ExternalMilestone>(
            ctx,
            { operation, listing: 'sprints', target: project, path: `/rest/agile/1.0/board/${ctx.config.boardId}/sprint`, itemsKey: 'values', options: { ...options, pageSize: Math.min(options.pageSize ?? 50, 50) } },
            (raw) => mapSprint(ctx, raw, project),
          ),
        );
      }
      return ctx.call({ operation }, () =>
        offsetPage<ExternalMilestone>(
          ctx,
          { operation, listing: 'versions', target: project, path: `/rest/api/3/project/${encodeURIComponent(project)}/version`, query: { orderBy: 'sequence' }, itemsKey: 'values', options },
          (raw) => mapMilestone(ctx, raw, project),
        ),
      );
    },
  };
}

