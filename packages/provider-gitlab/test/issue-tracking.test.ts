import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import gitlab from '../src/index.js';
import { GITLAB_FAKE_PROJECT, createFake } from '../src/testing/index.js';

const server = useFakeServer();
const P = GITLAB_FAKE_PROJECT;

describe('issues', () => {
  it('refuses close reasons GitLab cannot record, without a request', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.issue!(P, { title: 'x' });
    for (const reason of ['not_planned', 'duplicate'] as const) expect((await errorOf(instance.issueTracking!.closeIssue(ref, reason))).code).toBe('invalid_input');
    expect(fake.requests).toHaveLength(0);
    expect(await instance.issueTracking!.closeIssue(ref, 'completed')).toMatchObject({ phase: 'closed', closeReason: 'completed', state: 'closed' });
  });

  it('filters by updated_after and identifies issues by iid with the global id as nativeId', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.issue!(P, { title: 'old', updatedAt: '2020-01-01T00:00:00Z', createdAt: '2020-01-01T00:00:00Z' });
    const fresh = fake.seed.issue!(P, { title: 'new', updatedAt: '2026-02-01T00:00:00Z', createdAt: '2026-02-01T00:00:00Z' });
    const page = await instance.issueTracking!.listIssues(P, { updatedSince: '2025-01-01T00:00:00Z' });
    expect(page.items.map((i) => i.title)).toEqual(['new']);
    expect(fake.requests[0]!.query.updated_after).toBe('2025-01-01T00:00:00.000Z');
    const issue = page.items[0]!;
    expect(issue.ref).toEqual(fresh);
    expect(issue.external.nativeNumber).toBe(Number(fresh.id));
    expect(Number(issue.external.nativeId)).toBeGreaterThan(999);
  });

  it('keeps an idempotency key out of the body it returns and finds it again', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const first = await instance.issueTracking!.createIssue({ scope: P, title: 'once', body: 'text', idempotencyKey: 'k-1' });
    const second = await instance.issueTracking!.createIssue({ scope: P, title: 'once', body: 'text', idempotencyKey: 'k-1' });
    expect(second.ref).toEqual(first.ref);
    expect(first.body.markdown).toBe('text');
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('ifMatch compares updated_at (GitLab has no If-Match)', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.issue!(P, { title: 'x', updatedAt: '2026-01-05T00:00:00Z' });
    expect((await errorOf(instance.issueTracking!.updateIssue(ref, { title: 'y', ifMatch: '2026-01-04T00:00:00Z' }))).code).toBe('conflict');
    expect((await instance.issueTracking!.updateIssue(ref, { title: 'y', ifMatch: '2026-01-05T00:00:00.000Z' })).title).toBe('y');
  });

  it('falls back to offset pages where project issues have no keyset (before GitLab 18.3: 405)', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.issue!(P, { title: 'a' });
    fake.faults.status(405, { times: 1 });
    const page = await instance.issueTracking!.listIssues(P);
    expect(page.items).toHaveLength(1);
    expect(fake.requests.map((r) => [r.status, r.query.pagination])).toEqual([[405, 'keyset'], [200, undefined]]);
  });
});

describe('labels', () => {
  it('never edits or prunes inherited group labels: they are drift', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const group = fake.state.ensureGroup('krate-group');
    fake.state.labels.insert({ id: fake.state.nextId(), projectId: null, groupId: group.id, name: 'org-wide', color: '#112233', description: null });
    fake.seed.label!(P, { name: 'stale', color: 'aaaaaa' });
    const result = await instance.issueTracking!.syncLabels(P, [{ name: 'org-wide', color: 'ffffff' }, { name: 'bug', color: 'd73a4a' }]);
    expect(result.created).toEqual(['bug']);
    expect(result.deleted).toEqual(['stale']);
    expect(result.drift).toEqual([{ name: 'org-wide', field: 'color', expected: '#ffffff', actual: '#112233' }]);
    const labels = await instance.issueTracking!.listLabels(P);
    expect(labels.items.map((l) => [l.name, l.color, l.external.extensions.fields.inherited])).toEqual([
      ['org-wide', '112233', true], ['bug', 'd73a4a', false],
    ]);
  });
});

describe('events and comments', () => {
  it('lists system notes as events and leaves them out of comments', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.issue!(P, { title: 'x' });
    fake.seed.comment!(ref, { body: 'a human comment' });
    await instance.issueTracking!.updateIssue(ref, { labels: ['bug'], state: 'closed' });
    const comments = await instance.issueTracking!.listComments(ref);
    expect(comments.items.map((c) => c.body.markdown)).toEqual(['a human comment']);
    const events = await instance.issueTracking!.listEvents(ref);
    expect(events.items.map((e) => e.kind)).toEqual(['labeled', 'closed']);
  });
});
