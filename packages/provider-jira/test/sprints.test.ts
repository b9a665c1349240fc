import { collect } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin, { JiraConfigSchema } from '../src/index.js';
import { createFake, JIRA_FAKE_PROJECT, JIRA_FAKE_SITE } from '../src/testing/index.js';

const server = useFakeServer();
const P = JIRA_FAKE_PROJECT;
const sprints = (options?: object) => createFake({ ...options, milestones: 'sprints' });

describe('milestones as sprints (binding option)', () => {
  it('needs a board', () => {
    const parsed = JiraConfigSchema.safeParse({ siteUrl: JIRA_FAKE_SITE, auth: { type: 'basic', email: 'a@b.c', apiToken: 't' }, milestones: 'sprints' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/boardId/);
  });

  it('lists the board\'s sprints, finds the Sprint field once, and sets and reads an issue\'s sprint', async () => {
    const { fake, instance } = startProvider(server, plugin, sprints);
    fake.seed.milestone!(P, { title: 'Sprint 1', state: 'closed', dueOn: '2026-02-20T00:00:00Z' });
    fake.seed.milestone!(P, { title: 'Sprint 2' });
    const listed = await collect((o) => instance.issueTracking!.listMilestones!(P, o));
    expect(listed.map((m) => [m.title, m.state, m.dueOn])).toEqual([['Sprint 1', 'closed', '2026-02-20T00:00:00.000Z'], ['Sprint 2', 'open', undefined]]);
    fake.reset();
    const issue = await instance.issueTracking!.createIssue({ scope: P, title: 'in a sprint', milestone: 'Sprint 2' });
    expect(issue.milestone).toBe('Sprint 2');
    expect(issue.external.extensions.fields.sprintId).toBe('2');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect((post.body as { fields: Record<string, unknown> }).fields.customfield_10020).toBe(2);
    expect(fake.requests.filter((r) => r.path === '/rest/api/3/field')).toHaveLength(1);
    const listedIssues = await collect((o) => instance.issueTracking!.listIssues(P, o));
    expect(listedIssues.find((i) => i.ref.id === issue.ref.id)!.milestone).toBe('Sprint 2');
    const cleared = await instance.issueTracking!.updateIssue(issue.ref, { milestone: null });
    expect(cleared.milestone).toBeUndefined();
    expect((await errorOf(instance.issueTracking!.updateIssue(issue.ref, { milestone: 'Sprint 9' }))).code).toBe('invalid_input');
  });

  it('webhook deliveries carry the sprint as a read does', async () => {
    const { fake, instance } = startProvider(server, plugin, sprints);
    fake.seed.milestone!(P, { title: 'Sprint 1' });
    const issue = await instance.issueTracking!.createIssue({ scope: P, title: 'x', milestone: 'Sprint 1' });
    const delivery = await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref: issue.ref }));
    expect((delivery.events[0]!.object as { milestone?: string }).milestone).toBe('Sprint 1');
  });
});
