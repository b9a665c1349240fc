import { randomUUID } from 'node:crypto';
import { createFake, GITHUB_FAKE_REPOSITORY, type GitHubFake } from '@krate/provider-github/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeBridge, startFleet } from './fleet/fleet.js';
import { startRedisServer } from './redis-server.js';

/**
 * Four worker processes, each a real GitHub provider instance on one GitHub App installation,
 * against one GitHub fake served over loopback HTTP. The fake keeps GitHub's budget per
 * installation and answers a spent one with GitHub's primary limit (403,
 * `x-ratelimit-remaining: 0`).
 */
const FLEET = 4;

type Result = { ok: true; outcome?: string; ref?: { scope: string; id: string } } | { ok: false; error: { typed: boolean; code?: string; message: string; retryAfterMs?: number } };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

// One fleet of worker processes for the file; each test gives it fresh instances, stores and a fresh fake.
let fleet: Awaited<ReturnType<typeof startFleet>>;
beforeAll(async () => {
  fleet = await startFleet(FLEET);
});
afterAll(async () => {
  await fleet?.close();
});

async function setup(state: { kind: 'redis'; url: string } | { kind: 'memory' }, budget = 5_000) {
  const fake: GitHubFake = createFake();
  fake.core.rateLimitPerHour = budget;
  const bridge = await startFakeBridge(fake.handlers, fake.core.apiBaseUrl);
  cleanups.push(() => bridge.close());
  const config = {
    // GitHub App auth: each replica looks the installation up and mints its own installation token.
    auth: fake.config.auth,
    baseUrl: bridge.baseUrl,
    webhookSecret: fake.core.webhookSecret,
    etagCacheSize: 0,
    timeoutMs: 30_000,
    retry: { maxRetries: 0, maxRetryAfterMs: 200 },
  };
  await fleet.init({
    config,
    state: state.kind === 'redis' ? { kind: 'redis', url: state.url, keyPrefix: `fleet:${randomUUID()}:` } : state,
  });
  return { fake, bridge, fleet };
}

const issueListings = (fake: GitHubFake) =>
  fake.requests.filter((r) => r.method === 'GET' && r.path === '/repos/octo-org/hello-world/issues');

describe('a fleet of four replicas on one GitHub App installation', () => {
  it('with the Redis store never sends more than the budget: the rest fail fast with rate_limited', async () => {
    const BUDGET = 40;
    const { fake, bridge, fleet } = await setup({ kind: 'redis', url: inject('redisUrl') }, BUDGET);
    const results = (
      await Promise.all(fleet.workers.map((w) => w.call<Result[]>('list', { scope: GITHUB_FAKE_REPOSITORY, count: 25, concurrency: 5 })))
    ).flat();
    const listings = issueListings(fake);
    expect(bridge.unhandled).toEqual([]);
    expect(listings.filter((r) => r.status === 200)).toHaveLength(BUDGET);
    // Not one request met GitHub's limit: the fleet stopped at the budget.
    expect(listings.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.ok)).toHaveLength(BUDGET);
    const failures = results.filter((r): r is Extract<Result, { ok: false }> => !r.ok);
    expect(failures).toHaveLength(FLEET * 25 - BUDGET);
    for (const failure of failures) {
      expect(failure.error).toMatchObject({ typed: true, code: 'rate_limited' });
      expect(failure.error.retryAfterMs).toBeGreaterThan(3_000_000);
    }
  });

  it('with in-memory stores each replica spends the budget on its own, and the fleet exceeds it', async () => {
    const BUDGET = 40;
    const { fake, fleet } = await setup({ kind: 'memory' }, BUDGET);
    await Promise.all(fleet.workers.map((w) => w.call<Result[]>('list', { scope: GITHUB_FAKE_REPOSITORY, count: 25, concurrency: 5 })));
    const listings = issueListings(fake);
    const served = listings.filter((r) => r.status === 200).length;
    const overBudget = listings.filter((r) => r.status === 403).length;
    expect(served).toBe(BUDGET);
    // Requests sent after the budget was spent: GitHub answered them with its primary limit.
    expect(overBudget).toBeGreaterThan(0);
    expect(served + overBudget).toBeGreaterThan(BUDGET);
  });

  it('processes a delivery that reaches two replicas at once exactly once', async () => {
    const { fake, fleet } = await setup({ kind: 'redis', url: inject('redisUrl') });
    for (let round = 0; round < 5; round++) {
      const request = fake.webhook('ping');
      const [a, b] = [fleet.workers[round % FLEET]!, fleet.workers[(round + 1) % FLEET]!];
      const outcomes = await Promise.all([a, b].map((w) => w.call<Result>('webhook', { request, holdMs: 200 })));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      // One replica processed it; the other found it in progress (or, arriving late, already processed).
      const [first, second] = outcomes.map((o) => (o as { outcome: string }).outcome).sort((x, y) => (x === 'processed' ? -1 : y === 'processed' ? 1 : 0));
      expect(first).toBe('processed');
      expect(['in_progress', 'duplicate']).toContain(second);
      // A later redelivery to any replica is a duplicate.
      expect(await fleet.workers[(round + 2) % FLEET]!.call<Result>('webhook', { request })).toEqual({ ok: true, outcome: 'duplicate' });
    }
    const processed = fleet.events.filter((e) => e.event === 'processed');
    expect(processed).toHaveLength(5);
    expect(new Set(processed.map((e) => e.deliveryId)).size).toBe(5);
  });

  it('processes the redelivery of a delivery whose processing failed on another replica', async () => {
    const { fake, fleet } = await setup({ kind: 'redis', url: inject('redisUrl') });
    const request = fake.webhook('ping');
    const failed = await fleet.workers[0]!.call<Result>('webhook', { request, fail: true });
    expect(failed).toMatchObject({ ok: false, error: { typed: false, message: expect.stringContaining('the handler failed') } });
    const redelivered = await fleet.workers[1]!.call<Result>('webhook', { request });
    expect(redelivered).toEqual({ ok: true, outcome: 'processed' });
    expect(fleet.events.filter((e) => e.event === 'processing').map((e) => e.worker)).toEqual([0, 1]);
    expect(fleet.events.filter((e) => e.event === 'processed').map((e) => e.worker)).toEqual([1]);
  });

  it('a create retried on other replicas returns the first issue, and the fake holds one', async () => {
    const { fake, fleet } = await setup({ kind: 'redis', url: inject('redisUrl') });
    const input = { scope: GITHUB_FAKE_REPOSITORY, title: 'Replicated create', body: 'once', idempotencyKey: `fleet-${randomUUID()}` };
    // Two replicas at once, then a retry on a third.
    const first = await Promise.all([fleet.workers[0]!, fleet.workers[1]!].map((w) => w.call<Result>('create', { input })));
    const retry = await fleet.workers[2]!.call<Result>('create', { input });
    const refs = [...first, retry].map((r) => (r.ok ? r.ref : r.error));
    expect(refs[0]).toMatchObject({ scope: GITHUB_FAKE_REPOSITORY });
    expect(refs[1]).toEqual(refs[0]);
    expect(refs[2]).toEqual(refs[0]);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/repos/octo-org/hello-world/issues');
    expect(posts).toHaveLength(1);
    const titled = fake.core.state.issues.list((issue) => issue.title === 'Replicated create');
    expect(titled).toHaveLength(1);
  });
});

describe('a fleet while Redis stops and starts again', () => {
  it('every call succeeds or fails typed, nothing is processed twice, and work resumes without restarting workers', async () => {
    const redis = await startRedisServer({ persistent: true });
    cleanups.push(() => redis.dispose());
    const { fake, fleet } = await setup({ kind: 'redis', url: redis.url });
    const untyped: unknown[] = [];
    const codes = new Map<string, number>();
    const note = (r: Result) => {
      if (r.ok) return;
      if (!r.error.typed) untyped.push(r.error);
      codes.set(r.error.code ?? 'untyped', (codes.get(r.error.code ?? 'untyped') ?? 0) + 1);
    };
    const deliveries = Array.from({ length: 12 }, () => fake.webhook('ping'));
    const done = new Set<string>();
    const idOf = (request: (typeof deliveries)[number]) => String((request.headers as Record<string, string>)['x-github-delivery']);
    let okAfterRestart = 0;
    let phase: 'before' | 'down' | 'after' = 'before';

    for (let round = 0; round < 60 && (done.size < deliveries.length || phase !== 'after'); round++) {
      if (round === 3) {
        await redis.stop();
        phase = 'down';
      }
      if (round === 6) {
        await redis.start();
        phase = 'after';
      }
      // Each round: every pending delivery goes to two replicas at once (a redelivery race),
      // and every replica lists issues.
      const pending = deliveries.filter((d) => !done.has(idOf(d))).slice(0, 4);
      const calls: Promise<void>[] = [];
      pending.forEach((request, i) => {
        for (const w of [fleet.workers[(round + i) % FLEET]!, fleet.workers[(round + i + 1) % FLEET]!]) {
          calls.push(
            w.call<Result>('webhook', { request }).then((r) => {
              note(r);
              if (r.ok && (r.outcome === 'processed' || r.outcome === 'duplicate')) done.add(idOf(request));
              if (r.ok && phase === 'after') okAfterRestart += 1;
            }),
          );
        }
      });
      for (const w of fleet.workers) {
        calls.push(
          w.call<Result[]>('list', { scope: GITHUB_FAKE_REPOSITORY, count: 2, concurrency: 2 }).then((rs) => {
            rs.forEach(note);
            if (phase === 'after') okAfterRestart += rs.filter((r) => r.ok).length;
          }),
        );
      }
      await Promise.all(calls);
      if (phase !== 'before') await new Promise((resolve) => setTimeout(resolve, 150));
    }

    expect(untyped).toEqual([]);
    expect(Object.fromEntries(codes)).toEqual({ upstream_unavailable: expect.any(Number) });
    // While Redis was down the replicas answered with typed errors, not hangs or crashes.
    expect(codes.get('upstream_unavailable') ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()].every((code) => code === 'upstream_unavailable')).toBe(true);
    // Every delivery was processed, each exactly once, and the same workers went on after the restart.
    expect(done.size).toBe(deliveries.length);
    const processed = fleet.events.filter((e) => e.event === 'processed').map((e) => e.deliveryId);
    expect(processed.sort()).toEqual(deliveries.map(idOf).sort());
    // No handler even started twice for one delivery.
    const started = fleet.events.filter((e) => e.event === 'processing').map((e) => e.deliveryId);
    expect(started.sort()).toEqual(deliveries.map(idOf).sort());
    expect(okAfterRestart).toBeGreaterThan(0);
  });
});
