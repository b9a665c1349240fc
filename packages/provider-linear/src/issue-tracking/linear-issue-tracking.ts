import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  ProviderError,
  decodeCursor,
  encodeCursor,
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
import type { LinearContext } from '../linear-context.js';
import { PROVIDER, linearCallError } from '../linear-errors.js';
import type { LinearLabelEntry, LinearStateEntry, LinearTeamEntry } from '../shared/linear-directory.js';
import { clientId, deterministicUuid, parseIssueId, parseTeamKey, parseUuidRef } from '../shared/linear-ids.js';
import {
  CREATE_COMMENT, CREATE_LABEL, createIssueMutation, updateIssueMutation, DELETE_LABEL, GET_COMMENT, GET_ISSUE, LIST_COMMENTS, LIST_CYCLES, LIST_HISTORY,
  LIST_ISSUES, LIST_LABELS, PAGE_MAX, UPDATE_COMMENT, UPDATE_LABEL,
} from './linear-issue-tracking-queries.js';
import {
  mapComment, mapCycle, mapHistory, mapIssue, mapLabel, phaseOfStateType,
  type LinearCommentNode, type LinearCycleNode, type LinearHistoryNode, type LinearIssueNode, type LinearLabelNode,
} from './linear-issue-tracking-mapping.js';

/** A label an issue write makes first (Linear applies only existing labels). */
interface NewLabel {
  id: string;
  name: string;
  teamId: string;
}

type Connection<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };

/** The Linear issue tracking interface (v1) with `transitionIssue` over workflow states and `listMilestones` over cycles. */
export type LinearIssueTracking = Required<Omit<IssueTrackingProvider, 'specificationVersion'>>;

interface ListState {
  /** Which listing the cursor belongs to. */
  l: string;
  /** Its scope (team key or issue id). */
  s: string;
  /** Linear's end cursor. */
  a: string;
  /** The `updatedSince` of the listing's first page. */
  u?: string;
}

function pageSizeOf(options: ListOptions, operation: string): number {
  const requested = options.pageSize ?? PAGE_MAX;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `pageSize must be a positive integer, got ${String(options.pageSize)}` });
  }
  return Math.min(requested, PAGE_MAX);
}

/** Reads a listing's options: Linear's `after` cursor and the `updatedSince` window it started with. */
function listingState(options: ListOptions, listing: string, scope: string, operation: string): { after: string | null; since: string | undefined } {
  if (options.cursor !== undefined && options.cursor !== null && options.cursor !== '') {
    const state = decodeCursor<ListState & Record<string, unknown>>(options.cursor, { provider: PROVIDER, operation });
    if (state.l !== listing || state.s !== scope || typeof state.a !== 'string' || state.a === '') {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued for this listing' });
    }
    return { after: state.a, since: typeof state.u === 'string' ? state.u : undefined };
  }
  if (options.updatedSince === undefined || options.updatedSince === null) return { after: null, since: undefined };
  const ms = Date.parse(String(options.updatedSince));
  if (Number.isNaN(ms)) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `updatedSince must be an ISO-8601 time, got ${JSON.stringify(options.updatedSince)}` });
  }
  return { after: null, since: new Date(ms).toISOString() };
}

function nextCursor(connection: Connection<unknown>, listing: string, scope: string, since: string | undefined): string | null {
  const { hasNextPage, endCursor } = connection.pageInfo;
  if (!hasNextPage || typeof endCursor !== 'string' || endCursor === '') return null;
  return encodeCursor({ l: listing, s: scope, a: endCursor, ...(since ? { u: since } : {}) });
}

function requireConnection<T>(value: Connection<T> | null | undefined, operation: string): Connection<T> {
  if (!value || !Array.isArray(value.nodes) || typeof value.pageInfo !== 'object' || value.pageInfo === null) {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, retryable: false, message: 'Linear answered without the connection asked for' });
  }
  return value;
}

/** Phase words and state types `transitionIssue` and `updateIssue` accept, with the state types each may land on (first preferred). */
const TARGET_TYPES: Record<string, string[]> = {
  open: ['unstarted', 'backlog', 'triage'],
  reopen: ['unstarted', 'backlog', 'triage'],
  todo: ['unstarted'],
  in_progress: ['started'],
  'in progress': ['started'],
  closed: ['completed'],
  done: ['completed'],
  completed: ['completed'],
  not_planned: ['canceled'],
  canceled: ['canceled'],
  cancelled: ['canceled'],
  duplicate: ['duplicate', 'canceled'],
  triage: ['triage'],
  backlog: ['backlog'],
  unstarted: ['unstarted'],
  started: ['started'],
};

const CLOSE_TYPES: Record<IssueCloseReason, string[]> = {
  completed: ['completed'],
  not_planned: ['canceled'],
  duplicate: ['duplicate', 'canceled'],
};

/** The team's state of the first wanted type with the lowest position (teams may have several per type). */
function stateOfTypes(states: LinearStateEntry[], types: string[]): LinearStateEntry | undefined {
  for (const type of types) {
    const found = states.filter((s) => s.type === type).sort((a, b) => a.position - b.position)[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * Creates the issue tracking interface. Every read is one hand-written GraphQL query per
 * page; writes resolve team, state, label, user and cycle UUIDs through the instance's
 * directory; creates send a client-supplied id derived from the idempotency key.
 */
export function createLinearIssueTracking(ctx: LinearContext): LinearIssueTracking {
  const { directory } = ctx;

  /** Maps issue nodes, naming labels beyond the ones each node carries through the directory. */
  async function mapIssues(nodes: LinearIssueNode[], signal?: AbortSignal): Promise<ExternalIssue[]> {
    const overflow: string[] = [];
    for (const node of nodes) {
      directory.rememberTeam(node.team);
      ctx.learnUrlKey({ url: node.url });
      const inline = new Set((node.labels?.nodes ?? []).map((l) => l.id));
      for (const id of node.labelIds ?? []) if (!inline.has(id)) overflow.push(id);
    }
    const names = overflow.length > 0 ? await directory.labelNames(overflow, signal) : new Map<string, string>();
    return nodes.map((node) => mapIssue(ctx, node, names));
  }

  async function fetchIssue(operation: string, id: string, signal?: AbortSignal): Promise<LinearIssueNode> {
    const data = await ctx.request<{ issue: LinearIssueNode | null }>(operation, GET_ISSUE, { id }, signal);
    if (!data.issue) throw new NotFoundError({ provider: PROVIDER, operation, message: `Linear has no issue ${id}` });
    return data.issue;
  }

  /**
   * The UUIDs of label names for an issue write, and the labels Linear does not have yet.
   * Linear applies only existing labels; a missing one is made on the team by the same
   * request as the issue write (a `issueLabelCreate` field before it in one mutation
   * document: mutations run in order), with an id derived from team and name, so the issue
   * can name it and a repeated write does not make it twice.
   */
  async function labelIdsFor(team: LinearTeamEntry, names: string[], signal?: AbortSignal): Promise<{ ids: string[]; missing: NewLabel[] }> {
    const wanted = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
    if (wanted.length === 0) return { ids: [], missing: [] };
    const find = (labels: LinearLabelEntry[], name: string) => {
      const matches = labels.filter((l) => !l.isGroup && l.name.toLowerCase() === name.toLowerCase());
      return matches.find((l) => l.teamId === team.id) ?? matches[0];
    };
    let labels = await directory.teamLabels(team.id, signal);
    if (wanted.some((n) => !find(labels, n))) labels = await directory.teamLabels(team.id, signal, true);
    const ids: string[] = [];
    const missing: NewLabel[] = [];
    for (const name of wanted) {
      const label = find(labels, name);
      if (label) {
        ids.push(label.id);
        continue;
      }
      const id = deterministicUuid('label', team.id, name.toLowerCase());
      missing.push({ id, name, teamId: team.id });
      ids.push(id);
    }
    return { ids, missing };
  }

  /** Variables of the label creates that go first in an issue write's mutation document. */
  function labelVariables(missing: NewLabel[]): Record<string, unknown> {
    return Object.fromEntries(missing.map((label, i) => [`label${i}`, label]));
  }

  /** After a write that made labels: the directory learns them. */
  function learnLabels(team: LinearTeamEntry, missing: NewLabel[]): void {
    if (missing.length === 0) return;
    for (const label of missing) directory.rememberLabel({ id: label.id, name: label.name, color: '', description: null, isGroup: false, teamId: team.id, parentId: null });
    directory.forgetTeamLabels(team.id);
  }

  async function createLabel(operation: string, team: LinearTeamEntry, desired: DesiredLabel, id: string, signal?: AbortSignal): Promise<LinearLabelEntry> {
    let node: LinearLabelNode;
    try {
      const input: Record<string, unknown> = { id, name: desired.name, teamId: team.id };
      if (desired.color) input.color = `#${desired.color.toLowerCase()}`;
      if (desired.description !== undefined) input.description = desired.description;
      const data = await ctx.request<{ issueLabelCreate: { issueLabel: LinearLabelNode } }>(operation, CREATE_LABEL, { input }, signal);
      node = data.issueLabelCreate.issueLabel;
    } catch (error) {
      if (!(ProviderError.isInstance(error) && error.code === 'conflict')) throw error;
      // Made by an earlier attempt whose answer was lost.
      const labels = await directory.teamLabels(team.id, signal, true);
      const existing = labels.find((l) => l.id === id);
      if (!existing) throw error;
      return existing;
    }
    const entry: LinearLabelEntry = {
      id: node.id, name: node.name, color: node.color, description: node.description ?? null, isGroup: node.isGroup === true,
      teamId: node.team?.id ?? null, parentId: node.parent?.id ?? null,
    };
    directory.rememberLabel(entry);
    directory.forgetTeamLabels(team.id);
    return entry;
  }

  async function assigneeIdFor(names: string[] | undefined, operation: string, signal?: AbortSignal): Promise<string | null | undefined> {
    if (names === undefined) return undefined;
    const wanted = [...new Set(names.filter((n) => n.trim() !== ''))];
    if (wanted.length === 0) return null;
    if (wanted.length > 1) {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: `a Linear issue has one assignee; got ${wanted.length}` });
    }
    const [user] = await directory.users(wanted, operation, signal);
    return user!.id;
  }

  async function stateFor(team: LinearTeamEntry, to: string, operation: string, signal?: AbortSignal): Promise<LinearStateEntry> {
    const states = await directory.states(team.id, signal);
    const text = to.trim();
    const byName = states.find((s) => s.id === text || s.name.toLowerCase() === text.toLowerCase());
    if (byName) return byName;
    const types = TARGET_TYPES[text.toLowerCase()];
    const byType = types ? stateOfTypes(states, types) : undefined;
    if (byType) return byType;
    throw new InvalidInputError({
      provider: PROVIDER,
      operation,
      message: `team ${team.key} has no workflow state "${to}" (states: ${states.map((s) => s.name).join(', ')}; or a phase: open, in_progress, closed, not_planned, duplicate)`,
    });
  }

  async function teamOfIssue(node: LinearIssueNode, operation: string, signal?: AbortSignal): Promise<LinearTeamEntry> {
    directory.rememberTeam(node.team);
    return directory.team(node.team.key, operation, signal);
  }

  async function update(operation: string, node: LinearIssueNode, input: Record<string, unknown>, signal?: AbortSignal, newLabels: NewLabel[] = []): Promise<ExternalIssue> {
    if (Object.keys(input).length === 0) return (await mapIssues([node], signal))[0]!;
    const data = await ctx.request<{ issueUpdate: { issue: LinearIssueNode | null } }>(
      operation, updateIssueMutation(newLabels.length), { id: node.id, input, ...labelVariables(newLabels) }, signal,
    );
    const team = directory.knownTeam(node.team.key);
    if (team) learnLabels(team, newLabels);
    const updated = data.issueUpdate.issue ?? (await fetchIssue(operation, node.id, signal));
    return (await mapIssues([updated], signal))[0]!;
  }

  async function listHistoryOrComments<T>(
    operation: string,
    listing: string,
    issueRef: ExternalRef,
    options: ListOptions,
    query: string,
    pick: (issue: Record<string, unknown>) => Connection<T> | undefined,
    withFilter: boolean,
  ): Promise<{ issue: Record<string, unknown>; connection: Connection<T>; since: string | undefined; id: string }> {
    const id = parseIssueId(issueRef, operation);
    const first = pageSizeOf(options, operation);
    const { after, since } = listingState(options, listing, id, operation);
    const variables: Record<string, unknown> = { id, first, after };
    if (withFilter && since) variables.filter = { updatedAt: { gte: since } };
    const data = await ctx.request<{ issue: Record<string, unknown> | null }>(operation, query, variables, options.signal);
    if (!data.issue) throw new NotFoundError({ provider: PROVIDER, operation, message: `Linear has no issue ${id}` });
    return { issue: data.issue, connection: requireConnection(pick(data.issue), operation), since, id };
  }

  const impl: LinearIssueTracking = {
    async listIssues(scope: string, options: ListOptions = {}): Promise<Page<ExternalIssue>> {
      const operation = 'listIssues';
      const key = parseTeamKey(scope, operation);
      const first = pageSizeOf(options, operation);
      const { after, since } = listingState(options, 'issues', key, operation);
      // Linear's default order (createdAt) does not move an issue when it changes, so a
      // listing that pages while issues are edited neither skips nor repeats one; with
      // updatedSince the filter is inclusive (gte), so an issue updated at that instant is kept.
      const filter: Record<string, unknown> = { team: { key: { eq: key } } };
      if (since) filter.updatedAt = { gte: since };
      const data = await ctx.request<{ issues: Connection<LinearIssueNode> }>(
        operation,
        LIST_ISSUES,
        { filter, first, after, includeArchived: ctx.config.includeArchived },
        options.signal,
      );
      const connection = requireConnection(data.issues, operation);
      const nodes = ctx.config.includeTrashed ? connection.nodes : connection.nodes.filter((n) => n.trashed !== true);
      return { items: await mapIssues(nodes, options.signal), nextCursor: nextCursor(connection, 'issues', key, since) };
    },

    async getIssue(ref: ExternalRef, options: CallOptions = {}): Promise<ExternalIssue> {
      const operation = 'getIssue';
      const id = parseIssueId(ref, operation);
      const node = await fetchIssue(operation, id, options.signal);
      return (await mapIssues([node], options.signal))[0]!;
    },

    async createIssue(input: IssueInput, options: CallOptions = {}): Promise<ExternalIssue> {
      const operation = 'createIssue';
      if (!input || typeof input.title !== 'string' || input.title.trim() === '') {
        throw new InvalidInputError({ provider: PROVIDER, operation, message: 'an issue needs a title' });
      }
      const key = parseTeamKey(input.scope, operation);
      const { signal } = options;
      const team = await directory.team(key, operation, signal);
      const id = clientId('issue', team.id, input.idempotencyKey);
      const create: Record<string, unknown> = { id, teamId: team.id, title: input.title };
      if (input.body !== undefined) create.description = input.body;
      let newLabels: NewLabel[] = [];
      if (input.labels?.length) {
        const resolved = await labelIdsFor(team, input.labels, signal);
        create.labelIds = resolved.ids;
        newLabels = resolved.missing;
      }
      const assigneeId = await assigneeIdFor(input.assignees, operation, signal);
      if (assigneeId) create.assigneeId = assigneeId;
      if (input.milestone) create.cycleId = (await directory.cycle(team.id, input.milestone, operation, signal)).id;
      try {
        const data = await ctx.request<{ issueCreate: { issue: LinearIssueNode | null } }>(
          operation, createIssueMutation(newLabels.length), { input: create, ...labelVariables(newLabels) }, signal,
        );
        learnLabels(team, newLabels);
        const node = data.issueCreate.issue ?? (await fetchIssue(operation, id, signal));
        return (await mapIssues([node], signal))[0]!;
      } catch (error) {
        // The id is the client's: a conflict means an earlier attempt (whose answer was lost)
        // made the issue; a lost answer of this attempt is checked the same way.
        if (!ProviderError.isInstance(error) || !['conflict', 'upstream_unavailable', 'timeout'].includes(error.code)) throw error;
        let existing: LinearIssueNode | undefined;
        try {
          existing = await fetchIssue(operation, id, signal);
        } catch {
          throw error;
        }
        if (existing.team.id !== team.id && !(existing.previousIdentifiers ?? []).length) {
          throw new ConflictError({ provider: PROVIDER, operation, message: 'the idempotency key was used for an issue in another team', cause: error });
        }
        return (await mapIssues([existing], signal))[0]!;
      }
    },

    async updateIssue(ref: ExternalRef, patch: IssuePatch, options: CallOptions = {}): Promise<ExternalIssue> {
      const operation = 'updateIssue';
      const id = parseIssueId(ref, operation);
      if (!patch || typeof patch !== 'object') throw new InvalidInputError({ provider: PROVIDER, operation, message: 'patch must be an object' });
      const { signal } = options;
      const node = await fetchIssue(operation, id, signal);
      if (patch.ifMatch !== undefined && patch.ifMatch !== node.updatedAt) {
        throw new ConflictError({
          provider: PROVIDER,
          operation,
          message: `issue ${node.identifier} changed since the version given (ifMatch ${patch.ifMatch}, now ${node.updatedAt})`,
        });
      }
      const input: Record<string, unknown> = {};
      if (patch.title !== undefined) input.title = patch.title;
      if (patch.body !== undefined) input.description = patch.body;
      const needsTeam = patch.state !== undefined || patch.labels !== undefined || (patch.milestone !== undefined && patch.milestone !== null);
      const team = needsTeam ? await teamOfIssue(node, operation, signal) : undefined;
      if (patch.state !== undefined && team) {
        const wantClosed = patch.state === 'closed';
        if ((phaseOfStateType(node.state.type) === 'closed') !== wantClosed) {
          input.stateId = (await stateFor(team, wantClosed ? 'closed' : 'open', operation, signal)).id;
        }
      }
      let newLabels: NewLabel[] = [];
      if (patch.labels !== undefined && team) {
        const resolved = await labelIdsFor(team, patch.labels, signal);
        input.labelIds = resolved.ids;
        newLabels = resolved.missing;
      }
      const assigneeId = await assigneeIdFor(patch.assignees, operation, signal);
      if (assigneeId !== undefined) input.assigneeId = assigneeId;
      if (patch.milestone === null) input.cycleId = null;
      else if (patch.milestone !== undefined && team) input.cycleId = (await directory.cycle(team.id, patch.milestone, operation, signal)).id;
      return update(operation, node, input, signal, newLabels);
    },

    async closeIssue(ref: ExternalRef, reason: IssueCloseReason = 'completed', options: CallOptions = {}): Promise<ExternalIssue> {
      const operation = 'closeIssue';
      const id = parseIssueId(ref, operation);
      const types = CLOSE_TYPES[reason];
      if (!types) throw new InvalidInputError({ provider: PROVIDER, operation, message: `close reason must be completed, not_planned or duplicate, got ${JSON.stringify(reason)}` });
      const node = await fetchIssue(operation, id, options.signal);
      if (types.includes(node.state.type)) return (await mapIssues([node], options.signal))[0]!;
      const team = await teamOfIssue(node, operation, options.signal);
      const state = stateOfTypes(await directory.states(team.id, options.signal), types);
      if (!state) throw new InvalidInputError({ provider: PROVIDER, operation, message: `team ${team.key} has no workflow state of type ${types.join(' or ')}` });
      return update(operation, node, { stateId: state.id }, options.signal);
    },

    async transitionIssue(ref: ExternalRef, transition: { to: string }, options: CallOptions = {}): Promise<ExternalIssue> {
      const operation = 'transitionIssue';
      const id = parseIssueId(ref, operation);
      if (!transition || typeof transition.to !== 'string' || transition.to.trim() === '') {
        throw new InvalidInputError({ provider: PROVIDER, operation, message: 'transition.to must name a workflow state, a state type or a phase' });
      }
      const node = await fetchIssue(operation, id, options.signal);
      const team = await teamOfIssue(node, operation, options.signal);
      const state = await stateFor(team, transition.to, operation, options.signal);
      return update(operation, node, state.id === node.state.id ? {} : { stateId: state.id }, options.signal);
    },

    async listComments(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalComment>> {
      const operation = 'listComments';
      const { issue, connection, since, id } = await listHistoryOrComments<LinearCommentNode>(
        operation, 'comments', issueRef, options, LIST_COMMENTS, (i) => i.comments as Connection<LinearCommentNode>, true,
      );
      void issue;
      const items = connection.nodes.map((c) => mapComment(ctx, c, c.issue ? { scope: c.issue.team.key, id: c.issue.identifier } : { scope: issueRef.scope, id }));
      return { items, nextCursor: nextCursor(connection, 'comments', id, since) };
    },

    async createComment(issueRef: ExternalRef, input: CommentInput, options: CallOptions = {}): Promise<ExternalComment> {
      const operation = 'createComment';
      const issueId = parseIssueId(issueRef, operation);
      if (!input || typeof input.body !== 'string' || input.body.trim() === '') {
        throw new InvalidInputError({ provider: PROVIDER, operation, message: 'a comment needs a body' });
      }
      const node = await fetchIssue(operation, issueId, options.signal);
      const id = clientId('comment', node.id, input.idempotencyKey);
      const toComment = (c: LinearCommentNode) =>
        mapComment(ctx, c, c.issue ? { scope: c.issue.team.key, id: c.issue.identifier } : { scope: node.team.key, id: node.identifier });
      try {
        const data = await ctx.request<{ commentCreate: { comment: LinearCommentNode } }>(
          operation, CREATE_COMMENT, { input: { id, issueId: node.id, body: input.body } }, options.signal,
        );
        return toComment(data.commentCreate.comment);
      } catch (error) {
        if (!ProviderError.isInstance(error) || !['conflict', 'upstream_unavailable', 'timeout'].includes(error.code)) throw error;
        let existing: LinearCommentNode | null = null;
        try {
          existing = (await ctx.request<{ comment: LinearCommentNode | null }>(operation, GET_COMMENT, { id }, options.signal)).comment;
        } catch {
          throw error;
        }
        if (!existing) throw error;
        return toComment(existing);
      }
    },

    async updateComment(commentRef: ExternalRef, patch: CommentPatch, options: CallOptions = {}): Promise<ExternalComment> {
      const operation = 'updateComment';
      const id = parseUuidRef(commentRef, 'comment', operation);
      if (!patch || typeof patch.body !== 'string' || patch.body.trim() === '') {
        throw new InvalidInputError({ provider: PROVIDER, operation, message: 'a comment patch needs a body' });
      }
      const data = await ctx.request<{ commentUpdate: { comment: LinearCommentNode } }>(operation, UPDATE_COMMENT, { id, input: { body: patch.body } }, options.signal);
      const c = data.commentUpdate.comment;
      return mapComment(ctx, c, c.issue ? { scope: c.issue.team.key, id: c.issue.identifier } : { scope: commentRef.scope, id: commentRef.scope });
    },

    async listLabels(scope: string, options: ListOptions = {}): Promise<Page<ExternalLabel>> {
      const operation = 'listLabels';
      const key = parseTeamKey(scope, operation);
      const first = pageSizeOf(options, operation);
      const { after, since } = listingState(options, 'labels', key, operation);
      const scopeFilter = { or: [{ team: { key: { eq: key } } }, { team: { null: true } }] };
      const filter = since ? { and: [scopeFilter, { updatedAt: { gte: since } }] } : scopeFilter;
      const data = await ctx.request<{ organization: { urlKey: string }; issueLabels: Connection<LinearLabelNode> }>(
        operation, LIST_LABELS, { filter, first, after }, options.signal,
      );
      ctx.learnUrlKey({ urlKey: data.organization?.urlKey });
      const connection = requireConnection(data.issueLabels, operation);
      return { items: connection.nodes.map((l) => mapLabel(ctx, l)), nextCursor: nextCursor(connection, 'labels', key, since) };
    },

    async syncLabels(scope: string, desired: DesiredLabel[], options: SyncOptions = {}): Promise<SyncResult> {
      const operation = 'syncLabels';
      const key = parseTeamKey(scope, operation);
      if (!Array.isArray(desired)) throw new InvalidInputError({ provider: PROVIDER, operation, message: 'desired must be a list of labels' });
      const seen = new Set<string>();
      for (const d of desired) {
        if (!d || typeof d.name !== 'string' || d.name.trim() === '') throw new InvalidInputError({ provider: PROVIDER, operation, message: 'every desired label needs a name' });
        if (d.color !== undefined && !/^[0-9a-fA-F]{6}$/.test(d.color)) {
          throw new InvalidInputError({ provider: PROVIDER, operation, message: `label "${d.name}": color must be six hex digits, got ${JSON.stringify(d.color)}` });
        }
        const lower = d.name.toLowerCase();
        if (seen.has(lower)) throw new InvalidInputError({ provider: PROVIDER, operation, message: `label "${d.name}" is listed twice` });
        seen.add(lower);
      }
      const { signal } = options;
      const team = await directory.team(key, operation, signal);
      const labels = (await directory.teamLabels(team.id, signal, true)).filter((l) => !l.isGroup);
      const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
      const matched = new Set<string>();
      for (const want of desired) {
        const candidates = labels.filter((l) => l.name.toLowerCase() === want.name.toLowerCase());
        const current = candidates.find((l) => l.teamId === team.id) ?? candidates[0];
        if (!current) {
          result.created.push(want.name);
          if (!options.dryRun) await createLabel(operation, team, want, deterministicUuid('label', team.id, want.name.toLowerCase()), signal);
          continue;
        }
        matched.add(current.id);
        const change: Record<string, unknown> = {};
        const color = current.color.replace(/^#/, '').toLowerCase();
        if (want.color !== undefined && want.color.toLowerCase() !== color) {
          result.drift.push({ name: want.name, field: 'color', expected: want.color.toLowerCase(), actual: color });
          change.color = `#${want.color.toLowerCase()}`;
        }
        if (want.description !== undefined && want.description !== (current.description ?? '')) {
          result.drift.push({ name: want.name, field: 'description', expected: want.description, actual: current.description ?? '' });
          change.description = want.description;
        }
        if (current.name !== want.name && current.teamId === team.id) {
          result.drift.push({ name: want.name, field: 'name', expected: want.name, actual: current.name });
          change.name = want.name;
        }
        if (Object.keys(change).length === 0) {
          result.unchanged.push(want.name);
          continue;
        }
        if (current.teamId !== team.id) {
          // A workspace label is shared by every team: a team's sync reports its drift but does not change it.
          result.unchanged.push(want.name);
          continue;
        }
        result.updated.push(want.name);
        if (!options.dryRun) await ctx.request(operation, UPDATE_LABEL, { id: current.id, input: change }, signal);
      }
      if (options.prune !== false) {
        // Only the team's own labels are pruned; workspace labels belong to every team.
        for (const label of labels) {
          if (label.teamId !== team.id || matched.has(label.id) || seen.has(label.name.toLowerCase())) continue;
          result.deleted.push(label.name);
          if (!options.dryRun) {
            try {
              await ctx.request(operation, DELETE_LABEL, { id: label.id }, signal);
            } catch (error) {
              if (!(ProviderError.isInstance(error) && error.code === 'not_found')) throw error;
            }
          }
        }
      }
      if (!options.dryRun) directory.forgetTeamLabels(team.id);
      return result;
    },

    async listEvents(issueRef: ExternalRef, options: ListOptions = {}): Promise<Page<ExternalIssueEvent>> {
      const operation = 'listEvents';
      const { issue, connection, since, id } = await listHistoryOrComments<LinearHistoryNode>(
        operation, 'history', issueRef, options, LIST_HISTORY, (i) => i.history as Connection<LinearHistoryNode>, false,
      );
      const current = issue as { identifier: string; team: { key: string }; url?: string };
      const ref: ExternalRef = { scope: current.team.key, id: current.identifier };
      // Names of labels deleted since are not in addedLabels/removedLabels: those are looked up (archived ones included).
      const named = new Set(connection.nodes.flatMap((n) => [...(n.addedLabels ?? []), ...(n.removedLabels ?? [])].map((l) => l.id)));
      const labelIds = connection.nodes.flatMap((n) => [...(n.addedLabelIds ?? []), ...(n.removedLabelIds ?? [])]).filter((id) => !named.has(id));
      const names = labelIds.length > 0 ? await directory.labelNames(labelIds, options.signal) : new Map<string, string>();
      const sinceMs = since ? Date.parse(since) : undefined;
      // IssueHistory has no filter argument: updatedSince is applied here, on each entry's time.
      const items = connection.nodes
        .filter((n) => sinceMs === undefined || Date.parse(n.updatedAt ?? n.createdAt) >= sinceMs)
        .map((n) => mapHistory(ctx, n, ref, names, current.url ?? ctx.webUrl(`/issue/${current.identifier}`)));
      return { items, nextCursor: nextCursor(connection, 'history', id, since) };
    },

    async listMilestones(scope: string, options: ListOptions = {}): Promise<Page<ExternalMilestone>> {
      const operation = 'listMilestones';
      const key = parseTeamKey(scope, operation);
      const first = pageSizeOf(options, operation);
      const { after, since } = listingState(options, 'cycles', key, operation);
      const filter: Record<string, unknown> = { team: { key: { eq: key } } };
      if (since) filter.updatedAt = { gte: since };
      const data = await ctx.request<{ organization: { urlKey: string }; cycles: Connection<LinearCycleNode> }>(
        operation, LIST_CYCLES, { filter, first, after, includeArchived: ctx.config.includeArchived }, options.signal,
      );
      ctx.learnUrlKey({ urlKey: data.organization?.urlKey });
      const connection = requireConnection(data.cycles, operation);
      return { items: connection.nodes.map((c) => mapCycle(ctx, c)), nextCursor: nextCursor(connection, 'cycles', key, since) };
    },
  };

  // Every failure leaves as a ProviderError naming the operation: directory lookups and
  // label writes inside an operation included; a call aborted through its signal is `timeout`.
  const guarded = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [name, method] of Object.entries(impl) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw linearCallError(error, name, signalOf(args));
      }
    };
  }
  return guarded as unknown as LinearIssueTracking;
}

/** The caller's signal: the `signal` of the last options argument that has one. */
function signalOf(args: unknown[]): AbortSignal | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const signal = (args[i] as { signal?: unknown } | null | undefined)?.signal;
    if (signal instanceof AbortSignal) return signal;
  }
  return undefined;
}
