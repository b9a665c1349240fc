import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { phaseOfStateType } from '../src/issue-tracking/linear-issue-tracking-mapping.js';
import { deterministicUuid } from '../src/shared/linear-ids.js';
import { createFake, type LinearFake } from '../src/testing/index.js';

const server = useFakeServer();
let current: LinearFake | undefined;

function start() {
  // A workspace whose members are the users the fake holds, as in Linear.
  const harness = startProvider(server, plugin, createFake, { fake: { members: 'known' } });
  current = harness.fake;
  return { fake: harness.fake, issues: harness.instance.issueTracking! };
}

afterEach(() => {
  expect(current?.invalidQueries ?? []).toEqual([]);
  current = undefined;
});

const operations = (fake: LinearFake) => fake.requests.map((r) => /(?:query|mutation) (\w+)/.exec(String((r.body as { query: string }).query))?.[1]);

describe('idempotent creates with client-supplied ids', () => {
  it('the id is a version-4 UUID derived from the key (same key, same id; another key or team, another id)', () => {
    const id = deterministicUuid('issue', 'team-a', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('issue', 'team-a', 'key-1')).toBe(id);
    expect(deterministicUuid('issue', 'team-a', 'key-2')).not.toBe(id);
    expect(deterministicUuid('issue', 'team-b', 'key-1')).not.toBe(id);
  });

  it('a repeated create meets Linear\'s conflict and returns the issue the first call made', async () => {
    const { fake, issues } = start();
    const first = await issues.createIssue({ scope: 'ENG', title: 'once', idempotencyKey: 'k-1' });
    fake.reset();
    const again = await issues.createIssue({ scope: 'ENG', title: 'once', idempotencyKey: 'k-1' });
    expect(again.ref).toEqual(first.ref);
    expect(again.external.nativeId).toBe(first.external.nativeId);
    expect(fake.state.issues.size).toBe(1);
    // The create was refused as a duplicate id (HTTP 200 with Linear's error), then the issue was read by that id.
    expect(operations(fake)).toEqual(['KrateCreateIssue', 'KrateGetIssue']);
    const refusal = fake.requests[0]!;
    expect(refusal.status).toBe(200);
    expect((refusal.body as { variables: { input: { id: string } } }).variables.input.id).toBe(first.external.nativeId);
  });

  it('a create whose answer is lost is recovered by its id, never made twice', async () => {
    const { fake, issues } = start();
    await issues.listIssues('ENG'); // warm the directory's team entry through a read
    await issues.createIssue({ scope: 'ENG', title: 'warm-up' });
    fake.reset();
    fake.faults.drop({ afterWrite: true, times: 1 });
    const created = await issues.createIssue({ scope: 'ENG', title: 'lost answer', idempotencyKey: 'k-2' });
    expect(created.title).toBe('lost answer');
    expect(fake.state.issues.list((i) => i.title === 'lost answer')).toHaveLength(1);
  });

  it('comments use their own client ids the same way', async () => {
    const { fake, issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'with comments' });
    const a = await issues.createComment(ref, { body: 'hello', idempotencyKey: 'c-1' });
    const b = await issues.createComment(ref, { body: 'hello', idempotencyKey: 'c-1' });
    expect(b.ref).toEqual(a.ref);
    expect(fake.state.comments.size).toBe(1);
  });
});

const RICH = '## Heading\n\n- item with `code`\n- [a link](https://example.com)\n\nÜnïcödé ✓';

describe('round trips with every input (labels and the assignee exist in the workspace, as Linear requires)', () => {
  it('createIssue carries title, rich body, two labels, an assignee and a cycle, in one mutation, and reads back the same', async () => {
    const { fake, issues } = start();
    fake.seed.label!('ENG', { name: 'contract-bug' });
    fake.seed.label!('ENG', { name: 'contract-priority-high' });
    fake.state.user('contract-assignee');
    fake.seed.milestone!('ENG', { title: 'Sprint 7' });
    const input = { scope: 'ENG', title: 'Everything', body: RICH, labels: ['contract-bug', 'contract-priority-high'], assignees: ['contract-assignee'], milestone: 'Sprint 7' };
    const created = await issues.createIssue(input);
    const read = await issues.getIssue(created.ref);
    for (const issue of [created, read]) {
      expect([issue.title, issue.body.markdown, issue.body.sourceFormat, [...issue.labels].sort(), issue.assignees.map((a) => a.login), issue.milestone, issue.phase]).toEqual([
        'Everything', RICH, 'linear-markdown', ['contract-bug', 'contract-priority-high'], ['contract-assignee'], 'Sprint 7', 'open',
      ]);
    }
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    expect(created.external.url).toBe(fake.humanUrl('issue', created.ref));
  });

  it('updateIssue replaces labels, assignee, body and cycle in one mutation', async () => {
    const { fake, issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'before', body: 'old', labels: ['contract-before'] });
    fake.seed.label!('ENG', { name: 'contract-bug' });
    fake.state.user('contract-assignee');
    fake.seed.milestone!('ENG', { title: 'Sprint 8' });
    fake.reset();
    const patch = { title: 'after', body: RICH, labels: ['contract-bug'], assignees: ['contract-assignee'], milestone: 'Sprint 8' };
    const updated = await issues.updateIssue(ref, patch);
    expect([updated.title, updated.body.markdown, updated.labels, updated.assignees.map((a) => a.login), updated.milestone]).toEqual(['after', RICH, ['contract-bug'], ['contract-assignee'], 'Sprint 8']);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    expect(fake.inspect('issue', ref)).toMatchObject({ title: 'after', labels: ['contract-bug'], assignees: ['contract-assignee'], milestone: 'Sprint 8' });
  });

  it('labels Linear does not have yet are made on the team by the same request; an unknown user is invalid_input with no write', async () => {
    const { fake, issues } = start();
    const created = await issues.createIssue({ scope: 'ENG', title: 'new labels', labels: ['brand-new', 'also-new'] });
    expect([...created.labels].sort()).toEqual(['also-new', 'brand-new']);
    const writes = fake.requests.filter((r) => r.method !== 'GET');
    expect(writes).toHaveLength(1);
    // One mutation document: two issueLabelCreate fields (client ids), then issueCreate naming them.
    const body = writes[0]!.body as { query: string; variables: Record<string, { id?: string; name?: string }> };
    expect(body.query.match(/issueLabelCreate/g)).toHaveLength(2);
    expect([body.variables.label0?.name, body.variables.label1?.name]).toEqual(['brand-new', 'also-new']);
    expect(fake.state.labels.list().map((l) => l.name).sort()).toEqual(['also-new', 'brand-new']);
    const updated = await issues.updateIssue(created.ref, { labels: ['brand-new', 'third'] });
    expect([...updated.labels].sort()).toEqual(['brand-new', 'third']);
    expect(fake.state.labels.size).toBe(3);
    fake.reset();
    const error = await errorOf(issues.createIssue({ scope: 'ENG', title: 'nobody', assignees: ['not-a-member'] }));
    expect(error.code).toBe('invalid_input');
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});

describe('workflow states', () => {
  it('maps every state type to its phase', () => {
    expect(['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled', 'duplicate'].map(phaseOfStateType)).toEqual([
      'open', 'open', 'open', 'in_progress', 'closed', 'closed', 'closed',
    ]);
  });

  it.each([
    ['completed' as const, 'Done', 'completed'],
    ['not_planned' as const, 'Canceled', 'canceled'],
    ['duplicate' as const, 'Duplicate', 'duplicate'],
  ])('closeIssue(%s) moves to the team\'s state of the right type', async (reason, name, type) => {
    const { fake, issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'to close' });
    const closed = await issues.closeIssue(ref, reason);
    expect([closed.phase, closed.state, closed.closeReason, closed.external.extensions.fields.stateType]).toEqual(['closed', name, reason, type]);
    expect(closed.closedAt).toEqual(expect.any(String));
  });

  it('reopening picks the team\'s unstarted state; transitionIssue takes names, types and phases', async () => {
    const { fake, issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'moving along', state: 'closed' });
    const reopened = await issues.updateIssue(ref, { state: 'open' });
    expect([reopened.phase, reopened.state]).toEqual(['open', 'Todo']);
    expect((await issues.transitionIssue!(ref, { to: 'In Review' })).state).toBe('In Review');
    expect((await issues.transitionIssue!(ref, { to: 'backlog' })).state).toBe('Backlog');
    const started = await issues.transitionIssue!(ref, { to: 'in_progress' });
    expect([started.phase, started.state]).toEqual(['in_progress', 'In Progress']);
    const error = await errorOf(issues.transitionIssue!(ref, { to: 'Shipped' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Todo');
  });

  it('ifMatch compares updatedAt and refuses a stale write as a conflict', async () => {
    const { fake, issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'concurrent' });
    const seen = await issues.getIssue(ref);
    await issues.updateIssue(ref, { title: 'someone else' });
    const error = await errorOf(issues.updateIssue(ref, { title: 'mine', ifMatch: seen.external.version.updatedAt! }));
    expect(error.code).toBe('conflict');
    expect(fake.issue(ref).title).toBe('someone else');
  });

  it('Linear issues have one assignee: more is invalid_input with no write', async () => {
    const { fake, issues } = start();
    fake.state.user('alice');
    fake.state.user('bob');
    const error = await errorOf(issues.createIssue({ scope: 'ENG', title: 'two owners', assignees: ['alice', 'bob'] }));
    expect(error.code).toBe('invalid_input');
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('labels', () => {
  it('syncLabels leaves workspace labels and label groups alone and prunes only the team\'s own', async () => {
    const { fake, issues } = start();
    const team = fake.state.teams.list((t) => t.key === 'ENG')[0]!;
    fake.state.label(null, 'workspace-wide');
    fake.state.label(team.id, 'stale');
    const result = await issues.syncLabels('ENG', [{ name: 'workspace-wide' }, { name: 'fresh', color: 'aabbcc' }]);
    expect(result).toMatchObject({ created: ['fresh'], unchanged: ['workspace-wide'], deleted: ['stale'] });
    expect(fake.state.labels.list().map((l) => [l.name, l.teamId === null, l.color]).sort()).toEqual([
      ['fresh', false, '#aabbcc'],
      ['workspace-wide', true, '#bec2c8'],
    ]);
  });
});
