import type { AdfDoc, AdfNode } from '../shared/jira-adf.js';
import type { FakeComment, FakeHistory, FakeIssue, FakeSprint, FakeUser, FakeVersion, JiraFakeState } from './jira-fake-state.js';

type Json = Record<string, unknown>;

/** Builds Jira's JSON objects (REST v3, and the v2 shapes webhooks carry) from the fake's state. */
export interface JiraFakeObjects {
  user(accountId: string | null, version?: 2 | 3): Json | null;
  issue(issue: FakeIssue, options?: { fields?: string[] | undefined; version?: 2 | 3 }): Json;
  comment(comment: FakeComment, options?: { version?: 2 | 3; expandProperties?: boolean }): Json;
  history(history: FakeHistory): Json;
  version(version: FakeVersion): Json;
  sprint(sprint: FakeSprint): Json;
  statusJson(statusId: string): Json;
  errorBody(status: number, message?: string): Json;
}

const CATEGORY: Record<string, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
  undefined: { id: 1, colorName: 'medium-gray', name: 'No Category' },
};

/** ADF as Jira's wiki markup (what admin webhooks, on the REST v2 shape, carry), for the fake's deliveries. */
export function adfToWiki(doc: AdfDoc | null): string | null {
  if (!doc) return null;
  const inline = (nodes: AdfNode[] | undefined): string =>
    (nodes ?? [])
      .map((n) => {
        if (n.type !== 'text') return n.type === 'hardBreak' ? '\\\\' : inline(n.content);
        let t = n.text ?? '';
        for (const m of n.marks ?? []) {
          if (m.type === 'strong') t = `*${t}*`;
          else if (m.type === 'em') t = `_${t}_`;
          else if (m.type === 'code') t = `{{${t}}}`;
          else if (m.type === 'link') t = `[${t}|${String(m.attrs?.href ?? '')}]`;
        }
        return t;
      })
      .join('');
  const block = (n: AdfNode): string => {
    if (n.type === 'heading') return `h${String(n.attrs?.level ?? 1)}. ${inline(n.content)}`;
    if (n.type === 'bulletList') return (n.content ?? []).map((i) => `* ${(i.content ?? []).map(block).join(' ')}`).join('\n');
    if (n.type === 'orderedList') return (n.content ?? []).map((i) => `# ${(i.content ?? []).map(block).join(' ')}`).join('\n');
    if (n.type === 'codeBlock') return `{code}${inline(n.content)}{code}`;
    if (n.type === 'blockquote') return `{quote}${(n.content ?? []).map(block).join('\n')}{quote}`;
    if (n.type === 'rule') return '----';
    return inline(n.content);
  };
  return doc.content.map(block).join('\n\n');
}

export function createJiraFakeObjects(state: JiraFakeState, siteBase: () => string): JiraFakeObjects {
  const api = (version: 2 | 3) => `${siteBase()}/rest/api/${version}`;
  const avatars = (seed: string) => ({
    '48x48': `https://secure.gravatar.com/avatar/${seed}?d=mm&s=48`,
    '24x24': `https://secure.gravatar.com/avatar/${seed}?d=mm&s=24`,
    '16x16': `https://secure.gravatar.com/avatar/${seed}?d=mm&s=16`,
    '32x32': `https://secure.gravatar.com/avatar/${seed}?d=mm&s=32`,
  });
  const userJson = (user: FakeUser, version: 2 | 3): Json => {
    const json: Json = {
      self: `${api(version)}/user?accountId=${encodeURIComponent(user.accountId)}`,
      accountId: user.accountId,
      accountType: 'atlassian',
      avatarUrls: avatars(user.accountId.slice(-8)),
      displayName: user.displayName,
      active: true,
      timeZone: user.timeZone,
    };
    if (user.emailAddress) json.emailAddress = user.emailAddress;
    return json;
  };
  const statusJson = (statusId: string, version: 2 | 3 = 3): Json => {
    const status = state.status(statusId);
    const category = CATEGORY[status.category]!;
    return {
      self: `${api(version)}/status/${status.id}`,
      description: '',
      iconUrl: `${siteBase()}/images/icons/statuses/generic.png`,
      name: status.name,
      id: status.id,
      statusCategory: { self: `${api(version)}/statuscategory/${category.id}`, id: category.id, key: status.category, colorName: category.colorName, name: category.name },
    };
  };
  const versionJson = (v: FakeVersion, version: 2 | 3 = 3): Json => {
    const project = state.project(v.projectKey);
    const json: Json = { self: `${api(version)}/version/${v.id}`, id: String(v.id), name: v.name, archived: v.archived, released: v.released, projectId: project.id };
    if (v.description !== undefined) json.description = v.description;
    if (v.releaseDate !== undefined) json.releaseDate = v.releaseDate;
    return json;
  };
  const objects: JiraFakeObjects = {
    user(accountId, version = 3) {
      if (!accountId) return null;
      const user = state.users.get(accountId) ?? { accountId, displayName: accountId, timeZone: 'UTC' };
      return userJson(user, version);
    },
    statusJson: (id) => statusJson(id),
    issue(issue, options = {}) {
      const version = options.version ?? 3;
      const project = state.project(issue.projectKey);
      const resolution = issue.resolution ? state.resolutions.find((r) => r.name === issue.resolution) : undefined;
      const all: Json = {
        summary: issue.summary,
        description: version === 3 ? issue.description : adfToWiki(issue.description),
        status: statusJson(issue.statusId, version),
        resolution: resolution ? { self: `${api(version)}/resolution/${resolution.id}`, id: resolution.id, description: '', name: resolution.name } : null,
        resolutiondate: issue.resolutiondate,
        labels: [...issue.labels],
        assignee: objects.user(issue.assignee, version),
        reporter: objects.user(issue.reporter, version),
        fixVersions: issue.fixVersionIds.map((id) => state.versions.get(Number(id))).filter((v): v is FakeVersion => v !== undefined).map((v) => versionJson(v, version)),
        created: issue.created,
        updated: issue.updated,
        project: {
          self: `${api(version)}/project/${project.id}`,
          id: String(project.id),
          key: project.key,
          name: project.name,
          projectTypeKey: 'software',
          simplified: !project.resolutionOnScreen,
          avatarUrls: avatars(project.key),
        },
        [state.sprintFieldId]: issue.sprintIds && issue.sprintIds.length > 0 ? issue.sprintIds.map((id) => state.sprints.get(id)).filter((x): x is FakeSprint => x !== undefined).map((x) => objects.sprint(x)) : null,
        issuetype: { self: `${api(version)}/issuetype/10001`, id: '10001', description: 'A small, distinct piece of work.', iconUrl: `${siteBase()}/images/icons/issuetypes/task.svg`, name: issue.issueType, subtask: false, hierarchyLevel: 0 },
      };
      const wanted = options.fields;
      let fields: Json = all;
      if (wanted !== undefined) {
        const all2 = wanted.includes('*all') || wanted.includes('*navigable');
        fields = {};
        for (const name of Object.keys(all)) if (all2 || wanted.includes(name)) fields[name] = all[name];
      }
      return { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: String(issue.id), self: `${api(version)}/issue/${issue.id}`, key: issue.key, fields };
    },
    comment(comment, options = {}) {
      const version = options.version ?? 3;
      const issue = state.issues.get(comment.issueId)!;
      const json: Json = {
        self: `${api(version)}/issue/${issue.id}/comment/${comment.id}`,
        id: String(comment.id),
        author: objects.user(comment.author, version),
        body: version === 3 ? comment.body : adfToWiki(comment.body),
        updateAuthor: objects.user(comment.author, version),
        created: comment.created,
        updated: comment.updated,
        jsdPublic: true,
      };
      if (options.expandProperties) json.properties = comment.properties.map((p) => ({ key: p.key, value: p.value }));
      return json;
    },
    history(history) {
      // ChangeDetails declares from/to as strings: absent values are left out, not null.
      const items = history.items.map((i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== null && v !== undefined)));
      return { id: String(history.id), author: objects.user(history.author), created: history.created, items };
    },
    version: (v) => versionJson(v),
    sprint(sprint) {
      const json: Json = { id: sprint.id, self: `${siteBase()}/rest/agile/1.0/sprint/${sprint.id}`, state: sprint.state, name: sprint.name, originBoardId: sprint.boardId };
      if (sprint.startDate) json.startDate = sprint.startDate;
      if (sprint.endDate) json.endDate = sprint.endDate;
      if (sprint.goal) json.goal = sprint.goal;
      return json;
    },
    errorBody(status, message) {
      const text =
        message ??
        ({
          400: 'The request is not valid.',
          401: 'Client must be authenticated to access this resource.',
          403: 'You do not have permission to perform this operation.',
          404: 'Issue does not exist or you do not have permission to see it.',
          409: 'The resource was changed by someone else.',
          422: 'The request could not be processed.',
        } as Record<number, string>)[status] ??
        'Internal server error';
      return { errorMessages: [text], errors: {} };
    },
  };
  return objects;
}
