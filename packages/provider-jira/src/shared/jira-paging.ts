import { InvalidInputError, ProviderError, decodeCursor, encodeCursor, type ListOptions, type Page } from '@krate/core';
import { JIRA_MAX_PAGE_SIZE, type JiraContext, type Query } from '../jira-context.js';
import { PROVIDER } from '../jira-errors.js';

type Raw = Record<string, any>;

/** The page size of a listing: the caller's, clamped to Jira's maximum; Jira's maximum by default. */
export function pageSizeOf(options: ListOptions, max = JIRA_MAX_PAGE_SIZE): number {
  const size = options.pageSize ?? max;
  return Math.max(1, Math.min(Math.floor(size), max));
}

/** Reads a cursor this provider issued for this listing (`l`) and target (`t`); anything else is invalid_input. */
export function readCursor<T extends Record<string, unknown>>(cursor: string, listing: string, target: string, operation: string): T {
  const state = decodeCursor<Record<string, unknown>>(cursor, { provider: PROVIDER, operation });
  if (state.l !== listing || state.t !== target) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued for this listing' });
  }
  return state as T;
}

/**
 * One page of an offset-paged Jira collection (`startAt`, `maxResults`; `isLast` and/or
 * `total`): changelogs, versions, labels, comments. The next page is asked for only when
 * Jira says there is one, so N objects take ceil(N / pageSize) requests.
 */
export async function offsetPage<Item>(
  ctx: JiraContext,
  request: { operation: string; listing: string; target: string; path: string; query?: Query; itemsKey: string; options: ListOptions },
  map: (raw: any) => Item | undefined,
): Promise<Page<Item>> {
  const { operation, listing, target, options } = request;
  let startAt = 0;
  let size = pageSizeOf(options);
  if (options.cursor) {
    const state = readCursor<{ s?: unknown; n?: unknown }>(options.cursor, listing, target, operation);
    if (typeof state.s !== 'number' || !Number.isInteger(state.s) || state.s < 0 || typeof state.n !== 'number') {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued' });
    }
    startAt = state.s;
    size = pageSizeOf({ pageSize: state.n });
  }
  const { data } = await ctx.request<Raw>({ path: request.path, query: { ...request.query, startAt, maxResults: size }, signal: options.signal });
  const values = data?.[request.itemsKey];
  if (!Array.isArray(values)) {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, message: `Jira answered ${request.path} without a "${request.itemsKey}" list` });
  }
  const items: Item[] = [];
  for (const raw of values) {
    const item = map(raw);
    if (item !== undefined) items.push(item);
  }
  const next = startAt + values.length;
  const total = typeof data.total === 'number' ? data.total : undefined;
  const more = values.length > 0 && (data.isLast === true ? false : data.isLast === false ? true : total !== undefined ? next < total : values.length >= size);
  return { items, nextCursor: more ? encodeCursor({ l: listing, t: target, s: next, n: size }) : null };
}
