import { ExternalIssueSchema, ProviderError, collect } from '@krate/core';
import { describe, expect, it } from 'vitest';
import type { GitHubFake } from '../src/testing/index.js';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { githubPlugin } from '../src/github-provider.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();
const SCOPE = 'octo-org/hello-world';

/** Turns a seeded issue row into a pull request's row, as GitHub stores a PR in the issue number space. */
function markAsPullRequest(fake: GitHubFake, number: string): void {
  const row = fake.core.state.issues.list((i) => i._repo === SCOPE && String(i.number) === number)[0]!;
  fake.core.state.issues.update(row.id, {
    pull_request: {
      url: fake.core.apiUrl(`/repos/${SCOPE}/pulls/${number}`),
      html_url: fake.core.htmlUrl(`/${SCOPE}/pull/${number}`),
      diff_url: fake.core.htmlUrl(`/${SCOPE}/pull/${number}.diff`),
      patch_url: fake.core.htmlUrl(`/${SCOPE}/pull/${number}.patch`),
      merged_at: null,
    },
  });
}

describe('issues and pull requests share one number space', () => {
  it('listIssues skips pull request rows; getIssue on a PR number links to the pull request', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const issue = h.fake.seed.issue!(SCOPE, { title: 'A real issue' });
    const pr = h.fake.seed.issue!(SCOPE, { title: 'Actually a pull request' });
    markAsPullRequest(h.fake, pr.id);
    const listed = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    expect(listed.map((i) => i.ref.id)).toEqual([issue.id]);
    expect(listed[0]!.pullRequestRef).toBeUndefined();

    const viaGet = await h.instance.issueTracking!.getIssue(pr);
    expect(ExternalIssueSchema.parse(viaGet)).toBeTruthy();
    expect(viaGet.pullRequestRef).toEqual({ scope: SCOPE, id: pr.id });
    expect(viaGet.external.extensions.fields.pullRequestUrl).toBe(`https://github.com/${SCOPE}/pull/${pr.id}`);
  });

  it('a page of only pull requests comes back empty with a cursor, and the listing still ends', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const refs = [1, 2, 3, 4].map((n) => h.fake.seed.issue!(SCOPE, { title: `Item ${n}` }));
    markAsPullRequest(h.fake, refs[0]!.id);
    markAsPullRequest(h.fake, refs[1]!.id);
    const first = await h.instance.issueTracking!.listIssues(SCOPE, { pageSize: 2 });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await h.instance.issueTracking!.listIssues(SCOPE, { pageSize: 2, cursor: first.nextCursor! });
    expect(rest.items.map((i) => i.title)).toEqual(['Item 3', 'Item 4']);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('closing with a reason', () => {
  it.each(['completed', 'not_planned', 'duplicate'] as const)('closeIssue(%s) sets state_reason and closeReason', async (reason) => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: `Close as ${reason}` });
    const closed = await h.instance.issueTracking!.closeIssue(ref, reason);
    expect(closed).toMatchObject({ phase: 'closed', state: 'closed', closeReason: reason });
    expect(closed.closedAt).toEqual(expect.any(String));
    const body = h.fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(body).toEqual({ state: 'closed', state_reason: reason });
    const events = await collect((o) => h.instance.issueTracking!.listEvents(ref, o));
    expect(events.at(-1)).toMatchObject({ kind: 'closed', details: { stateReason: reason } });
  });

  it('closes as completed by default, and reopening clears the reason', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Default reason' });
    expect((await h.instance.issueTracking!.closeIssue(ref)).closeReason).toBe('completed');
    const reopened = await h.instance.issueTracking!.updateIssue(ref, { state: 'open' });
    expect(reopened.phase).toBe('open');
    expect(reopened.closeReason).toBeUndefined();
    expect(reopened.external.extensions.fields.stateReason).toBe('reopened');
  });
});

describe('syncLabels', () => {
  it('creates, updates drifted labels (color, description, name case) and prunes the rest', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.seed.label!(SCOPE, { name: 'bug', color: 'ff0000', description: 'Something is broken' });
    h.fake.seed.label!(SCOPE, { name: 'Docs', color: '0075ca' });
    h.fake.seed.label!(SCOPE, { name: 'stale', color: 'eeeeee' });
    h.fake.seed.label!(SCOPE, { name: 'keep', color: '123456' });
    const desired = [
      { name: 'bug', color: '00FF00' },
      { name: 'docs', description: 'Documentation' },
      { name: 'keep', color: '123456' },
      { name: 'feature', color: 'a2eeef', description: 'New feature' },
    ];

    const mark = h.fake.requests.length;
    const dry = await h.instance.issueTracking!.syncLabels(SCOPE, desired, { dryRun: true });
    expect(h.fake.requests.slice(mark).every((r) => r.method === 'GET')).toBe(true);

    const result = await h.instance.issueTracking!.syncLabels(SCOPE, desired);
    expect(result).toEqual(dry);
    expect(result.created).toEqual(['feature']);
    expect(result.updated).toEqual(['bug', 'docs']);
    expect(result.unchanged).toEqual(['keep']);
    expect(result.deleted).toEqual(['stale']);
    expect(result.drift).toEqual([
      { name: 'bug', field: 'color', expected: '00ff00', actual: 'ff0000' },
      { name: 'docs', field: 'name', expected: 'docs', actual: 'Docs' },
      { name: 'docs', field: 'description', expected: 'Documentation', actual: null },
    ]);
    const writes = h.fake.requests.slice(mark).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(writes).toEqual([
      'PATCH /repos/octo-org/hello-world/labels/bug 200',
      'PATCH /repos/octo-org/hello-world/labels/Docs 200',
      'POST /repos/octo-org/hello-world/labels 201',
      'DELETE /repos/octo-org/hello-world/labels/stale 204',
    ].sort((a, b) => writes.indexOf(a) - writes.indexOf(b)));

    const labels = await collect((o) => h.instance.issueTracking!.listLabels(SCOPE, o));
    expect(labels.map((l) => [l.name, l.color, l.description ?? null]).sort()).toEqual([
      ['bug', '00ff00', 'Something is broken'],
      ['docs', '0075ca', 'Documentation'],
      ['feature', 'a2eeef', 'New feature'],
      ['keep', '123456', null],
    ]);
    const again = await h.instance.issueTracking!.syncLabels(SCOPE, desired);
    expect(again).toMatchObject({ created: [], updated: [], deleted: [], drift: [] });
  });

  it('keeps labels it does not manage with prune: false and refuses names desired twice', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.seed.label!(SCOPE, { name: 'theirs' });
    const result = await h.instance.issueTracking!.syncLabels(SCOPE, [{ name: 'ours' }], { prune: false });
    expect(result.deleted).toEqual([]);
    const error = await errorOf(h.instance.issueTracking!.syncLabels(SCOPE, [{ name: 'Bug' }, { name: 'bug' }]));
    expect(error.code).toBe('invalid_input');
  });
});

describe('conditional listing with ETags', () => {
  it('an unchanged resync is answered by 304s, costs no rate limit and returns the same items', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    for (let i = 1; i <= 250; i++) h.fake.seed.issue!(SCOPE, { title: `Issue ${i}` });
    const first = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    expect(first).toHaveLength(250);
    const remaining = h.instance.rateLimit()!.remaining!;
    const mark = h.fake.requests.length;

    const second = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    const resync = h.fake.requests.slice(mark);
    expect(resync.map((r) => r.status)).toEqual([304, 304, 304]);
    expect(resync.every((r) => r.headers['if-none-match']?.startsWith('W/"'))).toBe(true);
    expect(second).toEqual(first);
    expect(h.instance.rateLimit()!.remaining).toBe(remaining);

    // A change shows up: the page holding it (and every page after, as the order moves) is fetched again.
    const changed = first[10]!;
    await h.instance.issueTracking!.updateIssue(changed.ref, { title: 'Changed' });
    const mark2 = h.fake.requests.length;
    const third = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    expect(h.fake.requests.slice(mark2).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(third.find((i) => i.ref.id === changed.ref.id)!.title).toBe('Changed');
  });

  it('a caller changing the items it was handed does not change what a later 304 answers', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    for (let i = 1; i <= 150; i++) h.fake.seed.issue!(SCOPE, { title: `Issue ${i}`, labels: ['bug'] });
    const first = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    const pristine = structuredClone(first);
    for (const issue of first) {
      issue.title = 'mutated';
      issue.labels.push('mutated');
      issue.external.extensions.fields.mutated = true;
    }
    const mark = h.fake.requests.length;
    const second = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    expect(h.fake.requests.slice(mark).map((r) => r.status)).toEqual([304, 304]);
    expect(second).toEqual(pristine);
  });

  it('a page answered by a 304 is mapped again with the options of that request (client-side updatedSince)', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const cicd = h.instance.cicd!;
    const refs = [1, 2, 3, 4, 5].map(() => h.fake.seed.pipeline!(SCOPE, { status: 'succeeded' }));
    const all = await collect((o) => cicd.listPipelines(SCOPE, o));
    expect(all).toHaveLength(5);
    const cutoff = h.fake.core.clock.tick(60_000);
    for (const ref of refs.slice(0, 2)) h.fake.core.state.workflowRuns.update(Number(ref.id), { updated_at: h.fake.core.clock.tick() });
    // The runs listing stays the same page (GitHub filters runs by creation, not by update), now changed: fetched again.
    const changed = await collect((o) => cicd.listPipelines(SCOPE, { ...o, updatedSince: cutoff }));
    expect(changed.map((p) => p.ref.id).sort()).toEqual(refs.slice(0, 2).map((r) => r.id).sort());
    // Unchanged since: the same request is answered by a 304 and filtered again, with each call's own cutoff.
    const mark = h.fake.requests.length;
    const again = await collect((o) => cicd.listPipelines(SCOPE, { ...o, updatedSince: cutoff }));
    const everything = await collect((o) => cicd.listPipelines(SCOPE, o));
    expect(h.fake.requests.slice(mark).map((r) => r.status)).toEqual([304, 304]);
    expect(again.map((p) => p.ref.id).sort()).toEqual(refs.slice(0, 2).map((r) => r.id).sort());
    expect(everything).toHaveLength(5);
  });

  it('sends updatedSince as GitHub since, with state=all, sort=updated and 100 per page', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.seed.issue!(SCOPE, { title: 'Old', updatedAt: '2021-01-01T00:00:00Z', createdAt: '2021-01-01T00:00:00Z' });
    h.fake.seed.issue!(SCOPE, { title: 'New', updatedAt: '2025-01-01T00:00:00Z', createdAt: '2021-01-01T00:00:00Z' });
    const page = await h.instance.issueTracking!.listIssues(SCOPE, { updatedSince: '2024-01-01T00:00:00Z' });
    expect(page.items.map((i) => i.title)).toEqual(['New']);
    expect(h.fake.requests.at(-1)!.query).toEqual({
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      since: '2024-01-01T00:00:00.000Z',
      per_page: '100',
    });
  });
});

describe('writes', () => {
  it('creates an issue with labels, assignees and a milestone given by title', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const milestone = h.fake.seed.milestone!(SCOPE, { title: 'v1.0' });
    const issue = await h.instance.issueTracking!.createIssue({
      scope: SCOPE,
      title: 'New thing',
      body: 'Details',
      labels: ['enhancement'],
      assignees: ['octocat'],
      milestone: 'v1.0',
    });
    expect(issue).toMatchObject({ title: 'New thing', labels: ['enhancement'], milestone: 'v1.0', phase: 'open' });
    expect(issue.body.markdown).toBe('Details');
    expect(issue.assignees.map((a) => a.login)).toEqual(['octocat']);
    expect(issue.external.version.etag).toMatch(/^W\/"/);
    expect(h.fake.requests.at(-1)!.body).toMatchObject({ milestone: Number(milestone.id) });
    const unknown = await errorOf(h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'x', milestone: 'no such milestone' }));
    expect(unknown.code).toBe('invalid_input');
  });

  it('a create with an idempotencyKey whose answer is lost returns the issue it made, once', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.faults.drop({ afterWrite: true, method: 'POST' });
    const first = await h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Exactly once', body: 'Body', idempotencyKey: 'sync-42' });
    const second = await h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Exactly once', body: 'Body', idempotencyKey: 'sync-42' });
    expect(second.ref).toEqual(first.ref);
    expect(first.body.markdown).toBe('Body');
    expect(first.external.extensions.fields.idempotencyKey).toBe('sync-42');
    const all = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, o));
    expect(all.filter((i) => i.title === 'Exactly once')).toHaveLength(1);
    expect(h.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a comment with an idempotencyKey is found on the last page of a long thread', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const issue = h.fake.seed.issue!(SCOPE, { title: 'Long thread' });
    for (let i = 0; i < 150; i++) h.fake.seed.comment!(issue, { body: `Comment ${i}` });
    const created = await h.instance.issueTracking!.createComment(issue, { body: 'Agent note', idempotencyKey: 'note-1' });
    const again = await h.instance.issueTracking!.createComment(issue, { body: 'Agent note', idempotencyKey: 'note-1' });
    expect(again.ref).toEqual(created.ref);
    expect(again.body.markdown).toBe('Agent note');
    expect(again.issueRef).toEqual(issue);
    const comments = await collect((o) => h.instance.issueTracking!.listComments(issue, o));
    expect(comments.filter((c) => c.body.markdown === 'Agent note')).toHaveLength(1);
  });

  it('updateIssue with a stale ifMatch is a conflict and writes nothing', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Versioned' });
    const seen = await h.instance.issueTracking!.getIssue(ref);
    await h.instance.issueTracking!.updateIssue(ref, { title: 'Changed elsewhere' });
    const error = await errorOf(h.instance.issueTracking!.updateIssue(ref, { title: 'Mine', ifMatch: seen.external.version.etag! }));
    expect(error.code).toBe('conflict');
    const current = await h.instance.issueTracking!.getIssue(ref);
    expect(current.title).toBe('Changed elsewhere');
    const ok = await h.instance.issueTracking!.updateIssue(ref, { title: 'Mine', ifMatch: current.updatedAt });
    expect(ok.title).toBe('Mine');
  });

  it('refuses a scope that is not owner/repo before sending anything', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const error = await errorOf(h.instance.issueTracking!.listIssues('not a scope'));
    expect(error.code).toBe('invalid_input');
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('mapping details', () => {
  it('maps comments, milestones and events with their refs and envelopes', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const issue = h.fake.seed.issue!(SCOPE, { title: 'Mapped', labels: ['bug'] });
    h.fake.seed.comment!(issue, { body: 'Looks right', author: 'hubot' });
    h.fake.seed.milestone!(SCOPE, { title: 'Sprint 1', dueOn: '2026-02-01T00:00:00Z' });
    const [comment] = (await h.instance.issueTracking!.listComments(issue)).items;
    expect(comment).toMatchObject({ issueRef: issue, author: { login: 'hubot' }, body: { markdown: 'Looks right', sourceFormat: 'markdown' } });
    expect(comment!.external.url).toMatch(/#issuecomment-\d+$/);
    const [milestone] = (await h.instance.issueTracking!.listMilestones!(SCOPE)).items;
    expect(milestone).toMatchObject({ title: 'Sprint 1', state: 'open', dueOn: '2026-02-01T00:00:00Z', ref: { scope: SCOPE, id: '1' } });
    const [event] = (await h.instance.issueTracking!.listEvents(issue)).items;
    expect(event).toMatchObject({ kind: 'labeled', issueRef: issue, details: { label: { name: 'bug' } } });
    expect(event!.external.url).toMatch(new RegExp(`/issues/${issue.id}#event-\\d+$`));
  });
});

describe('GraphQL listing behind useGraphql', () => {
  it('lists the same issues with one GraphQL query per page', async () => {
    const h = startProvider(server, githubPlugin, createFake, { config: { useGraphql: true } });
    const refs = [1, 2, 3].map((n) => h.fake.seed.issue!(SCOPE, { title: `GraphQL ${n}` }));
    markAsPullRequest(h.fake, refs[1]!.id);
    const listed = await collect((o) => h.instance.issueTracking!.listIssues(SCOPE, { ...o, pageSize: 1 }));
    expect(listed.map((i) => i.title).sort()).toEqual(['GraphQL 1', 'GraphQL 3']);
    expect(h.fake.requests.every((r) => r.method === 'POST' && r.path.endsWith('/graphql'))).toBe(true);
    expect(h.fake.requests.length).toBeGreaterThan(0);
  });
});
