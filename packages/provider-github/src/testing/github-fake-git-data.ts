import { createHash } from 'node:crypto';
import { nodeId } from './github-fake-objects.js';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';

/**
 * Commits, refs, branches and owners in the fake's state, and the small helpers the
 * git forge route modules (repos, pulls, refs, keys, protection) share.
 */

/** The login the fake treats as the owner of a user token (`GET /user`, `POST /user/repos`). */
export const FAKE_TOKEN_USER = 'octocat';

export type Body = Record<string, unknown>;

function newSha(core: GitHubFakeCore, seed: string): string {
  return createHash('sha1').update(`${seed}:${core.nextId()}`).digest('hex');
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const obj = (v: unknown): Body | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : undefined);

/** GitHub's 422 "Validation Failed" with its `errors` array. */
export function validationFailed(core: GitHubFakeCore, errors: Array<Record<string, unknown>>): Response {
  return core.error(422, 'Validation Failed', { errors });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function sortRows(rows: GhObject[], key: string, direction: string): GhObject[] {
  const factor = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = String(a[key] ?? '');
    const y = String(b[key] ?? '');
    if (x === y) return ((a.id as number) - (b.id as number)) * factor;
    return (x < y ? -1 : 1) * factor;
  });
}

export const PERMISSION_ORDER = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSION_ORDER)[number];

export function permissionFlags(permission: Permission): Record<string, boolean> {
  const rank = PERMISSION_ORDER.indexOf(permission);
  return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true };
}

// ---------------------------------------------------------------------------
// State access

export function repoFull(row: GhObject): string {
  return String(row.full_name);
}

export function findRepoRow(core: GitHubFakeCore, owner: string, repo: string): GhObject | undefined {
  return core.findRepo(owner, repo);
}

export function ownerLogin(row: GhObject): string {
  return String(obj(row.owner)?.login ?? repoFull(row).split('/')[0]);
}

/** `User` or `Organization` for a login the fake knows, from its repositories or installations. */
export function ownerTypeOf(core: GitHubFakeCore, login: string): 'User' | 'Organization' | undefined {
  const lower = login.toLowerCase();
  for (const row of core.state.repos.list()) {
    const owner = obj(row.owner);
    if (String(owner?.login ?? '').toLowerCase() === lower) return owner?.type === 'User' ? 'User' : 'Organization';
  }
  for (const inst of core.state.installations.list()) {
    const account = obj(inst.account);
    if (String(account?.login ?? '').toLowerCase() === lower) return account?.type === 'User' ? 'User' : 'Organization';
  }
  return undefined;
}

export function ownerObject(core: GitHubFakeCore, login: string, type: 'User' | 'Organization'): Record<string, unknown> {
  return { ...core.user(login), type };
}

export function findCommit(core: GitHubFakeCore, full: string, sha: string): GhObject | undefined {
  const lower = sha.toLowerCase();
  const exact = core.state.commits.list((c) => c._repo === full && c.sha === lower);
  if (exact[0]) return exact[0];
  if (lower.length < 7) return undefined;
  const prefixed = core.state.commits.list((c) => c._repo === full && String(c.sha).startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function toLogin(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'octocat';
}

export function makeCommit(
  core: GitHubFakeCore,
  full: string,
  input: { sha?: string; message: string; parents: string[]; authorName?: string; authorEmail?: string; date?: string },
): GhObject {
  const sha = (input.sha ?? newSha(core, `${full}:${input.message}`)).toLowerCase();
  const existing = core.state.commits.list((c) => c._repo === full && c.sha === sha)[0];
  if (existing) return existing;
  const id = core.nextId();
  const date = input.date ?? core.clock.iso();
  const name = input.authorName ?? 'The Octocat';
  const email = input.authorEmail ?? 'octocat@github.com';
  const login = input.authorName ? toLogin(input.authorName) : FAKE_TOKEN_USER;
  const tree = createHash('sha1').update(`tree:${sha}`).digest('hex');
  const person = { name, email, date };
  return core.state.commits.insert({
    id,
    _repo: full,
    url: core.apiUrl(`/repos/${full}/commits/${sha}`),
    sha,
    node_id: nodeId('C', sha),
    html_url: core.htmlUrl(`/${full}/commit/${sha}`),
    comments_url: core.apiUrl(`/repos/${full}/commits/${sha}/comments`),
    commit: {
      url: core.apiUrl(`/repos/${full}/git/commits/${sha}`),
      author: person,
      committer: { ...person },
      message: input.message,
      comment_count: 0,
      tree: { sha: tree, url: core.apiUrl(`/repos/${full}/git/trees/${tree}`) },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: core.user(login),
    committer: core.user(login),
    parents: input.parents.map((p) => ({
      sha: p,
      url: core.apiUrl(`/repos/${full}/commits/${p}`),
      html_url: core.htmlUrl(`/${full}/commit/${p}`),
    })),
    stats: { total: 2, additions: 1, deletions: 1 },
    files: [],
  });
}

/** `refs/heads/main` row of a repository. `name` is `heads/main` / `tags/v1`. */
export function findRef(core: GitHubFakeCore, full: string, name: string): GhObject | undefined {
  return core.state.refs.list((r) => r._repo === full && r.ref === `refs/${name}`)[0];
}

export function refSha(ref: GhObject | undefined): string | undefined {
  return str(obj(ref?.object)?.sha);
}

export function setRef(core: GitHubFakeCore, full: string, name: string, sha: string): GhObject {
  const existing = findRef(core, full, name);
  const object = { sha, type: 'commit', url: core.apiUrl(`/repos/${full}/git/commits/${sha}`) };
  if (existing) return core.state.refs.update(existing.id, { object });
  const id = core.nextId();
  return core.state.refs.insert({
    id,
    _repo: full,
    ref: `refs/${name}`,
    node_id: nodeId('REF', id),
    url: core.apiUrl(`/repos/${full}/git/refs/${name}`),
    object,
  });
}

/** A repository without commits or refs has no git database yet: GitHub answers 409 on git routes. */
export function isEmptyRepo(core: GitHubFakeCore, full: string): boolean {
  return core.state.refs.list((r) => r._repo === full).length === 0 && core.state.commits.list((c) => c._repo === full).length === 0;
}

export function defaultBranch(repoRow: GhObject): string {
  return str(repoRow.default_branch) ?? 'main';
}

/** Makes sure a branch exists: a root commit for the default branch, else a commit on top of the default branch. */
export function ensureBranch(core: GitHubFakeCore, repoRow: GhObject, branch: string): GhObject {
  const full = repoFull(repoRow);
  const existing = findRef(core, full, `heads/${branch}`);
  if (existing) return existing;
  const base = defaultBranch(repoRow);
  if (branch === base) {
    const root = makeCommit(core, full, { message: 'Initial commit', parents: [] });
    return setRef(core, full, `heads/${branch}`, String(root.sha));
  }
  const baseSha = refSha(ensureBranch(core, repoRow, base)) as string;
  const commit = makeCommit(core, full, { message: `Work on ${branch}`, parents: [baseSha] });
  return setRef(core, full, `heads/${branch}`, String(commit.sha));
}
