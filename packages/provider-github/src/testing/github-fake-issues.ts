import type { ExternalRef } from '@krate/core';
import type { FakeRoute, FakeRouteContext, FakeSeed, WebhookOptions } from '@krate/contract-tests/kit';
import { asBody, nodeId, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';

/**
 * The issue tracking part of the GitHub fake: issues (sharing the number space with
 * pull requests), comments, labels, milestones and issue events, served on GitHub's
 * REST routes in GitHub's shapes, with its validation errors (422 with `errors`), 410
 * when issues are disabled, and issue events recorded for every change.
 */

type Params = Record<string, string>;
type Body = Record<string, unknown>;

const DEFAULT_ACTOR = 'octocat';
const LABEL_COLOR = /^[0-9a-fA-F]{6}$/;

function scopeParts(scope: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = scope.split('/');
  return { owner, repo };
}

/** Everything the routes, seeds and webhook builders share. */
function createIssueStore(core: GitHubFakeCore) {
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

type IssueStore = ReturnType<typeof createIssueStore>;

const stores = new WeakMap<GitHubFakeCore, IssueStore>();
function storeOf(core: GitHubFakeCore): IssueStore {
  let store = stores.get(core);
  if (!store) {
    store = createIssueStore(core);
    stores.set(core, store);
  }
  return store;
}

function compareBy(sort: string, direction: string): (a: GhObject, b: GhObject) => number {
  const key = sort === 'updated' ? 'updated_at' : sort === 'comments' ? 'comments' : 'created_at';
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = a[key] as string | number;
    const y = b[key] as string | number;
    if (x !== y) return (x < y ? -1 : 1) * sign;
    return (Number(a.number) - Number(b.number)) * sign;
  };
}

function validation(core: GitHubFakeCore, resource: string, field: string, code: string, extra: Record<string, unknown> = {}): Response {
  return core.error(422, 'Validation Failed', { errors: [{ resource, code, field, ...extra }] });
}

function routes(core: GitHubFakeCore): FakeRoute[] {
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

  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues',
      handle: inRepo('read', ({ request, url }, repoRow, repoFull) => {
        const disabled = issuesDisabled(repoRow);
        if (disabled) return disabled;
        const q = url.searchParams;
        const wantedState = q.get('state') ?? 'open';
        if (!['open', 'closed', 'all'].includes(wantedState)) return validation(core, 'Issue', 'state', 'invalid');
        const since = q.get('since');
        if (since !== null && Number.isNaN(Date.parse(since))) return validation(core, 'Issue', 'since', 'invalid');
        const labels = (q.get('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
        const creator = q.get('creator');
        const assignee = q.get('assignee');
        const milestone = q.get('milestone');
        const items = state.issues
          .list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())
          .filter((i) => wantedState === 'all' || i.state === wantedState)
          .filter((i) => since === null || Date.parse(String(i.updated_at)) >= Date.parse(since))
          .filter((i) => labels.every((l) => (i.labels as Array<{ name: string }>).some((x) => x.name.toLowerCase() === l)))
          .filter((i) => !creator || String((i.user as { login?: string }).login).toLowerCase() === creator.toLowerCase())
          .filter((i) => {
            if (!assignee || assignee === '*') return assignee !== '*' || (i.assignees as unknown[]).length > 0;
            if (assignee === 'none') return (i.assignees as unknown[]).length === 0;
            return (i.assignees as Array<{ login: string }>).some((a) => a.login.toLowerCase() === assignee.toLowerCase());
          })
          .filter((i) => {
            const number = (i.milestone as { number?: number } | null)?.number;
            if (!milestone) return true;
            if (milestone === '*') return number !== undefined;
            if (milestone === 'none') return number === undefined;
            return String(number) === milestone;
          })
          .sort(compareBy(q.get('sort') ?? 'created', q.get('direction') ?? 'desc'));
        return core.listResponse(request, url, items, { map: (i: GhObject) => store.issueView(i) });
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues',
      handle: inRepo('write', ({ request, body: raw }, repoRow, repoFull) => {
        const disabled = issuesDisabled(repoRow);
        if (disabled) return disabled;
        const body = asBody(raw);
        const title = typeof body.title === 'number' ? String(body.title) : body.title;
        if (typeof title !== 'string' || title.trim() === '') return validation(core, 'Issue', 'title', 'missing_field');
        if (body.body !== undefined && body.body !== null && typeof body.body !== 'string') return validation(core, 'Issue', 'body', 'invalid');
        let milestone: GhObject | undefined;
        if (body.milestone !== undefined && body.milestone !== null) {
          milestone = store.findMilestone(repoFull, Number(body.milestone));
          if (!milestone) return validation(core, 'Issue', 'milestone', 'invalid', { value: body.milestone });
        }
        const labels = Array.isArray(body.labels) ? body.labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean) : [];
        const assignees = [
          ...(Array.isArray(body.assignees) ? body.assignees.map(String) : []),
          ...(typeof body.assignee === 'string' ? [body.assignee] : []),
        ];
        const issue = store.createIssue(repoRow, { title, body: (body.body as string | null | undefined) ?? null, labels, assignees, milestone: milestone ?? null });
        return core.itemResponse(request, store.issueView(issue), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/comments',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) => {
        const q = url.searchParams;
        const since = q.get('since');
        const items = state.comments
          .list((c) => String(c._repo).toLowerCase() === repoFull.toLowerCase())
          .filter((c) => since === null || Date.parse(String(c.updated_at)) >= Date.parse(since))
          .sort(compareBy(q.get('sort') === 'updated' ? 'updated' : 'created', q.get('direction') ?? 'asc'));
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        return core.itemResponse(request, publicView(comment));
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (typeof body.body !== 'string' || body.body === '') return validation(core, 'IssueComment', 'body', 'missing_field');
        comment.body = body.body;
        core.touch(comment);
        return core.itemResponse(request, publicView(comment));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/issues/comments/:comment_id',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const comment = state.comments.get(Number((params as Params).comment_id));
        if (!comment || String(comment._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        state.comments.delete(comment.id);
        const issue = store.findIssue(repoFull, Number(comment._issue));
        if (issue) issue.comments = Math.max(0, Number(issue.comments) - 1);
        return new Response(null, { status: 204 });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/events',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) => {
        const items = state.issueEvents
          .list((e) => String(e._repo).toLowerCase() === repoFull.toLowerCase())
          .reverse();
        return core.listResponse(request, url, items, {
          map: (e: GhObject) => {
            const issue = store.findIssue(repoFull, Number(e._issue));
            return { ...publicView(e), issue: issue ? store.issueView(issue) : null };
          },
        });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/events/:event_id',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const event = state.issueEvents.get(Number((params as Params).event_id));
        if (!event || String(event._repo).toLowerCase() !== repoFull.toLowerCase()) return core.error(404, 'Not Found');
        const issue = store.findIssue(repoFull, Number(event._issue));
        return core.itemResponse(request, { ...publicView(event), issue: issue ? store.issueView(issue) : null });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number',
      handle: withIssue('read', ({ request }, issue) => core.itemResponse(request, store.issueView(issue))),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/issues/:issue_number',
      handle: withIssue('write', ({ request, body: raw }, issue, repoFull) => {
        const body = asBody(raw);
        if (body.title !== undefined && (typeof body.title !== 'string' || body.title.trim() === '')) return validation(core, 'Issue', 'title', 'invalid');
        if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') return validation(core, 'Issue', 'state', 'invalid');
        const reasons = ['completed', 'not_planned', 'duplicate', 'reopened', null];
        if (body.state_reason !== undefined && !reasons.includes(body.state_reason as string | null)) return validation(core, 'Issue', 'state_reason', 'invalid');
        let milestone: GhObject | null | undefined;
        if (body.milestone !== undefined) {
          milestone = body.milestone === null ? null : store.findMilestone(repoFull, Number(body.milestone));
          if (milestone === undefined) return validation(core, 'Issue', 'milestone', 'invalid', { value: body.milestone });
        }
        let changed = false;
        if (typeof body.title === 'string' && body.title !== issue.title) {
          store.addEvent(issue, 'renamed', { rename: { from: issue.title, to: body.title } });
          issue.title = body.title;
          changed = true;
        }
        if (body.body !== undefined && body.body !== issue.body) {
          issue.body = body.body === null ? null : String(body.body);
          changed = true;
        }
        if (Array.isArray(body.labels)) {
          const names = body.labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean);
          const before = (issue.labels as Array<{ name: string; color: string }>).map((l) => l.name);
          const next = names.map((name) => store.labelObject(store.ensureLabel(repoFull, name)));
          for (const label of next) if (!before.some((b) => b.toLowerCase() === String(label.name).toLowerCase())) store.addEvent(issue, 'labeled', { label: { name: label.name, color: label.color } });
          for (const label of issue.labels as Array<{ name: string; color: string }>) {
            if (!names.some((n) => n.toLowerCase() === label.name.toLowerCase())) store.addEvent(issue, 'unlabeled', { label: { name: label.name, color: label.color } });
          }
          issue.labels = next;
          changed = true;
        }
        if (Array.isArray(body.assignees)) {
          const logins = body.assignees.map(String);
          const before = (issue.assignees as Array<{ login: string }>).map((a) => a.login);
          for (const login of logins) if (!before.includes(login)) store.addEvent(issue, 'assigned', { assignee: core.user(login), assigner: core.user(DEFAULT_ACTOR) });
          for (const login of before) if (!logins.includes(login)) store.addEvent(issue, 'unassigned', { assignee: core.user(login), assigner: core.user(DEFAULT_ACTOR) });
          issue.assignees = logins.map((login) => core.user(login));
          issue.assignee = (issue.assignees as unknown[])[0] ?? null;
          changed = true;
        }
        if (milestone !== undefined) {
          const current = issue.milestone as { title?: string } | null;
          if (current) store.addEvent(issue, 'demilestoned', { milestone: { title: current.title } });
          if (milestone) store.addEvent(issue, 'milestoned', { milestone: { title: milestone.title } });
          issue.milestone = milestone ? store.milestoneObject(milestone) : null;
          changed = true;
        }
        if (body.state === 'closed' && issue.state !== 'closed') {
          const reason = (body.state_reason as string | null | undefined) ?? 'completed';
          issue.state = 'closed';
          issue.state_reason = reason === 'reopened' ? 'completed' : reason;
          issue.closed_at = core.clock.tick();
          issue.closed_by = core.user(DEFAULT_ACTOR);
          store.addEvent(issue, 'closed', { state_reason: issue.state_reason });
          changed = true;
        } else if (body.state === 'open' && issue.state !== 'open') {
          issue.state = 'open';
          issue.state_reason = 'reopened';
          issue.closed_at = null;
          issue.closed_by = null;
          store.addEvent(issue, 'reopened', { state_reason: 'reopened' });
          changed = true;
        } else if (issue.state === 'closed' && typeof body.state_reason === 'string' && body.state_reason !== 'reopened' && body.state_reason !== issue.state_reason) {
          issue.state_reason = body.state_reason;
          changed = true;
        }
        if (changed) core.touch(issue);
        return core.itemResponse(request, store.issueView(issue));
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handle: withIssue('read', ({ request, url }, issue, repoFull) => {
        const since = url.searchParams.get('since');
        if (since !== null && Number.isNaN(Date.parse(since))) return validation(core, 'IssueComment', 'since', 'invalid');
        const items = state.comments
          .list((c) => String(c._repo).toLowerCase() === repoFull.toLowerCase() && c._issue === issue.number)
          .filter((c) => since === null || Date.parse(String(c.updated_at)) >= Date.parse(since));
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/issues/:issue_number/comments',
      handle: withIssue('write', ({ request, body: raw }, issue) => {
        const body = asBody(raw);
        if (typeof body.body !== 'string' || body.body === '') return validation(core, 'IssueComment', 'body', 'missing_field');
        if (issue.locked === true) return core.error(403, 'Unable to create comment because issue is locked.');
        const comment = store.createComment(issue, { body: body.body });
        return core.itemResponse(request, publicView(comment), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number/events',
      handle: withIssue('read', ({ request, url }, issue, repoFull) => {
        const items = state.issueEvents
          .list((e) => String(e._repo).toLowerCase() === repoFull.toLowerCase() && e._issue === issue.number);
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/labels',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) =>
        core.listResponse(request, url, state.labels.list((l) => String(l._repo).toLowerCase() === repoFull.toLowerCase()), { map: store.labelObject }),
      ),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/labels',
      handle: inRepo('write', ({ request, body: raw }, _repoRow, repoFull) => {
        const body = asBody(raw);
        if (typeof body.name !== 'string' || body.name.trim() === '') return validation(core, 'Label', 'name', 'missing_field');
        if (body.color !== undefined && (typeof body.color !== 'string' || !LABEL_COLOR.test(body.color.replace(/^#/, '')))) {
          return validation(core, 'Label', 'color', 'invalid');
        }
        if (store.findLabel(repoFull, body.name)) return validation(core, 'Label', 'name', 'already_exists');
        const label = store.createLabel(repoFull, {
          name: body.name,
          color: typeof body.color === 'string' ? body.color.replace(/^#/, '') : undefined,
          description: typeof body.description === 'string' ? body.description : null,
        });
        return core.itemResponse(request, store.labelObject(label), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        return label ? core.itemResponse(request, store.labelObject(label)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        if (!label) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (body.color !== undefined && (typeof body.color !== 'string' || !LABEL_COLOR.test(body.color.replace(/^#/, '')))) {
          return validation(core, 'Label', 'color', 'invalid');
        }
        if (typeof body.new_name === 'string' && body.new_name !== '') {
          const clash = store.findLabel(repoFull, body.new_name);
          if (clash && clash.id !== label.id) return validation(core, 'Label', 'name', 'already_exists');
          label.name = body.new_name;
          label.url = core.apiUrl(`/repos/${repoFull}/labels/${encodeURIComponent(body.new_name)}`);
        }
        if (typeof body.color === 'string') label.color = body.color.replace(/^#/, '').toLowerCase();
        if (body.description !== undefined) label.description = body.description === null ? null : String(body.description);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          issue.labels = (issue.labels as Array<{ id: number }>).map((l) => (l.id === label.id ? store.labelObject(label) : l));
        }
        return core.itemResponse(request, store.labelObject(label));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/labels/:name',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const label = store.findLabel(repoFull, (params as Params).name ?? '');
        if (!label) return core.error(404, 'Not Found');
        state.labels.delete(label.id);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          issue.labels = (issue.labels as Array<{ id: number }>).filter((l) => l.id !== label.id);
        }
        return new Response(null, { status: 204 });
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/milestones',
      handle: inRepo('read', ({ request, url }, _repoRow, repoFull) => {
        const q = url.searchParams;
        const wantedState = q.get('state') ?? 'open';
        const sort = q.get('sort') ?? 'due_on';
        const sign = (q.get('direction') ?? 'asc') === 'desc' ? -1 : 1;
        const items = state.milestones
          .list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase())
          .filter((m) => wantedState === 'all' || m.state === wantedState)
          .map((m) => store.milestoneObject(m))
          .sort((a, b) => {
            if (sort === 'completeness') {
              const pa = Number(a.closed_issues) / Math.max(1, Number(a.closed_issues) + Number(a.open_issues));
              const pb = Number(b.closed_issues) / Math.max(1, Number(b.closed_issues) + Number(b.open_issues));
              if (pa !== pb) return (pa - pb) * sign;
            } else {
              const da = (a.due_on as string | null) ?? '9999';
              const db = (b.due_on as string | null) ?? '9999';
              if (da !== db) return (da < db ? -1 : 1) * sign;
            }
            return (Number(a.number) - Number(b.number)) * sign;
          });
        return core.listResponse(request, url, items);
      }),
    },
    {
      method: 'POST',
      path: '/repos/:owner/:repo/milestones',
      handle: inRepo('write', ({ request, body: raw }, _repoRow, repoFull) => {
        const body = asBody(raw);
        if (typeof body.title !== 'string' || body.title === '') return validation(core, 'Milestone', 'title', 'missing_field');
        if (state.milestones.list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase() && m.title === body.title).length > 0) {
          return validation(core, 'Milestone', 'title', 'already_exists');
        }
        const milestone = store.createMilestone(repoFull, {
          title: body.title,
          state: body.state === 'closed' ? 'closed' : 'open',
          description: typeof body.description === 'string' ? body.description : null,
          due_on: typeof body.due_on === 'string' ? body.due_on : null,
        });
        return core.itemResponse(request, store.milestoneObject(milestone), 201);
      }),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('read', ({ request, params }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        return milestone ? core.itemResponse(request, store.milestoneObject(milestone)) : core.error(404, 'Not Found');
      }),
    },
    {
      method: 'PATCH',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('write', ({ request, params, body: raw }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        if (!milestone) return core.error(404, 'Not Found');
        const body = asBody(raw);
        if (typeof body.title === 'string' && body.title !== '') milestone.title = body.title;
        if (body.description !== undefined) milestone.description = body.description === null ? null : String(body.description);
        if (body.due_on !== undefined) milestone.due_on = body.due_on === null ? null : String(body.due_on);
        if (body.state === 'closed' && milestone.state !== 'closed') {
          milestone.state = 'closed';
          milestone.closed_at = core.clock.iso();
        } else if (body.state === 'open') {
          milestone.state = 'open';
          milestone.closed_at = null;
        }
        core.touch(milestone);
        return core.itemResponse(request, store.milestoneObject(milestone));
      }),
    },
    {
      method: 'DELETE',
      path: '/repos/:owner/:repo/milestones/:milestone_number',
      handle: inRepo('write', ({ params }, _repoRow, repoFull) => {
        const milestone = store.findMilestone(repoFull, Number((params as Params).milestone_number));
        if (!milestone) return core.error(404, 'Not Found');
        state.milestones.delete(milestone.id);
        for (const issue of state.issues.list((i) => String(i._repo).toLowerCase() === repoFull.toLowerCase())) {
          if ((issue.milestone as { id?: number } | null)?.id === milestone.id) issue.milestone = null;
        }
        return new Response(null, { status: 204 });
      }),
    },
  ];
}

function seeds(core: GitHubFakeCore): Partial<FakeSeed> {
  const store = storeOf(core);
  const repoFor = (scope: string) => {
    const { owner, repo } = scopeParts(scope);
    return core.ensureRepo(owner, repo);
  };
  const issueFor = (ref: ExternalRef) => {
    const repoRow = repoFor(ref.scope);
    const issue = store.findIssue(store.full(repoRow), Number(ref.id));
    if (!issue) throw new Error(`fake: no issue ${ref.scope}#${ref.id} to seed into`);
    return issue;
  };
  return {
    issue(scope, input) {
      const repoRow = repoFor(scope);
      const repoFull = store.full(repoRow);
      const milestone = input.milestone
        ? (core.state.milestones.list((m) => String(m._repo).toLowerCase() === repoFull.toLowerCase() && m.title === input.milestone)[0]
          ?? store.createMilestone(repoFull, { title: input.milestone }))
        : undefined;
      const issue = store.createIssue(repoRow, {
        title: input.title,
        body: input.body,
        state: input.state,
        ...(milestone ? { milestone } : {}),
        labels: input.labels,
        assignees: input.assignees,
        createdAt: input.createdAt,
        updatedAt: input.updatedAt,
      });
      return { scope: store.full(repoRow), id: String(issue.number) };
    },
    comment(issueRef, input) {
      const issue = issueFor(issueRef);
      const comment = store.createComment(issue, { body: input.body, author: input.author, createdAt: input.createdAt, updatedAt: input.updatedAt });
      return { scope: String(issue._repo), id: String(comment.id) };
    },
    label(scope, input) {
      const repoRow = repoFor(scope);
      const label = store.findLabel(store.full(repoRow), input.name) ?? store.createLabel(store.full(repoRow), input);
      return { scope: store.full(repoRow), id: String(label.name) };
    },
    milestone(scope, input) {
      const repoRow = repoFor(scope);
      const milestone = store.createMilestone(store.full(repoRow), { title: input.title, state: input.state, due_on: input.dueOn ?? null });
      return { scope: store.full(repoRow), id: String(milestone.number) };
    },
    issueEvent(issueRef, input) {
      const issue = issueFor(issueRef);
      const event = store.addEvent(issue, input.kind, {}, input.actor ?? DEFAULT_ACTOR, input.createdAt ?? core.clock.tick());
      return { scope: String(issue._repo), id: String(event.id) };
    },
  };
}

function webhooks(core: GitHubFakeCore): ReturnType<GitHubFakeModule['webhooks']> {
  const store = storeOf(core);
  const seed = seeds(core);
  const defaultScope = 'octo-org/hello-world';
  const issueOf = (options: WebhookOptions): GhObject => {
    const ref = options.ref ?? seed.issue!(defaultScope, { title: 'Webhook issue', body: 'Opened for a delivery' });
    const { owner, repo } = scopeParts(ref.scope);
    const issue = store.findIssue(`${owner}/${repo}`, Number(ref.id));
    if (!issue) throw new Error(`fake: no issue ${ref.scope}#${ref.id} for the delivery`);
    return issue;
  };
  return {
    issues(options) {
      const issue = issueOf(options);
      const action = options.action ?? 'opened';
      const payload: Record<string, unknown> = { action, issue: store.issueView(issue) };
      const labels = issue.labels as Array<Record<string, unknown>>;
      if ((action === 'labeled' || action === 'unlabeled') && labels[0]) payload.label = labels[0];
      if (action === 'assigned' || action === 'unassigned') payload.assignee = (issue.assignees as unknown[])[0] ?? core.user(DEFAULT_ACTOR);
      if (action === 'milestoned' || action === 'demilestoned') payload.milestone = issue.milestone;
      if (action === 'edited') payload.changes = { title: { from: issue.title } };
      return { action, payload };
    },
    issue_comment(options) {
      const action = options.action ?? 'created';
      let comment: GhObject | undefined;
      if (options.ref) {
        comment = core.state.comments.get(Number(options.ref.id));
        if (!comment) throw new Error(`fake: no comment ${options.ref.id} for the delivery`);
      } else {
        const issue = issueOf({});
        comment = store.createComment(issue, { body: 'A comment for a delivery' });
      }
      const issue = store.findIssue(String(comment._repo), Number(comment._issue));
      const payload: Record<string, unknown> = { action, issue: issue ? store.issueView(issue) : null, comment: publicView(comment) };
      if (action === 'edited') payload.changes = { body: { from: comment.body } };
      return { action, payload };
    },
    label(options) {
      const action = options.action ?? 'created';
      const ref = options.ref ?? seed.label!(defaultScope, { name: `webhook-${core.nextId()}`, color: '0e8a16' });
      const label = store.findLabel(ref.scope, ref.id);
      if (!label) throw new Error(`fake: no label ${ref.scope}:${ref.id} for the delivery`);
      const payload: Record<string, unknown> = { action, label: store.labelObject(label) };
      if (action === 'edited') payload.changes = { color: { from: label.color } };
      return { action, payload };
    },
    milestone(options) {
      const action = options.action ?? 'created';
      const ref = options.ref ?? seed.milestone!(defaultScope, { title: `Webhook milestone ${core.nextId()}` });
      const milestone = store.findMilestone(ref.scope, Number(ref.id));
      if (!milestone) throw new Error(`fake: no milestone ${ref.scope}:${ref.id} for the delivery`);
      const payload: Record<string, unknown> = { action, milestone: store.milestoneObject(milestone) };
      if (action === 'edited') payload.changes = { title: { from: milestone.title } };
      return { action, payload };
    },
  };
}

/** The issue tracking module of the GitHub fake. */
export const githubFakeIssues: GitHubFakeModule = {
  routes,
  seeds,
  webhooks,
  webhookEventFor: {
    issue: { event: 'issues', action: 'edited' },
    comment: { event: 'issue_comment', action: 'edited' },
    label: { event: 'label', action: 'edited' },
    milestone: { event: 'milestone', action: 'edited' },
  },
};
