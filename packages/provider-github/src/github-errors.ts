import {
  ProviderError,
  codeForStatus,
  findProviderError,
  parseRetryAfter,
  redactSecrets,
  resetHeaderToEpochMs,
  isRetryableOutcome,
  type ProviderErrorCode,
  type RateLimitReading,
  type RequestOutcome,
} from '@krate/core';

export const PROVIDER = 'github';

/** GitHub's words for a secondary rate limit (current and historic "abuse detection" wording). */
const SECONDARY_LIMIT = /secondary rate limit|abuse detection|abuse-rate-limits|temporarily blocked from content creation/i;
/** GitHub's words for the primary (hourly) rate limit. */
const PRIMARY_LIMIT = /API rate limit exceeded|rate limit exceeded/i;
/** GitHub waits at least a minute after a secondary limit without `retry-after`. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000;

const APP_PERMISSION_HINT =
  'the GitHub App installation lacks a permission this operation needs (see requires.nativeScopes in the manifest): add it to the app and accept the new permissions on the installation';

/** The parts of an Octokit `RequestError` the mapping reads. */
interface RequestErrorLike {
  status: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown } | undefined;
}

function isRequestErrorLike(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function header(headers: Record<string, string | number | undefined> | Headers | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/** GitHub's error message from an error body (`{ message, errors, documentation_url }`). */
export function gitHubMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() === '' ? undefined : data.slice(0, 300);
  if (typeof data !== 'object' || data === null) return undefined;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  let text = typeof message === 'string' ? message : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    const details = errors
      .slice(0, 5)
      .map((e) => {
        if (typeof e === 'string') return e;
        if (typeof e !== 'object' || e === null) return String(e);
        const { resource, field, code, message: m } = e as Record<string, unknown>;
        return [resource, field, code, m].filter((x) => typeof x === 'string' && x !== '').join(' ');
      })
      .filter((d) => d !== '');
    if (details.length > 0) text = `${text ?? 'Validation Failed'} (${details.join('; ')})`;
  }
  return text;
}

function errorCodes(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const errors = (data as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => (typeof e === 'object' && e !== null ? String((e as { code?: unknown }).code ?? '') : ''));
}

/**
 * Reads a GitHub answer for rate limiting, the way GitHub documents it:
 * - secondary limits: 403 or 429 with `retry-after` and/or the "secondary rate limit"
 *   (formerly "abuse detection") message: wait `retry-after` seconds (or one minute);
 * - primary limit: 403 or 429 with `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset`.
 * Anything else is not a rate limit. `now` is ms since the epoch.
 */
export function readGitHubRateLimit(
  status: number,
  headers: Record<string, string | number | undefined> | Headers | undefined,
  data: unknown,
  now: number = Date.now(),
): RateLimitReading | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const message = typeof data === 'object' && data !== null ? String((data as { message?: unknown }).message ?? '') : String(data ?? '');
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  const remaining = header(headers, 'x-ratelimit-remaining');
  const resetAt = resetHeaderToEpochMs(header(headers, 'x-ratelimit-reset'), now);
  if (SECONDARY_LIMIT.test(message) || retryAfter !== undefined) {
    const fromReset = remaining?.trim() === '0' && resetAt !== undefined ? Math.max(0, resetAt - now) : undefined;
    return { rateLimited: true, retryAfterMs: retryAfter ?? fromReset ?? SECONDARY_DEFAULT_WAIT_MS };
  }
  if (remaining?.trim() === '0') {
    return { rateLimited: true, retryAfterMs: resetAt === undefined ? undefined : Math.max(0, resetAt - now) };
  }
  if (PRIMARY_LIMIT.test(message)) return { rateLimited: true, retryAfterMs: undefined };
  if (status === 429) return { rateLimited: true, retryAfterMs: undefined };
  return { rateLimited: false };
}

/**
 * The transport's `classifyResponse` for GitHub: tells a 403 secondary or primary rate
 * limit (retried when the wait is short) from a 403 that means "forbidden" (never retried).
 */
export async function classifyGitHubResponse(response: Response): Promise<RateLimitReading | undefined> {
  if (response.status !== 403 && response.status !== 429) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(await response.clone().text());
  } catch {
    data = undefined;
  }
  return readGitHubRateLimit(response.status, response.headers, data);
}

export interface GitHubErrorContext {
  operation?: string | undefined;
  /** How the instance authenticates, for hints. */
  authType?: 'app' | 'token' | undefined;
  /** The write carried an idempotency key the provider honours (a create with `idempotencyKey`). */
  idempotencyKey?: boolean | undefined;
}

/** What the failed request was, from Octokit's error: a GraphQL query sent as POST is a read. */
function requestOutcome(error: unknown, context: GitHubErrorContext): RequestOutcome | undefined {
  const request = (error as { request?: { method?: unknown; url?: unknown; body?: unknown } } | null)?.request;
  const method = typeof request?.method === 'string' ? request.method : undefined;
  if (method === undefined) return context.idempotencyKey ? { idempotencyKey: true } : undefined;
  const body = request?.body as { query?: unknown } | string | undefined;
  const query = typeof body === 'string' ? body : typeof body?.query === 'string' ? body.query : undefined;
  const graphqlRead = typeof request?.url === 'string' && /\/graphql$/.test(request.url) && query !== undefined && !/^\s*mutation\b/.test(query) && !/"query"\s*:\s*"\s*mutation\b/.test(query);
  return { method, idempotencyKey: context.idempotencyKey, ...(graphqlRead ? { idempotent: true } : {}) };
}

/** A transport error of a write that carried an honoured idempotency key may be retried after all. */
function honourKey(error: ProviderError, context: GitHubErrorContext): ProviderError {
  if (!context.idempotencyKey || error.retryable || !isRetryableOutcome(error.code, { idempotencyKey: true })) return error;
  return new ProviderError({
    code: error.code,
    message: error.message.replace(/^\[krate\] (\[[^\]]*\] )?([^:]*: )?/, ''),
    provider: error.provider ?? PROVIDER,
    operation: error.operation ?? context.operation,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    retryable: true,
    cause: error,
  });
}

function fromStatus(status: number, data: unknown, headers: Record<string, string | number | undefined> | undefined, context: GitHubErrorContext, cause: unknown): ProviderError {
  const operation = context.operation;
  const text = redactSecrets(gitHubMessage(data) ?? (status === 500 ? 'network error' : `HTTP ${status}`));
  const base = { provider: PROVIDER, operation, status, cause, request: requestOutcome(cause, context) };
  const reading = readGitHubRateLimit(status, headers, data);
  if (reading?.rateLimited) {
    const secondary = SECONDARY_LIMIT.test(text) || header(headers, 'retry-after') !== undefined;
    return new ProviderError({
      ...base,
      code: 'rate_limited',
      retryAfterMs: reading.retryAfterMs,
      message: `GitHub ${secondary ? 'secondary' : 'primary'} rate limit (${status}): ${text}`,
      hint: secondary
        ? 'slow down: GitHub limits concurrent and content-creating requests; retry after retryAfterMs'
        : 'the hourly request budget is spent; retry after retryAfterMs (x-ratelimit-reset)',
    });
  }
  if (status === 401) {
    return new ProviderError({
      ...base,
      code: 'unauthenticated',
      message: `GitHub refused the credentials (401): ${text}`,
      hint:
        context.authType === 'token'
          ? 'the token is invalid, expired or revoked: issue a new one'
          : 'check the App ID and private key; an installation token was re-minted once and still refused',
    });
  }
  if (status === 403) {
    if (/not accessible by integration/i.test(text)) {
      return new ProviderError({ ...base, code: 'forbidden', message: `GitHub refused the operation (403): ${text}`, hint: APP_PERMISSION_HINT });
    }
    if (/not accessible by personal access token/i.test(text)) {
      return new ProviderError({
        ...base,
        code: 'forbidden',
        message: `GitHub refused the operation (403): ${text}`,
        hint: 'the fine-grained token lacks a permission this operation needs: grant it on the token',
      });
    }
    if (/suspended/i.test(text)) {
      return new ProviderError({ ...base, code: 'forbidden', message: `GitHub refused the operation (403): ${text}`, hint: 'the GitHub App installation is suspended: unsuspend it in the account settings' });
    }
    return new ProviderError({ ...base, code: 'forbidden', message: `GitHub refused the operation (403): ${text}` });
  }
  if (status === 404) {
    return new ProviderError({
      ...base,
      code: 'not_found',
      message: `GitHub has no such resource (404): ${text}`,
      hint: 'GitHub also answers 404 when the credentials cannot see a private resource: check the scope and the installation\'s repository access',
    });
  }
  if (status === 422 && errorCodes(data).includes('already_exists')) {
    return new ProviderError({ ...base, code: 'conflict', message: `GitHub reports a conflict (422): ${text}` });
  }
  if (status === 410) return new ProviderError({ ...base, code: 'not_found', message: `GitHub: gone (410): ${text}` });
  if (status === 500 && data === undefined) {
    return new ProviderError({ ...base, status: undefined, code: 'upstream_unavailable', message: `request to GitHub failed: ${text}` });
  }
  const code: ProviderErrorCode = codeForStatus(status);
  return new ProviderError({ ...base, code, message: `GitHub answered ${status}: ${text}` });
}

/**
 * Maps anything an Octokit call throws to a ProviderError with GitHub's meaning:
 * transport errors (timeouts, dropped connections) keep their code; Octokit
 * `RequestError`s are read by status, headers and GitHub's message.
 */
export function mapGitHubError(error: unknown, context: GitHubErrorContext = {}): ProviderError {
  const operation = context.operation;
  if (ProviderError.isInstance(error)) return honourKey(error.withContext(PROVIDER, operation), context);
  const inner = findProviderError(error);
  if (inner) return honourKey(inner.withContext(PROVIDER, operation), context);
  if (error instanceof Error && error.name === 'AbortError') {
    return new ProviderError({ code: 'timeout', provider: PROVIDER, operation, message: 'the operation was aborted', cause: error });
  }
  if (isRequestErrorLike(error) && error.status >= 300) {
    const data = error.response?.data;
    return fromStatus(error.status, error.response ? data : undefined, error.response?.headers, context, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'upstream_unavailable',
    retryable: false,
    provider: PROVIDER,
    operation,
    message: `unexpected error: ${redactSecrets(message)}`,
    cause: error,
  });
}

/** The HTTP status of an Octokit error, or undefined. */
export function statusOf(error: unknown): number | undefined {
  return isRequestErrorLike(error) ? error.status : undefined;
}

/**
 * The shapes of GitHub's credentials (personal, OAuth, user-to-server, server-to-server
 * and refresh tokens; fine-grained personal access tokens), registered with the plugin:
 * redacted from this provider's errors and logs wherever they appear.
 */
export const GITHUB_SECRET_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9_]{16,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
];
