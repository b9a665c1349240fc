import { randomUUID } from 'node:crypto';
import { useFakeServer } from '@krate/contract-tests';
import { createBuildkiteProvider } from '@krate/provider-buildkite';
import { createFake } from '@krate/provider-buildkite/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedisStateStore, type RedisStateStore } from '../src/index.js';

const server = useFakeServer();
const url = inject('redisUrl');
const stores: RedisStateStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

/** Buildkite provider instances on one fake, with stores on one Redis prefix. */
function replicas(count: number) {
  const fake = createFake();
  server.use(...fake.handlers);
  const keyPrefix = `bk:${randomUUID()}:`;
  const instances = Array.from({ length: count }, () => {
    const state = createRedisStateStore({ url, keyPrefix });
    stores.push(state);
    // A generous attempt timeout: the test is about the budget, not about a loaded machine's latency.
    return createBuildkiteProvider({ ...fake.config, timeoutMs: 30_000 }, { state });
  });
  return { fake, instances };
}

describe('Buildkite replicas sharing a Redis store', () => {
  it('share the token budget Buildkite reports: the fleet stops at what is left in the window', async () => {
    const { fake, instances } = replicas(3);
    const ref = fake.seed.pipeline!(fake.scopes.cicd!, { status: 'succeeded' });
    const outcomes = await Promise.allSettled(Array.from({ length: 70 }, (_, i) => instances[i % 3]!.cicd!.getPipeline(ref)));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const limited = outcomes.filter((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'rate_limited');
    // The fake's user bucket allows 50 requests a minute: exactly 50 reached it, every call beyond failed
    // with rate_limited before its request was sent, and none met a 429.
    expect(fake.requests).toHaveLength(50);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length + limited.length).toBe(70);
  });

  it('process a delivery received by two replicas at once exactly once', async () => {
    const { fake, instances } = replicas(2);
    fake.seed.pipeline!(fake.scopes.cicd!, { status: 'succeeded' });
    const delivery = fake.webhook('build.finished');
    const handled: string[] = [];
    const handler = async (d: { deliveryId: string }) => {
      handled.push(d.deliveryId);
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const results = await Promise.all(instances.map((i) => i.webhooks!.process(delivery, handler)));
    expect(results.map((r) => r.outcome).filter((o) => o === 'processed')).toHaveLength(1);
    expect(handled).toHaveLength(1);
    expect((await instances[1]!.webhooks!.process(delivery, handler)).outcome).toBe('duplicate');
  });
});
