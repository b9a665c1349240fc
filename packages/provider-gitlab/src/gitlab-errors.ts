import {
  ProviderError, codeForStatus, readRateLimitHeaders, redactSecrets, redactUrl, retryAfterFromHeaders,
  type ProviderErrorCode, type RateLimitReading, type RateLimitSnapshot,
} from '@krate/core';

export const PROVIDER = 'gitlab';

/** Longest vendor message quoted in an error. */
const MAX_MESSAGE = 300;

/**
 * GitLab's token formats: personal/project/group access tokens (`glpat-`), runner
 * authentication tokens (`glrt-`), OAuth application secrets (`gloas-`), pipeline trigger
 * tokens (`glptt-`), deploy tokens (`gldt-`), feed tokens (`glft-`), CI job tokens
 * (`glcbt-`), incoming mail tokens (`glimt-`), agent tokens (`glagent-`), SCIM tokens
 * (`glsoat-`), feature flag client tokens (`glffct-`), workspace tokens (`glwt-`), and legacy
 * runner registration tokens (`GR1348941...`).
 */
export const GITLAB_SECRET_PATTERNS: readonly RegExp[] = [
  /\bgl(?:pat|rt|oas|ptt|dt|ft|cbt|imt|agent|soat|ffct|wt)-[A-Za-z0-9_.-]{8,}/g,
  /\bGR1348941[A-Za-z0-9_-]{8,}/g,
];

/** Removes every GitLab-shaped token and every registered secret from a text. */
export function redactGitLabSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  for (const pattern of GITLAB_SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return redactSecrets(out);
}

/**
 * GitLab's rate-limit headers: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`
 * (epoch seconds), `RateLimit-Name` (the throttle that counted the request).
 */
export function readGitLabRateLimit(headers: Headers, now: number = Date.now()): Partial<RateLimitSnapshot> | undefined {
  const snapshot = readRateLimitHeaders(headers, now);
  if (!snapshot) return undefined;
  const name = headers.get('ratelimit-name');
  return name ? { ...snapshot, resource: name } : snapshot;
}

/** How long GitLab asks to wait after a 429: `Retry-After`, else `RateLimit-Reset` (epoch seconds). */
export function gitlabRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  return retryAfterFromHeaders(headers, now);
}

/** The transport's reading of a GitLab response: 429 is a rate limit, with its wait. */
export function classifyGitLabResponse(response: Response): RateLimitReading | undefined {
  if (response.status !== 429) return undefined;
  return { rateLimited: true, retryAfterMs: gitlabRetryAfterMs(response.headers) };
}

/** GitLab's error bodies: `{ message: "404 Not found" }`, `{ message: { field: ["is invalid"] } }`, `{ error: "..." }`. */
export function gitlabErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const value = record.message ?? record.error ?? record.error_description;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([field, problems]) => `${field} ${Array.isArray(problems) ? problems.map(String).join(', ') : String(problems)}`)
      .join('; ');
  }
  return undefined;
}

const HINTS: Partial<Record<ProviderErrorCode, string>> = {
  unauthenticated: 'check auth.token: it must be a valid, unexpired GitLab access token (PRIVATE-TOKEN) or OAuth token (Bearer)',
  forbidden: 'the token lacks the api scope or the role this needs in the project (Reporter to read, Developer or Maintainer to write)',
  rate_limited: 'GitLab.com allows about 2000 authenticated API requests per minute (less on some endpoints); wait for RateLimit-Reset',
};

export interface ErrorContext {
  operation?: string | undefined;
  method: string;
  url: string;
  /** A code that overrides the status reading (405 on merge is a conflict). */
  code?: ProviderErrorCode | undefined;
  /** A message that replaces the default description of the status. */
  message?: string | undefined;
  hint?: string | undefined;
}

/**
 * The ProviderError for a non-2xx GitLab answer: 400 `invalid_input` (400 "has already been
 * taken" is a `conflict`), 401 `unauthenticated`, 403 `forbidden`, 404/410 `not_found`,
 * 409 `conflict`, 422 `invalid_input`, 429 `rate_limited` with `retryAfterMs`, 5xx
 * `upstream_unavailable`. GitLab's message is quoted redacted and shortened.
 */
export function gitlabError(status: number, headers: Headers, body: unknown, context: ErrorContext): ProviderError {
  const raw = gitlabErrorMessage(body);
  const vendor = raw ? redactGitLabSecrets(raw.trim()).slice(0, MAX_MESSAGE) : undefined;
  let code = context.code ?? codeForStatus(status);
  if (!context.code && status === 400 && vendor && /has already been taken|already exists/i.test(vendor)) code = 'conflict';
  const retryAfterMs = code === 'rate_limited' ? (gitlabRetryAfterMs(headers) ?? 1000) : undefined;
  return new ProviderError({
    code,
    provider: PROVIDER,
    operation: context.operation,
    status,
    retryAfterMs,
    message: `${context.message ? `${context.message} (` : ''}${context.method} ${redactUrl(context.url)} answered ${status}${vendor ? `: ${vendor}` : ''}${context.message ? ')' : ''}`,
    hint: context.hint ?? HINTS[code],
  });
}

/** A 2xx answer whose body is not the JSON GitLab documents. */
export function malformedResponseError(context: { operation?: string | undefined; method: string; url: string; status: number }): ProviderError {
  return new ProviderError({
    code: 'upstream_unavailable',
    provider: PROVIDER,
    operation: context.operation,
    status: context.status,
    message: `${context.method} ${redactUrl(context.url)} answered ${context.status} with a body that is not the expected JSON (truncated or malformed)`,
  });
}
