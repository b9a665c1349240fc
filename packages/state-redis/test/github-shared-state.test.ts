import { randomBytes, randomUUID } from 'node:crypto';
import { useFakeServer } from '@krate/contract-tests';
import { createGitHubProvider } from '@krate/provider-github';
import { createFake, GITHUB_FAKE_REPOSITORY } from '@krate/provider-github/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedisStateStore, type RedisStateStore } from '../src/index.js';

const server = useFakeServer();
const url = inject('redisUrl');
const stores: RedisStateStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

/** Replicas: GitHub provider instances on one fake with stores on one Redis prefix. */
function replicas(count: number, storeOptions: { encryptionKey?: string } = {}) {
  const fake = createFake();
  server.use(...fake.handlers);
  const keyPrefix = `gh:${randomUUID()}:`;
  const instances = Array.from({ length: count }, () => {
    const state = createRedisStateStore({ url, keyPrefix, ...storeOptions });
    stores.push(state);
    return createGitHubProvider({ ...fake.config, timeoutMs: 30_000 }, { state });
  });
  return { fake, instances };
}

describe('GitHub replicas sharing a Redis store', () => {
  it('look an owner installation up once for the fleet', async () => {
    const { fake, instances } = replicas(3);
    for (const instance of instances) await instance.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY);
    const lookups = fake.authRequests.filter((r) => r.method === 'GET');
    expect(lookups).toHaveLength(1);
  });

  it('mint one installation token for the fleet when the store may keep it encrypted', async () => {
    const { fake, instances } = replicas(3, { encryptionKey: randomBytes(32).toString('base64') });
    await Promise.all(instances.map((i) => i.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY)));
    expect(fake.authRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('without an encryption key each replica mints its own token, one at a time, and no token reaches Redis', async () => {
    const { fake, instances } = replicas(3);
    await Promise.all(instances.map((i) => i.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY)));
    expect(fake.authRequests.filter((r) => r.method === 'POST')).toHaveLength(3);
    const raw = stores.at(-1)!.client;
    for (const key of await raw.keys('*')) {
      if ((await raw.type(key)) !== 'string') continue;
      const value = (await raw.get(key)) ?? '';
      for (const token of fake.core.tokens()) expect(value).not.toContain(token);
    }
  });

  it('share list pages: an unchanged page listed by another replica is a 304', async () => {
    const { fake, instances } = replicas(2);
    fake.seed.issue!(GITHUB_FAKE_REPOSITORY, { title: 'Cached across replicas' });
    const first = await instances[0]!.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY);
    const second = await instances[1]!.issueTracking!.listIssues(GITHUB_FAKE_REPOSITORY);
    expect(second.items.map((i) => i.title)).toEqual(first.items.map((i) => i.title));
    const listings = fake.requests.filter((r) => r.path === '/repos/octo-org/hello-world/issues');
    expect(listings.map((r) => r.status)).toEqual([200, 304]);
  });

  it('count every replica against the installation budget', async () => {
    const { fake, instances } = replicas(2);
    fake.core.rateLimitPerHour = 6;
    const ref = fake.seed.issue!(GITHUB_FAKE_REPOSITORY, { title: 'Budgeted' });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => instances[i % 2]!.issueTracking!.getIssue(ref)));
    const limited = outcomes.filter((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'rate_limited');
    // 6 requests reached the fake; the other 4 were refused by the shared budget, not by GitHub.
    expect(fake.requests.filter((r) => r.status !== 403)).toHaveLength(6);
    expect(fake.requests.filter((r) => r.status === 403)).toHaveLength(0);
    expect(limited).toHaveLength(4);
  });
});
