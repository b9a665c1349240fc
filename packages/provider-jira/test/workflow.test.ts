import { collect } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { createFake, JIRA_FAKE_PROJECT } from '../src/testing/index.js';

const server = useFakeServer();
const P = JIRA_FAKE_PROJECT;

describe('state: phase from statusCategory, status name kept', () => {
  it('maps new / indeterminate / done to open / in_progress / closed and keeps the status name', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.statuses.push({ id: '10002', name: 'In Review', category: 'indeterminate' }, { id: '10003', name: 'Triage', category: 'undefined' });
    fake.state.transitions.push({ id: '41', name: 'Send to review', to: '10002' }, { id: '51', name: 'Back to triage', to: '10003' });
    const ref = fake.seed.issue!(P, { title: 't' });
    const it = instance.issueTracking!;
    expect((await it.getIssue(ref)).phase).toBe('open');
    const review = await it.transitionIssue!(ref, { to: 'In Review' });
    expect([review.phase, review.state]).toEqual(['in_progress', 'In Review']);
    const triage = await it.transitionIssue!(ref, { to: 'Back to triage' });
    expect([triage.phase, triage.state]).toEqual(['open', 'Triage']);
  });
});

describe('transitions', () => {
  it('transitionIssue matches the target status first, then the transition name', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    // A transition NAMED "In Progress" that leads to Done, and one to the In Progress status named otherwise.
    fake.state.transitions = [
      { id: '11', name: 'To Do', to: '10000' },
      { id: '21', name: 'Start work', to: '3' },
      { id: '61', name: 'In Progress', to: '10001' },
    ];
    const ref = fake.seed.issue!(P, { title: 't' });
    const moved = await instance.issueTracking!.transitionIssue!(ref, { to: 'in progress' });
    expect(moved.state).toBe('In Progress');
    const body = fake.requests.find((r) => r.method === 'POST')!.body as { transition: { id: string } };
    expect(body.transition.id).toBe('21');
    const byName = await instance.issueTracking!.transitionIssue!(ref, { to: 'To Do' });
    expect(byName.state).toBe('To Do');
  });

  it('an ambiguous target is a conflict naming every match, and nothing is written', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.statuses.push({ id: '10004', name: 'Closed', category: 'done' });
    fake.state.transitions.push({ id: '71', name: 'Close', to: '10004' }, { id: '72', name: 'Close', to: '10001' });
    const ref = fake.seed.issue!(P, { title: 't' });
    fake.reset();
    const error = await errorOf(instance.issueTracking!.transitionIssue!(ref, { to: 'Close' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('"Close" (id 71, to "Closed")');
    expect(error.message).toContain('"Close" (id 72, to "Done")');
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a required screen field the provider cannot fill is invalid_input naming it, before any write', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.transitions = fake.state.transitions.map((t) =>
      t.id === '31' ? { ...t, fields: { resolution: { required: true, name: 'Resolution' }, customfield_10050: { required: true, name: 'Root cause' } } } : t,
    );
    const ref = fake.seed.issue!(P, { title: 't' });
    fake.reset();
    const error = await errorOf(instance.issueTracking!.closeIssue(ref, 'completed'));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Root cause (customfield_10050)');
    expect(error.message).not.toContain('resolution (');
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('no transition to the target is invalid_input listing what is available', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    const error = await errorOf(instance.issueTracking!.transitionIssue!(ref, { to: 'Deployed' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/available: .*"In Progress"/);
  });

  it('closeIssue with several done statuses picks closeStatus, else reports the ambiguity', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.statuses.push({ id: '10005', name: 'Rejected', category: 'done' });
    fake.state.transitions.push({ id: '81', name: 'Reject', to: '10005' });
    const a = fake.seed.issue!(P, { title: 'a' });
    const closed = await instance.issueTracking!.closeIssue(a, 'completed');
    expect(closed.state).toBe('Done');
    const other = startProvider(server, plugin, () => fake, { config: { closeStatus: 'Shipped' } }).instance;
    const b = fake.seed.issue!(P, { title: 'b' });
    expect((await errorOf(other.issueTracking!.closeIssue(b))).code).toBe('conflict');
  });
});

describe('close reason <-> resolution', () => {
  it('sets the resolution from the reason where the screen has it and reads it back', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    for (const [reason, resolution] of [['completed', 'Done'], ['not_planned', "Won't Do"], ['duplicate', 'Duplicate']] as const) {
      const ref = fake.seed.issue!(P, { title: reason });
      const closed = await instance.issueTracking!.closeIssue(ref, reason);
      expect([closed.phase, closed.closeReason, closed.external.extensions.fields.resolution]).toEqual(['closed', reason, resolution]);
      expect(closed.closedAt).toBeDefined();
    }
  });

  it('where the screen lacks the resolution (team-managed), it closes without sending one', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.project(P).resolutionOnScreen = false;
    const ref = fake.seed.issue!(P, { title: 'tm' });
    fake.reset();
    const closed = await instance.issueTracking!.closeIssue(ref, 'not_planned');
    expect(closed.phase).toBe('closed');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ transition: { id: '31' } });
  });

  it('closing a closed issue writes nothing; reopening through updateIssue clears the resolution', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 'x', state: 'closed' });
    fake.reset();
    await instance.issueTracking!.closeIssue(ref);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const reopened = await instance.issueTracking!.updateIssue(ref, { state: 'open' });
    expect([reopened.phase, reopened.closeReason, reopened.external.extensions.fields.resolution]).toEqual(['open', undefined, undefined]);
  });
});

describe('identity: a moved issue', () => {
  it('the old key still resolves, and the issue comes back under its new ref with the same nativeId', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const old = fake.seed.issue!(P, { title: 'moving' });
    const before = await instance.issueTracking!.getIssue(old);
    const now = fake.moveIssue(old, 'OPS');
    const after = await instance.issueTracking!.getIssue(old);
    expect(after.ref).toEqual(now);
    expect(after.ref).not.toEqual(old);
    expect(after.external.nativeId).toBe(before.external.nativeId);
    expect(after.external.extensions.fields.movedFrom).toBe(old.id);
    expect(after.external.url).toBe(`https://krate-fake.atlassian.net/browse/${now.id}`);
  });

  it('a listing of the new project has it once, under the new key; the old project no longer lists it', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const old = fake.seed.issue!(P, { title: 'moving' });
    const now = fake.moveIssue(old, 'OPS');
    const ops = await collect((o) => instance.issueTracking!.listIssues('OPS', o));
    expect(ops.map((i) => i.ref)).toEqual([now]);
    const krate = await collect((o) => instance.issueTracking!.listIssues(P, o));
    expect(krate.map((i) => i.external.nativeId)).not.toContain(ops[0]!.external.nativeId);
  });

  it('the changelog reports the move', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const old = fake.seed.issue!(P, { title: 'moving' });
    const now = fake.moveIssue(old, 'OPS');
    const events = await collect((o) => instance.issueTracking!.listEvents(now, o));
    expect(events.map((e) => e.kind)).toEqual(['moved']);
    expect(events[0]!.details.items).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'Key', fromString: old.id, toString: now.id })]));
  });
});

describe('people, labels, milestones', () => {
  it('more than one assignee is invalid_input before any request', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.reset();
    const error = await errorOf(instance.issueTracking!.createIssue({ scope: P, title: 't', assignees: ['a', 'b'] }));
    expect(error.code).toBe('invalid_input');
    expect(fake.requests).toEqual([]);
  });

  it('syncLabels writes nothing and reports what Jira cannot do as drift', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.seed.label!(P, { name: 'existing' });
    fake.seed.label!(P, { name: 'stray' });
    fake.reset();
    const result = await instance.issueTracking!.syncLabels(P, [{ name: 'existing', color: 'aabbcc', description: 'd' }, { name: 'missing' }], { prune: true });
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(result.created).toEqual([]);
    expect(result.unchanged).toEqual(['existing']);
    expect(result.drift).toEqual([
      { name: 'existing', field: 'color', expected: 'aabbcc', actual: null },
      { name: 'existing', field: 'description', expected: 'd', actual: null },
      { name: 'missing', field: 'exists', expected: true, actual: false },
      { name: 'stray', field: 'exists', expected: false, actual: true },
    ]);
  });

  it('the idempotency label never shows among the issue\'s or the site\'s labels', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const issue = await instance.issueTracking!.createIssue({ scope: P, title: 't', labels: ['bug'], idempotencyKey: 'k-1' });
    expect(issue.labels).toEqual(['bug']);
    expect([...fake.state.labels].some((l) => l.startsWith('krate-idem-'))).toBe(true);
    const labels = await collect((o) => instance.issueTracking!.listLabels(P, o));
    expect(labels.map((l) => l.name)).toEqual(['bug']);
    const again = await instance.issueTracking!.createIssue({ scope: P, title: 't', labels: ['bug'], idempotencyKey: 'k-1' });
    expect(again.ref).toEqual(issue.ref);
    const updated = await instance.issueTracking!.updateIssue(issue.ref, { labels: ['bug', 'p1'] });
    expect(updated.labels).toEqual(['bug', 'p1']);
    expect(fake.state.findIssue(issue.ref.id)!.labels.some((l) => l.startsWith('krate-idem-'))).toBe(true);
  });

  it('milestones are fix versions; createIssue sets one by name', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.seed.milestone!(P, { title: '1.0', state: 'closed', dueOn: '2026-04-01T00:00:00Z' });
    fake.seed.milestone!(P, { title: '1.1' });
    const milestones = await collect((o) => instance.issueTracking!.listMilestones!(P, o));
    expect(milestones.map((m) => [m.title, m.state, m.dueOn])).toEqual([['1.0', 'closed', '2026-04-01T00:00:00.000Z'], ['1.1', 'open', undefined]]);
    const issue = await instance.issueTracking!.createIssue({ scope: P, title: 't', milestone: '1.1' });
    expect(issue.milestone).toBe('1.1');
    expect((await errorOf(instance.issueTracking!.createIssue({ scope: P, title: 't', milestone: '9.9' }))).code).toBe('invalid_input');
  });

  it('bodies are written as ADF and read back as Markdown', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const issue = await instance.issueTracking!.createIssue({ scope: P, title: 't', body: '# Plan\n\n- [ ] write\n- [x] **ship**' });
    const stored = fake.state.findIssue(issue.ref.id)!.description!;
    expect(stored.type).toBe('doc');
    expect(issue.body).toMatchObject({ markdown: '# Plan\n\n- [ ] write\n- [x] **ship**', sourceFormat: 'adf', renderWarnings: [] });
    const comment = await instance.issueTracking!.createComment(issue.ref, { body: 'see `x`' });
    expect(comment.body.markdown).toBe('see `x`');
  });
});
