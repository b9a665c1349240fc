import { FakeClock } from '@krate/contract-tests/kit';
import type { AdfDoc } from '../shared/jira-adf.js';

/** A user of the fake site. */
export interface FakeUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  timeZone: string;
}

export interface FakeStatus {
  id: string;
  name: string;
  /** `new`, `indeterminate`, `done` or `undefined` (No Category). */
  category: 'new' | 'indeterminate' | 'done' | 'undefined';
}

/** A workflow transition: available from every status but its target. */
export interface FakeTransition {
  id: string;
  name: string;
  to: string;
  /** Screen fields: `resolution` and any other (required ones the client must send). */
  fields?: Record<string, { required: boolean; name: string }>;
}

export interface FakeIssue {
  id: number;
  key: string;
  projectKey: string;
  summary: string;
  description: AdfDoc | null;
  statusId: string;
  resolution: string | null;
  resolutiondate: string | null;
  labels: string[];
  assignee: string | null;
  reporter: string;
  fixVersionIds: string[];
  issueType: string;
  /** Sprints the issue was or is in (Jira Software's Sprint field). */
  sprintIds?: number[];
  created: string;
  updated: string;
  /** Searches that still miss this issue unless it is reconciled (eventual consistency). */
  unindexedSearches: number;
}

export interface FakeComment {
  id: number;
  issueId: number;
  body: AdfDoc;
  author: string;
  created: string;
  updated: string;
  properties: Array<{ key: string; value: unknown }>;
}

export interface FakeHistory {
  id: number;
  issueId: number;
  author: string;
  created: string;
  items: Array<{ field: string; fieldtype: string; fieldId?: string; from: string | null; fromString: string | null; to: string | null; toString: string | null }>;
}

export interface FakeVersion {
  id: number;
  projectKey: string;
  name: string;
  description?: string;
  released: boolean;
  archived: boolean;
  releaseDate?: string;
}

export interface FakeSprint {
  id: number;
  boardId: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  goal?: string;
  startDate?: string;
  endDate?: string;
}

export interface FakeProject {
  id: number;
  key: string;
  name: string;
  /** Whether the transition screens of this project show the resolution field (team-managed projects often do not). */
  resolutionOnScreen: boolean;
}

/** The fake site's state. Everything the routes read and write. */
export class JiraFakeState {
  readonly clock = new FakeClock('2026-03-02T09:00:00Z');
  readonly users = new Map<string, FakeUser>();
  readonly projects = new Map<string, FakeProject>();
  readonly issues = new Map<number, FakeIssue>();
  /** Every key an issue ever had -> its id (a moved issue keeps resolving by its old key). */
  readonly keys = new Map<string, number>();
  readonly comments = new Map<number, FakeComment>();
  readonly histories = new Map<number, FakeHistory>();
  readonly versions = new Map<number, FakeVersion>();
  readonly sprints = new Map<number, FakeSprint>();
  /** Scrum boards of the site (ids). */
  readonly boards = new Set<number>([1]);
  /** The Sprint custom field of the site. */
  readonly sprintFieldId = 'customfield_10020';
  /** Labels in use or seeded (Jira's label list is global). */
  readonly labels = new Set<string>();
  statuses: FakeStatus[] = [
    { id: '10000', name: 'To Do', category: 'new' },
    { id: '3', name: 'In Progress', category: 'indeterminate' },
    { id: '10001', name: 'Done', category: 'done' },
  ];
  transitions: FakeTransition[] = [
    { id: '11', name: 'To Do', to: '10000' },
    { id: '21', name: 'In Progress', to: '3' },
    { id: '31', name: 'Done', to: '10001', fields: { resolution: { required: false, name: 'Resolution' } } },
  ];
  resolutions = [
    { id: '10000', name: 'Done' },
    { id: '10001', name: "Won't Do" },
    { id: '10002', name: 'Duplicate' },
    { id: '10003', name: 'Cannot Reproduce' },
  ];
  /** The account the credentials belong to (its time zone is the JQL time zone). */
  readonly me: FakeUser = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Krate Bot', emailAddress: 'bot@krate.example', timeZone: 'Australia/Sydney' };
  /** How many searches miss an issue created through the API (0: search is consistent). */
  searchLag = 0;
  /** Writes one issue accepts before answering 429 `jira-per-issue-on-write` (Infinity: no limit). */
  perIssueWriteLimit = Infinity;
  readonly writesPerIssue = new Map<number, number>();
  /** Search page tokens the fake issued: token -> the query, the offset and the result it pages through. */
  readonly pageTokens = new Map<string, { jql: string; offset: number; ids: number[] }>();
  #nextIssueId = 10000;
  #nextComment = 10000;
  #nextHistory = 20000;
  #nextVersion = 10000;
  readonly #issueNumbers = new Map<string, number>();

  constructor() {
    this.users.set(this.me.accountId, this.me);
    this.addUser({ accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Mia Krystof', timeZone: 'Europe/Berlin' });
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.accountId, user);
    return user;
  }

  /** The project, created on first use. */
  project(key: string): FakeProject {
    let project = this.projects.get(key);
    if (!project) {
      project = { id: 10000 + this.projects.size, key, name: `Project ${key}`, resolutionOnScreen: true };
      this.projects.set(key, project);
    }
    return project;
  }

  status(id: string): FakeStatus {
    return this.statuses.find((s) => s.id === id) ?? this.statuses[0]!;
  }

  statusByCategory(category: FakeStatus['category']): FakeStatus {
    return this.statuses.find((s) => s.category === category) ?? this.statuses[0]!;
  }

  /** The Jira time format: `2026-05-27T13:33:20.241+0000`. */
  now(): string {
    return this.clock.now().toISOString().replace('Z', '+0000');
  }

  /** Moves the clock a second and returns the new time. */
  tick(): string {
    this.clock.tick(1000);
    return this.now();
  }

  nextIssueKey(projectKey: string): string {
    const n = (this.#issueNumbers.get(projectKey) ?? 0) + 1;
    this.#issueNumbers.set(projectKey, n);
    return `${projectKey}-${n}`;
  }

  addIssue(fields: Omit<FakeIssue, 'id' | 'key'> & { key?: string }): FakeIssue {
    this.project(fields.projectKey);
    const id = this.#nextIssueId++;
    const key = fields.key ?? this.nextIssueKey(fields.projectKey);
    const issue: FakeIssue = { ...fields, id, key };
    this.issues.set(id, issue);
    this.keys.set(key, id);
    for (const label of issue.labels) this.labels.add(label);
    return issue;
  }

  /** The issue for an id or a key (current or former). */
  findIssue(idOrKey: string): FakeIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return this.issues.get(Number(idOrKey));
    const id = this.keys.get(idOrKey.toUpperCase());
    return id === undefined ? undefined : this.issues.get(id);
  }

  /** Moves an issue to another project: a new key; the old one still resolves. */
  moveIssue(issue: FakeIssue, projectKey: string): FakeIssue {
    this.project(projectKey);
    const oldKey = issue.key;
    issue.projectKey = projectKey;
    issue.key = this.nextIssueKey(projectKey);
    issue.updated = this.tick();
    this.keys.set(issue.key, issue.id);
    this.addHistory(issue, this.me.accountId, [
      { field: 'Key', fieldtype: 'jira', fieldId: 'issuekey', from: null, fromString: oldKey, to: null, toString: issue.key },
      { field: 'project', fieldtype: 'jira', fieldId: 'project', from: null, fromString: oldKey.replace(/-\d+$/, ''), to: null, toString: projectKey },
    ]);
    return issue;
  }

  addComment(issue: FakeIssue, body: AdfDoc, author: string, created: string, updated = created): FakeComment {
    const comment: FakeComment = { id: this.#nextComment++, issueId: issue.id, body, author, created, updated, properties: [] };
    this.comments.set(comment.id, comment);
    return comment;
  }

  addHistory(issue: FakeIssue, author: string, items: FakeHistory['items'], created = this.now()): FakeHistory {
    const history: FakeHistory = { id: this.#nextHistory++, issueId: issue.id, author, created, items };
    this.histories.set(history.id, history);
    return history;
  }

  addSprint(fields: Omit<FakeSprint, 'id'>): FakeSprint {
    const sprint: FakeSprint = { id: this.sprints.size + 1, ...fields };
    this.sprints.set(sprint.id, sprint);
    return sprint;
  }

  addVersion(projectKey: string, fields: Omit<FakeVersion, 'id' | 'projectKey'>): FakeVersion {
    this.project(projectKey);
    const version: FakeVersion = { id: this.#nextVersion++, projectKey, ...fields };
    this.versions.set(version.id, version);
    return version;
  }
}

/** What every route module of the fake is given. */
export interface JiraFakeEnv {
  readonly state: JiraFakeState;
  readonly objects: import('./jira-fake-objects.js').JiraFakeObjects;
  /** Where the API is served (the site, or the gateway `https://api.atlassian.com/ex/jira/{cloudId}`). */
  readonly apiBaseUrl: string;
  /** The site (`https://<site>.atlassian.net`): self links and browse URLs. */
  readonly siteUrl: string;
  /** Counts a write to an issue; true when the per-issue write limit is hit. */
  writeLimited(issue: FakeIssue): boolean;
}
