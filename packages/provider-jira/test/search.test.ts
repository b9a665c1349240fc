import { collect } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { Version3Client } from 'jira.js';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { jqlDate } from '../src/shared/jira-time.js';
import { createFake, jqlDateToEpochMs, JIRA_FAKE_PROJECT, JIRA_FAKE_SITE } from '../src/testing/index.js';

const server = useFakeServer();
const P = JIRA_FAKE_PROJECT;

describe('search on /rest/api/3/search/jql', () => {
  it('the removed /rest/api/3/search answers 410 (jira.js 5.4 still has the method), and the provider never calls it', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.seed.issue!(P, { title: 'a' });
    const legacy = new Version3Client({ host: JIRA_FAKE_SITE, authentication: { basic: { email: 'bot@krate.example', apiToken: (fake.config.auth as { apiToken: string }).apiToken } } });
    const failure = await legacy.issueSearch.searchForIssuesUsingJql({ jql: `project = ${P}` }).catch((e: unknown) => e as { status?: number; message?: string });
    expect((failure as { status?: number }).status).toBe(410);
    fake.reset();
    await collect((o) => instance.issueTracking!.listIssues(P, o));
    expect(fake.requests.map((r) => r.path)).toEqual(['/rest/api/3/search/jql']);
  });

  it('asks for explicit fields and bounded JQL, pages with nextPageToken and reads no total', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    for (let i = 0; i < 5; i++) fake.seed.issue!(P, { title: `issue ${i}` });
    fake.reset();
    const items = await collect((o) => instance.issueTracking!.listIssues(P, { ...o, pageSize: 2 }));
    expect(items.map((i) => i.title)).toEqual(['issue 0', 'issue 1', 'issue 2', 'issue 3', 'issue 4']);
    const [first, second] = fake.requests;
    expect(first!.query.jql).toBe(`project = "${P}" ORDER BY updated ASC, key ASC`);
    expect(first!.query.fields!.split(',')).toEqual(expect.arrayContaining(['summary', 'description', 'status', 'updated']));
    expect(first!.query.nextPageToken).toBeUndefined();
    expect(second!.query.nextPageToken).toMatch(/.+/);
    expect(fake.requests).toHaveLength(3);
  });

  it('the fake refuses unbounded JQL, as Jira does', async () => {
    const { fake } = startProvider(server, plugin, createFake);
    const response = await fetch(`${JIRA_FAKE_SITE}/rest/api/3/search/jql?jql=${encodeURIComponent('order by key')}`, { headers: { authorization: `Basic ${fake.secrets[1]}` } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/Unbounded JQL/);
  });

  it('a search page with a body that is not a list of issues is upstream_unavailable', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.faults.malformed({ times: Infinity });
    expect((await errorOf(instance.issueTracking!.listIssues(P))).code).toBe('upstream_unavailable');
  });
});

describe('updatedSince: minute precision in the searching user\'s time zone', () => {
  it('formats the JQL date in the user\'s profile time zone, read once from /myself', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.reset();
    await instance.issueTracking!.listIssues(P, { updatedSince: '2026-03-02T09:00:30Z' });
    await instance.issueTracking!.listIssues(P, { updatedSince: '2026-03-02T09:00:30Z' });
    expect(fake.requests.map((r) => r.path)).toEqual(['/rest/api/3/myself', '/rest/api/3/search/jql', '/rest/api/3/search/jql']);
    // 09:00:30Z is 20:00:30 in Sydney (UTC+11 in March); minute precision, one minute early.
    expect(fake.requests[1]!.query.jql).toBe(`project = "${P}" AND updated >= "2026-03-02 19:59" ORDER BY updated ASC, key ASC`);
  });

  it('a configured time zone is used without asking /myself', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { config: { timeZone: 'UTC' } });
    fake.reset();
    await instance.issueTracking!.listIssues(P, { updatedSince: '2026-03-02T09:00:30Z' });
    expect(fake.requests.map((r) => r.path)).toEqual(['/rest/api/3/search/jql']);
    expect(fake.requests[0]!.query.jql).toContain('updated >= "2026-03-02 08:59"');
  });

  it('keeps an issue updated seconds after updatedSince in the same minute, and drops the overlap minute', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const before = fake.seed.issue!(P, { title: 'seconds before', updatedAt: '2026-03-02T09:00:10Z' });
    const minuteBefore = fake.seed.issue!(P, { title: 'in the overlap minute', updatedAt: '2026-03-02T08:59:40Z' });
    const after = fake.seed.issue!(P, { title: 'seconds after', updatedAt: '2026-03-02T09:00:50Z' });
    const later = fake.seed.issue!(P, { title: 'later', updatedAt: '2026-03-02T10:00:00Z' });
    const items = await collect((o) => instance.issueTracking!.listIssues(P, { ...o, updatedSince: '2026-03-02T09:00:30Z' }));
    const ids = items.map((i) => i.ref.id);
    expect(ids).toEqual([after.id, later.id]);
    expect(ids).not.toContain(before.id);
    expect(ids).not.toContain(minuteBefore.id);
  });

  it('an incremental sync from the last seen updatedAt misses nothing and repeats nothing', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.seed.issue!(P, { title: 'one', updatedAt: '2026-03-02T09:00:05Z' });
    fake.seed.issue!(P, { title: 'two', updatedAt: '2026-03-02T09:00:20Z' });
    const firstRun = await collect((o) => instance.issueTracking!.listIssues(P, { ...o, updatedSince: '2026-03-02T09:00:00Z' }));
    const mark = firstRun.at(-1)!.updatedAt;
    // A change in the same minute, after the mark.
    fake.seed.issue!(P, { title: 'three', updatedAt: '2026-03-02T09:00:40Z' });
    const next = new Date(Date.parse(mark) + 1).toISOString();
    const secondRun = await collect((o) => instance.issueTracking!.listIssues(P, { ...o, updatedSince: next }));
    expect(firstRun.map((i) => i.title)).toEqual(['one', 'two']);
    expect(secondRun.map((i) => i.title)).toEqual(['three']);
  });

  it('JQL dates never start the window late, also in the hour a DST change repeats', () => {
    for (const zone of ['Australia/Sydney', 'America/New_York', 'UTC', 'Asia/Kolkata']) {
      for (const iso of ['2026-04-05T15:59:00Z', '2026-11-01T06:30:00Z', '2026-03-02T09:00:00Z']) {
        const read = jqlDateToEpochMs(jqlDate(Date.parse(iso), zone), zone)!;
        // 01:30 on the night New York falls back exists twice: reading it as the earlier
        // instant widens the window by an hour (the extra issues are dropped by their exact time).
        expect([0, 3_600_000]).toContain(Date.parse(iso) - read);
      }
    }
    expect(jqlDate(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30');
  });
});

describe('read-after-write: reconcileIssues', () => {
  it('an issue the index has not caught up with is found because the provider reconciles the ids it created', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.searchLag = 3;
    const created = await instance.issueTracking!.createIssue({ scope: P, title: 'just created' });
    const other = startProvider(server, plugin, () => fake).instance;
    const elsewhere = await collect((o) => other.issueTracking!.listIssues(P, o));
    expect(elsewhere.map((i) => i.ref.id)).not.toContain(created.ref.id);
    fake.reset();
    const mine = await collect((o) => instance.issueTracking!.listIssues(P, o));
    expect(mine.map((i) => i.ref.id)).toContain(created.ref.id);
    expect(fake.requests[0]!.query.reconcileIssues).toBe(created.external.nativeId);
  });
});
