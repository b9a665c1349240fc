import { FakeClock, FakeCollection, FakeInvalidCursor, FakeNotFound, createSequence, json, pageSlice } from '@krate/contract-tests/kit';

/** A user of the fake instance. */
export interface FakeUser { id: number; username: string; name: string }

export interface FakeGroup { id: number; path: string; name: string; parentId: number | null }

export interface FakeProject {
  id: number;
  path: string;
  name: string;
  namespaceId: number;
  description: string | null;
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  onlyAllowMergeIfPipelineSucceeds: boolean;
  mergeMethod: 'merge' | 'rebase_merge' | 'ff';
}

export interface FakeIssue {
  id: number; projectId: number; iid: number; title: string; description: string | null; state: 'opened' | 'closed';
  labels: string[]; assigneeIds: number[]; authorId: number; milestoneId: number | null;
  createdAt: string; updatedAt: string; closedAt: string | null; movedToId: number | null; duplicateOf: number | null;
}

export interface FakeNote {
  id: number; projectId: number; noteableType: 'Issue' | 'MergeRequest'; noteableIid: number; body: string; system: boolean;
  authorId: number; createdAt: string; updatedAt: string;
}

export interface FakeLabel { id: number; projectId: number | null; groupId: number | null; name: string; color: string; description: string | null }

export interface FakeMilestone { id: number; iid: number; projectId: number; title: string; description: string | null; state: 'active' | 'closed'; dueDate: string | null; createdAt: string; updatedAt: string }

export type FakePipelineStatus =
  | 'created' | 'waiting_for_resource' | 'preparing' | 'pending' | 'running' | 'success' | 'failed' | 'canceling' | 'canceled'
  | 'skipped' | 'manual' | 'scheduled';

export interface FakePipeline {
  id: number; iid: number; projectId: number; name: string | null; ref: string; sha: string; status: FakePipelineStatus; source: string;
  userId: number; createdAt: string; updatedAt: string; startedAt: string | null; finishedAt: string | null;
  /** 1 + retries of this pipeline + new pipelines run for its ref after it (GitLab's full rerun is a new pipeline). */
  runs: number;
}

export interface FakeArtifact { file_type: string; size: number; filename: string; file_format: string | null }

export interface FakeJob {
  id: number; projectId: number; pipelineId: number; name: string; stage: string; status: FakePipelineStatus; bridge: boolean;
  trace: string; artifacts: FakeArtifact[]; artifactsExpireAt: string | null; runnerId: number | null; allowFailure: boolean;
  createdAt: string; startedAt: string | null; finishedAt: string | null;
}

export interface FakeRunner {
  id: number; description: string; projectIds: number[]; status: 'online' | 'offline' | 'stale' | 'never_contacted'; paused: boolean;
  tagList: string[]; runnerType: 'instance_type' | 'group_type' | 'project_type'; version: string | null; platform: string | null;
}

export interface FakeStatus {
  id: number; projectId: number; sha: string; ref: string | null; name: string; status: 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped';
  targetUrl: string | null; description: string | null; createdAt: string; startedAt: string | null; finishedAt: string | null; pipelineId: number | null;
}

export interface FakeBranch { id: string; projectId: number; name: string; sha: string }
export interface FakeTag { id: string; projectId: number; name: string; sha: string; message: string | null }
export interface FakeCommit { id: string; projectId: number; sha: string; message: string; parents: string[]; authorName: string; authorEmail: string; authoredAt: string; committedAt: string }

export interface FakeMergeRequest {
  id: number; projectId: number; iid: number; title: string; description: string | null; state: 'opened' | 'closed' | 'locked' | 'merged';
  sourceBranch: string; targetBranch: string; sha: string; mergeCommitSha: string | null; squashCommitSha: string | null;
  /** How the merge was done (`merge`, or `squash` when the merge asked for it). */
  mergedWith?: 'merge' | 'squash';
  detailedMergeStatus: string; labels: string[]; assigneeIds: number[]; reviewerIds: number[]; authorId: number;
  createdAt: string; updatedAt: string; mergedAt: string | null; closedAt: string | null;
  /** Reads left before `detailedMergeStatus` settles from `checking` (GitLab computes mergeability asynchronously). */
  checksPending: number;
}

/** A reviewer of a merge request and the state of their review (`unreviewed`, `reviewed`, `requested_changes`, `approved`, `unapproved`). */
export interface FakeApproval { id: number; projectId: number; mrIid: number; userId: number; state: string; createdAt: string }

export interface FakeDeployKey { id: number; projectId: number; title: string; key: string; canPush: boolean; createdAt: string; expiresAt: string | null }
export interface FakeMember { id: string; projectId: number; userId: number; accessLevel: number; inherited: boolean; createdAt: string }
export interface FakeProtectedBranch {
  id: number; projectId: number; name: string; pushAccessLevel: number; mergeAccessLevel: number; allowForcePush: boolean; codeOwnerApprovalRequired: boolean;
}

const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

/**
 * The state of the GitLab fake: one instance with groups, users and projects, and
 * per-project issues, notes, labels, milestones, pipelines, jobs, runners, statuses,
 * repositories, merge requests and settings. Ids are global and increase, as on GitLab;
 * iids count per project.
 */
export class GitLabFakeState {
  readonly clock = new FakeClock('2026-01-01T00:00:00Z');
  readonly nextId = createSequence(1000);
  readonly users = new FakeCollection<FakeUser>({ name: 'user', compare: byId });
  readonly groups = new FakeCollection<FakeGroup>({ name: 'group', compare: byId });
  readonly projects = new FakeCollection<FakeProject>({ name: 'project', compare: byId });
  readonly issues = new FakeCollection<FakeIssue>({ name: 'issue', compare: byId });
  readonly notes = new FakeCollection<FakeNote>({ name: 'note', compare: byId });
  readonly labels = new FakeCollection<FakeLabel>({ name: 'label', compare: byId });
  readonly milestones = new FakeCollection<FakeMilestone>({ name: 'milestone', compare: byId });
  readonly pipelines = new FakeCollection<FakePipeline>({ name: 'pipeline', compare: byId });
  readonly jobs = new FakeCollection<FakeJob>({ name: 'job', compare: byId });
  readonly runners = new FakeCollection<FakeRunner>({ name: 'runner', compare: byId });
  readonly statuses = new FakeCollection<FakeStatus>({ name: 'status', compare: byId });
  readonly branches = new FakeCollection<FakeBranch>({ name: 'branch' });
  readonly tags = new FakeCollection<FakeTag>({ name: 'tag' });
  readonly commits = new FakeCollection<FakeCommit>({ name: 'commit' });
  readonly mergeRequests = new FakeCollection<FakeMergeRequest>({ name: 'merge request', compare: byId });
  readonly approvals = new FakeCollection<FakeApproval>({ name: 'approval', compare: byId });
  readonly deployKeys = new FakeCollection<FakeDeployKey>({ name: 'deploy key', compare: byId });
  readonly members = new FakeCollection<FakeMember>({ name: 'member' });
  readonly protectedBranches = new FakeCollection<FakeProtectedBranch>({ name: 'protected branch', compare: byId });
  /** Runner authentication tokens handed out (`glrt-...`), for the secret scan. */
  readonly runnerTokens: string[] = [];
  /** Whether legacy runner registration (`POST /runners` with a registration token) is enabled; off by default since GitLab 17.0. */
  legacyRunnerRegistration = false;

  constructor(readonly apiUrl: string, readonly webUrl: string) {}

  /** ISO time as the REST API prints it: `2026-01-01T00:00:00.000Z`. */
  now(): string {
    return this.clock.now().toISOString();
  }

  /** Moves the clock a second forward and returns the new time (every write does this). */
  tick(): string {
    this.clock.tick(1000);
    return this.now();
  }

  user(username: string): FakeUser {
    const found = this.users.list((u) => u.username === username)[0];
    if (found) return found;
    const name = username.split(/[-_.]/).map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p)).join(' ');
    return this.users.insert({ id: this.nextId(), username, name });
  }

  /** A group path (`a/b/c`), created with its parents. */
  ensureGroup(path: string): FakeGroup {
    const found = this.groups.list((g) => g.path === path)[0];
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = cut > 0 ? this.ensureGroup(path.slice(0, cut)) : null;
    return this.groups.insert({ id: this.nextId(), path, name: path.slice(cut + 1), parentId: parent?.id ?? null });
  }

  /** A project path (`group/sub/project`), created (with a `main` branch and one commit) when missing. */
  ensureProject(path: string, init: Partial<FakeProject> = {}): FakeProject {
    const found = this.findProject(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const group = this.ensureGroup(path.slice(0, cut));
    const at = init.createdAt ?? this.now();
    const project = this.projects.insert({
      id: this.nextId(), path, name: path.slice(cut + 1), namespaceId: group.id, description: null, visibility: 'private',
      defaultBranch: 'main', archived: false, createdAt: at, updatedAt: init.updatedAt ?? at, lastActivityAt: init.updatedAt ?? at,
      onlyAllowMergeIfPipelineSucceeds: false, mergeMethod: 'merge', ...init,
    });
    const sha = this.addCommit(project.id, { message: 'Initial commit', parents: [] }).sha;
    this.setBranch(project.id, project.defaultBranch, sha);
    return project;
  }

  findProject(idOrPath: string | number): FakeProject | undefined {
    const key = String(idOrPath);
    if (/^\d+$/.test(key)) return this.projects.get(Number(key));
    return this.projects.list((p) => p.path === key)[0];
  }

  /** The project a route's `:id` names (numeric id or URL-decoded path), or a 404 "Project Not Found". */
  project(idOrPath: string): FakeProject {
    const found = this.findProject(idOrPath);
    if (!found) throw new FakeNotFound(idOrPath, 'project');
    return found;
  }

  addCommit(projectId: number, input: { message: string; sha?: string; parents?: string[]; authorName?: string; authorEmail?: string; at?: string }): FakeCommit {
    const sha = input.sha ?? shaOf(this.nextId());
    const at = input.at ?? this.now();
    return this.commits.insert({
      id: `${projectId}:${sha}`, projectId, sha, message: input.message, parents: input.parents ?? [],
      authorName: input.authorName ?? 'Krate Fake', authorEmail: input.authorEmail ?? 'fake@example.test', authoredAt: at, committedAt: at,
    });
  }

  setBranch(projectId: number, name: string, sha?: string): FakeBranch {
    const head = sha ?? this.branches.get(`${projectId}:${this.projects.require(projectId).defaultBranch}`)?.sha ?? shaOf(this.nextId());
    if (!this.commits.get(`${projectId}:${head}`)) this.addCommit(projectId, { message: `Commit ${head.slice(0, 8)}`, sha: head });
    return this.branches.insert({ id: `${projectId}:${name}`, projectId, name, sha: head });
  }

  readonly #iids = new Map<unknown, Map<number, number>>();

  /** The next iid of a kind of object in a project (iids count per project and kind). */
  nextIid(collection: FakeCollection<{ id: number; projectId: number; iid: number }>, projectId: number): number {
    let counters = this.#iids.get(collection);
    if (!counters) this.#iids.set(collection, (counters = new Map()));
    const next = (counters.get(projectId) ?? 0) + 1;
    counters.set(projectId, next);
    return next;
  }
}

/** A 40-hex sha from a number. */
export function shaOf(n: number): string {
  return (n.toString(16).padStart(8, '0') + 'fa11ab1e'.repeat(5)).slice(0, 40);
}

/** GitLab's error bodies. */
export function glError(status: number, message?: string | Record<string, string[]>): Response {
  const defaults: Record<number, string> = {
    400: '400 Bad request', 401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 Not found', 405: '405 Method Not Allowed',
    406: '406 Not Acceptable', 409: '409 Conflict', 410: '410 Gone', 422: '422 Unprocessable Entity', 500: '500 Internal Server Error',
    502: '502 Bad Gateway', 503: '503 Service Unavailable',
  };
  return json({ message: message ?? defaults[status] ?? `${status}` }, { status });
}

/** Above this many records GitLab leaves out `x-total`, `x-total-pages` and `rel="last"`. */
export const GITLAB_COUNT_LIMIT = 10_000;

function pageUrl(url: URL, params: Record<string, string>): string {
  const next = new URL(url.toString());
  for (const [k, v] of Object.entries(params)) next.searchParams.set(k, v);
  return next.toString();
}

/**
 * A GitLab listing answer. Offset (default): `page`/`per_page` (20 by default, at most
 * 100), `Link` with next/prev/first/last and the `x-*` headers, without the totals past
 * 10,000 records. Keyset (`pagination=keyset`): an opaque `cursor`, `Link` rel="next"
 * only while more records follow.
 */
export function listAnswer<T>(url: URL, items: T[], render: (item: T) => unknown, keyOf?: (item: T) => string): Response {
  const perPageParam = url.searchParams.get('per_page');
  if (url.searchParams.get('pagination') === 'keyset' && keyOf) {
    const perPage = Math.min(Math.max(Number.parseInt(perPageParam ?? '20', 10) || 20, 1), 100);
    const cursor = url.searchParams.get('cursor');
    let start = 0;
    if (cursor) {
      let after: string;
      try {
        after = Buffer.from(cursor, 'base64url').toString('utf8');
      } catch {
        throw new FakeInvalidCursor(cursor);
      }
      const index = items.findIndex((i) => keyOf(i) === after);
      if (index < 0) throw new FakeInvalidCursor(cursor);
      start = index + 1;
    }
    const slice = items.slice(start, start + perPage);
    const headers: Record<string, string> = { 'x-per-page': String(perPage) };
    if (start + perPage < items.length && slice.length > 0) {
      headers.link = `<${pageUrl(url, { cursor: Buffer.from(keyOf(slice[slice.length - 1]!), 'utf8').toString('base64url') })}>; rel="next"`;
    }
    return json(slice.map(render), { headers });
  }
  const page = pageSlice(items, { page: url.searchParams.get('page'), perPage: perPageParam }, { defaultPerPage: 20, maxPerPage: 100 });
  const counted = page.total <= GITLAB_COUNT_LIMIT;
  const headers: Record<string, string> = {
    'x-page': String(page.page), 'x-per-page': String(page.perPage),
    'x-next-page': page.page < page.totalPages ? String(page.page + 1) : '', 'x-prev-page': page.page > 1 ? String(page.page - 1) : '',
  };
  if (counted) {
    headers['x-total'] = String(page.total);
    headers['x-total-pages'] = String(page.totalPages);
  }
  const links: string[] = [];
  if (page.page > 1) links.push(`<${pageUrl(url, { page: String(page.page - 1) })}>; rel="prev"`);
  if (page.page < page.totalPages) links.push(`<${pageUrl(url, { page: String(page.page + 1) })}>; rel="next"`);
  links.push(`<${pageUrl(url, { page: '1' })}>; rel="first"`);
  if (counted) links.push(`<${pageUrl(url, { page: String(page.totalPages) })}>; rel="last"`);
  headers.link = links.join(', ');
  return json(page.items.map(render), { headers });
}

/** `updated_after` / `updated_before` filters, as GitLab applies them (inclusive bounds). */
export function updatedFilter(url: URL, field = 'updated'): (time: string) => boolean {
  const after = url.searchParams.get(`${field}_after`);
  const before = url.searchParams.get(`${field}_before`);
  return (time) => (!after || Date.parse(time) >= Date.parse(after)) && (!before || Date.parse(time) <= Date.parse(before));
}

/** Sort by `order_by` (created_at, updated_at, id) and `sort` (asc, desc; GitLab's default desc). */
export function ordered<T extends { id: number; createdAt: string; updatedAt?: string }>(url: URL, items: T[], defaultOrder = 'created_at'): T[] {
  const order = url.searchParams.get('order_by') ?? defaultOrder;
  const dir = url.searchParams.get('sort') === 'asc' ? 1 : -1;
  // The fake keeps times as toISOString() strings, which sort as text.
  const key = (i: T): string | number => (order === 'updated_at' ? (i.updatedAt ?? i.createdAt) : order === 'id' ? i.id : i.createdAt);
  return items
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => dir * (a.k < b.k ? -1 : a.k > b.k ? 1 : a.item.id - b.item.id))
    .map((e) => e.item);
}

/** The JSON body of a write as an object ({} when empty), also from a form or query string. */
export function bodyOf(body: unknown, url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(url.searchParams.entries());
  if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body);
  return out;
}

/** One resource family of the fake: its routes, its seeds and its webhook payload builders. */
export interface GitLabFakeModule {
  routes(s: GitLabFakeState): import('@krate/contract-tests/kit').FakeRoute[];
  seeds(s: GitLabFakeState): Partial<import('@krate/contract-tests/kit').FakeSeed>;
  /** `X-Gitlab-Event` name -> the payload of a delivery (about `options.ref`, or a fresh object). */
  webhooks(s: GitLabFakeState): Record<string, (options: import('@krate/contract-tests/kit').WebhookOptions) => Record<string, unknown>>;
  /** Object kind -> the event that reports a change to it. */
  webhookEventFor?: Record<string, { event: string; action?: string }>;
}

/** `2017-09-15 16:50:55 UTC`: how GitLab writes times in many webhook payloads. */
export function hookTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}
