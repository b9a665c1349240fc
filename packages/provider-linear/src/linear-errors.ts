import {
  ProviderError,
  findProviderError,
  parseRetryAfter,
  redactSecrets,
  type ProviderErrorCode,
  type RateLimitReading,
  type RateLimitSnapshot,
} from '@krate/core';
import { LinearErrorType, parseLinearError } from '@linear/sdk';

export const PROVIDER = 'linear';

/**
 * What Linear's credentials look like: personal API keys `lin_api_...`, OAuth access
 * tokens `lin_oauth_...`, and webhook signing secrets `lin_wh_...`. Given to core as the
 * plugin's `secretPatterns`: the instance's redactor scrubs them from every error, and the
 * provider's own messages pass through {@link redactLinear} too.
 */
export const LINEAR_SECRET_PATTERNS: readonly RegExp[] = [/\blin_(?:api|oauth|wh)_[A-Za-z0-9_-]{8,}/g];

/** {@link redactSecrets} plus Linear's own credential shapes. */
export function redactLinear(text: string): string {
  let out = redactSecrets(text);
  for (const pattern of LINEAR_SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return out;
}

/** One entry of a GraphQL answer's `errors`, as Linear sends it. */
export interface LinearGraphqlErrorEntry {
  message?: string;
  path?: Array<string | number>;
  extensions?: {
    /** `RATELIMITED`, `AUTHENTICATION_ERROR`, `FORBIDDEN`, `INPUT_ERROR`, `GRAPHQL_VALIDATION_FAILED`, ... */
    code?: string;
    /** Linear's error type: `ratelimited`, `authentication error`, `forbidden`, `invalid input`, ... Not always present. */
    type?: string;
    userError?: boolean;
    userPresentableMessage?: string;
    statusCode?: number;
  };
}

/** A Linear answer that is not a success: its status, headers and GraphQL errors (never the request's credentials). */
export class LinearErrorAnswer extends Error {
  readonly status: number;
  readonly errors: LinearGraphqlErrorEntry[];
  declare readonly headers: Headers;
  constructor(status: number, errors: LinearGraphqlErrorEntry[], headers: Headers, text?: string) {
    const first = errors[0];
    super(redactLinear(first?.extensions?.userPresentableMessage ?? first?.message ?? text?.slice(0, 200) ?? `HTTP ${status}`));
    this.name = 'LinearErrorAnswer';
    this.status = status;
    this.errors = errors;
    Object.defineProperty(this, 'headers', { value: headers, enumerable: false });
  }
}

function num(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Linear's two budgets, read from the `x-ratelimit-{requests,complexity}-*` headers (resets in epoch milliseconds). */
export interface LinearBudgets {
  requests?: { limit?: number; remaining?: number; resetAt?: number };
  complexity?: { limit?: number; remaining?: number; resetAt?: number };
  /** `x-complexity`: what this query cost. */
  queryComplexity?: number;
}

function bucket(headers: Headers, name: 'requests' | 'complexity'): LinearBudgets['requests'] {
  const limit = num(headers.get(`x-ratelimit-${name}-limit`));
  const remaining = num(headers.get(`x-ratelimit-${name}-remaining`));
  const resetAt = num(headers.get(`x-ratelimit-${name}-reset`));
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  const out: NonNullable<LinearBudgets['requests']> = {};
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  // Linear sends epoch milliseconds; a value in seconds (older answers) is scaled.
  if (resetAt !== undefined) out.resetAt = resetAt < 1e12 ? resetAt * 1000 : resetAt;
  return out;
}

/** Reads Linear's rate-limit headers. */
export function readLinearBudgets(headers: Headers): LinearBudgets {
  const out: LinearBudgets = {};
  const requests = bucket(headers, 'requests');
  const complexity = bucket(headers, 'complexity');
  if (requests) out.requests = requests;
  if (complexity) out.complexity = complexity;
  const cost = num(headers.get('x-complexity'));
  if (cost !== undefined) out.queryComplexity = cost;
  return out;
}

/**
 * The transport's `readRateLimit` for Linear: the tighter of the two budgets (requests
 * per hour, complexity points per hour), with `resource` naming it.
 */
export function readLinearRateLimit(headers: Headers): Partial<RateLimitSnapshot> | undefined {
  const { requests, complexity } = readLinearBudgets(headers);
  const ratio = (b: LinearBudgets['requests']) =>
    b && b.limit !== undefined && b.remaining !== undefined && b.limit > 0 ? b.remaining / b.limit : Number.POSITIVE_INFINITY;
  const chosen = ratio(complexity) < ratio(requests) ? { b: complexity, resource: 'complexity' } : { b: requests ?? complexity, resource: requests ? 'requests' : 'complexity' };
  if (!chosen.b) return undefined;
  const snapshot: Partial<RateLimitSnapshot> = { resource: chosen.resource };
  if (chosen.b.limit !== undefined) snapshot.limit = chosen.b.limit;
  if (chosen.b.remaining !== undefined) snapshot.remaining = chosen.b.remaining;
  if (chosen.b.resetAt !== undefined) snapshot.resetAt = new Date(chosen.b.resetAt).toISOString();
  return snapshot;
}

/**
 * How long Linear asks the client to wait, in ms: `retry-after` when sent, else the reset
 * of the spent budget (`x-ratelimit-{requests,complexity}-reset`, epoch ms), else the
 * later of the two resets. Undefined when the headers say nothing.
 */
export function linearRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const { requests, complexity } = readLinearBudgets(headers);
  const spent = [requests, complexity].filter((b) => b?.remaining !== undefined && b.remaining <= 0 && b.resetAt !== undefined);
  const candidates = (spent.length > 0 ? spent : [requests, complexity]).map((b) => b?.resetAt).filter((v): v is number => v !== undefined);
  if (candidates.length === 0) return undefined;
  return Math.max(0, Math.max(...candidates) - now);
}

/** Whether a GraphQL error entry is Linear's rate limit: `extensions.code: RATELIMITED`, with or without `extensions.type`. */
export function isRateLimitEntry(entry: LinearGraphqlErrorEntry | undefined): boolean {
  const ext = entry?.extensions;
  return ext?.code === 'RATELIMITED' || ext?.type === 'ratelimited';
}

/**
 * The transport's `classifyResponse` for Linear. Linear refuses a rate-limited request
 * with HTTP 400 and a GraphQL error whose `extensions.code` is `RATELIMITED` (sometimes
 * with `type: ratelimited` and `statusCode: 429`, sometimes without): that 400 is a rate
 * limit, retried after the reset the headers name. Any other 400 is a final answer.
 */
export async function classifyLinearResponse(response: Response): Promise<RateLimitReading | undefined> {
  if (response.status === 429) return { rateLimited: true, retryAfterMs: linearRetryAfterMs(response.headers) };
  if (response.status !== 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(await response.clone().text());
  } catch {
    return { rateLimited: false };
  }
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.some((e) => isRateLimitEntry(e as LinearGraphqlErrorEntry))) {
    return { rateLimited: true, retryAfterMs: linearRetryAfterMs(response.headers) };
  }
  return { rateLimited: false };
}

/** Linear's error types (the SDK's `LinearErrorType`) mapped to provider error codes. */
const CODE_FOR_TYPE: Partial<Record<string, ProviderErrorCode>> = {
  [LinearErrorType.Ratelimited]: 'rate_limited',
  [LinearErrorType.AuthenticationError]: 'unauthenticated',
  [LinearErrorType.Forbidden]: 'forbidden',
  [LinearErrorType.FeatureNotAccessible]: 'forbidden',
  [LinearErrorType.UsageLimitExceeded]: 'forbidden',
  [LinearErrorType.InvalidInput]: 'invalid_input',
  [LinearErrorType.UserError]: 'invalid_input',
  [LinearErrorType.GraphqlError]: 'invalid_input',
  [LinearErrorType.NetworkError]: 'upstream_unavailable',
  [LinearErrorType.InternalError]: 'upstream_unavailable',
  [LinearErrorType.LockTimeout]: 'upstream_unavailable',
  [LinearErrorType.BootstrapError]: 'upstream_unavailable',
};

const CODE_FOR_EXTENSION: Partial<Record<string, ProviderErrorCode>> = {
  RATELIMITED: 'rate_limited',
  AUTHENTICATION_ERROR: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  INPUT_ERROR: 'invalid_input',
  INVALID_INPUT: 'invalid_input',
  GRAPHQL_VALIDATION_FAILED: 'invalid_input',
  GRAPHQL_PARSE_FAILED: 'invalid_input',
  BAD_USER_INPUT: 'invalid_input',
  CONFLICT: 'conflict',
  INTERNAL_SERVER_ERROR: 'upstream_unavailable',
};

/** Linear's wording for a missing entity (`Entity not found: Issue`). */
const NOT_FOUND = /entity not found|could not find referenced|not found/i;
/** Linear's wording for an id that is taken (a repeated create with a client-supplied id). */
const CONFLICT = /already exists|duplicate key|conflict/i;

function fromStatus(status: number): ProviderErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_unavailable';
  if (status >= 400) return 'invalid_input';
  return 'upstream_unavailable';
}

const HINTS: Partial<Record<ProviderErrorCode, string>> = {
  rate_limited:
    'Linear limits requests and query complexity per hour (x-ratelimit-requests-* and x-ratelimit-complexity-* headers); retry after retryAfterMs',
  unauthenticated: 'the API key or OAuth access token is invalid, expired or revoked: issue a new one',
  forbidden: 'the credential cannot see or change this team or object (an OAuth app needs the read/write scopes and access to the team)',
};

/**
 * Reads a Linear error answer. The SDK's own classification (`parseLinearError`, by
 * `extensions.type`) is used, corrected where it is wrong: a 400 whose error has
 * `extensions.code: RATELIMITED` but no `type` is a rate limit (the SDK calls it
 * unknown), and "Entity not found" is `not_found`, not invalid input.
 */
export function linearErrorCode(answer: LinearErrorAnswer): ProviderErrorCode {
  const first = answer.errors[0];
  if (answer.errors.some(isRateLimitEntry)) return 'rate_limited';
  const message = `${first?.message ?? ''} ${first?.extensions?.userPresentableMessage ?? ''}`;
  const byCode = first?.extensions?.code ? CODE_FOR_EXTENSION[first.extensions.code] : undefined;
  if (byCode === 'conflict' || (first && CONFLICT.test(message))) return 'conflict';
  if (first && NOT_FOUND.test(message)) return 'not_found';
  if (byCode) return byCode;
  if (first?.extensions?.type) {
    const sdk = parseLinearError({ response: { errors: answer.errors, status: answer.status } } as unknown as Parameters<typeof parseLinearError>[0]);
    const byType = CODE_FOR_TYPE[sdk.type as string];
    if (byType) return byType;
  }
  return fromStatus(answer.status);
}

export interface LinearErrorContext {
  operation?: string | undefined;
  /** Clock for retry-after arithmetic (tests). */
  now?: number | undefined;
}

/**
 * Maps anything a Linear call throws to a ProviderError: transport errors (timeouts,
 * dropped connections) keep their code; Linear error answers are read by their GraphQL
 * errors (code, type, message) and HTTP status; a caller's abort stays the caller's.
 */
export function mapLinearError(error: unknown, context: LinearErrorContext = {}): ProviderError {
  const operation = context.operation;
  if (ProviderError.isInstance(error)) return error.withContext(PROVIDER, operation);
  const inner = findProviderError(error);
  if (inner) return inner.withContext(PROVIDER, operation);
  if (error instanceof LinearErrorAnswer) {
    const code = linearErrorCode(error);
    const retryAfterMs = code === 'rate_limited' ? (linearRetryAfterMs(error.headers, context.now) ?? 60_000) : undefined;
    const first = error.errors[0];
    const tag = first?.extensions?.code ?? first?.extensions?.type ?? `HTTP ${error.status}`;
    return new ProviderError({
      code,
      provider: PROVIDER,
      operation,
      status: error.status,
      retryAfterMs,
      message: `Linear answered ${tag} (${error.status}): ${error.message}`,
      hint: HINTS[code],
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'upstream_unavailable',
    retryable: false,
    provider: PROVIDER,
    operation,
    message: `unexpected error: ${redactLinear(message)}`,
    cause: error,
  });
}

/**
 * The error a call ends with: when the caller's signal was aborted, a `timeout`
 * ProviderError that says so (with the signal's reason as the cause), whatever the
 * transport threw; otherwise {@link mapLinearError}.
 */
export function linearCallError(error: unknown, operation: string, signal?: AbortSignal): ProviderError {
  if (signal?.aborted) {
    if (ProviderError.isInstance(error) && error.code === 'timeout' && error.operation) return error;
    const reason = signal.reason instanceof Error && signal.reason.message ? `: ${redactLinear(signal.reason.message)}` : '';
    return new ProviderError({ code: 'timeout', provider: PROVIDER, operation, retryable: false, message: `the call was aborted by its signal${reason}`, cause: signal.reason });
  }
  return mapLinearError(error, { operation });
}
