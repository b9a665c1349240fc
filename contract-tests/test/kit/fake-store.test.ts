import { describe, expect, it } from 'vitest';
import { FakeClock, FakeCollection, FakeNotFound, createSequence } from '../../src/kit/index.js';

describe('FakeCollection', () => {
  it('keeps insertion order, replaces in place and deletes', () => {
    const c = new FakeCollection<{ id: number; name: string }>();
    c.insert({ id: 2, name: 'b' });
    c.insert({ id: 1, name: 'a' });
    c.insert({ id: 3, name: 'c' });
    c.insert({ id: 2, name: 'B' });
    expect(c.list().map((i) => i.name)).toEqual(['B', 'a', 'c']);
    expect(c.size).toBe(3);
    expect(c.delete(1)).toBe(true);
    expect(c.delete(1)).toBe(false);
    expect(c.list((i) => i.id > 2).map((i) => i.id)).toEqual([3]);
    c.clear();
    expect(c.size).toBe(0);
  });

  it('sorts stably with compare', () => {
    const c = new FakeCollection<{ id: string; rank: number }>({ compare: (a, b) => a.rank - b.rank });
    c.insert({ id: 'x', rank: 2 });
    c.insert({ id: 'y', rank: 1 });
    c.insert({ id: 'z', rank: 2 });
    expect(c.list().map((i) => i.id)).toEqual(['y', 'x', 'z']);
  });

  it('treats numeric and string ids alike, update merges and require throws FakeNotFound', () => {
    const c = new FakeCollection<{ id: number; title: string; n?: number }>({ name: 'issue' });
    c.insert({ id: 7, title: 't' });
    expect(c.get(7)?.title).toBe('t');
    const updated = c.update(7, { n: 1 });
    expect(updated).toEqual({ id: 7, title: 't', n: 1 });
    expect(c.get(7)).toEqual(updated);
    expect(() => c.require(8)).toThrow(FakeNotFound);
    expect(() => c.update(8, {})).toThrow(/no issue with id 8/);
  });
});

describe('createSequence and FakeClock', () => {
  it('counts from the start', () => {
    const next = createSequence();
    expect([next(), next(), next()]).toEqual([1, 2, 3]);
    const from = createSequence(100);
    expect(from()).toBe(100);
  });

  it('moves only when ticked', () => {
    const clock = new FakeClock();
    expect(clock.iso()).toBe('2026-01-01T00:00:00Z');
    expect(clock.tick()).toBe('2026-01-01T00:00:01Z');
    expect(clock.tick(60_000)).toBe('2026-01-01T00:01:01Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:01.000Z');
    expect(new FakeClock('2025-05-05T10:00:00Z').iso()).toBe('2025-05-05T10:00:00Z');
    expect(() => new FakeClock('nope')).toThrow(TypeError);
  });
});
