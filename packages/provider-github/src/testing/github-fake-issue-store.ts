import type { FakeRouteContext } from '@krate/contract-tests/kit';
import { nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';

/**
 * The issue store of the GitHub fake: issues, comments, labels, milestones and issue
 * events of a repository, shared by the issue, comment, label and milestone routes, the
 * seeds and the webhook builders, and the route guards they use (repository lookup,
 * the installation's `issues` permission, 410 when issues are disabled).
 */

export type Params = Record<string, string>;
type Body = Record<string, unknown>;

export const DEFAULT_ACTOR = 'octocat';
export const LABEL_COLOR = /^[0-9a-fA-F]{6}$/;

export function scopeParts(scope: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = scope.split('/');
  return { owner, repo };
}

/** Everything the routes, seeds and webhook builders share. */
export function createIssueStore(core: GitHubFakeCore) {
  const milestoneNumbers = new Map<string, number>();
  const { state } = core;

  const repoOf = (owner: string, repo: string) => core.findRepo(owner, repo);
  const full = (repoRow: GhObject) => String(repoRow.full_name);

  function labelObject(row: GhObject): Record<string, unknown> {
    return { id: row.id, node_id: row.node_id, url: row.url, name: row.name, color: row.color, default: row.default, description: row.description };
  }

  function findLabel(repoFull: string, name: string): GhObject | undefined {
    const wanted = name.toLowerCase();
    return state.labels.list((l) => String(l._repo).toLowerCase() === repoFull.toLowerCase() && String(l.name).toLowerCase() === wanted)[0];
  }

  function createLabel(repoFull: string, input: { name: string; color?: string; description?: string | null }): GhObject {
    const id = core.nextId();
    return state.labels.insert({
      id,
      node_id: nodeId('LA', id),
      url: core.apiUrl(`/repos/${repoFull}/labels/${encodeURIComponent(input.name)}`),
      name: input.name,
      color: (input.color ?? 'ededed').toLowerCase(),
      default: false,
      description: input.description ?? null,
      _repo: repoFull,
    });
  }

  function ensureLabel(repoFull: string, name: string): GhObject {
    return findLabel(repoFull, name) ?? createLabel(repoFull, { name });
  }

  function findMilestone(repoFull: string, number: number): GhObject | undefined {
    return state.milestones.list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase() && m.number === number)[0];
  }

  function milestoneObject(row: GhObject): Record<string, unknown> {
    const issues = state.issues.list((i) => String(i._repo).toLowerCase() === String(row._repo).toLowerCase() && (i.milestone as { number?: number } | null)?.number === row.number);
    row.open_issues = issues.filter((i) => i.state === 'open').length;
    row.closed_issues = issues.filter((i) => i.state === 'closed').length;
    return publicView(row);
  }

  function createMilestone(repoFull: string, input: { title: string; state?: string; description?: string | null; due_on?: string | null; creator?: string }): GhObject {
    const key = repoFull.toLowerCase();
    const number = (milestoneNumbers.get(key) ?? 0) + 1;
    milestoneNumbers.set(key, number);
    const id = core.nextId();
    const now = core.clock.tick();
    const closed = input.state === 'closed';
    return state.milestones.insert({
      url: core.apiUrl(`/repos/${repoFull}/milestones/${number}`),
      html_url: core.htmlUrl(`/${repoFull}/milestone/${number}`),
      labels_url: core.apiUrl(`/repos/${repoFull}/milestones/${number}/labels`),
      id,
      node_id: nodeId('MI', id),
      number,
      state: closed ? 'closed' : 'open',
      title: input.title,
      description: input.description ?? null,
      creator: core.user(input.creator ?? DEFAULT_ACTOR),
      open_issues: 0,
      closed_issues: 0,
      created_at: now,
      updated_at: now,
      closed_at: closed ? now : null,
      due_on: input.due_on ?? null,
      _repo: repoFull,
    });
  }

  function addEvent(issue: GhObject, event: string, extra: Record<string, unknown> = {}, actor = DEFAULT_ACTOR, createdAt?: string): GhObject {
    const id = core.nextId();
    const repoFull = String(issue._repo);
    return state.issueEvents.insert({
      id,
      node_id: nodeId('IE', id),
      url: core.apiUrl(`/repos/${repoFull}/issues/events/${id}`),
      actor: core.user(actor),
      event,
      commit_id: null,
      commit_url: null,
      created_at: createdAt ?? core.clock.iso(),
      performed_via_github_app: null,
      ...extra,
      _repo: repoFull,
      _issue: issue.number,
    });
  }

  function createIssue(
    repoRow: GhObject,
    input: { title: string; body?: string | null; state?: string; labels?: string[]; assignees?: string[]; milestone?: GhObject | null; author?: string; createdAt?: string; updatedAt?: string },
  ): GhObject {
    const repoFull = full(repoRow);
    const number = core.nextNumber(repoFull);
    const id = core.nextId();
    const created = input.createdAt ?? core.clock.tick();
    const updated = input.updatedAt ?? created;
    const closed = input.state === 'closed';
    const url = core.apiUrl(`/repos/${repoFull}/issues/${number}`);
    const assignees = (input.assignees ?? []).map((login) => core.user(login));
    const issue = state.issues.insert({
      id,
      node_id: nodeId('I', id),
      url,
      repository_url: core.apiUrl(`/repos/${repoFull}`),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: core.htmlUrl(`/${repoFull}/issues/${number}`),
      number,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? 'completed' : null,
      title: input.title,
      body: input.body ?? null,
      user: core.user(input.author ?? DEFAULT_ACTOR),
      labels: (input.labels ?? []).map((name) => labelObject(ensureLabel(repoFull, name))),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: input.milestone ? milestoneObject(input.milestone) : null,
      locked: false,
      active_lock_reason: null,
      comments: 0,
      closed_at: closed ? updated : null,
      created_at: created,
      updated_at: updated,
      closed_by: closed ? core.user(input.author ?? DEFAULT_ACTOR) : null,
      author_association: 'MEMBER',
      timeline_url: `${url}/timeline`,
      _repo: repoFull,
      _owner: String(repoRow._owner ?? repoFull.split('/')[0]),
    });
    for (const label of issue.labels as Array<Record<string, unknown>>) addEvent(issue, 'labeled', { label: { name: label.name, color: label.color } }, DEFAULT_ACTOR, created);
    for (const assignee of assignees) addEvent(issue, 'assigned', { assignee, assigner: core.user(DEFAULT_ACTOR) }, DEFAULT_ACTOR, created);
    if (input.milestone) addEvent(issue, 'milestoned', { milestone: { title: input.milestone.title } }, DEFAULT_ACTOR, created);
    if (closed) addEvent(issue, 'closed', { state_reason: 'completed' }, DEFAULT_ACTOR, updated);
    return issue;
  }

  function findIssue(repoFull: string, number: number): GhObject | undefined {
    return state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase() && i.number === number)[0];
  }

  function issueView(issue: GhObject): Record<string, unknown> {
    const milestone = issue.milestone as { number?: number } | null;
    if (milestone?.number !== undefined) {
      const row = findMilestone(String(issue._repo), milestone.number);
      issue.milestone = row ? milestoneObject(row) : null;
    }
    return publicView(issue);
  }

  function createComment(issue: GhObject, input: { body: string; author?: string; createdAt?: string; updatedAt?: string }): GhObject {
    const repoFull = String(issue._repo);
    const id = core.nextId();
    const created = input.createdAt ?? core.clock.tick();
    const comment = state.comments.insert({
      id,
      node_id: nodeId('IC', id),
      url: core.apiUrl(`/repos/${repoFull}/issues/comments/${id}`),
      html_url: core.htmlUrl(`/${repoFull}/issues/${String(issue.number)}#issuecomment-${id}`),
      body: input.body,
      user: core.user(input.author ?? DEFAULT_ACTOR),
      created_at: created,
      updated_at: input.updatedAt ?? created,
      issue_url: String(issue.url),
      author_association: 'MEMBER',
      performed_via_github_app: null,
      _repo: repoFull,
      _issue: issue.number,
    });
    issue.comments = Number(issue.comments ?? 0) + 1;
    if (!input.createdAt) issue.updated_at = created;
    return comment;
  }

  return {
    repoOf,
    full,
    labelObject,
    findLabel,
    createLabel,
    ensureLabel,
    findMilestone,
    milestoneObject,
    createMilestone,
    addEvent,
    createIssue,
    findIssue,
    issueView,
    createComment,
  };
}

export type IssueStore = ReturnType<typeof createIssueStore>;

const stores = new WeakMap<GitHubFakeCore, IssueStore>();
export function storeOf(core: GitHubFakeCore): IssueStore {
  let store = stores.get(core);
  if (!store) {
    store = createIssueStore(core);
    stores.set(core, store);
  }
  return store;
}

export function compareBy(sort: string, direction: string): (a: GhObject, b: GhObject) => number {
  const key = sort === 'updated' ? 'updated_at' : sort === 'comments' ? 'comments' : 'created_at';
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = a[key] as string | number;
    const y = b[key] as string | number;
    if (x !== y) return (x < y ? -1 : 1) * sign;
    return (Number(a.number) - Number(b.number)) * sign;
  };
}

export function validation(core: GitHubFakeCore, resource: string, field: string, code: string, extra: Record<string, unknown> = {}): Response {
  return core.error(422, 'Validation Failed', { errors: [{ resource, code, field, ...extra }] });
}

/** The guards every issue tracking route uses, bound to one fake. */
export function issueRouteKit(core: GitHubFakeCore) {
  const store = storeOf(core);
  const { state } = core;

  type Handler = (ctx: FakeRouteContext, repoRow: GhObject, repoFull: string) => Response | Promise<Response>;
  /** Resolves the repository (404 when missing) and checks the installation's `issues` permission. */
  const inRepo =
    (level: 'read' | 'write', handler: Handler) =>
    (ctx: FakeRouteContext): Response | Promise<Response> => {
      const { owner = '', repo = '' } = ctx.params as Params;
      const repoRow = store.repoOf(owner, repo);
      if (!repoRow) return core.error(404, 'Not Found');
      const refused = core.requirePermission?.(ctx.request, 'issues', level);
      if (refused) return refused;
      return handler(ctx, repoRow, store.full(repoRow));
    };
  const withIssue =
    (level: 'read' | 'write', handler: (ctx: FakeRouteContext, issue: GhObject, repoFull: string) => Response | Promise<Response>) =>
    inRepo(level, (ctx, _repoRow, repoFull) => {
      const number = Number((ctx.params as Params).issue_number);
      const issue = Number.isInteger(number) ? store.findIssue(repoFull, number) : undefined;
      if (!issue) return core.error(404, 'Not Found');
      return handler(ctx, issue, repoFull);
    });

  const issuesDisabled = (repoRow: GhObject) => (repoRow.has_issues === false ? core.error(410, 'Issues are disabled for this repo') : undefined);
  return { store, state, inRepo, withIssue, issuesDisabled };
}

export type IssueRouteKit = ReturnType<typeof issueRouteKit>;
