import { ExternalIssueSchema, ProviderError, collect, type ExternalIssue, type ProviderInstance } from '@krate/core';
import { useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import { createGitHubProvider } from '../src/github-provider.js';
import { GITHUB_FAKE_REPOSITORY, createFake, type GitHubFake } from '../src/testing/github-fake.js';
import { FAKE_GRAPHQL_OPERATION, githubGraphqlBaseUrl } from '../src/testing/github-fake-graphql.js';
import { LIST_ISSUES_OPERATION, LIST_ISSUES_QUERY } from '../src/issue-tracking/github-issue-tracking-graphql.js';

const server = useFakeServer();

function start(options: { baseUrl?: string } = {}): { fake: GitHubFake; graphql: ProviderInstance; rest: ProviderInstance } {
  const fake = createFake(options);
  server.use(...fake.handlers);
  const graphql = createGitHubProvider({ ...fake.config, useGraphql: true }, fake.context);
  const rest = createGitHubProvider({ ...fake.config, useGraphql: false }, fake.context);
  return { fake, graphql, rest };
}

const graphqlRequests = (fake: GitHubFake) => fake.requests.filter((r) => r.path.endsWith('/graphql'));

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(ProviderError.isInstance(error), String(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the promise to reject');
}

/** The fields both listings must agree on. */
function comparable(issue: ExternalIssue) {
  return {
    ref: issue.ref,
    title: issue.title,
    body: issue.body.markdown,
    state: issue.state,
    phase: issue.phase,
    closeReason: issue.closeReason,
    labels: issue.labels,
    assignees: issue.assignees.map((a) => ({ id: a.id, login: a.login })),
    author: issue.author?.login,
    milestone: issue.milestone,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    nodeId: issue.external.nodeId,
    nativeId: issue.external.nativeId,
    nativeNumber: issue.external.nativeNumber,
    url: issue.external.url,
  };
}

function seedIssues(fake: GitHubFake, count: number, scope = GITHUB_FAKE_REPOSITORY): void {
  for (let i = 1; i <= count; i++) {
    fake.seed.issue!(scope, {
      title: `Issue ${i}`,
      body: `Body of **issue ${i}**`,
      state: i % 5 === 0 ? 'closed' : 'open',
      labels: i % 3 === 0 ? ['bug', 'p1'] : i % 3 === 1 ? ['enhancement'] : [],
      assignees: i % 2 === 0 ? ['octocat', 'hubot'] : [],
    });
  }
}

describe('listIssues through GraphQL', () => {
  it('lists 250 issues with labels and assignees in 3 requests, the same issues REST lists', async () => {
    const { fake, graphql, rest } = start();
    seedIssues(fake, 250);
    fake.reset();
    const viaGraphql = await collect((o) => graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, o));
    expect(graphqlRequests(fake)).toHaveLength(3);
    expect(fake.requests.every((r) => r.method === 'POST' && r.path === '/graphql')).toBe(true);
    expect(viaGraphql).toHaveLength(250);
    for (const issue of viaGraphql) expect(ExternalIssueSchema.safeParse(issue).success).toBe(true);

    const viaRest = await collect((o) => rest.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { ...o, pageSize: 100 }));
    const byNumber = new Map(viaRest.map((i) => [i.ref.id, comparable(i)]));
    expect(viaRest).toHaveLength(250);
    for (const issue of viaGraphql) expect(comparable(issue)).toEqual(byNumber.get(issue.ref.id));
    const sample = viaGraphql.find((i) => i.ref.id === '6')!;
    expect(sample.labels).toEqual(['bug', 'p1']);
    expect(sample.assignees.map((a) => a.login)).toEqual(['octocat', 'hubot']);
  });

  it('orders by update time, oldest first, and pages with opaque cursors', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 30);
    const first = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 10 });
    expect(first.items.map((i) => i.ref.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 10, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.ref.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 11)));
    const updated = [...first.items, ...second.items].map((i) => i.updatedAt);
    expect([...updated].sort()).toEqual(updated);
    const body = fake.requests.at(-1)!.body as { query: string; variables: Record<string, unknown> };
    expect(body.query).toContain(`query ${LIST_ISSUES_OPERATION}(`);
    expect(body.variables).toMatchObject({ owner: 'octo-org', name: 'hello-world', first: 10 });
    expect(typeof body.variables.after).toBe('string');
  });

  it('updatedSince is GitHub filterBy.since, and the cursor keeps it', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 40);
    const all = await collect((o) => graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, o));
    const since = all[24]!.updatedAt;
    fake.reset();
    const page1 = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { updatedSince: since, pageSize: 10 });
    const page2 = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { cursor: page1.nextCursor!, pageSize: 10 });
    expect([...page1.items, ...page2.items].map((i) => i.ref.id)).toEqual(all.slice(24).map((i) => i.ref.id));
    expect(page2.nextCursor).toBeNull();
    const sent = (fake.requests[1]!.body as { variables: { since: string } }).variables.since;
    expect(Date.parse(sent)).toBe(Date.parse(since));
  });

  it('an issue updated during a listing moves to the end and is seen again (GitHub keyset order)', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 20);
    const page1 = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 10 });
    const row = fake.core.state.issues.list((i) => i.number === 3)[0]!;
    fake.core.state.issues.update(row.id, { title: 'Issue 3, edited' });
    fake.core.touch(fake.core.state.issues.get(row.id)!);
    const rest = await collect((o) => graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, o), { cursor: page1.nextCursor! });
    expect(rest.map((i) => i.ref.id)).toEqual([...Array.from({ length: 10 }, (_, i) => String(i + 11)), '3']);
    expect(rest.at(-1)!.title).toBe('Issue 3, edited');
  });

  it('leaves pull requests out: a PR is never a second work item', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 5);
    const row = fake.core.state.issues.list((i) => i.number === 2)[0]!;
    fake.core.state.issues.update(row.id, { pull_request: { url: 'https://api.github.com/repos/octo-org/hello-world/pulls/2', merged_at: null } });
    const issues = await collect((o) => graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, o));
    expect(issues.map((i) => i.ref.id)).toEqual(['1', '3', '4', '5']);
  });

  it('reports the milestone as it is now', async () => {
    const { fake, graphql } = start();
    fake.seed.milestone!(GITHUB_FAKE_REPOSITORY, { title: 'v1.0' });
    seedIssues(fake, 2);
    const milestone = fake.core.state.milestones.list()[0]!;
    const row = fake.core.state.issues.list((i) => i.number === 1)[0]!;
    fake.core.state.issues.update(row.id, { milestone: { number: milestone.number, title: 'v1.0', state: 'open' } });
    fake.core.state.milestones.update(milestone.id, { title: 'v1.0 (renamed)' });
    const [first] = (await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY)).items;
    expect(first!.milestone).toBe('v1.0 (renamed)');
  });

  it('clamps pageSize to 100 and refuses bad input without a request', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 120);
    fake.reset();
    const page = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 500 });
    expect(page.items).toHaveLength(100);
    expect((fake.requests[0]!.body as { variables: { first: number } }).variables.first).toBe(100);
    fake.reset();
    for (const options of [{ pageSize: 0 }, { cursor: 'not a cursor!' }, { cursor: 'eyJ2IjoxfQ' }, { updatedSince: 'yesterday' }]) {
      expect((await caught(graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, options))).code).toBe('invalid_input');
    }
    expect((await caught(graphql.issueTracking!.listIssues('not-a-repo'))).code).toBe('invalid_input');
    const other = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 10 });
    fake.reset();
    const error = await caught(graphql.issueTracking!.listIssues('octo-org/other', { cursor: other.nextCursor! }));
    expect(error.code).toBe('invalid_input');
    expect(graphqlRequests(fake)).toHaveLength(0);
  });

  it('a cursor is valid for the same repository spelled in another case', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 15);
    const first = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { pageSize: 10 });
    const next = await graphql.issueTracking!.listIssues('Octo-Org/Hello-World', { cursor: first.nextCursor!, pageSize: 10 });
    expect(next.items.map((i) => i.ref.id)).toEqual(['11', '12', '13', '14', '15']);
  });

  it('an unknown repository is not_found (GraphQL NOT_FOUND)', async () => {
    const { graphql } = start();
    const error = await caught(graphql.issueTracking!.listIssues('octo-org/missing'));
    expect(error.code).toBe('not_found');
  });

  it('a GraphQL rate limit (HTTP 200, RATE_LIMITED) is rate_limited with the reset time', async () => {
    const { fake, graphql } = start();
    seedIssues(fake, 150);
    fake.faults.rateLimit({ path: /\/graphql$/, after: 1, retryAfterSeconds: 30 });
    const first = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY);
    const error = await caught(graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { cursor: first.nextCursor! }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    const resumed = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY, { cursor: first.nextCursor! });
    expect(resumed.items.map((i) => i.ref.id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 101)));
  });

  it('works behind GitHub Enterprise Server (GraphQL at /api/graphql)', async () => {
    const { fake, graphql } = start({ baseUrl: 'https://ghe.example.com/api/v3' });
    expect(githubGraphqlBaseUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api');
    seedIssues(fake, 3);
    const page = await graphql.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY);
    expect(page.items.map((i) => i.ref.id)).toEqual(['1', '2', '3']);
    expect(page.items[0]!.external.url).toBe('https://ghe.example.com/octo-org/hello-world/issues/1');
    expect(page.items[0]!.external.apiUrl).toBe('https://ghe.example.com/api/v3/repos/octo-org/hello-world/issues/1');
  });
});

describe('the fake GraphQL endpoint', () => {
  async function post(fake: GitHubFake, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
    fake.core.addPersonalToken('ghp_graphqlfaketestTOKEN00000000000000', 'octocat');
    const response = await fetch(`${githubGraphqlBaseUrl(fake.core.apiBaseUrl)}/graphql`, {
      method: 'POST',
      headers: { authorization: 'token ghp_graphqlfaketestTOKEN00000000000000', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  }
  const vars = (extra: Record<string, unknown> = {}) => ({ owner: 'octo-org', name: 'hello-world', first: 2, after: null, since: null, ...extra });

  it('answers the listing query in GitHub\'s shape', async () => {
    const { fake } = start();
    seedIssues(fake, 3);
    const { status, json } = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars() });
    expect(status).toBe(200);
    const connection = json.data.repository.issues;
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
    expect(connection.nodes).toHaveLength(2);
    const node = connection.nodes[1];
    expect(node).toMatchObject({ number: 2, state: 'OPEN', stateReason: null, title: 'Issue 2', body: 'Body of **issue 2**' });
    expect(node.assignees.nodes.map((a: { login: string }) => a.login)).toEqual(['octocat', 'hubot']);
    expect(node.id).toEqual(expect.any(String));
    expect(node.databaseId).toEqual(expect.any(Number));
    const next = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars({ after: connection.pageInfo.endCursor }) });
    expect(next.json.data.repository.issues.nodes.map((n: { number: number }) => n.number)).toEqual([3]);
    expect(next.json.data.repository.issues.pageInfo.hasNextPage).toBe(false);
  });

  it('answers errors as GitHub does: HTTP 200 with errors[].type', async () => {
    const { fake } = start();
    const tooMany = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars({ first: 101 }) });
    expect(tooMany.status).toBe(200);
    expect(tooMany.json.errors[0].type).toBe('EXCESSIVE_PAGINATION');
    expect(tooMany.json.errors[0].message).toContain('exceeds the `first` limit of 100 records');
    const missing = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars({ first: null }) });
    expect(missing.json.errors[0].type).toBe('MISSING_PAGINATION_BOUNDARIES');
    const badCursor = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars({ after: 'bm90IGEgY3Vyc29y' }) });
    expect(badCursor.json.errors[0].type).toBe('INVALID_CURSOR_ARGUMENTS');
    const nope = await post(fake, { query: LIST_ISSUES_QUERY, variables: vars({ name: 'nope' }) });
    expect(nope.json).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'] }] });
  });

  it('answers only its own operation: other queries, mutations and anonymous documents get an error', async () => {
    const { fake } = start();
    expect(FAKE_GRAPHQL_OPERATION).toBe(LIST_ISSUES_OPERATION);
    for (const query of [
      'query Other($owner: String!) { repository(owner: $owner, name: "x") { id } }',
      `mutation ${FAKE_GRAPHQL_OPERATION} { addComment(input: {}) { clientMutationId } }`,
      '{ viewer { login } }',
      'not graphql at all',
    ]) {
      const { status, json } = await post(fake, { query, variables: vars() });
      expect(status).toBe(200);
      expect(json.data).toBeUndefined();
      expect(json.errors).toHaveLength(1);
    }
    const { json } = await post(fake, { variables: vars() });
    expect(json.errors[0].message).toMatch(/query/);
  });

  it('refuses requests without credentials', async () => {
    const { fake } = start();
    const response = await fetch(`${fake.core.apiBaseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIST_ISSUES_QUERY, variables: vars() }),
    });
    expect(response.status).toBe(401);
  });
});
