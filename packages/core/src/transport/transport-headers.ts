import type { RateLimitSnapshot } from './types.js';

/**
 * Parses a `Retry-After` value: delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). Returns the wait in ms (never negative), or
 * undefined when the value is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function leadingNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * An ISO-8601 instant (`2026-03-26T16:00Z`, `2026-03-26T16:00:00.000+00:00`), as Jira sends
 * in `X-RateLimit-Reset`, in ms since the epoch; undefined for anything else (so a plain
 * number is never read as a date, nor a date as its leading year).
 */
function isoInstantToEpochMs(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  // Date.parse wants the offset as +hh:mm.
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The instant (ms since the epoch) a reset header names. An ISO-8601 instant (Jira) is
 * read as that instant. Otherwise vendors disagree on the unit, so the size decides: at least 1e12 is epoch milliseconds, at least 1e9 epoch seconds
 * (GitHub `x-ratelimit-reset`, GitLab `RateLimit-Reset`), anything smaller is seconds from
 * now (IETF draft `RateLimit-Reset`, Buildkite).
 */
export function resetHeaderToEpochMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const iso = isoInstantToEpochMs(value);
  if (iso !== undefined) return iso;
  const n = leadingNumber(value ?? null);
  if (n === undefined) return undefined;
  if (n >= 1e12) return Math.round(n);
  if (n >= 1e9) return Math.round(n * 1000);
  return now + Math.ceil(n * 1000);
}

/**
 * How long the headers of a response ask the client to wait, in ms: `Retry-After`
 * first, then `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, then
 * `RateLimit-Reset` when `RateLimit-Remaining` is 0 or absent.
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  if (leadingNumber(headers.get('x-ratelimit-remaining')) === 0) {
    const reset = resetHeaderToEpochMs(headers.get('x-ratelimit-reset'), now);
    if (reset !== undefined) return Math.max(0, reset - now);
  }
  const remaining = leadingNumber(headers.get('ratelimit-remaining'));
  if (remaining === undefined || remaining === 0) {
    const reset = resetHeaderToEpochMs(headers.get('ratelimit-reset'), now);
    if (reset !== undefined) return Math.max(0, reset - now);
  }
  return undefined;
}

/**
 * Reads rate-limit state from response headers: `x-ratelimit-limit/remaining/reset/resource`
 * (GitHub and many others) and `RateLimit-Limit/Remaining/Reset` (IETF draft, GitLab,
 * Buildkite). Returns undefined when the response carries none of them.
 */
export function readRateLimitHeaders(headers: Headers, now: number = Date.now()): Partial<RateLimitSnapshot> | undefined {
  const limit = leadingNumber(headers.get('x-ratelimit-limit')) ?? leadingNumber(headers.get('ratelimit-limit'));
  const remaining = leadingNumber(headers.get('x-ratelimit-remaining')) ?? leadingNumber(headers.get('ratelimit-remaining'));
  const reset =
    resetHeaderToEpochMs(headers.get('x-ratelimit-reset'), now) ?? resetHeaderToEpochMs(headers.get('ratelimit-reset'), now);
  const resource = headers.get('x-ratelimit-resource') ?? undefined;
  if (limit === undefined && remaining === undefined && reset === undefined && resource === undefined) return undefined;
  const snapshot: Partial<RateLimitSnapshot> = {};
  if (limit !== undefined) snapshot.limit = limit;
  if (remaining !== undefined) snapshot.remaining = remaining;
  if (reset !== undefined) snapshot.resetAt = new Date(reset).toISOString();
  if (resource !== undefined) snapshot.resource = resource;
  return snapshot;
}
