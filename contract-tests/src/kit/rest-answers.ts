/**
 * REST answers with the behaviour vendors share: a numbered page of a collection with
 * its `Link` header, and a single object, both with an ETag and a `304 Not Modified`
 * when the request's `If-None-Match` matches. A fake adds its own headers (rate-limit
 * state, totals) through `headers`, told whether the answer counts against a budget
 * (a 304 does not, on GitHub and GitLab).
 */
import { etagOf, notModified } from './etag.js';
import { json } from './fake-server.js';
import { linkHeader, pageSlice, type PageSlice } from './pagination.js';

/** Headers a fake adds to an answer; `counted` is false for a 304. */
export type AnswerHeaders = (counted: boolean) => Record<string, string>;

export interface ListAnswerOptions<T> {
  /** Page size when the request names none (GitHub 30, GitLab 20). */
  defaultPerPage: number;
  /** The vendor's maximum page size; larger requests are clamped to it. */
  maxPerPage: number;
  /** Query parameter names (default `page` and `per_page`). */
  pageParam?: string;
  perPageParam?: string;
  /** Renders each item of the served page (applied after slicing: a large listing renders one page, not all of it). */
  map?: (item: T) => unknown;
  /** The body around the page (e.g. `{ total_count, workflow_runs }`); the page itself by default. */
  wrap?: (page: unknown[], slice: PageSlice<T>) => unknown;
  /** Extra headers of the answer (e.g. `x-ratelimit-*`, `x-total`). */
  headers?: AnswerHeaders;
}

/**
 * One numbered page of `items` as a JSON answer: the page (clamped as vendors clamp),
 * a `Link` header to the other pages with the request's other query parameters kept,
 * and a weak ETag over body and links; a matching `If-None-Match` is answered 304
 * with the same ETag and Link and no body.
 */
export function listAnswer<T>(request: Request, url: URL, items: T[], options: ListAnswerOptions<T>): Response {
  const slice = pageSlice(
    items,
    { page: url.searchParams.get(options.pageParam ?? 'page'), perPage: url.searchParams.get(options.perPageParam ?? 'per_page') },
    { defaultPerPage: options.defaultPerPage, maxPerPage: options.maxPerPage },
  );
  const page = options.map ? slice.items.map(options.map) : slice.items;
  const body = options.wrap ? options.wrap(page, slice) : page;
  const link = linkHeader(url, slice.page, slice.totalPages, { pageParam: options.pageParam ?? 'page' });
  const etag = etagOf({ body, link: link ?? null });
  const fresh = notModified(request, etag);
  const headers: Record<string, string> = { etag, ...options.headers?.(!fresh) };
  if (link) headers.link = link;
  return fresh ? new Response(null, { status: 304, headers }) : json(body, { headers });
}

export interface ItemAnswerOptions {
  /** The status of a fresh answer (default 200). */
  status?: number;
  /** Extra headers of the answer. */
  headers?: AnswerHeaders;
}

/**
 * One object as a JSON answer with a weak ETag; a GET whose `If-None-Match` matches is
 * answered 304 with no body.
 */
export function itemAnswer(request: Request, body: unknown, options: ItemAnswerOptions = {}): Response {
  const etag = etagOf(body);
  if (request.method === 'GET' && notModified(request, etag)) {
    return new Response(null, { status: 304, headers: { etag, ...options.headers?.(false) } });
  }
  return json(body, { status: options.status ?? 200, headers: { etag, ...options.headers?.(true) } });
}
