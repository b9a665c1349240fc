import { FakeNotFound, json, type FakeRoute } from '@krate/contract-tests/kit';
import { isAdfDoc, type AdfDoc } from '../shared/jira-adf.js';
import type { FakeHistory, FakeIssue, JiraFakeEnv } from './jira-fake-state.js';

type Raw = Record<string, any>;

function bad(env: JiraFakeEnv, errors: Record<string, string>, messages: string[] = []): Response {
  return json({ errorMessages: messages, errors }, { status: 400 });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** The issue a route names, or the vendor's 404. */
export function requireIssue(env: JiraFakeEnv, idOrKey: string): FakeIssue {
  const issue = env.state.findIssue(idOrKey);
  if (!issue) throw new FakeNotFound(idOrKey, 'issue');
  return issue;
}

function fieldsParam(url: URL): string[] | undefined {
  const value = url.searchParams.get('fields');
  return value === null ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Offset page of a list (`startAt`, `maxResults`), as Jira's PageBean. */
export function pageBean<T>(url: URL, all: T[], max: number, defaultSize = 50): { values: T[]; startAt: number; maxResults: number; total: number; isLast: boolean } {
  const startAt = Math.max(0, Number(url.searchParams.get('startAt') ?? 0) || 0);
  const maxResults = Math.max(1, Math.min(Number(url.searchParams.get('maxResults') ?? defaultSize) || defaultSize, max));
  const values = all.slice(startAt, startAt + maxResults);
  return { values, startAt, maxResults, total: all.length, isLast: startAt + values.length >= all.length };
}

/**
 * Issue routes: create, read (by current or former key, or id), edit, transitions with
 * screens and required fields, and the changelog. Every change is written to the
 * changelog as Jira does.
 */
export function issueRoutes(env: JiraFakeEnv): FakeRoute[] {
  const { state, objects } = env;

  function record(issue: FakeIssue, items: FakeHistory['items']): void {
    if (items.length > 0) state.addHistory(issue, state.me.accountId, items, issue.updated);
  }

  function applyFields(issue: FakeIssue, fields: Raw, items: FakeHistory['items']): Response | undefined {
    const errors: Record<string, string> = {};
    if ('summary' in fields) {
      if (typeof fields.summary !== 'string' || fields.summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
      else if (fields.summary !== issue.summary) {
        items.push({ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: fields.summary });
        issue.summary = fields.summary;
      }
    }
    if ('description' in fields) {
      if (fields.description !== null && !isAdfDoc(fields.description)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
      else {
        items.push({ field: 'description', fieldtype: 'jira', fieldId: 'description', from: null, fromString: null, to: null, toString: null });
        issue.description = fields.description as AdfDoc | null;
      }
    }
    if ('labels' in fields) {
      const labels = fields.labels;
      if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l) || l === '')) errors.labels = 'The label must not contain spaces.';
      else {
        const before = issue.labels.join(' ');
        issue.labels = [...new Set(labels as string[])];
        for (const l of issue.labels) state.labels.add(l);
        if (before !== issue.labels.join(' ')) items.push({ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: before, to: null, toString: issue.labels.join(' ') });
      }
    }
    if ('assignee' in fields) {
      const id = fields.assignee === null ? null : fields.assignee?.accountId;
      // Any well-formed account id is a user of the fake site (the contract suite assigns made-up logins).
      if (typeof id === 'string' && /^[\w:.-]{1,128}$/.test(id) && !state.users.has(id)) state.addUser({ accountId: id, displayName: id, timeZone: 'UTC' });
      if (id !== null && (typeof id !== 'string' || !state.users.has(id))) errors.assignee = `User '${String(id)}' cannot be assigned issues.`;
      else if (id !== issue.assignee) {
        items.push({ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: issue.assignee, fromString: issue.assignee ? state.users.get(issue.assignee)?.displayName ?? null : null, to: id, toString: id ? state.users.get(id)?.displayName ?? null : null });
        issue.assignee = id;
      }
    }
    if ('fixVersions' in fields) {
      const list = Array.isArray(fields.fixVersions) ? fields.fixVersions : [];
      const ids: string[] = [];
      for (const v of list) {
        const version = [...state.versions.values()].find((x) => x.projectKey === issue.projectKey && (String(x.id) === String(v?.id) || x.name === v?.name));
        if (!version) errors.fixVersions = `Version '${String(v?.name ?? v?.id)}' is not valid`;
        else ids.push(String(version.id));
      }
      if (!errors.fixVersions) {
        items.push({ field: 'Fix Version', fieldtype: 'jira', fieldId: 'fixVersions', from: issue.fixVersionIds[0] ?? null, fromString: null, to: ids[0] ?? null, toString: null });
        issue.fixVersionIds = ids;
      }
    }
    if (state.sprintFieldId in fields) {
      const value = fields[state.sprintFieldId];
      const sprint = value === null ? undefined : state.sprints.get(Number(value));
      if (value !== null && !sprint) errors[state.sprintFieldId] = `Sprint with id ${String(value)} does not exist`;
      else {
        // An issue keeps the closed sprints it was in; its open sprint is replaced.
        const closed = (issue.sprintIds ?? []).filter((id) => state.sprints.get(id)?.state === 'closed');
        issue.sprintIds = sprint ? [...closed.filter((id) => id !== sprint.id), sprint.id] : closed;
        items.push({ field: 'Sprint', fieldtype: 'custom', fieldId: state.sprintFieldId, from: null, fromString: null, to: sprint ? String(sprint.id) : null, toString: sprint?.name ?? null });
      }
    }
    if (Object.keys(errors).length > 0) return bad(env, errors);
    return undefined;
  }

  function transitionsFor(issue: FakeIssue, expandFields: boolean): Raw[] {
    const project = state.project(issue.projectKey);
    return state.transitions
      .filter((t) => t.to !== issue.statusId)
      .map((t) => {
        const json: Raw = { id: t.id, name: t.name, to: objects.statusJson(t.to), hasScreen: Boolean(t.fields), isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false };
        if (expandFields) {
          const fields: Raw = {};
          for (const [id, f] of Object.entries(t.fields ?? {})) {
            if (id === 'resolution' && !project.resolutionOnScreen) continue;
            const field: Raw = { required: f.required, schema: { type: id === 'resolution' ? 'resolution' : 'string', system: id }, name: f.name, key: id, hasDefaultValue: false, operations: ['set'] };
            if (id === 'resolution') field.allowedValues = state.resolutions.map((r) => ({ self: `${env.siteUrl}/rest/api/3/resolution/${r.id}`, id: r.id, name: r.name, description: '' }));
            fields[id] = field;
          }
          json.fields = fields;
        }
        return json;
      });
  }

  return [
    {
      method: 'GET',
      path: '/rest/api/3/myself',
      handle: () => json(objects.user(state.me.accountId)),
    },
    {
      method: 'POST',
      path: '/rest/api/3/issue',
      handle: ({ body }) => {
        const fields: Raw = (body as Raw)?.fields ?? {};
        const projectKey = String(fields.project?.key ?? '').toUpperCase();
        if (!projectKey) return bad(env, { project: 'Specify a valid project ID or key' });
        if (typeof fields.summary !== 'string' || fields.summary.trim() === '') return bad(env, { summary: 'You must specify a summary of the issue.' });
        if (!fields.issuetype?.name && !fields.issuetype?.id) return bad(env, { issuetype: 'Specify an issue type' });
        const now = state.tick();
        const issue = state.addIssue({
          projectKey,
          summary: fields.summary,
          description: null,
          statusId: state.statusByCategory('new').id,
          resolution: null,
          resolutiondate: null,
          labels: [],
          assignee: null,
          reporter: state.me.accountId,
          fixVersionIds: [],
          issueType: String(fields.issuetype.name ?? 'Task'),
          created: now,
          updated: now,
          unindexedSearches: state.searchLag,
        });
        const { summary: _s, project: _p, issuetype: _t, ...rest } = fields;
        const refused = applyFields(issue, rest, []);
        if (refused) {
          state.issues.delete(issue.id);
          state.keys.delete(issue.key);
          return refused;
        }
        return json({ id: String(issue.id), key: issue.key, self: `${env.siteUrl}/rest/api/3/issue/${issue.id}` }, { status: 201 });
      },
    },
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key',
      handle: ({ params, url }) => json(objects.issue(requireIssue(env, params.key!), { fields: fieldsParam(url) })),
    },
    {
      method: 'PUT',
      path: '/rest/api/3/issue/:key',
      handle: ({ params, body }) => {
        const issue = requireIssue(env, params.key!);
        if (env.writeLimited(issue)) return rateLimitedWrite(env);
        const items: FakeHistory['items'] = [];
        const refused = applyFields(issue, ((body as Raw)?.fields ?? {}) as Raw, items);
        if (refused) return refused;
        issue.updated = state.tick();
        record(issue, items);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key/transitions',
      handle: ({ params, url }) => {
        const issue = requireIssue(env, params.key!);
        return json({ expand: 'transitions', transitions: transitionsFor(issue, (url.searchParams.get('expand') ?? '').includes('transitions.fields')) });
      },
    },
    {
      method: 'POST',
      path: '/rest/api/3/issue/:key/transitions',
      handle: ({ params, body }) => {
        const issue = requireIssue(env, params.key!);
        if (env.writeLimited(issue)) return rateLimitedWrite(env);
        const b = (body ?? {}) as Raw;
        const id = String(b.transition?.id ?? '');
        const transition = state.transitions.find((t) => t.id === id && t.to !== issue.statusId);
        if (!transition) return bad(env, {}, [`Transition id '${id}' is not valid for this issue.`]);
        const project = state.project(issue.projectKey);
        const given: Raw = b.fields ?? {};
        const errors: Record<string, string> = {};
        for (const [fieldId, f] of Object.entries(transition.fields ?? {})) {
          if (fieldId === 'resolution' && !project.resolutionOnScreen) continue;
          if (f.required && given[fieldId] === undefined) errors[fieldId] = `${f.name} is required.`;
        }
        for (const fieldId of Object.keys(given)) {
          const onScreen = transition.fields?.[fieldId] && !(fieldId === 'resolution' && !project.resolutionOnScreen);
          if (!onScreen) errors[fieldId] = `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;
        }
        if (Object.keys(errors).length > 0) return bad(env, errors);
        const from = state.status(issue.statusId);
        const to = state.status(transition.to);
        issue.statusId = to.id;
        issue.updated = state.tick();
        const items: FakeHistory['items'] = [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name }];
        if (to.category === 'done') {
          const name = given.resolution?.name ?? (project.resolutionOnScreen ? null : 'Done');
          const resolution = name ? state.resolutions.find((r) => r.name === name) : undefined;
          if (name && !resolution) return bad(env, { resolution: `Resolution '${String(name)}' is not valid.` });
          if (resolution) {
            items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: issue.resolution, to: resolution.id, toString: resolution.name });
            issue.resolution = resolution.name;
          }
          issue.resolutiondate = issue.updated;
        } else if (issue.resolution) {
          items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: issue.resolution, to: null, toString: null });
          issue.resolution = null;
          issue.resolutiondate = null;
        }
        record(issue, items);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/rest/api/3/issue/:key/changelog',
      handle: ({ params, url }) => {
        const issue = requireIssue(env, params.key!);
        const all = [...state.histories.values()].filter((h) => h.issueId === issue.id).sort((a, b) => a.id - b.id);
        const page = pageBean(url, all, 100);
        return json({
          self: `${env.siteUrl}/rest/api/3/issue/${issue.key}/changelog?maxResults=${page.maxResults}&startAt=${page.startAt}`,
          maxResults: page.maxResults,
          startAt: page.startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((h) => objects.history(h)),
        });
      },
    },
  ];
}

/** Jira's answer to rapid writes to one issue: 429 with `RateLimit-Reason: jira-per-issue-on-write`. */
export function rateLimitedWrite(env: JiraFakeEnv): Response {
  const reset = new Date(Date.now() + 2000).toISOString().slice(0, 16) + 'Z';
  return json(env.objects.errorBody(429, 'Rate limit exceeded for writes to this issue.'), {
    status: 429,
    headers: { 'retry-after': '2', 'x-ratelimit-reset': reset, 'ratelimit-reason': 'jira-per-issue-on-write' },
  });
}
