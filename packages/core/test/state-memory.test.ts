import { describe, expect, it } from 'vitest';
import { createMemoryStateStore, recordInBudget, reserveFromBudget } from '../src/index.js';
import { describeStateStore } from './helpers/state-store-suite.js';

describeStateStore('memory store', () => createMemoryStateStore({ cacheMaxBytes: 64 * 1024 }));

describe('memory store', () => {
  it('never keeps secrets', async () => {
    const store = createMemoryStateStore();
    expect(await store.putSecret('token', 'ghs_abcdefghijklmnopqrstuvwxyz', 60_000)).toBe(false);
    expect(await store.getSecret('token')).toBeUndefined();
    expect(store.shared).toBe(false);
  });

  it('drops the least recently read page first', async () => {
    const store = createMemoryStateStore({ cacheMaxBytes: 100 });
    await store.setCached('a', 'x'.repeat(10), 60_000); // 22 bytes
    await store.setCached('b', 'x'.repeat(10), 60_000);
    await store.setCached('c', 'x'.repeat(10), 60_000);
    await store.getCached('a');
    await store.setCached('d', 'x'.repeat(10), 60_000); // 4 x 22 = 88 bytes: fits
    await store.setCached('e', 'x'.repeat(10), 60_000); // 110 > 100: drop the least recently read (b)
    expect(await store.getCached('b')).toBeUndefined();
    expect(await store.getCached('a')).toBeDefined();
    expect(await store.getCached('e')).toBeDefined();
  });
});

describe('budget rules', () => {
  const now = 1_000_000;
  it('a reset within the tolerance is the same window', () => {
    const state = recordInBudget({ remaining: 4, resetAtMs: now + 10_000 }, { remaining: 8, resetAtMs: now + 11_000 }, now);
    expect(state.remaining).toBe(4);
  });
  it('a Retry-After without counts blocks until then', () => {
    const state = recordInBudget({ remaining: 40, resetAtMs: now + 10_000 }, { remaining: 0, resetAtMs: now + 30_000 }, now);
    expect(reserveFromBudget(state, now + 29_000, 1, 10_000).reservation).toMatchObject({ granted: false, reason: 'spent', retryAfterMs: 1_000 });
  });
  it('a request costing more than what is left is refused', () => {
    const { reservation } = reserveFromBudget({ remaining: 2, resetAtMs: now + 1_000 }, now, 3, 10_000);
    expect(reservation.granted).toBe(false);
  });
});
