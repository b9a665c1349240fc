import { describe, expect, it } from 'vitest';
import { FakeInvalidCursor, keysetPage, linkHeader, pageSlice } from '../../src/kit/index.js';

const items = Array.from({ length: 7 }, (_, i) => i + 1);
const limits = { defaultPerPage: 3, maxPerPage: 5 };

describe('pageSlice', () => {
  it('serves numbered pages', () => {
    expect(pageSlice(items, { page: '1', perPage: '3' }, limits)).toEqual({ items: [1, 2, 3], page: 1, perPage: 3, totalPages: 3, total: 7 });
    expect(pageSlice(items, { page: '3', perPage: '3' }, limits).items).toEqual([7]);
    expect(pageSlice(items, { page: '4', perPage: '3' }, limits).items).toEqual([]);
  });

  it('clamps invalid values the way vendors do', () => {
    expect(pageSlice(items, {}, limits)).toMatchObject({ page: 1, perPage: 3 });
    expect(pageSlice(items, { perPage: '500' }, limits)).toMatchObject({ perPage: 5, totalPages: 2 });
    expect(pageSlice(items, { page: 'abc', perPage: '0' }, limits)).toMatchObject({ page: 1, perPage: 3 });
    expect(pageSlice(items, { page: '-2', perPage: '2.5' }, limits)).toMatchObject({ page: 1, perPage: 3 });
    expect(pageSlice([], {}, limits)).toMatchObject({ items: [], totalPages: 1, total: 0 });
  });
});

describe('linkHeader', () => {
  it('links next and last on the first page, keeping other params', () => {
    const header = linkHeader('https://api.example.com/items?state=all&per_page=2', 1, 3);
    expect(header).toBe(
      '<https://api.example.com/items?state=all&per_page=2&page=2>; rel="next", <https://api.example.com/items?state=all&per_page=2&page=3>; rel="last"',
    );
  });

  it('links prev and first on the last page, nothing for a single page', () => {
    const header = linkHeader('https://api.example.com/items?page=3', 3, 3)!;
    expect(header).toContain('page=2>; rel="prev"');
    expect(header).toContain('page=1>; rel="first"');
    expect(header).not.toContain('rel="next"');
    expect(linkHeader('https://api.example.com/items', 1, 1)).toBeUndefined();
  });

  it('honours pageParam and includeFirstLast', () => {
    const header = linkHeader('https://x.test/a', 2, 3, { pageParam: 'p', includeFirstLast: false });
    expect(header).toBe('<https://x.test/a?p=1>; rel="prev", <https://x.test/a?p=3>; rel="next"');
  });
});

describe('keysetPage', () => {
  const cursorOf = (n: number) => `c${n}`;
  it('walks every item once with endCursor and hasNextPage', () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: { items: number[]; endCursor: string | null; hasNextPage: boolean } = keysetPage(items, { after, first: 3, maxPageSize: 5, cursorOf });
      pages++;
      seen.push(...page.items);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it('clamps first to the maximum and refuses unknown cursors', () => {
    expect(keysetPage(items, { first: 100, maxPageSize: 5, cursorOf }).items).toHaveLength(5);
    expect(keysetPage([], { maxPageSize: 5, cursorOf })).toEqual({ items: [], endCursor: null, hasNextPage: false });
    expect(() => keysetPage(items, { after: 'garbage', maxPageSize: 5, cursorOf })).toThrow(FakeInvalidCursor);
  });
});
