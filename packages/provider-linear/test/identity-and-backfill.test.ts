import { createHmac, randomUUID } from 'node:crypto';
import { collect, type ExternalIssue } from '@krate/core';
import { startProvider, useFakeServer } from '@krate/contract-tests';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { LINEAR_FAKE_WEBHOOK_SECRET, createFake, type LinearFake } from '../src/testing/index.js';

const server = useFakeServer();
let current: LinearFake | undefined;

function start(config: Record<string, unknown> = {}) {
  const harness = startProvider(server, plugin, createFake, { config });
  current = harness.fake;
  return { fake: harness.fake, it: harness.instance.issueTracking!, instance: harness.instance };
}

afterEach(() => {
  // Every query the provider sent validated against Linear's schema.
  expect(current?.invalidQueries ?? []).toEqual([]);
  current = undefined;
});

describe('identity: { scope: team key, id: identifier }, nativeId the UUID', () => {
  it('an issue that moved team is followed from its old identifier and listed once, under its new one', async () => {
    const { fake, it: issues } = start();
    const ref = fake.seed.issue!('ENG', { title: 'will move' });
    fake.seed.issue!('ENG', { title: 'stays' });
    const before = await issues.getIssue(ref);
    const moved = fake.moveIssue(ref, 'OPS');
    expect(moved).toEqual({ scope: 'OPS', id: 'OPS-1' });

    const followed = await issues.getIssue(ref);
    expect(followed.ref).toEqual(moved);
    expect(followed.external.nativeId).toBe(before.external.nativeId);
    expect(followed.external.extensions.fields.previousIdentifiers).toEqual([ref.id]);

    const eng = await collect((o) => issues.listIssues('ENG', o));
    const ops = await collect((o) => issues.listIssues('OPS', o));
    expect(eng.map((i) => i.title)).toEqual(['stays']);
    expect(ops.map((i) => i.ref)).toEqual([moved]);
    const all = [...eng, ...ops].filter((i) => i.external.nativeId === before.external.nativeId);
    expect(all).toHaveLength(1);
  });

  it('a webhook that reports the move deletes the old ref and upserts the new one', async () => {
    const { fake, instance } = start();
    const ref = fake.seed.issue!('ENG', { title: 'moving' });
    const moved = fake.moveIssue(ref, 'OPS');
    const body = JSON.parse(String(fake.webhook('Issue', { ref: moved, action: 'update' }).rawBody));
    // What Linear sends for a team move: the old values in updatedFrom.
    body.updatedFrom = { teamId: fake.state.teams.list((t) => t.key === 'ENG')[0]!.id, identifier: ref.id, updatedAt: body.data.createdAt };
    const delivery = await instance.webhooks!.receive(resign(fake, body));
    expect(delivery.events.map((e) => [e.change, e.ref])).toEqual([
      ['deleted', ref],
      ['upserted', moved],
    ]);
  });

  it('writes resolve team, state, label and user UUIDs once per instance', async () => {
    const { fake, it: issues } = start();
    fake.seed.label!('ENG', { name: 'bug' });
    fake.state.user('alice');
    const a = await issues.createIssue({ scope: 'ENG', title: 'one', labels: ['bug'], assignees: ['alice'] });
    const names = () => fake.requests.map((r) => /(?:query|mutation) (\w+)/.exec(String((r.body as { query: string }).query))?.[1]);
    expect(names()).toEqual(['KrateDirectoryTeam', 'KrateDirectoryLabels', 'KrateDirectoryUsers', 'KrateCreateIssue']);
    fake.reset();
    const b = await issues.createIssue({ scope: 'ENG', title: 'two', labels: ['bug'], assignees: ['alice'] });
    expect([a.labels, b.labels]).toEqual([['bug'], ['bug']]);
    expect(b.assignees[0]?.login).toBe('alice');
    // The second create sends the mutation alone: the directory answered team, label and user.
    expect(names()).toEqual(['KrateCreateIssue']);
    const input = (fake.requests[0]!.body as { variables: { input: Record<string, unknown> } }).variables.input;
    expect(input).toMatchObject({ teamId: fake.state.teams.list((t) => t.key === 'ENG')[0]!.id, labelIds: [expect.any(String)], assigneeId: fake.state.user('alice').id });
  });
});

/** A delivery of `body` signed as Linear signs it (hex HMAC-SHA256 of the raw body). */
function resign(fake: LinearFake, body: Record<string, unknown>) {
  const text = JSON.stringify(body);
  return {
    headers: { 'linear-signature': createHmac('sha256', LINEAR_FAKE_WEBHOOK_SECRET).update(text).digest('hex'), 'linear-delivery': randomUUID(), 'linear-event': String(body.type) },
    rawBody: text,
  };
}

describe('backfills: archived and trashed issues, updatedSince windows', () => {
  it('archived issues (teams auto-archive closed ones) are in a backfill; trashed ones only when asked', async () => {
    const { fake, it: issues } = start();
    const live = fake.seed.issue!('ENG', { title: 'live' });
    const archived = fake.seed.issue!('ENG', { title: 'auto-archived', state: 'closed' });
    const trashed = fake.seed.issue!('ENG', { title: 'trashed' });
    fake.archiveIssue(archived);
    fake.archiveIssue(trashed, { trash: true });
    const all = await collect((o) => issues.listIssues('ENG', o));
    expect(all.map((i) => i.ref.id).sort()).toEqual([live.id, archived.id].sort());
    const archivedIssue = all.find((i) => i.ref.id === archived.id)!;
    expect(archivedIssue.phase).toBe('closed');
    expect(archivedIssue.external.extensions.fields.archivedAt).toEqual(expect.any(String));
    const query = fake.requests.at(-1)!.body as { variables: Record<string, unknown> };
    expect(query.variables.includeArchived).toBe(true);

    const withTrash = start({ includeTrashed: true });
    const a = withTrash.fake.seed.issue!('ENG', { title: 'live' });
    const t = withTrash.fake.seed.issue!('ENG', { title: 'trashed' });
    withTrash.fake.archiveIssue(t, { trash: true });
    const listed = await collect((o) => withTrash.it.listIssues('ENG', o));
    expect(listed.map((i) => [i.ref.id, i.external.extensions.fields.trashed])).toEqual(expect.arrayContaining([[a.id, false], [t.id, true]]));

    const without = start({ includeArchived: false });
    const x = without.fake.seed.issue!('ENG', { title: 'live' });
    const y = without.fake.seed.issue!('ENG', { title: 'archived' });
    without.fake.archiveIssue(y);
    expect((await collect((o) => without.it.listIssues('ENG', o))).map((i) => i.ref.id)).toEqual([x.id]);
  });

  it('updatedSince is inclusive and paging while issues change neither skips nor repeats one', async () => {
    const { fake, it: issues } = start();
    const refs = Array.from({ length: 6 }, (_, n) =>
      fake.seed.issue!('ENG', { title: `issue ${n}`, createdAt: `2026-02-0${n + 1}T00:00:00Z`, updatedAt: `2026-02-0${n + 1}T00:00:00Z` }),
    );
    const since = await collect((o) => issues.listIssues('ENG', o), { updatedSince: '2026-02-03T00:00:00Z' });
    expect(since.map((i) => i.title).sort()).toEqual(['issue 2', 'issue 3', 'issue 4', 'issue 5']);

    // Page through while every issue is edited between pages: createdAt order does not move them.
    const seen: ExternalIssue[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await issues.listIssues('ENG', { pageSize: 2, cursor: cursor ?? undefined });
      seen.push(...page.items);
      cursor = page.nextCursor;
      for (const ref of refs) await issues.updateIssue(ref, { title: `${fake.issue(ref).title}!` });
    } while (cursor);
    expect(seen.map((i) => i.ref.id).sort()).toEqual(refs.map((r) => r.id).sort());
  });
});
