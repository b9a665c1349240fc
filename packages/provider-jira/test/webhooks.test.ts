import { ExternalIssueSchema, WebhookDeliverySchema, type WebhookRequest } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { createFake, JIRA_FAKE_PROJECT } from '../src/testing/index.js';

const server = useFakeServer();
const P = JIRA_FAKE_PROJECT;

function body(request: WebhookRequest): Record<string, any> {
  return JSON.parse(String(request.rawBody));
}

describe('signature: X-Hub-Signature sha256 over the raw body, fail closed', () => {
  it('accepts a valid delivery and refuses a missing, wrong or tampered signature', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    await expect(instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref }))).resolves.toBeTruthy();
    for (const signature of ['missing', 'wrong', 'tampered'] as const) {
      expect((await errorOf(instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref, signature })))).code).toBe('webhook_signature_invalid');
    }
  });

  it('without a configured secret every delivery is refused', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { config: { webhookSecret: undefined } });
    const ref = fake.seed.issue!(P, { title: 't' });
    expect((await errorOf(instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref })))).code).toBe('invalid_config');
  });

  it('the dedupe key comes from X-Atlassian-Webhook-Identifier, the same on a retry', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    const first = await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref, deliveryId: 'a1b2-c3' }));
    const retry = fake.webhook('jira:issue_updated', { ref, deliveryId: 'a1b2-c3' });
    (retry.headers as Record<string, string>)['x-atlassian-webhook-retry'] = '1';
    const second = await instance.webhooks!.receive(retry);
    expect(first.deliveryId).toBe('a1b2-c3');
    expect(second.dedupeKey).toBe(first.dedupeKey);
    const other = await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref, deliveryId: 'other' }));
    expect(other.dedupeKey).not.toBe(first.dedupeKey);
  });
});

describe('bodies are hydrated through REST v3 before they are normalized', () => {
  it('a REST v2 body with wiki markup is read again as ADF: the event equals a read', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 'wiki', body: '## Steps\n\n**bold** and `code`' });
    const request = fake.webhook('jira:issue_updated', { ref });
    expect(body(request).issue.fields.description).toBe('h2. Steps\n\n*bold* and {{code}}');
    expect(body(request).issue.self).toContain('/rest/api/2/');
    fake.reset();
    const delivery = WebhookDeliverySchema.parse(await instance.webhooks!.receive(request));
    expect(fake.requests.map((r) => r.path)).toEqual([`/rest/api/3/issue/${fake.state.findIssue(ref.id)!.id}`]);
    const issue = ExternalIssueSchema.parse(delivery.events.find((e) => e.kind === 'issue')!.object);
    expect(issue.body.markdown).toBe('## Steps\n\n**bold** and `code`');
    const read = await instance.issueTracking!.getIssue(ref);
    expect({ ...issue, external: undefined }).toEqual({ ...read, external: undefined });
  });

  it('a thin body (id, self, key) is hydrated', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 'thin one' });
    const request = fake.webhook('jira:issue_created', { ref, thin: true });
    expect(Object.keys(body(request).issue).sort()).toEqual(['id', 'key', 'self']);
    const delivery = await instance.webhooks!.receive(request);
    expect(delivery.events).toHaveLength(1);
    expect(delivery.events[0]).toMatchObject({ kind: 'issue', change: 'upserted', ref });
    expect((delivery.events[0]!.object as { title: string }).title).toBe('thin one');
  });

  it('a thin body of an issue deleted since is a deletion', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 'gone soon' });
    const request = fake.webhook('jira:issue_updated', { ref, thin: true });
    fake.state.issues.delete(fake.state.findIssue(ref.id)!.id);
    const delivery = await instance.webhooks!.receive(request);
    expect(delivery.events).toEqual([expect.objectContaining({ kind: 'issue', change: 'deleted', ref })]);
  });

  it('a comment body in wiki markup is read again through v3', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const issue = fake.seed.issue!(P, { title: 'with comment' });
    const comment = fake.seed.comment!(issue, { body: 'Looks **good**' });
    const request = fake.webhook('comment_updated', { ref: comment });
    expect(body(request).comment.body).toBe('Looks *good*');
    const delivery = await instance.webhooks!.receive(request);
    expect(delivery.events).toHaveLength(1);
    expect(delivery.events[0]).toMatchObject({ kind: 'comment', change: 'upserted', ref: comment });
    expect((delivery.events[0]!.object as { body: { markdown: string }; issueRef: unknown }).body.markdown).toBe('Looks **good**');
    expect((delivery.events[0]!.object as { issueRef: unknown }).issueRef).toEqual(issue);
  });
});

describe('events', () => {
  it('an issue update carries the change from its changelog as an issueEvent', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    await instance.issueTracking!.transitionIssue!(ref, { to: 'In Progress' });
    const delivery = await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref }));
    const event = delivery.events.find((e) => e.kind === 'issueEvent')!;
    expect(event.object).toMatchObject({ kind: 'transitioned', issueRef: ref, details: { items: [expect.objectContaining({ field: 'status', fromString: 'To Do', toString: 'In Progress' })] } });
  });

  it('a moved issue is reported under its new key, with the old key as movedFrom', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const old = fake.seed.issue!(P, { title: 'moving' });
    const now = fake.moveIssue(old, 'OPS');
    const delivery = await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref: now }));
    const issue = delivery.events.find((e) => e.kind === 'issue')!;
    expect(issue.ref).toEqual(now);
    expect((issue.object as { external: { extensions: { fields: Record<string, unknown> } } }).external.extensions.fields.movedFrom).toBe(old.id);
  });

  it('issue and comment deletions normalize without a request', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    const comment = fake.seed.comment!(ref, { body: 'c' });
    const commentDelete = fake.webhook('comment_deleted', { ref: comment });
    const issueDelete = fake.webhook('jira:issue_deleted', { ref });
    fake.reset();
    expect((await instance.webhooks!.receive(commentDelete)).events).toEqual([expect.objectContaining({ kind: 'comment', change: 'deleted', ref: comment })]);
    expect((await instance.webhooks!.receive(issueDelete)).events).toEqual([expect.objectContaining({ kind: 'issue', change: 'deleted', ref })]);
    expect(fake.requests).toEqual([]);
  });

  it('an unknown event is verified and yields no events; a validly signed truncated body is webhook_malformed', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    expect((await instance.webhooks!.receive(fake.webhook('jira:worklog_updated'))).events).toEqual([]);
    expect((await errorOf(instance.webhooks!.receive(fake.webhook('jira:issue_updated', { malformed: true })))).code).toBe('webhook_malformed');
  });
});
