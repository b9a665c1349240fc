/**
 * Builders of GitHub's JSON objects and the small helpers every route module of the fake
 * shares, in one place: the fake's other files build users, apps, repositories and node
 * ids only through these, so an object looks the same in every answer and payload.
 */
import { createHash } from 'node:crypto';
import type { GhObject, GitHubFakeCore } from './github-fake-state.js';

type Json = Record<string, unknown>;

/** Where the fake answers: the REST API base and the web base its `html_url`s use. */
export type GitHubFakeBases = Pick<GitHubFakeCore, 'apiBaseUrl' | 'webBaseUrl'>;

/** The object without the fake's private `_` fields, as GitHub sends it (GitHub's own `_links` stays). */
export function publicView(obj: GhObject | Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) if (!key.startsWith('_') || key === '_links') out[key] = value;
  return out;
}

/** A GraphQL node id in GitHub's current form: `<prefix>_kwDO<base64url>` (e.g. `I_kwDO…` for an issue). */
export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_kwDO${Buffer.from(`${prefix}:${String(id)}`).toString('base64url')}`;
}

/** A request body as an object (anything else as `{}`: the route then reports the missing fields). */
export function asBody(body: unknown): Json {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
}

/** A deterministic numeric id for a login (users in the fake keep their id across runs). */
export function userIdOf(login: string): number {
  return 100_000 + (createHash('sha1').update(login.toLowerCase()).digest().readUInt32BE(0) % 9_000_000);
}

/** A `simple-user` (user, organization or bot account). */
export function userObject(bases: GitHubFakeBases, login: string, type: 'User' | 'Organization' | 'Bot' = 'User'): Json {
  const id = userIdOf(login);
  const api = `${bases.apiBaseUrl}/users/${login}`;
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `${bases.webBaseUrl}/avatars/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${bases.webBaseUrl}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The URL templates every repository object carries, below its API URL. */
export function repoUrls(apiRepo: string): Record<string, string> {
  const t = (suffix: string) => `${apiRepo}${suffix}`;
  return {
    archive_url: t('/{archive_format}{/ref}'),
    assignees_url: t('/assignees{/user}'),
    blobs_url: t('/git/blobs{/sha}'),
    branches_url: t('/branches{/branch}'),
    collaborators_url: t('/collaborators{/collaborator}'),
    comments_url: t('/comments{/number}'),
    commits_url: t('/commits{/sha}'),
    compare_url: t('/compare/{base}...{head}'),
    contents_url: t('/contents/{+path}'),
    contributors_url: t('/contributors'),
    deployments_url: t('/deployments'),
    downloads_url: t('/downloads'),
    events_url: t('/events'),
    forks_url: t('/forks'),
    git_commits_url: t('/git/commits{/sha}'),
    git_refs_url: t('/git/refs{/sha}'),
    git_tags_url: t('/git/tags{/sha}'),
    hooks_url: t('/hooks'),
    issue_comment_url: t('/issues/comments{/number}'),
    issue_events_url: t('/issues/events{/number}'),
    issues_url: t('/issues{/number}'),
    keys_url: t('/keys{/key_id}'),
    labels_url: t('/labels{/name}'),
    languages_url: t('/languages'),
    merges_url: t('/merges'),
    milestones_url: t('/milestones{/number}'),
    notifications_url: t('/notifications{?since,all,participating}'),
    pulls_url: t('/pulls{/number}'),
    releases_url: t('/releases{/id}'),
    stargazers_url: t('/stargazers'),
    statuses_url: t('/statuses/{sha}'),
    subscribers_url: t('/subscribers'),
    subscription_url: t('/subscription'),
    tags_url: t('/tags'),
    teams_url: t('/teams'),
    trees_url: t('/git/trees{/sha}'),
  };
}

/** A full `repository` object as GitHub creates one (public, `main`, every feature on). */
export function repositoryObject(
  bases: GitHubFakeBases,
  input: { id: number; owner: string; repo: string; ownerType: 'User' | 'Organization'; now: string },
): GhObject {
  const { id, owner, repo, now } = input;
  const apiRepo = `${bases.apiBaseUrl}/repos/${owner}/${repo}`;
  const host = new URL(bases.webBaseUrl).host;
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: userObject(bases, owner, input.ownerType),
    private: false,
    html_url: `${bases.webBaseUrl}/${owner}/${repo}`,
    description: null,
    fork: false,
    url: apiRepo,
    ...repoUrls(apiRepo),
    git_url: `git://${host}/${owner}/${repo}.git`,
    ssh_url: `git@${host}:${owner}/${repo}.git`,
    clone_url: `${bases.webBaseUrl}/${owner}/${repo}.git`,
    svn_url: `${bases.webBaseUrl}/${owner}/${repo}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: now,
    created_at: now,
    updated_at: now,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

/** A `minimal-repository` object (what runs, check suites and statuses embed) of a stored repository. */
export function minimalRepository(core: Pick<GitHubFakeCore, 'apiUrl' | 'htmlUrl' | 'user'>, repo: GhObject): Json {
  const name = typeof repo.full_name === 'string' ? repo.full_name : `${String(repo._owner)}/${String(repo._name ?? repo.name)}`;
  const [owner = '', short = ''] = name.split('/');
  const api = core.apiUrl(`/repos/${name}`);
  return {
    id: repo.id,
    node_id: typeof repo.node_id === 'string' ? repo.node_id : nodeId('R', repo.id),
    name: short,
    full_name: name,
    owner: typeof repo.owner === 'object' && repo.owner !== null ? repo.owner : core.user(owner),
    private: typeof repo.private === 'boolean' ? repo.private : false,
    html_url: core.htmlUrl(`/${name}`),
    description: typeof repo.description === 'string' ? repo.description : null,
    fork: typeof repo.fork === 'boolean' ? repo.fork : false,
    url: api,
    ...repoUrls(api),
  };
}

/** An `integration` (GitHub App) object. */
export function appObject(
  bases: GitHubFakeBases,
  input: { id: number; slug: string; name?: string; description?: string; owner?: Json | null; permissions?: Record<string, string>; events?: string[] },
): Json {
  const created = '2026-01-01T00:00:00Z';
  return {
    id: input.id,
    slug: input.slug,
    node_id: nodeId('A', input.id),
    client_id: 'Iv1.fake0000000000',
    ...(input.owner !== undefined ? { owner: input.owner } : {}),
    name: input.name ?? input.slug,
    description: input.description ?? '',
    external_url: 'https://krate.example',
    html_url: `${bases.webBaseUrl}/apps/${input.slug}`,
    created_at: created,
    updated_at: created,
    permissions: input.permissions ?? {},
    events: input.events ?? [],
  };
}
