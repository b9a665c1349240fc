import { InvalidInputError } from '@krate/core';
import { PROVIDER } from '../jira-errors.js';

/** JQL dates have minute precision: listings overlap their window by this much. */
export const JQL_OVERLAP_MS = 60_000;

/**
 * Jira's timestamps (`2026-05-27T13:33:20.241+0000`) as ISO-8601 UTC
 * (`2026-05-27T13:33:20.241Z`). Unreadable values pass through unchanged.
 */
export function jiraTimeToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * An instant as a JQL date (`yyyy-MM-dd HH:mm`) in a time zone: JQL reads dates in the
 * searching user's profile time zone, with minute precision, and refuses seconds or
 * offsets. The minute is rounded down.
 */
export function jqlDate(instantMs: number, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(instantMs));
  } catch {
    throw new InvalidInputError({ provider: PROVIDER, message: `"${timeZone}" is not an IANA time zone` });
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Parses `updatedSince` (ISO-8601) to ms; anything else is invalid_input. */
export function parseSince(value: string, operation: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError({ provider: PROVIDER, operation, message: 'updatedSince must be an ISO-8601 time' });
  return ms;
}
