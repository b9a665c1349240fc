import {
  ConflictError,
  InvalidInputError,
  type CallOptions,
  type CommentInput,
  type CommentPatch,
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
import type { GitHubContext } from '../github-context.js';
import { PROVIDER, mapGitHubError } from '../github-errors.js';
import { parseNumericRef, parseRepoScope } from '../shared/github-scope.js';
import { assertIdempotencyKey, readIdempotencyMarker, withIdempotencyMarker } from '../shared/github-idempotency.js';
import { withSignal } from '../shared/github-request.js';
import { mapComment, mapIssue, mapIssueEvent, mapLabel, mapMilestone } from './github-issue-tracking-mapping.js';

type Raw = Record<string, unknown>;

export interface GitHubIssueTrackingOptions {
  /**
   * Lists issues with one GraphQL query per page instead of REST. Default false.
   */
  useGraphql?: boolean;
  /** The GraphQL listing, when the package ships one. */
  listIssuesGraphql?: (ctx: GitHubContext, scope: string, options?: ListOptions) => Promise<Page<ExternalIssue>>;
}

/** How many recently created issues a keyed create checks for its key. */
const IDEMPOTENCY_LOOKBACK = 50;

function sinceFilter(options: ListOptions, operation: string): ((iso: string | undefined) => boolean) | undefined {
  if (!options.updatedSince) return undefined;
  const since = Date.parse(options.updatedSince);
  if (Number.isNaN(since)) throw new InvalidInputError({ provider: PROVIDER, operation, message: 'updatedSince must be an ISO-8601 time' });
  return (iso) => iso === undefined || Date.parse(iso) >= since;
}

/** A failure after which a write may or may not have happened (no answer arrived). */
function isUnanswered(error: unknown): boolean {
  const mapped = mapGitHubError(error);
  return mapped.status === undefined && (mapped.code === 'upstream_unavailable' || mapped.code === 'timeout');
}

/**
 * The issue tracking interface of the GitHub provider, on the REST API (and GraphQL
 * for listings when configured).
 */
export function createGitHubIssueTracking(
  ctx: GitHubContext,
  settings: GitHubIssueTrackingOptions = {},
): Omit<IssueTrackingProvider, 'specificationVersion'> & { listMilestones: NonNullable<IssueTrackingProvider['listMilestones']> } {
  async function resolveMilestone(owner: string, repo: string, value: string | null | undefined, operation: string, signal?: AbortSignal): Promise<number | null | undefined> {
    if (value === undefined) return undefined;
    if (value === null || value === '') return null;
    const milestones = await ctx.listAll<Raw>(operation, owner, { route: 'GET /repos/{owner}/{repo}/milestones', params: { owner, repo, state: 'all' }, signal });
    const byTitle = milestones.find((m) => m.title === value);
    if (byTitle) return Number(byTitle.number);
    if (/^\d+$/.test(value)) {
      const byNumber = milestones.find((m) => String(m.number) === value);
      if (byNumber) return Number(byNumber.number);
    }
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `no milestone titled or numbered "${value.slice(0, 100)}" in ${owner}/${repo}` });
  }

  async function findIssueByKey(owner: string, repo: string, key: string, signal?: AbortSignal): Promise<Raw | undefined> {
    const octokit = await ctx.octokitFor(owner);
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: IDEMPOTENCY_LOOKBACK,
      ...withSignal(signal),
    });
    return (data as Raw[]).find((issue) => !issue.pull_request && readIdempotencyMarker(issue.body) === key);
  }

  async function findCommentByKey(owner: string, repo: string, issueNumber: number, key: string, signal?: AbortSignal): Promise<Raw | undefined> {
    const octokit = await ctx.octokitFor(owner);
    const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments' as const;
    const first = await octokit.request(route, { owner, repo, issue_number: issueNumber, per_page: 100, ...withSignal(signal) });
    const match = (rows: unknown) => (rows as Raw[]).find((c) => readIdempotencyMarker(c.body) === key);
    const last = /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(first.headers.link ?? '')?.[1];
    if (last && Number(last) > 1) {
      const tail = await octokit.request(route, { owner, repo, issue_number: issueNumber, per_page: 100, page: Number(last), ...withSignal(signal) });
      const found = match(tail.data);
      if (found) return found;
    }
    return match(first.data);
  }

  return {
    async listIssues(scope, options = {}) {
      if (settings.useGraphql && settings.listIssuesGraphql) return settings.listIssuesGraphql(ctx, scope, options);
      const { owner, repo } = parseRepoScope(scope, 'listIssues');
      const params: Record<string, unknown> = { owner, repo, state: 'all', sort: 'updated', direction: 'asc' };
      if (options.updatedSince) params.since = new Date(options.updatedSince).toISOString();
      return ctx.listPage<Raw, ExternalIssue>(
        'listIssues',
        owner,
        { route: 'GET /repos/{owner}/{repo}/issues', params, options },
        (raw) => (raw.pull_request ? undefined : mapIssue(ctx, raw, { scope: `${owner}/${repo}` })),
      );
    },

    async getIssue(ref, options) {
      const { owner, repo, id } = parseNumericRef(ref, 'issue', 'getIssue');
      return ctx.call('getIssue', async () => {
        const octokit = await ctx.octokitFor(owner);
        const response = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: id, ...withSignal(options?.signal) });
        return mapIssue(ctx, response.data as Raw, { scope: `${owner}/${repo}`, etag: response.headers.etag });
      });
    },

    async createIssue(input: IssueInput, options?: CallOptions) {
      const operation = 'createIssue';
      const { owner, repo } = parseRepoScope(input.scope, operation);
      const key = input.idempotencyKey;
      if (key !== undefined) assertIdempotencyKey(key, operation);
      const scope = `${owner}/${repo}`;
      return ctx.call(operation, async () => {
        if (key !== undefined) {
          const existing = await findIssueByKey(owner, repo, key, options?.signal);
          if (existing) return mapIssue(ctx, existing, { scope });
        }
        const milestone = await resolveMilestone(owner, repo, input.milestone, operation, options?.signal);
        const octokit = await ctx.octokitFor(owner);
        const body: Raw = { title: input.title };
        const text = key !== undefined ? withIdempotencyMarker(input.body, key) : input.body;
        if (text !== undefined) body.body = text;
        if (input.labels) body.labels = input.labels;
        if (input.assignees) body.assignees = input.assignees;
        if (milestone !== undefined && milestone !== null) body.milestone = milestone;
        try {
          const response = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, ...body, ...withSignal(options?.signal) } as never);
          return mapIssue(ctx, response.data as Raw, { scope, etag: (response.headers as Record<string, string | undefined>).etag });
        } catch (error) {
          if (key !== undefined && isUnanswered(error)) {
            const written = await findIssueByKey(owner, repo, key, options?.signal).catch(() => undefined);
            if (written) return mapIssue(ctx, written, { scope });
          }
          // With a key the create is looked up before writing again: the caller may retry it.
          throw key === undefined ? error : mapGitHubError(error, { operation, idempotencyKey: true });
        }
      });
    },

    async updateIssue(ref: ExternalRef, patch: IssuePatch, options?: CallOptions) {
      const operation = 'updateIssue';
      const { owner, repo, id } = parseNumericRef(ref, 'issue', operation);
      const scope = `${owner}/${repo}`;
      return ctx.call(operation, async () => {
        const octokit = await ctx.octokitFor(owner);
        if (patch.ifMatch !== undefined) {
          const current = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: id, ...withSignal(options?.signal) });
          const etag = current.headers.etag;
          const updatedAt = (current.data as Raw).updated_at;
          const same = (a: unknown, b: string) => typeof a === 'string' && a.replace(/^W\//, '') === b.replace(/^W\//, '');
          if (!same(etag, patch.ifMatch) && !(typeof updatedAt === 'string' && Date.parse(updatedAt) === Date.parse(patch.ifMatch))) {
            throw new ConflictError({
              provider: PROVIDER,
              operation,
              status: 412,
              message: `issue ${scope}#${id} changed since the version given in ifMatch`,
              hint: 'read the issue again, merge the change and retry with its new version',
            });
          }
        }
        const body: Raw = {};
        if (patch.title !== undefined) body.title = patch.title;
        if (patch.body !== undefined) body.body = patch.body;
        if (patch.state !== undefined) body.state = patch.state;
        if (patch.labels !== undefined) body.labels = patch.labels;
        if (patch.assignees !== undefined) body.assignees = patch.assignees;
        if (patch.milestone !== undefined) body.milestone = await resolveMilestone(owner, repo, patch.milestone, operation, options?.signal);
        const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner,
          repo,
          issue_number: id,
          ...body,
          ...withSignal(options?.signal),
        } as never);
        return mapIssue(ctx, response.data as Raw, { scope, etag: (response.headers as Record<string, string | undefined>).etag });
      });
    },

    async closeIssue(ref: ExternalRef, reason: IssueCloseReason = 'completed', options?: CallOptions) {
      const { owner, repo, id } = parseNumericRef(ref, 'issue', 'closeIssue');
      return ctx.call('closeIssue', async () => {
        const octokit = await ctx.octokitFor(owner);
        const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner,
          repo,
          issue_number: id,
          state: 'closed',
          state_reason: reason,
          ...withSignal(options?.signal),
        });
        return mapIssue(ctx, response.data as Raw, { scope: `${owner}/${repo}`, etag: response.headers.etag });
      });
    },

    async listComments(issueRef, options = {}) {
      const { owner, repo, id } = parseNumericRef(issueRef, 'issue', 'listComments');
      const params: Record<string, unknown> = { owner, repo, issue_number: id };
      if (options.updatedSince) params.since = new Date(options.updatedSince).toISOString();
      return ctx.listPage<Raw, ExternalComment>(
        'listComments',
        owner,
        { route: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', params, options },
        (raw) => mapComment(ctx, raw, { scope: `${owner}/${repo}`, issueNumber: id }),
      );
    },

    async createComment(issueRef: ExternalRef, input: CommentInput, options?: CallOptions) {
      const operation = 'createComment';
      const { owner, repo, id } = parseNumericRef(issueRef, 'issue', operation);
      const key = input.idempotencyKey;
      if (key !== undefined) assertIdempotencyKey(key, operation);
      const scope = `${owner}/${repo}`;
      return ctx.call(operation, async () => {
        if (key !== undefined) {
          const existing = await findCommentByKey(owner, repo, id, key, options?.signal);
          if (existing) return mapComment(ctx, existing, { scope, issueNumber: id });
        }
        const octokit = await ctx.octokitFor(owner);
        try {
          const response = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner,
            repo,
            issue_number: id,
            body: key !== undefined ? withIdempotencyMarker(input.body, key) : input.body,
            ...withSignal(options?.signal),
          });
          return mapComment(ctx, response.data as Raw, { scope, issueNumber: id, etag: response.headers.etag });
        } catch (error) {
          if (key === undefined || !isUnanswered(error)) throw error;
          const written = await findCommentByKey(owner, repo, id, key, options?.signal).catch(() => undefined);
          if (written) return mapComment(ctx, written, { scope, issueNumber: id });
          throw error;
        }
      });
    },

    async updateComment(commentRef: ExternalRef, patch: CommentPatch, options?: CallOptions) {
      const { owner, repo, id } = parseNumericRef(commentRef, 'comment', 'updateComment');
      return ctx.call('updateComment', async () => {
        const octokit = await ctx.octokitFor(owner);
        const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner,
          repo,
          comment_id: id,
          body: patch.body,
          ...withSignal(options?.signal),
        });
        return mapComment(ctx, response.data as Raw, { scope: `${owner}/${repo}`, etag: response.headers.etag });
      });
    },

    async listLabels(scope, options = {}) {
      const { owner, repo } = parseRepoScope(scope, 'listLabels');
      return ctx.listPage<Raw, ExternalLabel>(
        'listLabels',
        owner,
        { route: 'GET /repos/{owner}/{repo}/labels', params: { owner, repo }, options },
        (raw) => mapLabel(ctx, raw, { scope: `${owner}/${repo}` }),
      );
    },

    async syncLabels(scope: string, desired: DesiredLabel[], options: SyncOptions = {}): Promise<SyncResult> {
      const operation = 'syncLabels';
      const { owner, repo } = parseRepoScope(scope, operation);
      const seen = new Set<string>();
      for (const label of desired) {
        const folded = label.name.toLowerCase();
        if (seen.has(folded)) {
          throw new InvalidInputError({ provider: PROVIDER, operation, message: `label "${label.name}" is desired twice (GitHub label names are case-insensitive)` });
        }
        seen.add(folded);
      }
      return ctx.call(operation, async () => {
        const octokit = await ctx.octokitFor(owner);
        const current = await ctx.listAll<Raw>(operation, owner, { route: 'GET /repos/{owner}/{repo}/labels', params: { owner, repo }, signal: options.signal });
        const byName = new Map(current.map((l) => [String(l.name).toLowerCase(), l]));
        const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
        const writes: Array<() => Promise<unknown>> = [];
        for (const label of desired) {
          const existing = byName.get(label.name.toLowerCase());
          if (!existing) {
            result.created.push(label.name);
            const body: Raw = { name: label.name };
            if (label.color) body.color = label.color.toLowerCase();
            if (label.description !== undefined) body.description = label.description;
            writes.push(() => octokit.request('POST /repos/{owner}/{repo}/labels', { owner, repo, ...body, ...withSignal(options.signal) } as never));
            continue;
          }
          const patch: Raw = {};
          const actualName = String(existing.name);
          if (actualName !== label.name) {
            result.drift.push({ name: label.name, field: 'name', expected: label.name, actual: actualName });
            patch.new_name = label.name;
          }
          const actualColor = typeof existing.color === 'string' ? existing.color.toLowerCase() : undefined;
          if (label.color && label.color.toLowerCase() !== actualColor) {
            result.drift.push({ name: label.name, field: 'color', expected: label.color.toLowerCase(), actual: actualColor });
            patch.color = label.color.toLowerCase();
          }
          const actualDescription = typeof existing.description === 'string' ? existing.description : '';
          if (label.description !== undefined && label.description !== actualDescription) {
            result.drift.push({ name: label.name, field: 'description', expected: label.description, actual: existing.description ?? null });
            patch.description = label.description;
          }
          if (Object.keys(patch).length === 0) {
            result.unchanged.push(label.name);
          } else {
            result.updated.push(label.name);
            writes.push(() => octokit.request('PATCH /repos/{owner}/{repo}/labels/{name}', { owner, repo, name: actualName, ...patch, ...withSignal(options.signal) } as never));
          }
        }
        if (options.prune !== false) {
          for (const label of current) {
            if (seen.has(String(label.name).toLowerCase())) continue;
            result.deleted.push(String(label.name));
            writes.push(() => octokit.request('DELETE /repos/{owner}/{repo}/labels/{name}', { owner, repo, name: String(label.name), ...withSignal(options.signal) }));
          }
        }
        if (!options.dryRun) {
          // One change at a time: GitHub's secondary limits punish concurrent writes.
          for (const write of writes) {
            options.signal?.throwIfAborted();
            await write();
          }
        }
        return result;
      });
    },

    async listEvents(issueRef, options = {}) {
      const operation = 'listEvents';
      const { owner, repo, id } = parseNumericRef(issueRef, 'issue', operation);
      const keep = sinceFilter(options, operation);
      return ctx.listPage<Raw, ExternalIssueEvent>(
        operation,
        owner,
        { route: 'GET /repos/{owner}/{repo}/issues/{issue_number}/events', params: { owner, repo, issue_number: id }, options },
        (raw) => {
          const event = mapIssueEvent(ctx, raw, { scope: `${owner}/${repo}`, issueNumber: id });
          return keep && !keep(event.createdAt) ? undefined : event;
        },
      );
    },

    async listMilestones(scope, options = {}) {
      const operation = 'listMilestones';
      const { owner, repo } = parseRepoScope(scope, operation);
      const keep = sinceFilter(options, operation);
      return ctx.listPage<Raw, ExternalMilestone>(
        operation,
        owner,
        { route: 'GET /repos/{owner}/{repo}/milestones', params: { owner, repo, state: 'all' }, options },
        (raw) => (keep && !keep(typeof raw.updated_at === 'string' ? raw.updated_at : undefined) ? undefined : mapMilestone(ctx, raw, { scope: `${owner}/${repo}` })),
      );
    },
  };
}
