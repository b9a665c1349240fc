import { InvalidInputError, decodeCursor, encodeCursor } from '@krate/core';
import { PROVIDER } from '../buildkite-errors.js';

/** Buildkite's page size limit (`per_page` maximum). */
export const BUILDKITE_MAX_PAGE_SIZE = 100;

/** The page size to ask for: the caller's, clamped to 1..100; by default the maximum (fewest requests). */
export function perPageFor(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize)) return BUILDKITE_MAX_PAGE_SIZE;
  return Math.min(Math.max(Math.floor(pageSize), 1), BUILDKITE_MAX_PAGE_SIZE);
}

/**
 * State of a listing carried in an opaque cursor. `listing` names the listing the
 * cursor belongs to (operation, scope and filters): a cursor is refused by any other.
 */
export interface CursorState {
  listing: string;
  /** Numbered pages: the next page and the page size the listing started with. */
  page?: number;
  perPage?: number;
  /** `updatedSince` listings of builds: the current pass. */
  pass?: string;
  /** Cursor-paginated listings (jobs): Buildkite's own `after` value. */
  after?: string;
}

export function issueCursor(state: CursorState): string {
  return encodeCursor({ ...state });
}

/** Decodes a cursor and checks it was issued for this listing. */
export function readCursor(cursor: string, listing: string, operation: string): CursorState {
  const state = decodeCursor(cursor, { provider: PROVIDER, operation }) as unknown as CursorState;
  if (state.listing !== listing) {
    throw new InvalidInputError({
      provider: PROVIDER,
      operation,
      message: 'cursor was issued for another listing (a different scope, build or updatedSince); start the listing again without it',
    });
  }
  const positive = (value: unknown) => value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
  if (!positive(state.page) || !positive(state.perPage) || (state.after !== undefined && typeof state.after !== 'string')) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued' });
  }
  return state;
}
