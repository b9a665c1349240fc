import type { ExternalRef } from '@krate/core';
import type { FakeRoute, FakeSeed, WebhookOptions } from '@krate/contract-tests/kit';
import { issueCommentRoutes, repositoryCommentRoutes } from './github-fake-comments.js';
import { DEFAULT_ACTOR, compareBy, issueRouteKit, scopeParts, storeOf, validation, type Params } from './github-fake-issue-store.js';
import { labelRoutes } from './github-fake-labels.js';
import { milestoneRoutes } from './github-fake-milestones.js';
import { asBody, publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';

/**
 * The issue tracking part of the GitHub fake: issues (sharing the number space with
 * pull requests), comments, labels, milestones and issue events, served on GitHub's
 * REST routes in GitHub's shapes, with its validation errors (422 with `errors`), 410
 * when issues are disabled, and issue events recorded for every change.
 */

function routes(core: GitHubFakeCore): FakeRoute[] {
  const kit = issueRouteKit(core);
  const { store, state, inRepo, withIssue, issuesDisabled } = kit;
  // Order matters: `/issues/comments` and `/issues/events` before `/issues/{issue_number}`.
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
    ...repositoryCommentRoutes(core, kit),
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
    ...issueCommentRoutes(core, kit),
    {
      method: 'GET',
      path: '/repos/:owner/:repo/issues/:issue_number/events',
      handle: withIssue('read', ({ request, url }, issue, repoFull) => {
        const items = state.issueEvents
          .list((e) => String(e._repo).toLowerCase() === repoFull.toLowerCase() && e._issue === issue.number);
        return core.listResponse(request, url, items, { map: publicView });
      }),
    },
    ...labelRoutes(core, kit),
    ...milestoneRoutes(core, kit),
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
