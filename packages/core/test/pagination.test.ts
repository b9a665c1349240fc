import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collect, decodeCursor, encodeCursor, paginate, parseLinkHeader, ProviderError, type ListOptions, type Page } from '../src/index.js';

/** A listing over fixed pages: page i is fetched with cursor `c${i}` (the first without one). */
function pagedList<T>(pages: T[][], calls: (string | undefined)[] = []) {
  return async ({ cursor }: { cursor?: string | undefined }): Promise<Page<T>> => {
    calls.push(cursor);
    const index = cursor === undefined ? 0 : Number(cursor.slice(1));
    const items = pages[index];
    if (!items) throw new Error(`no page for cursor ${cursor}`);
    return { items, nextCursor: index + 1 < pages.length ? `c${index + 1}` : null };
  };
}

describe('paginate', () => {
  it('yields every item of every page in order and counts pages', async () => {
    const it = paginate(pagedList([[1, 2], [], [3], [4, 5, 6]]));
    const out: number[] = [];
    for await (const item of it) out.push(item);
    expect(out).toEqual([1, 2, 3, 4, 5, 6]);
    expect(it.pages).toBe(4);
    expect(it.truncated).toBe(false);
    expect(it.resumeCursor).toBeNull();
  });

  it('holds one page at a time: the next page is fetched only when its first item is wanted', async () => {
    const calls: (string | undefined)[] = [];
    const iterator = paginate(pagedList([[1, 2], [3, 4]], calls))[Symbol.asyncIterator]();
    expect(calls).toEqual([]);
    expect((await iterator.next()).value).toBe(1);
    expect((await iterator.next()).value).toBe(2);
    expect(calls).toEqual([undefined]);
    expect((await iterator.next()).value).toBe(3);
    expect(calls).toEqual([undefined, 'c1']);
  });

  it('passes list options through and starts from a given cursor', async () => {
    const seen: unknown[] = [];
    const list = async (options: ListOptions): Promise<Page<number>> => {
      seen.push(options);
      return { items: [1], nextCursor: null };
    };
    await collect(list, { cursor: 'start', pageSize: 50, updatedSince: '2026-01-01T00:00:00Z' });
    expect(seen).toEqual([{ cursor: 'start', pageSize: 50, updatedSince: '2026-01-01T00:00:00Z' }]);
  });

  it('detects a repeated cursor instead of looping forever', async () => {
    let calls = 0;
    const list = async (): Promise<Page<number>> => {
      calls += 1;
      return { items: [calls], nextCursor: 'same' };
    };
    await expect(collect(list)).rejects.toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('repeated') });
    expect(calls).toBe(2);
  });

  it('detects a next cursor equal to the cursor it started from', async () => {
    const list = async (): Promise<Page<number>> => ({ items: [1], nextCursor: 'resume' });
    await expect(collect(list, { cursor: 'resume' })).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it.each([
    ['undefined', undefined],
    ['items not an array', { items: 'x', nextCursor: null }],
    ['missing nextCursor', { items: [] }],
    ['numeric nextCursor', { items: [], nextCursor: 2 }],
  ])('rejects a malformed page (%s)', async (_label, page) => {
    const list = async () => page as unknown as Page<number>;
    await expect(collect(list)).rejects.toSatisfy((e) => ProviderError.isInstance(e) && e.code === 'upstream_unavailable');
  });

  it('throws at maxPages with the resume cursor named, when more pages remain', async () => {
    const iterator = paginate(pagedList([[1], [2], [3]]), { maxPages: 2 });
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const item of iterator) out.push(item);
      })(),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('"c2"') });
    expect(out).toEqual([1, 2]);
    expect(iterator.truncated).toBe(true);
    expect(iterator.resumeCursor).toBe('c2');
  });

  it('stops at maxItems with onCap "stop" and resumes from resumeCursor without losing items', async () => {
    const pages = [[1, 2], [3, 4], [5]];
    const first = paginate(pagedList(pages), { maxItems: 2, onCap: 'stop' });
    const out: number[] = [];
    for await (const item of first) out.push(item);
    expect(out).toEqual([1, 2]);
    expect(first.truncated).toBe(true);
    expect(first.resumeCursor).toBe('c1');
    const rest = await collect(pagedList(pages), { cursor: first.resumeCursor ?? undefined });
    expect([...out, ...rest]).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not report a cap when the listing ends exactly at it', async () => {
    const iterator = paginate(pagedList([[1], [2]]), { maxPages: 2 });
    const out: number[] = [];
    for await (const item of iterator) out.push(item);
    expect(out).toEqual([1, 2]);
    expect(iterator.truncated).toBe(false);
  });

  it('refuses caps that are not positive integers', () => {
    expect(() => paginate(pagedList([[1]]), { maxPages: 0 })).toThrow(/maxPages/);
    expect(() => paginate(pagedList([[1]]), { maxItems: 1.5 })).toThrow(/maxItems/);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(pagedList([[1]]), { signal: controller.signal })).rejects.toThrow();
  });

  it('property: any page partition yields every item exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer(), { maxLength: 5 }), { minLength: 1, maxLength: 8 }), async (pages) => {
        const calls: (string | undefined)[] = [];
        const iterator = paginate(pagedList(pages, calls));
        const out: number[] = [];
        for await (const item of iterator) out.push(item);
        expect(out).toEqual(pages.flat());
        expect(calls.length).toBe(pages.length);
        expect(iterator.pages).toBe(pages.length);
      }),
      { numRuns: 200 },
    );
  });

  it('property: a repeated cursor is always detected, after yielding each item once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer(), { maxLength: 4 }), { minLength: 2, maxLength: 8 }).chain((pages) =>
          fc.tuple(fc.constant(pages), fc.integer({ min: 1, max: pages.length - 1 })),
        ),
        async ([pages, back]) => {
          let calls = 0;
          // Page i is fetched with c<i>; the last page points back at an already used cursor.
          const list = async ({ cursor }: { cursor?: string | undefined }): Promise<Page<number>> => {
            calls += 1;
            const index = cursor === undefined ? 0 : Number(cursor.slice(1));
            const last = index === pages.length - 1;
            return { items: pages[index] ?? [], nextCursor: last ? `c${back}` : `c${index + 1}` };
          };
          const out: number[] = [];
          const error = await (async () => {
            for await (const item of paginate(list)) out.push(item);
          })().catch((e: unknown) => e);
          expect(ProviderError.isInstance(error) && error.code).toBe('upstream_unavailable');
          expect(out).toEqual(pages.flat());
          expect(calls).toBe(pages.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('cursors', () => {
  it('round-trips provider state', () => {
    const cursor = encodeCursor({ page: 3, after: 'Y3Vyc29y' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ v: 1, page: 3, after: 'Y3Vyc29y' });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a b c'],
    ['base64url of garbage', Buffer.from('not json').toString('base64url')],
    ['JSON without version', Buffer.from(JSON.stringify({ page: 2 })).toString('base64url')],
    ['JSON array', Buffer.from(JSON.stringify([1])).toString('base64url')],
    ['too long', 'a'.repeat(5000)],
  ])('refuses a garbage cursor (%s) with invalid_input', (_label, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor, { provider: 'github', operation: 'listIssues' });
    } catch (error) {
      caught = error;
    }
    expect(ProviderError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'invalid_input', provider: 'github', operation: 'listIssues' });
  });
});

describe('parseLinkHeader', () => {
  const requestUrl = 'https://api.github.com/repos/a5c-ai/krate/issues?per_page=2';

  it('parses next and last links', () => {
    const header =
      '<https://api.github.com/repositories/1/issues?per_page=2&page=2>; rel="next", <https://api.github.com/repositories/1/issues?per_page=2&page=5>; rel="last"';
    expect(parseLinkHeader(header, { requestUrl })).toEqual({
      next: 'https://api.github.com/repositories/1/issues?per_page=2&page=2',
      last: 'https://api.github.com/repositories/1/issues?per_page=2&page=5',
    });
  });

  it('resolves relative links against the request URL', () => {
    expect(parseLinkHeader('</api/v4/projects/1/issues?page=2>; rel="next"', { requestUrl: 'https://gitlab.test/api/v4/projects/1/issues' })).toEqual({
      next: 'https://gitlab.test/api/v4/projects/1/issues?page=2',
    });
  });

  it('refuses a link to another host or scheme, unless allowed', () => {
    const header = '<https://evil.test/steal?page=2>; rel="next"';
    expect(() => parseLinkHeader(header, { requestUrl, provider: 'github' })).toThrow(/another host/);
    expect(parseLinkHeader(header, { requestUrl, allowedHosts: ['evil.test'] })).toEqual({ next: 'https://evil.test/steal?page=2' });
    expect(() => parseLinkHeader('<http://api.github.com/x>; rel="next"', { requestUrl })).toThrow(ProviderError);
  });

  it('returns nothing for an absent header and skips links without rel', () => {
    expect(parseLinkHeader(null, { requestUrl })).toEqual({});
    expect(parseLinkHeader('<https://api.github.com/x>', { requestUrl })).toEqual({});
  });
});

describe('paginate caps inside a page', () => {
  it('a maxItems cap inside a page resumes from that page (its items may be seen again)', async () => {
    const pages = [[1, 2], [3, 4, 5], [6]];
    const first = paginate(pagedList(pages), { maxItems: 3, onCap: 'stop' });
    const out: number[] = [];
    for await (const item of first) out.push(item);
    expect(out).toEqual([1, 2, 3]);
    expect(first.truncated).toBe(true);
    expect(first.resumeCursor).toBe('c1');
    expect(await collect(pagedList(pages), { cursor: 'c1' })).toEqual([3, 4, 5, 6]);
  });

  it('a cap inside the first page says there is no cursor to resume from', async () => {
    await expect(collect(pagedList([[1, 2, 3]]), { maxItems: 2 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('no cursor to resume from'),
    });
  });
});
