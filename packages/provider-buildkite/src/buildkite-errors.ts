import {
  ProviderError, codeForStatus, parseRetryAfter, redactSecrets, redactUrl, type ProviderErrorCode, type RateLimitReading, type RateLimitSnapshot,
} from '@krate/core';
import type { BuildkiteErrorBody } from './shared/buildkite-types.js';

export const PROVIDER = 'buildkite';

/** Longest vendor message quoted in an error. */
const MAX_MESSAGE = 300;

function number(value: string | null): number | undefined {
  if (value === null) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * The rate-limit state of a Buildkite response. Buildkite sends two buckets on every
 * response: the organization's (`RateLimit-*`, scope `rest`) and the user's
 * (`RateLimit-User-*`, scope `rest_user`); a request is refused when either is spent.
 * The snapshot is the bucket with fewer requests left. `RateLimit-Reset` counts
 * seconds from now.
 */
export function readBuildkiteRateLimit(headers: Headers, now: number = Date.now()): Partial<RateLimitSnapshot> | undefined {
  const buckets = [
    {
      resource: headers.get('ratelimit-scope') ?? 'rest',
      limit: number(headers.get('ratelimit-limit')),
      remaining: number(headers.get('ratelimit-remaining')),
      reset: number(headers.get('ratelimit-reset')),
    },
    {
      resource: headers.get('ratelimit-user-scope') ?? 'rest_user',
      limit: number(headers.get('ratelimit-user-limit')),
      remaining: number(headers.get('ratelimit-user-remaining')),
      reset: number(headers.get('ratelimit-user-reset')),
    },
  ].filter((b) => b.limit !== undefined || b.remaining !== undefined || b.reset !== undefined);
  if (buckets.length === 0) return undefined;
  const tightest = buckets.reduce((a, b) => ((b.remaining ?? Infinity) < (a.remaining ?? Infinity) ? b : a));
  const snapshot: Partial<RateLimitSnapshot> = { resource: tightest.resource };
  if (tightest.limit !== undefined) snapshot.limit = tightest.limit;
  if (tightest.remaining !== undefined) snapshot.remaining = tightest.remaining;
  if (tightest.reset !== undefined) snapshot.resetAt = new Date(now + Math.ceil(tightest.reset * 1000)).toISOString();
  return snapshot;
}

/**
 * How long a 429 asks to wait, in ms: the reset of the spent bucket (`RateLimit-User-Reset`
 * when the user's bucket is empty, else `RateLimit-Reset`), then `Retry-After`, then the
 * body's `reset` (seconds).
 */
export function buildkiteRetryAfterMs(headers: Headers, body?: BuildkiteErrorBody, now: number = Date.now()): number | undefined {
  const userRemaining = number(headers.get('ratelimit-user-remaining'));
  const orgRemaining = number(headers.get('ratelimit-remaining'));
  const userReset = number(headers.get('ratelimit-user-reset'));
  const orgReset = number(headers.get('ratelimit-reset'));
  let seconds: number | undefined;
  if (body?.scope === 'rest_user' && userReset !== undefined) seconds = userReset;
  else if (body?.scope === 'rest' && orgReset !== undefined) seconds = orgReset;
  else if (userRemaining === 0 && userReset !== undefined) seconds = userReset;
  else if (orgRemaining === 0 && orgReset !== undefined) seconds = orgReset;
  else {
    // Retry-After is delay-seconds or an HTTP-date (RFC 9110): core reads both.
    const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
    if (retryAfter !== undefined) return retryAfter;
    seconds = orgReset ?? userReset;
  }
  if (seconds === undefined && typeof body?.reset === 'number' && Number.isFinite(body.reset) && body.reset >= 0) seconds = body.reset;
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}

/** The transport's reading of a Buildkite response: 429 is a rate limit, with its reset. */
export function classifyBuildkiteResponse(response: Response): RateLimitReading | undefined {
  if (response.status !== 429) return undefined;
  return { rateLimited: true, retryAfterMs: buildkiteRetryAfterMs(response.headers) };
}

const HINTS: Partial<Record<ProviderErrorCode, string>> = {
  unauthenticated: 'check apiToken: it must be a valid Buildkite API access token',
  forbidden:
    'the API access token lacks a scope or access to the organization (needs read_builds, write_builds, read_build_logs, read_artifacts, read_agents)',
  rate_limited: 'Buildkite allows 200 requests per minute per organization and a per-user limit; wait for the reset',
};

async function readErrorBody(response: Response): Promise<BuildkiteErrorBody | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text.trim() === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as BuildkiteErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ProviderError for a non-2xx Buildkite answer: 400/422 `invalid_input`,
 * 401 `unauthenticated`, 403 `forbidden`, 404 `not_found`, 409 `conflict`,
 * 429 `rate_limited` (with `retryAfterMs`), 5xx `upstream_unavailable`. The message
 * quotes Buildkite's `message` (redacted, shortened); never a credential.
 */
export async function errorFromResponse(
  response: Response,
  context: { operation?: string | undefined; method: string; url: string; code?: ProviderErrorCode | undefined },
): Promise<ProviderError> {
  const body = await readErrorBody(response);
  const status = response.status;
  const code = context.code ?? codeForStatus(status);
  const vendor = typeof body?.message === 'string' && body.message.trim() !== '' ? redactSecrets(body.message.trim()).slice(0, MAX_MESSAGE) : undefined;
  const retryAfterMs = code === 'rate_limited' ? buildkiteRetryAfterMs(response.headers, body) : undefined;
  return new ProviderError({
    code,
    provider: PROVIDER,
    operation: context.operation,
    status,
    retryAfterMs,
    message: `${context.method} ${redactUrl(context.url)} answered ${status}${vendor ? `: ${vendor}` : ''}`,
    // An ambiguous write gets core's hint (the write may have taken effect).
    hint: code === 'rate_limited' || isBuildkiteRepeatable(context.method, context.url) ? HINTS[code] : undefined,
    request: { method: context.method, idempotent: isBuildkiteRepeatable(context.method, context.url) },
  });
}

/**
 * Whether a request may be sent again after it may have reached Buildkite: GET and HEAD,
 * and PUT except `.../rebuild` and `.../retry_failed_jobs`, which create work each time.
 */
export function isBuildkiteRepeatable(methodName: string, url: string): boolean {
  const method = methodName.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return true;
  if (method !== 'PUT') return false;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  return !/\/(rebuild|retry_failed_jobs)\/?$/.test(path);
}

/** A 2xx answer whose body is not the JSON the API documents. */
export function malformedResponseError(context: { operation?: string | undefined; method: string; url: string; status: number }): ProviderError {
  return new ProviderError({
    code: 'upstream_unavailable',
    provider: PROVIDER,
    operation: context.operation,
    status: context.status,
    message: `${context.method} ${redactUrl(context.url)} answered ${context.status} with a body that is not the expected JSON (truncated or malformed)`,
    request: { method: context.method, idempotent: isBuildkiteRepeatable(context.method, context.url) },
  });
}

/**
 * Token shapes this provider redacts from its errors and job logs, registered with the
 * plugin: Buildkite's API access tokens, and the forge tokens build logs commonly carry
 * (GitHub's `ghp_…`/`github_pat_…`, GitLab's `glpat-…`), since a build checks code out.
 */
export const BUILDKITE_SECRET_PATTERNS: readonly RegExp[] = [
  /\bbkua_[A-Za-z0-9]{16,}\b/g,
  /\bgh[pousr]_[A-Za-z0-9_]{16,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{16,}\b/g,
];
