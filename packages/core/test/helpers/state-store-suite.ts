import { describe, expect, it } from 'vitest';
import type { ProviderStateStore } from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every {@link ProviderStateStore} must have, run against the in-memory store
 * here and against a real redis-server in `@krate/state-redis`. `make` returns a fresh,
 * empty store (its own key prefix); TTLs are real and short.
 */
export function describeStateStore(name: string, make: () => Promise<ProviderStateStore> | ProviderStateStore): void {
  describe(`${name}: rate-limit budget`, () => {
    it('lets one probe through while the budget is unknown, then grants exactly what the server said is left', async () => {
      const store = await make();
      const first = await store.reserveRateLimit('b');
      expect(first).toEqual({ granted: true, remaining: undefined });
      const second = await store.reserveRateLimit('b');
      expect(second).toMatchObject({ granted: false, reason: 'probing' });
      await store.recordRateLimit('b', { limit: 10, remaining: 3, resetAtMs: Date.now() + 60_000 });
      const grants = [];
      for (let i = 0; i < 5; i++) grants.push(await store.reserveRateLimit('b'));
      expect(grants.map((g) => g.granted)).toEqual([true, true, true, false, false]);
      expect(grants[2]).toEqual({ granted: true, remaining: 0 });
      const refused = grants[3]!;
      expect(refused.granted).toBe(false);
      if (!refused.granted) {
        expect(refused.reason).toBe('spent');
        expect(refused.retryAfterMs).toBeGreaterThan(55_000);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('never grants more than the budget to concurrent reservations', async () => {
      const store = await make();
      await store.reserveRateLimit('c');
      await store.recordRateLimit('c', { limit: 50, remaining: 20, resetAtMs: Date.now() + 60_000 });
      const answers = await Promise.all(Array.from({ length: 60 }, () => store.reserveRateLimit('c')));
      expect(answers.filter((a) => a.granted)).toHaveLength(20);
    });

    it('within a window only lowers the count; a later reset starts a new window', async () => {
      const store = await make();
      const reset = Date.now() + 60_000;
      await store.reserveRateLimit('w');
      await store.recordRateLimit('w', { remaining: 5, resetAtMs: reset });
      await store.reserveRateLimit('w'); // 4 left locally
      await store.recordRateLimit('w', { remaining: 9, resetAtMs: reset }); // a stale, higher count
      const left = [];
      for (let i = 0; i < 6; i++) left.push(await store.reserveRateLimit('w'));
      expect(left.filter((a) => a.granted)).toHaveLength(4);
      await store.recordRateLimit('w', { remaining: 2, resetAtMs: reset + 3_600_000 });
      expect(await store.reserveRateLimit('w')).toEqual({ granted: true, remaining: 1 });
    });

    it('probes again once the window has passed', async () => {
      const store = await make();
      await store.reserveRateLimit('p');
      await store.recordRateLimit('p', { remaining: 0, resetAtMs: Date.now() + 150 });
      expect(await store.reserveRateLimit('p')).toMatchObject({ granted: false, reason: 'spent' });
      await sleep(200);
      expect(await store.reserveRateLimit('p')).toEqual({ granted: true, remaining: undefined });
      expect(await store.reserveRateLimit('p')).toMatchObject({ granted: false, reason: 'probing' });
    });

    it('lets a probe go after its lease, so a lost response does not block the bucket', async () => {
      const store = await make();
      await store.reserveRateLimit('lease', { probeLeaseMs: 100 });
      expect(await store.reserveRateLimit('lease', { probeLeaseMs: 100 })).toMatchObject({ granted: false });
      await sleep(150);
      expect(await store.reserveRateLimit('lease', { probeLeaseMs: 100 })).toMatchObject({ granted: true });
    });

    it('stops probing when the server sends no counts', async () => {
      const store = await make();
      await store.reserveRateLimit('free');
      await store.recordRateLimit('free', {});
      const answers = await Promise.all(Array.from({ length: 5 }, () => store.reserveRateLimit('free')));
      expect(answers.every((a) => a.granted)).toBe(true);
    });

    it('keeps buckets apart', async () => {
      const store = await make();
      await store.reserveRateLimit('x');
      await store.recordRateLimit('x', { remaining: 0, resetAtMs: Date.now() + 60_000 });
      expect(await store.reserveRateLimit('y')).toMatchObject({ granted: true });
      expect(await store.reserveRateLimit('x')).toMatchObject({ granted: false });
    });
  });

  describe(`${name}: page cache`, () => {
    it('answers what was set until its TTL passes', async () => {
      const store = await make();
      await store.setCached('page', '{"etag":"W/\\"1\\""}', 150);
      expect(await store.getCached('page')).toBe('{"etag":"W/\\"1\\""}');
      expect(await store.getCached('other')).toBeUndefined();
      await sleep(200);
      expect(await store.getCached('page')).toBeUndefined();
    });

    it('keeps its total size under the bound, dropping entries to make room', async () => {
      const store = await make();
      const value = 'x'.repeat(25_000); // 25 kB of UTF-8 (50 kB as UTF-16) each
      for (let i = 0; i < 10; i++) await store.setCached(`k${i}`, value, 60_000);
      const kept = [];
      for (let i = 0; i < 10; i++) if ((await store.getCached(`k${i}`)) !== undefined) kept.push(i);
      // The suite's stores are bounded at 64 kB: at most two entries fit, the newest is always kept.
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThanOrEqual(2);
      expect(kept).toContain(9);
    });

    it('does not keep a value larger than the bound', async () => {
      const store = await make();
      await store.setCached('huge', 'y'.repeat(100_000), 60_000);
      expect(await store.getCached('huge')).toBeUndefined();
    });

    it('replaces a value', async () => {
      const store = await make();
      await store.setCached('r', 'one', 60_000);
      await store.setCached('r', 'two', 60_000);
      expect(await store.getCached('r')).toBe('two');
    });
  });

  describe(`${name}: webhook delivery claims`, () => {
    it('gives one of many concurrent claimers the delivery', async () => {
      const store = await make();
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimDelivery('d1', 60_000)));
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'in_progress')).toHaveLength(9);
    });

    it('reports processed after confirm, and lets a redelivery in after release', async () => {
      const store = await make();
      const a = await store.claimDelivery('d2', 60_000);
      if (a.outcome !== 'claimed') throw new Error('expected a claim');
      expect(await store.confirmDelivery('d2', a.token, 60_000)).toBe(true);
      expect(await store.claimDelivery('d2', 60_000)).toEqual({ outcome: 'processed' });

      const b = await store.claimDelivery('d3', 60_000);
      if (b.outcome !== 'claimed') throw new Error('expected a claim');
      expect(await store.releaseDelivery('d3', b.token)).toBe(true);
      expect(await store.claimDelivery('d3', 60_000)).toMatchObject({ outcome: 'claimed' });
    });

    it('lets a claim expire, and refuses confirm or release with a lost token', async () => {
      const store = await make();
      const a = await store.claimDelivery('d4', 100);
      if (a.outcome !== 'claimed') throw new Error('expected a claim');
      await sleep(150);
      const b = await store.claimDelivery('d4', 60_000);
      expect(b.outcome).toBe('claimed');
      expect(await store.confirmDelivery('d4', a.token, 60_000)).toBe(false);
      expect(await store.releaseDelivery('d4', a.token)).toBe(false);
      expect(await store.claimDelivery('d4', 60_000)).toMatchObject({ outcome: 'in_progress' });
    });
  });

  describe(`${name}: idempotency records and locks`, () => {
    it('keeps a record until its TTL', async () => {
      const store = await make();
      const record = { ref: { scope: 'o/r', id: '7' }, createdAtMs: 1, object: { title: 'ü', n: [1, 2] } };
      await store.putIdempotencyRecord('i1', record, 150);
      expect(await store.getIdempotencyRecord('i1')).toEqual(record);
      expect(await store.getIdempotencyRecord('i2')).toBeUndefined();
      await sleep(200);
      expect(await store.getIdempotencyRecord('i1')).toBeUndefined();
    });

    it('gives a lock to one holder at a time; a release by a former holder does not free a new one', async () => {
      const store = await make();
      const locks = await Promise.all(Array.from({ length: 5 }, () => store.acquireLock('L', 100)));
      const held = locks.filter((l) => l !== undefined);
      expect(held).toHaveLength(1);
      await sleep(150);
      const next = await store.acquireLock('L', 60_000);
      expect(next).toBeDefined();
      await held[0]!.release();
      expect(await store.acquireLock('L', 60_000)).toBeUndefined();
      await next!.release();
      expect(await store.acquireLock('L', 60_000)).toBeDefined();
    });
  });
}
