import { InvalidInputError, ProviderError } from './errors.js';

/** One page of a listing. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Options every list operation takes. */
export interface ListOptions {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
  /** Items per page; providers clamp it to the vendor's maximum. */
  pageSize?: number | undefined;
  /** Only objects updated at or after this instant (ISO-8601), where the provider can filter. */
  updatedSince?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type ListFn<T> = (options: ListOptions) => Promise<Page<T>>;

export interface PaginateOptions extends Omit<ListOptions, 'cursor'> {
  /** Start from this cursor (to resume a listing). */
  cursor?: string | undefined;
  /** Stop after this many pages. */
  maxPages?: number | undefined;
  /** Stop after this many items. */
  maxItems?: number | undefined;
  /**
   * What a cap does when more pages remain: `throw` (default) raises an error that
   * names the resume cursor; `stop` ends the iteration and sets `truncated`.
   */
  onCap?: 'throw' | 'stop';
}

/** An async iterator over every item of a listing that tells how the listing ended. */
export interface PageIterator<T> extends AsyncIterable<T> {
  /** Pages fetched so far. */
  readonly pages: number;
  /** True when a cap ended the listing while more pages remained. */
  readonly truncated: boolean;
  /** The cursor to resume from after a cap, or null when the listing is complete. */
  readonly resumeCursor: string | null;
}

/**
 * Turns a list operation into an async iterator that holds one page at a time.
 *
 * - A cursor that repeats (the provider would loop forever) is an error.
 * - A page that is not `{ items: [], nextCursor }` is an error.
 * - A cap (`maxPages`, `maxItems`) never ends a listing silently: it throws, or with
 *   `onCap: 'stop'` sets `truncated` and `resumeCursor`.
 *
 * @example
 * for await (const issue of paginate((o) => provider.issueTracking.listIssues('a5c-ai/krate', o))) { ... }
 */
export function paginate<T>(listFn: ListFn<T>, options: PaginateOptions = {}): PageIterator<T> {
  const { maxPages, maxItems, onCap = 'throw', cursor: startCursor, ...listOptions } = options;
  for (const [name, value] of [['maxPages', maxPages], ['maxItems', maxItems]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidInputError({ message: `${name} must be a positive integer, got ${String(value)}` });
    }
  }
  const state = { pages: 0, truncated: false, resumeCursor: null as string | null };
  const iterator = {
    get pages() {
      return state.pages;
    },
    get truncated() {
      return state.truncated;
    },
    get resumeCursor() {
      return state.resumeCursor;
    },
    async *[Symbol.asyncIterator](): AsyncIterator<T> {
      const seen = new Set<string>();
      let cursor: string | undefined = startCursor;
      if (cursor !== undefined) seen.add(cursor);
      let items = 0;
      for (;;) {
        listOptions.signal?.throwIfAborted();
        const page = await listFn({ ...listOptions, cursor });
        if (!page || !Array.isArray(page.items) || (page.nextCursor !== null && typeof page.nextCursor !== 'string')) {
          throw new ProviderError({ code: 'upstream_unavailable', retryable: false, message: 'list operation returned a malformed page' });
        }
        state.pages += 1;
        for (let i = 0; i < page.items.length; i++) {
          if (maxItems !== undefined && items >= maxItems) {
            // The remaining items of this page are not yielded: resume from this page's cursor.
            return capReached(cursor ?? null, `maxItems ${maxItems}`);
          }
          items += 1;
          yield page.items[i] as T;
        }
        const next = page.nextCursor;
        if (next === null || next === '') {
          state.resumeCursor = null;
          return;
        }
        if (seen.has(next)) {
          throw new ProviderError({
            code: 'upstream_unavailable',
            retryable: false,
            message: `pagination cursor repeated after ${state.pages} page(s); the listing would never end`,
          });
        }
        seen.add(next);
        state.resumeCursor = next;
        if (maxItems !== undefined && items >= maxItems) return capReached(next, `maxItems ${maxItems}`);
        if (maxPages !== undefined && state.pages >= maxPages) return capReached(next, `maxPages ${maxPages}`);
        cursor = next;
      }
    },
  };

  function capReached(resume: string | null, what: string): void {
    state.truncated = true;
    state.resumeCursor = resume;
    if (onCap === 'throw') {
      throw new ProviderError({
        code: 'invalid_input',
        message:
          `listing stopped at ${what} with more items remaining; ` +
          (resume === null
            ? 'the cap fell inside the first page, so there is no cursor to resume from: raise the cap or pass onCap: \'stop\''
            : `resume with cursor "${resume}" or pass onCap: 'stop'`),
      });
    }
  }

  return iterator;
}

/** Collects every item of a listing into an array (for tests and small listings). */
export async function collect<T>(listFn: ListFn<T>, options: PaginateOptions = {}): Promise<T[]> {
  const out: T[] = [];
  for await (const item of paginate(listFn, options)) out.push(item);
  return out;
}

/** Encodes provider cursor state as an opaque, URL-safe string. */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...state }), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}. Anything else is an `invalid_input`
 * error, so a garbage cursor never turns into a silent first page.
 */
export function decodeCursor<T extends Record<string, unknown> = Record<string, unknown>>(
  cursor: string,
  context: { provider?: string; operation?: string } = {},
): T {
  const fail = (): never => {
    throw new InvalidInputError({ ...context, message: 'cursor is not one this provider issued' });
  };
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) fail();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return fail();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { v?: unknown }).v !== 1) fail();
  return value as T;
}

export interface LinkHeaderOptions {
  /** The URL of the request that returned the header; relative links resolve against it. */
  requestUrl: string;
  /** Extra hosts a next link may point at. The request's own host is always allowed. */
  allowedHosts?: readonly string[];
  provider?: string;
}

/**
 * Parses an RFC 8288 `Link` header into `{ rel: url }`. A link that points at a
 * host other than the request's (or an allowed one) is refused with an error: a
 * forged or misconfigured header must not send credentials elsewhere.
 */
export function parseLinkHeader(header: string | null | undefined, options: LinkHeaderOptions): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  const base = new URL(options.requestUrl);
  const allowed = new Set([base.host, ...(options.allowedHosts ?? [])]);
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*((?:;\s*[^;]+)*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '');
    if (!rels?.[1]) continue;
    let url: URL;
    try {
      url = new URL(match[1] ?? '', base);
    } catch {
      continue;
    }
    if (!allowed.has(url.host) || url.protocol !== base.protocol) {
      throw new ProviderError({
        code: 'upstream_unavailable',
        retryable: false,
        provider: options.provider,
        message: `refusing a pagination link to another host (${url.host}); add it to allowedHosts if it is expected`,
      });
    }
    for (const rel of rels[1].trim().split(/\s+/)) links[rel] = url.toString();
  }
  return links;
}
