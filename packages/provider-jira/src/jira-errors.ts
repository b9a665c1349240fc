import {
  ProviderError,
  codeForStatus,
  findProviderError,
  parseRetryAfter,
  redactSecrets,
  retryAfterFromHeaders,
  type RateLimitReading,
} from '@krate/core';

export const PROVIDER = 'jira';

/**
 * Atlassian credential shapes, redacted wherever they appear: API tokens (`ATATT3x...`,
 * classic and scoped) and Connect/Forge-style `ATCTT3x...` tokens.
 */
export const JIRA_SECRET_PATTERNS: readonly RegExp[] = [/\bAT[AC]TT3x[A-Za-z0-9_=+/-]{20,}/g];

/** What one Jira answer that is not a success carries (status, headers, parsed body). */
export interface JiraFailure {
  status: number;
  headers: Headers;
  data: unknown;
}

/**
 * Jira's error message from an error body: `{ errorMessages: [...], errors: { field: msg } }`
 * (REST v3), or `{ message }` (gateway and some endpoints).
 */
export function jiraMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() === '' ? undefined : data.slice(0, 300);
  if (typeof data !== 'object' || data === null) return undefined;
  const { errorMessages, errors, message } = data as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m): m is string => typeof m === 'string'));
  if (errors && typeof errors === 'object') {
    for (const [field, text] of Object.entries(errors as Record<string, unknown>)) parts.push(`${field}: ${String(text)}`);
  }
  if (parts.length === 0 && typeof message === 'string') parts.push(message);
  return parts.length > 0 ? parts.slice(0, 8).join('; ').slice(0, 500) : undefined;
}

/**
 * The transport's `classifyResponse`: Jira answers rate limits with 429 (and some
 * 503s) with `Retry-After`, and an ISO `X-RateLimit-Reset`. `RateLimit-Reason:
 * jira-per-issue-on-write` limits writes to one issue only.
 */
export function classifyJiraResponse(response: Response): RateLimitReading | undefined {
  if (response.status === 429) return { rateLimited: true, retryAfterMs: retryAfterFromHeaders(response.headers) };
  if (response.status === 503 && response.headers.has('retry-after')) {
    return { rateLimited: true, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  }
  return undefined;
}

export interface JiraErrorContext {
  operation?: string | undefined;
  /** The issue the call was about, for per-issue write limits and not-found messages. */
  issueKey?: string | undefined;
}

/** Maps one Jira failure (status, headers, body) to a ProviderError with Jira's meaning. */
export function jiraFailureToError(failure: JiraFailure, context: JiraErrorContext = {}, cause?: unknown): ProviderError {
  const { status, headers, data } = failure;
  const operation = context.operation;
  const text = redactSecrets(jiraMessage(data) ?? `HTTP ${status}`);
  const base = { provider: PROVIDER, operation, status, cause };
  if (status === 429 || (status === 503 && headers.has('retry-after'))) {
    const reason = headers.get('ratelimit-reason') ?? undefined;
    const perIssue = reason === 'jira-per-issue-on-write';
    // A reset at minute precision can already be past: wait at least a second.
    const wait = retryAfterFromHeaders(headers);
    const retryAfterMs = wait !== undefined && wait > 0 ? wait : 1000;
    return new ProviderError({
      ...base,
      code: 'rate_limited',
      retryAfterMs,
      message: perIssue
        ? `Jira limits writes to issue ${context.issueKey ?? '(unknown)'} (429, ${reason}): ${text}`
        : `Jira rate limit (${status}${reason ? `, ${reason}` : ''}): ${text}`,
      hint: perIssue
        ? 'too many updates to this one issue in a short time: retry this issue after retryAfterMs, other issues are not limited'
        : 'slow down: retry after retryAfterMs',
    });
  }
  if (status === 401) {
    return new ProviderError({
      ...base,
      code: 'unauthenticated',
      message: `Jira refused the credentials (401): ${text}`,
      hint: 'check the email and API token (or the OAuth access token); scoped API tokens work only through the gateway: set cloudId',
    });
  }
  if (status === 403) return new ProviderError({ ...base, code: 'forbidden', message: `Jira refused the operation (403): ${text}`, hint: 'the account lacks a project permission this operation needs' });
  if (status === 404) {
    return new ProviderError({
      ...base,
      code: 'not_found',
      message: `Jira has no such resource (404)${context.issueKey ? ` for ${context.issueKey}` : ''}: ${text}`,
      hint: 'Jira also answers 404 when the account cannot browse the project',
    });
  }
  if (status === 410) {
    return new ProviderError({ ...base, code: 'upstream_unavailable', retryable: false, message: `Jira removed this API (410): ${text}` });
  }
  if (status === 400) return new ProviderError({ ...base, code: 'invalid_input', message: `Jira rejected the request (400): ${text}` });
  return new ProviderError({ ...base, code: codeForStatus(status), message: `Jira answered ${status}: ${text}` });
}

/** Whether a value is a failure made by the context's request function. */
export class JiraHttpFailure extends Error {
  constructor(readonly failure: JiraFailure) {
    super(`Jira answered ${failure.status}`);
    this.name = 'JiraHttpFailure';
  }
}

/**
 * Maps anything a call throws to a ProviderError: transport errors (timeouts, dropped
 * connections, exhausted retries) keep their code; Jira answers are read by status,
 * headers and Jira's error body.
 */
export function mapJiraError(error: unknown, context: JiraErrorContext = {}): ProviderError {
  const operation = context.operation;
  if (ProviderError.isInstance(error)) return error.withContext(PROVIDER, operation);
  if (error instanceof JiraHttpFailure) return jiraFailureToError(error.failure, context, error);
  const inner = findProviderError(error);
  if (inner) return inner.withContext(PROVIDER, operation);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'CanceledError' || error.name === 'TimeoutError')) {
    return new ProviderError({ code: 'timeout', provider: PROVIDER, operation, message: 'the operation was aborted or timed out', cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'upstream_unavailable',
    retryable: false,
    provider: PROVIDER,
    operation,
    message: `request to Jira failed: ${redactSecrets(message)}`,
    cause: error,
  });
}
