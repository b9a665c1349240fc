import { createHmac, randomUUID } from 'node:crypto';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { LINEAR_FAKE_WEBHOOK_SECRET, createFake, type LinearFake } from '../src/testing/index.js';

const server = useFakeServer();

function start() {
  const { fake, instance } = startProvider(server, plugin, createFake);
  return { fake, webhooks: instance.webhooks!, instance };
}

/** A delivery of `body` signed as Linear signs it: lowercase hex HMAC-SHA256 of the raw body. */
function signed(body: Record<string, unknown>, deliveryId: string = randomUUID()) {
  const text = JSON.stringify(body);
  return {
    headers: { 'linear-signature': createHmac('sha256', LINEAR_FAKE_WEBHOOK_SECRET).update(text).digest('hex'), 'linear-delivery': deliveryId, 'linear-event': String(body.type) },
    rawBody: text,
  };
}

function bodyOf(fake: LinearFake, event: string, options: Parameters<LinearFake['webhook']>[1] = {}): Record<string, any> {
  return JSON.parse(String(fake.webhook(event, options).rawBody));
}

describe('Linear-Signature and webhookTimestamp', () => {
  it('accepts a delivery inside the ±60 s window and refuses a stale or a future one', async () => {
    const { fake, webhooks } = start();
    const now = Date.parse('2026-05-01T12:00:00Z');
    const body = bodyOf(fake, 'Issue', { now: new Date(now) });
    expect((await webhooks.receive(signed(body), { now: now + 59_000 })).events).toHaveLength(1);
    for (const skew of [61_000, -61_000]) {
      const error = await errorOf(webhooks.receive(signed(body), { now: now + skew }));
      expect(error.code).toBe('webhook_signature_invalid');
      expect(error.message).toMatch(skew > 0 ? /old/ : /future/);
    }
  });

  it('trusts only the signed body: a fresh Linear-Timestamp header does not save a stale body', async () => {
    const { fake, webhooks } = start();
    const stale = fake.webhook('Issue', { signature: 'stale' });
    const headers = { ...(stale.headers as Record<string, string>), 'linear-timestamp': String(Date.now()) };
    expect((await errorOf(webhooks.receive({ headers, rawBody: stale.rawBody }))).code).toBe('webhook_signature_invalid');
  });

  it('a delivery without webhookTimestamp is refused', async () => {
    const { fake, webhooks } = start();
    const body = bodyOf(fake, 'Issue');
    delete body.webhookTimestamp;
    expect((await errorOf(webhooks.receive(signed(body)))).code).toBe('webhook_signature_invalid');
  });

  it('verifies before parsing: a wrong signature on garbage is a signature error, not a parse error', async () => {
    const { webhooks } = start();
    const error = await errorOf(webhooks.receive({ headers: { 'linear-signature': 'ab'.repeat(32) }, rawBody: '{not json' }));
    expect(error.code).toBe('webhook_signature_invalid');
  });

  it('dedupes on Linear-Delivery: a redelivery has the same key', async () => {
    const { fake, webhooks } = start();
    const body = bodyOf(fake, 'Issue');
    const a = await webhooks.receive(signed(body, 'delivery-1'));
    const b = await webhooks.receive(signed(body, 'delivery-1'));
    const c = await webhooks.receive(signed(body, 'delivery-2'));
    expect(a.deliveryId).toBe('delivery-1');
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(c.dedupeKey).not.toBe(a.dedupeKey);
  });
});

describe('normalization through the read mappers', () => {
  it('an Issue delivery and a read of the same issue normalize alike', async () => {
    const { fake, webhooks, instance } = start();
    fake.state.user('alice');
    const ref = fake.seed.issue!('ENG', { title: 'same either way', labels: ['bug', 'ui'], assignees: ['alice'] });
    const read = await instance.issueTracking!.getIssue(ref);
    const delivery = await webhooks.receive(fake.webhook('Issue', { ref, action: 'update' }));
    const { external: a, ...fromHook } = delivery.events[0]!.object as typeof read;
    const { external: b, ...fromRead } = read;
    expect(fromHook).toEqual(fromRead);
    expect(a.nativeId).toBe(b.nativeId);
    expect(fromHook.labels.sort()).toEqual(['bug', 'ui']);
  });

  it('remove of a trashed issue is a deletion; remove of an archived one keeps it (archived issues are listed)', async () => {
    const { fake, webhooks } = start();
    const trashed = fake.seed.issue!('ENG', { title: 'to the trash' });
    fake.archiveIssue(trashed, { trash: true });
    const archived = fake.seed.issue!('ENG', { title: 'archived' });
    fake.archiveIssue(archived);
    const t = await webhooks.receive(fake.webhook('Issue', { ref: trashed, action: 'remove' }));
    const a = await webhooks.receive(fake.webhook('Issue', { ref: archived, action: 'remove' }));
    expect(t.events.map((e) => [e.change, e.ref])).toEqual([['deleted', trashed]]);
    expect(a.events.map((e) => e.change)).toEqual(['upserted']);
    expect((a.events[0]!.object as { external: { extensions: { fields: { archivedAt: unknown } } } }).external.extensions.fields.archivedAt).toEqual(expect.any(String));
  });

  it('Comment, IssueLabel and Cycle deliveries map through the read mappers; a label\'s team key is looked up once', async () => {
    const { fake, webhooks, instance } = start();
    const issue = fake.seed.issue!('ENG', { title: 'commented' });
    const comment = fake.seed.comment!(issue, { body: 'a comment' });
    const label = fake.seed.label!('ENG', { name: 'triaged', color: '00ff00' });
    const cycle = fake.seed.milestone!('ENG', { title: 'Sprint 9' });
    const c = await webhooks.receive(fake.webhook('Comment', { ref: comment }));
    expect(c.events[0]).toMatchObject({ kind: 'comment', change: 'upserted', ref: comment, object: { issueRef: issue, body: { markdown: 'a comment' } } });
    const l = await webhooks.receive(fake.webhook('IssueLabel', { ref: label }));
    expect(l.events[0]).toMatchObject({ kind: 'label', ref: label, object: { name: 'triaged', color: '00ff00' } });
    const y = await webhooks.receive(fake.webhook('Cycle', { ref: cycle }));
    expect(y.events[0]).toMatchObject({ kind: 'milestone', ref: cycle, object: { title: 'Sprint 9', state: 'open' } });
    const lookups = fake.requests.filter((r) => String((r.body as { query: string }).query).includes('KrateDirectoryTeamById'));
    expect(lookups).toHaveLength(1);
    const listed = await instance.issueTracking!.listLabels('ENG');
    expect(listed.items.find((x) => x.ref.id === label.id)).toEqual(l.events[0]!.object);
  });

  it('Project deliveries are verified and acknowledged with no events; remove of a comment deletes it', async () => {
    const { fake, webhooks } = start();
    const project = await webhooks.receive(fake.webhook('Project'));
    expect([project.nativeEvent, project.events]).toEqual(['Project', []]);
    const comment = fake.seed.comment!(fake.seed.issue!('ENG', { title: 'x' }), { body: 'gone' });
    const removed = await webhooks.receive(fake.webhook('Comment', { ref: comment, action: 'remove' }));
    expect(removed.events.map((e) => [e.change, e.ref])).toEqual([['deleted', comment]]);
  });
});
