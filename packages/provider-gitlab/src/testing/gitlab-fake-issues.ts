import type { ExternalRef } from '@krate/core';
import { FakeNotFound, json, type FakeRoute } from '@krate/contract-tests/kit';
import { issueJson, labelJson, milestoneJson, noteJson, userJson } from './gitlab-fake-objects.js';
import {
  bodyOf, glError, hookTime, listAnswer, ordered, updatedFilter, type FakeIssue, type FakeNote, type GitLabFakeModule, type GitLabFakeState,
} from './gitlab-fake-state.js';

function issueOf(s: GitLabFakeState, projectId: number, iid: string | number): FakeIssue {
  const found = s.issues.list((i) => i.projectId === projectId && i.iid === Number(iid))[0];
  if (!found) throw new FakeNotFound(iid, 'issue');
  return found;
}

function labelsParam(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  return String(value).split(',').map((l) => l.trim()).filter(Boolean);
}

function systemNote(s: GitLabFakeState, issue: FakeIssue, body: string, at: string): void {
  s.notes.insert({ id: s.nextId(), projectId: issue.projectId, noteableType: 'Issue', noteableIid: issue.iid, body, system: true, authorId: issue.authorId, createdAt: at, updatedAt: at });
}

/** Project labels, plus the labels of its ancestor groups when asked (as `include_ancestor_groups=true`). */
function projectLabels(s: GitLabFakeState, projectId: number, withGroups: boolean) {
  const project = s.projects.require(projectId);
  const groupIds = new Set<number>();
  let group = s.groups.get(project.namespaceId);
  while (group) {
    groupIds.add(group.id);
    group = group.parentId ? s.groups.get(group.parentId) : undefined;
  }
  return s.labels.list((l) => l.projectId === projectId || (withGroups && l.groupId !== null && groupIds.has(l.groupId)));
}

/** The labels an issue can carry: unknown names are created as project labels, as GitLab does. */
function ensureLabels(s: GitLabFakeState, projectId: number, names: string[]): void {
  const known = new Set(projectLabels(s, projectId, true).map((l) => l.name));
  for (const name of names) if (!known.has(name)) s.labels.insert({ id: s.nextId(), projectId, groupId: null, name, color: '#6699cc', description: null });
}

function applyIssueUpdate(s: GitLabFakeState, issue: FakeIssue, b: Record<string, unknown>): FakeIssue {
  const at = s.tick();
  const patch: Partial<FakeIssue> = { updatedAt: at };
  if (typeof b.title === 'string') {
    if (b.title !== issue.title) systemNote(s, issue, `changed title from **${issue.title}** to **${b.title}**`, at);
    patch.title = b.title;
  }
  if (typeof b.description === 'string') patch.description = b.description;
  let labels = issue.labels;
  const set = labelsParam(b.labels);
  if (set) labels = set;
  const add = labelsParam(b.add_labels);
  if (add) labels = [...new Set([...labels, ...add])];
  const remove = labelsParam(b.remove_labels);
  if (remove) labels = labels.filter((l) => !remove.includes(l));
  if (labels !== issue.labels) {
    ensureLabels(s, issue.projectId, labels);
    const added = labels.filter((l) => !issue.labels.includes(l));
    if (added.length) systemNote(s, issue, `added ${added.map((l) => `~${l}`).join(' ')} label${added.length > 1 ? 's' : ''}`, at);
    patch.labels = labels;
  }
  if (b.assignee_ids !== undefined) {
    // GitLab Free keeps one assignee.
    const ids = (Array.isArray(b.assignee_ids) ? b.assignee_ids : [b.assignee_ids]).map(Number).filter((n) => n > 0).slice(0, 1);
    for (const id of ids) s.users.require(id);
    patch.assigneeIds = ids;
    if (ids.length) systemNote(s, issue, `assigned to @${s.users.require(ids[0]!).username}`, at);
  }
  if (b.milestone_id !== undefined) patch.milestoneId = Number(b.milestone_id) > 0 ? s.milestones.require(Number(b.milestone_id)).id : null;
  if (b.state_event === 'close' && issue.state !== 'closed') {
    patch.state = 'closed';
    patch.closedAt = at;
    systemNote(s, issue, 'closed', at);
  }
  if (b.state_event === 'reopen' && issue.state !== 'opened') {
    patch.state = 'opened';
    patch.closedAt = null;
    systemNote(s, issue, 'reopened', at);
  }
  return s.issues.update(issue.id, patch);
}

const issueKey = (i: FakeIssue) => `${i.updatedAt}:${i.id}`;

/** Issues, notes, labels, milestones and users. */
export const gitlabFakeIssues: GitLabFakeModule = {
  routes(s): FakeRoute[] {
    return [
      {
        method: 'GET', path: '/projects/:id/issues',
        handle: ({ url, params }) => {
          const p = s.project(params.id!);
          const state = url.searchParams.get('state');
          const search = url.searchParams.get('search');
          const iids = url.searchParams.getAll('iids[]').map(Number);
          const labels = labelsParam(url.searchParams.get('labels'));
          const inUpdated = updatedFilter(url);
          const inCreated = updatedFilter(url, 'created');
          let items = s.issues.list((i) =>
            i.projectId === p.id && (!state || state === 'all' || i.state === state) && inUpdated(i.updatedAt) && inCreated(i.createdAt) &&
            (!search || `${i.title}\n${i.description ?? ''}`.includes(search)) && (iids.length === 0 || iids.includes(i.iid)) &&
            (!labels || labels.every((l) => i.labels.includes(l))));
          const keyset = url.searchParams.get('pagination') === 'keyset';
          if (keyset && !['updated_at', 'created_at', 'id', 'title', null].includes(url.searchParams.get('order_by'))) return glError(405);
          items = ordered(url, items);
          return listAnswer(url, items, (i) => issueJson(s, i), issueKey);
        },
      },
      {
        method: 'POST', path: '/projects/:id/issues',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          if (typeof b.title !== 'string' || b.title.trim() === '') return json({ error: 'title is missing' }, { status: 400 });
          const at = s.tick();
          const labels = labelsParam(b.labels) ?? [];
          ensureLabels(s, p.id, labels);
          const assignees = (Array.isArray(b.assignee_ids) ? b.assignee_ids : b.assignee_ids !== undefined ? [b.assignee_ids] : []).map(Number).slice(0, 1);
          for (const id of assignees) s.users.require(id);
          const issue = s.issues.insert({
            id: s.nextId(), projectId: p.id, iid: s.nextIid(s.issues, p.id), title: b.title, description: typeof b.description === 'string' ? b.description : null,
            state: 'opened', labels, assigneeIds: assignees, authorId: s.user('krate-bot').id,
            milestoneId: b.milestone_id ? s.milestones.require(Number(b.milestone_id)).id : null, createdAt: at, updatedAt: at, closedAt: null, movedToId: null, duplicateOf: null,
          });
          return json(issueJson(s, issue), { status: 201 });
        },
      },
      { method: 'GET', path: '/projects/:id/issues/:iid', handle: ({ params }) => json(issueJson(s, issueOf(s, s.project(params.id!).id, params.iid!))) },
      {
        method: 'PUT', path: '/projects/:id/issues/:iid',
        handle: ({ params, body, url }) => {
          const issue = issueOf(s, s.project(params.id!).id, params.iid!);
          return json(issueJson(s, applyIssueUpdate(s, issue, bodyOf(body, url))));
        },
      },
      {
        method: 'GET', path: '/projects/:id/issues/:iid/notes',
        handle: ({ params, url }) => {
          const issue = issueOf(s, s.project(params.id!).id, params.iid!);
          const notes = s.notes.list((n) => n.noteableType === 'Issue' && n.projectId === issue.projectId && n.noteableIid === issue.iid);
          return listAnswer(url, ordered(url, notes), (n) => noteJson(s, n));
        },
      },
      {
        method: 'POST', path: '/projects/:id/issues/:iid/notes',
        handle: ({ params, body, url }) => {
          const issue = issueOf(s, s.project(params.id!).id, params.iid!);
          const b = bodyOf(body, url);
          if (typeof b.body !== 'string' || b.body === '') return json({ error: 'body is missing' }, { status: 400 });
          const at = s.tick();
          const note = s.notes.insert({ id: s.nextId(), projectId: issue.projectId, noteableType: 'Issue', noteableIid: issue.iid, body: b.body, system: false, authorId: s.user('krate-bot').id, createdAt: at, updatedAt: at });
          s.issues.update(issue.id, { updatedAt: at });
          return json(noteJson(s, note), { status: 201 });
        },
      },
      {
        method: 'GET', path: '/projects/:id/issues/:iid/notes/:note_id',
        handle: ({ params }) => {
          const issue = issueOf(s, s.project(params.id!).id, params.iid!);
          const note = s.notes.require(Number(params.note_id));
          if (note.noteableIid !== issue.iid || note.projectId !== issue.projectId) throw new FakeNotFound(params.note_id!, 'note');
          return json(noteJson(s, note));
        },
      },
      {
        method: 'PUT', path: '/projects/:id/issues/:iid/notes/:note_id',
        handle: ({ params, body, url }) => {
          const issue = issueOf(s, s.project(params.id!).id, params.iid!);
          const note = s.notes.require(Number(params.note_id));
          if (note.noteableIid !== issue.iid || note.projectId !== issue.projectId || note.system) throw new FakeNotFound(params.note_id!, 'note');
          const b = bodyOf(body, url);
          if (typeof b.body !== 'string' || b.body === '') return json({ error: 'body is missing' }, { status: 400 });
          return json(noteJson(s, s.notes.update(note.id, { body: b.body, updatedAt: s.tick() })));
        },
      },
      {
        method: 'GET', path: '/projects/:id/labels',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          const withGroups = url.searchParams.get('include_ancestor_groups') !== 'false';
          return listAnswer(url, projectLabels(s, p.id, withGroups), (l) => labelJson(s, l, p.id));
        },
      },
      {
        method: 'POST', path: '/projects/:id/labels',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          if (typeof b.name !== 'string' || !b.name) return json({ error: 'name is missing' }, { status: 400 });
          if (typeof b.color !== 'string' || !b.color) return json({ error: 'color is missing' }, { status: 400 });
          if (projectLabels(s, p.id, true).some((l) => l.name === b.name)) return json({ message: 'Label already exists' }, { status: 409 });
          const label = s.labels.insert({ id: s.nextId(), projectId: p.id, groupId: null, name: b.name, color: b.color.toUpperCase(), description: typeof b.description === 'string' ? b.description : null });
          return json(labelJson(s, label, p.id), { status: 201 });
        },
      },
      {
        method: 'PUT', path: '/projects/:id/labels/:label_id',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const label = projectLabels(s, p.id, false).find((l) => String(l.id) === params.label_id || l.name === params.label_id);
          if (!label) throw new FakeNotFound(params.label_id!, 'label');
          const b = bodyOf(body, url);
          const patch: Record<string, unknown> = {};
          if (typeof b.new_name === 'string') patch.name = b.new_name;
          if (typeof b.color === 'string') patch.color = b.color.toUpperCase();
          if (typeof b.description === 'string') patch.description = b.description;
          if (Object.keys(patch).length === 0) return json({ error: 'new_name, color, description, priority are missing, at least one parameter must be provided' }, { status: 400 });
          return json(labelJson(s, s.labels.update(label.id, patch), p.id));
        },
      },
      {
        method: 'DELETE', path: '/projects/:id/labels/:label_id',
        handle: ({ params }) => {
          const p = s.project(params.id!);
          const label = projectLabels(s, p.id, false).find((l) => String(l.id) === params.label_id || l.name === params.label_id);
          if (!label) throw new FakeNotFound(params.label_id!, 'label');
          s.labels.delete(label.id);
          return new Response(null, { status: 204 });
        },
      },
      {
        method: 'GET', path: '/projects/:id/milestones',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          const title = url.searchParams.get('title');
          const iids = url.searchParams.getAll('iids[]').map(Number);
          const state = url.searchParams.get('state');
          const inUpdated = updatedFilter(url);
          const items = s.milestones.list((m) => m.projectId === p.id && (!title || m.title === title) && (iids.length === 0 || iids.includes(m.iid)) && (!state || m.state === state) && inUpdated(m.updatedAt));
          return listAnswer(url, items, (m) => milestoneJson(s, m));
        },
      },
      {
        method: 'GET', path: '/users',
        handle: ({ url }) => {
          const username = url.searchParams.get('username');
          // The fake instance has an account for every username it is asked about.
          if (username) s.user(username);
          const users = s.users.list((u) => !username || u.username.toLowerCase() === username.toLowerCase());
          return listAnswer(url, users, (u) => userJson(s, u));
        },
      },
    ];
  },

  seeds(s) {
    return {
      issue(scope, input) {
        const p = s.ensureProject(scope);
        const at = input.createdAt ?? s.tick();
        const updatedAt = input.updatedAt ?? at;
        const labels = input.labels ?? [];
        ensureLabels(s, p.id, labels);
        const closed = input.state === 'closed';
        const milestoneTitle = (input as { milestone?: string }).milestone;
        const milestone = milestoneTitle
          ? (s.milestones.list((m) => m.projectId === p.id && m.title === milestoneTitle)[0] ?? s.milestones.require(Number(gitlabFakeIssues.seeds(s).milestone!(p.path, { title: milestoneTitle }).id)))
          : undefined;
        const issue = s.issues.insert({
          id: s.nextId(), projectId: p.id, iid: s.nextIid(s.issues, p.id), title: input.title, description: input.body ?? null, state: closed ? 'closed' : 'opened',
          labels, assigneeIds: (input.assignees ?? []).slice(0, 1).map((a) => s.user(a).id), authorId: s.user('krate-bot').id, milestoneId: milestone?.id ?? null,
          createdAt: new Date(at).toISOString(), updatedAt: new Date(updatedAt).toISOString(), closedAt: closed ? new Date(updatedAt).toISOString() : null, movedToId: null, duplicateOf: null,
        });
        return { scope: p.path, id: String(issue.iid) };
      },
      comment(issueRef: ExternalRef, input) {
        const p = s.project(issueRef.scope);
        const issue = issueOf(s, p.id, issueRef.id);
        const at = new Date(input.createdAt ?? s.tick()).toISOString();
        const note = s.notes.insert({
          id: s.nextId(), projectId: p.id, noteableType: 'Issue', noteableIid: issue.iid, body: input.body, system: false,
          authorId: s.user(input.author ?? 'krate-bot').id, createdAt: at, updatedAt: new Date(input.updatedAt ?? at).toISOString(),
        });
        return { scope: p.path, id: `${issue.iid}#note_${note.id}` };
      },
      label(scope, input) {
        const p = s.ensureProject(scope);
        const label = s.labels.insert({ id: s.nextId(), projectId: p.id, groupId: null, name: input.name, color: `#${(input.color ?? '6699cc').toUpperCase()}`, description: input.description ?? null });
        return { scope: p.path, id: String(label.id) };
      },
      milestone(scope, input) {
        const p = s.ensureProject(scope);
        const at = s.tick();
        const m = s.milestones.insert({
          id: s.nextId(), iid: s.nextIid(s.milestones, p.id), projectId: p.id, title: input.title, description: null, state: input.state === 'closed' ? 'closed' : 'active',
          dueDate: input.dueOn ? input.dueOn.slice(0, 10) : null, createdAt: at, updatedAt: at,
        });
        return { scope: p.path, id: String(m.id) };
      },
      issueEvent(issueRef: ExternalRef, input) {
        const p = s.project(issueRef.scope);
        const issue = issueOf(s, p.id, issueRef.id);
        const at = new Date(input.createdAt ?? s.tick()).toISOString();
        const actor = s.user(input.actor ?? 'krate-bot');
        const text: Record<string, string> = {
          labeled: 'added ~contract label', assigned: `assigned to @${actor.username}`, closed: 'closed', reopened: 'reopened',
          milestoned: 'changed milestone to %v1', renamed: 'changed title from **a** to **b**',
        };
        const note: FakeNote = { id: s.nextId(), projectId: p.id, noteableType: 'Issue', noteableIid: issue.iid, body: text[input.kind] ?? input.kind, system: true, authorId: actor.id, createdAt: at, updatedAt: at };
        s.notes.insert(note);
        return { scope: p.path, id: `${issue.iid}#note_${note.id}` };
      },
    };
  },

  webhooks(s) {
    const projectHook = (projectId: number) => {
      const p = s.projects.require(projectId);
      const web = `${s.webUrl}/${p.path}`;
      return {
        id: p.id, name: p.name, description: p.description ?? '', web_url: web, avatar_url: null, git_ssh_url: `git@${new URL(s.webUrl).host}:${p.path}.git`,
        git_http_url: `${web}.git`, namespace: p.path.split('/').slice(0, -1).join('/'), visibility_level: p.visibility === 'public' ? 20 : p.visibility === 'internal' ? 10 : 0,
        path_with_namespace: p.path, default_branch: p.defaultBranch, ci_config_path: null, homepage: web, url: `git@${new URL(s.webUrl).host}:${p.path}.git`,
        ssh_url: `git@${new URL(s.webUrl).host}:${p.path}.git`, http_url: `${web}.git`,
      };
    };
    const hookUser = (id: number) => {
      const u = s.users.require(id);
      return { id: u.id, name: u.name, username: u.username, avatar_url: 'https://www.gravatar.com/avatar/00000000000000000000000000000000?s=80&d=identicon', email: '[REDACTED]' };
    };
    const issueFor = (ref: ExternalRef | undefined): FakeIssue => {
      if (ref) return issueOf(s, s.project(ref.scope).id, ref.id.split('#')[0]!);
      const fresh = gitlabFakeIssues.seeds(s).issue!('krate-group/platform/web', { title: 'Issue from a webhook', body: 'Delivered by the fake' });
      return issueOf(s, s.project(fresh.scope).id, fresh.id);
    };
    const issueHook = (options: { action?: string; ref?: ExternalRef }, kind: 'issue' | 'work_item' = 'issue') => {
      const issue = issueFor(options.ref);
      const p = s.projects.require(issue.projectId);
      const labels = projectLabels(s, p.id, true).filter((l) => issue.labels.includes(l.name));
      return {
        object_kind: kind, event_type: kind, user: hookUser(issue.authorId), project: projectHook(p.id),
        object_attributes: {
          author_id: issue.authorId, closed_at: hookTime(issue.closedAt), confidential: false, created_at: hookTime(issue.createdAt), description: issue.description,
          discussion_locked: null, due_date: null, id: issue.id, iid: issue.iid, last_edited_at: null, last_edited_by_id: null, milestone_id: issue.milestoneId,
          moved_to_id: issue.movedToId, duplicated_to_id: null, project_id: p.id, relative_position: null, state_id: issue.state === 'opened' ? 1 : 2,
          time_estimate: 0, title: issue.title, updated_at: hookTime(issue.updatedAt), updated_by_id: issue.authorId, type: kind === 'issue' ? 'Issue' : 'Task',
          url: `${s.webUrl}/${p.path}/-/issues/${issue.iid}`, total_time_spent: 0, time_change: 0, human_total_time_spent: null, human_time_change: null,
          human_time_estimate: null, assignee_ids: issue.assigneeIds, assignee_id: issue.assigneeIds[0] ?? null,
          labels: labels.map((l) => ({ id: l.id, title: l.name, color: l.color, project_id: l.projectId, created_at: hookTime(issue.createdAt), updated_at: hookTime(issue.createdAt), template: false, description: l.description, type: l.projectId ? 'ProjectLabel' : 'GroupLabel', group_id: l.groupId })),
          state: issue.state, severity: 'unknown', customer_relations_contacts: [], action: options.action ?? 'update',
        },
        labels: labels.map((l) => ({ id: l.id, title: l.name, color: l.color, project_id: l.projectId, created_at: hookTime(issue.createdAt), updated_at: hookTime(issue.createdAt), template: false, description: l.description, type: l.projectId ? 'ProjectLabel' : 'GroupLabel', group_id: l.groupId })),
        changes: { updated_at: { previous: hookTime(issue.createdAt), current: hookTime(issue.updatedAt) } },
        repository: { name: p.name, url: `git@${new URL(s.webUrl).host}:${p.path}.git`, description: p.description ?? '', homepage: `${s.webUrl}/${p.path}` },
        assignees: issue.assigneeIds.map(hookUser),
      };
    };
    return {
      'Issue Hook': (options) => issueHook(options),
      'Confidential Issue Hook': (options) => ({ ...issueHook(options), object_kind: 'issue' }),
      'Note Hook': (options) => {
        let note: FakeNote;
        if (options.ref && options.ref.id.includes('#note_')) {
          note = s.notes.require(Number(options.ref.id.split('#note_')[1]));
        } else {
          const issue = issueFor(options.ref);
          const at = s.tick();
          note = s.notes.insert({ id: s.nextId(), projectId: issue.projectId, noteableType: 'Issue', noteableIid: issue.iid, body: 'A comment from a webhook', system: false, authorId: s.user('krate-bot').id, createdAt: at, updatedAt: at });
        }
        const issue = issueOf(s, note.projectId, note.noteableIid);
        const p = s.projects.require(note.projectId);
        const base = issueHook({ ref: { scope: p.path, id: String(issue.iid) } });
        return {
          object_kind: 'note', event_type: 'note', user: hookUser(note.authorId), project_id: p.id, project: base.project,
          object_attributes: {
            attachment: null, author_id: note.authorId, change_position: null, commit_id: null, created_at: hookTime(note.createdAt), discussion_id: `d${note.id}`,
            id: note.id, line_code: null, note: note.body, noteable_id: issue.id, noteable_type: 'Issue', original_position: null, position: null, project_id: p.id,
            resolved_at: null, resolved_by_id: null, resolved_by_push: null, st_diff: null, system: note.system, type: null, updated_at: hookTime(note.updatedAt),
            updated_by_id: null, description: note.body, url: `${s.webUrl}/${p.path}/-/issues/${issue.iid}#note_${note.id}`, action: options.action ?? 'create',
          },
          repository: base.repository,
          issue: { ...base.object_attributes, labels: base.labels },
        };
      },
      'Milestone Hook': (options) => {
        const m = options.ref ? s.milestones.require(Number(options.ref.id)) : s.milestones.require(Number(gitlabFakeIssues.seeds(s).milestone!('krate-group/platform/web', { title: 'Milestone from a webhook' }).id));
        const p = s.projects.require(m.projectId);
        return {
          object_kind: 'milestone', event_type: 'milestone', project: { id: p.id, name: p.name, web_url: `${s.webUrl}/${p.path}`, path_with_namespace: p.path, default_branch: p.defaultBranch },
          object_attributes: {
            id: m.id, iid: m.iid, title: m.title, description: m.description, state: m.state, created_at: hookTime(m.createdAt), updated_at: hookTime(m.updatedAt),
            due_date: m.dueDate, start_date: null, group_id: null, project_id: p.id,
          },
          action: options.action ?? 'create',
        };
      },
    };
  },

  webhookEventFor: {
    issue: { event: 'Issue Hook', action: 'update' },
    comment: { event: 'Note Hook', action: 'update' },
    milestone: { event: 'Milestone Hook', action: 'create' },
  },
};
