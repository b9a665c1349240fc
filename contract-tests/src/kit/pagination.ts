/**
 * The vendors' pagination shapes for fakes: numbered pages with `Link` headers
 * (GitHub, GitLab, Buildkite) and keyset cursors (GraphQL `after`/`endCursor`).
 */

export interface PageSliceLimits {
  /** Page size when the request names none. */
  defaultPerPage: number;
  /** The vendor's maximum; larger requests are clamped to it. */
  maxPerPage: number;
}

export interface PageSlice<T> {
  items: T[];
  /** The 1-based page number served. */
  page: number;
  perPage: number;
  /** At least 1, also for an empty listing. */
  totalPages: number;
  total: number;
}

function positiveInt(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number.parseInt(value, 10);
  return n >= 1 ? n : undefined;
}

/**
 * One numbered page of `items`. Invalid values clamp the way the vendors do:
 * a missing or invalid page is page 1; a missing, zero or invalid `perPage` is the
 * default; a `perPage` above the maximum is the maximum. A page past the end is empty.
 */
export function pageSlice<T>(
  items: T[],
  query: { page?: string | null; perPage?: string | null },
  limits: PageSliceLimits,
): PageSlice<T> {
  const page = positiveInt(query.page) ?? 1;
  const perPage = Math.min(positiveInt(query.perPage) ?? limits.defaultPerPage, limits.maxPerPage);
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  return { items: items.slice(start, start + perPage), page, perPage, totalPages, total };
}

export interface LinkHeaderOptions {
  /** Query parameter holding the page number (default `page`). */
  pageParam?: string;
  /** Include `rel="first"` and `rel="last"` (default true). */
  includeFirstLast?: boolean;
}

/**
 * An RFC 8288 `Link` header for a numbered page, as GitHub sends it:
 * `<url?page=3>; rel="next", <url?page=5>; rel="last", <url?page=1>; rel="first", <url?page=1>; rel="prev"`.
 * Other query parameters of the request are kept. Undefined when there is no other page to link.
 */
export function linkHeader(requestUrl: string | URL, page: number, totalPages: number, options: LinkHeaderOptions = {}): string | undefined {
  const pageParam = options.pageParam ?? 'page';
  const includeFirstLast = options.includeFirstLast ?? true;
  const at = (n: number) => {
    const url = new URL(String(requestUrl));
    url.searchParams.set(pageParam, String(n));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(Math.min(page - 1, Math.max(totalPages, 1)))}>; rel="prev"`);
  if (page < totalPages) links.push(`<${at(page + 1)}>; rel="next"`);
  if (includeFirstLast) {
    if (page < totalPages) links.push(`<${at(totalPages)}>; rel="last"`);
    if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  }
  return links.length ? links.join(', ') : undefined;
}

/** Thrown by {@link keysetPage} for a cursor that names no item; fakes answer it with the vendor's error. */
export class FakeInvalidCursor extends Error {
  constructor(cursor: string) {
    super(`fake: cursor "${cursor.slice(0, 40)}" is not valid`);
    this.name = 'FakeInvalidCursor';
  }
}

export interface KeysetPageOptions<T> {
  /** Items after this cursor (exclusive); the first page when absent. */
  after?: string | null;
  /** Page size; default and maximum `maxPageSize`. */
  first?: number;
  maxPageSize: number;
  cursorOf: (item: T) => string;
}

/** One keyset page (GraphQL `first`/`after`). An unknown `after` throws {@link FakeInvalidCursor}. */
export function keysetPage<T>(items: T[], options: KeysetPageOptions<T>): { items: T[]; endCursor: string | null; hasNextPage: boolean } {
  const size = Math.max(1, Math.min(options.first ?? options.maxPageSize, options.maxPageSize));
  let start = 0;
  if (options.after !== undefined && options.after !== null && options.after !== '') {
    const index = items.findIndex((item) => options.cursorOf(item) === options.after);
    if (index < 0) throw new FakeInvalidCursor(options.after);
    start = index + 1;
  }
  const page = items.slice(start, start + size);
  const last = page[page.length - 1];
  return { items: page, endCursor: last === undefined ? null : options.cursorOf(last), hasNextPage: start + size < items.length };
}
