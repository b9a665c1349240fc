import { json, truncateJson, type PendingFault } from '@krate/contract-tests/kit';

/** Buildkite's 401 message (REST API, invalid or missing token). */
export const UNAUTHENTICATED_MESSAGE =
  'Authentication required. Please supply a valid API Access Token: https://buildkite.com/docs/apis/rest-api#authentication';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: UNAUTHENTICATED_MESSAGE,
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Buildkite's rate-limit headers: the organization bucket (`RateLimit-*`, 200 a minute)
 * and the user bucket (`RateLimit-User-*`, 50 a minute), each counting down per request
 * in a one-minute window. The fake counts but never refuses on its own: a refusal is a
 * fault (`faults.rateLimit`).
 */
export class FakeRateLimiter {
  readonly orgLimit = 200;
  readonly userLimit = 50;
  #orgUsed = 0;
  #userUsed = 0;
  #windowStart = Date.now();

  #roll(): number {
    const elapsed = Date.now() - this.#windowStart;
    if (elapsed >= 60_000) {
      this.#windowStart = Date.now();
      this.#orgUsed = 0;
      this.#userUsed = 0;
      return 60;
    }
    return Math.max(1, Math.ceil((60_000 - elapsed) / 1000));
  }

  /** Headers of an answered request (it counts against both buckets). */
  consume(): Record<string, string> {
    const reset = this.#roll();
    this.#orgUsed = Math.min(this.#orgUsed + 1, this.orgLimit);
    this.#userUsed = Math.min(this.#userUsed + 1, this.userLimit);
    // The fake never runs dry by itself: a spent bucket starts a new window.
    if (this.#userUsed >= this.userLimit) this.#userUsed = 0;
    if (this.#orgUsed >= this.orgLimit) this.#orgUsed = 0;
    return this.#headers(this.orgLimit - this.#orgUsed, this.userLimit - this.#userUsed, reset, reset);
  }

  /** Headers of a refused request: the organization bucket spent, reset in `seconds`. */
  spent(seconds: number): Record<string, string> {
    return this.#headers(0, Math.max(0, this.userLimit - this.#userUsed), seconds, this.#roll());
  }

  #headers(orgRemaining: number, userRemaining: number, orgReset: number, userReset: number): Record<string, string> {
    return {
      'ratelimit-scope': 'rest',
      'ratelimit-remaining': String(orgRemaining),
      'ratelimit-limit': String(this.orgLimit),
      'ratelimit-reset': String(orgReset),
      'ratelimit-user-scope': 'rest_user',
      'ratelimit-user-remaining': String(userRemaining),
      'ratelimit-user-limit': String(this.userLimit),
      'ratelimit-user-reset': String(userReset),
    };
  }
}

/** Buildkite's error body: `{ "message": "..." }`. */
export function errorResponse(status: number, message: string | undefined, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return json({ message: message ?? REASONS[status] ?? 'Error', ...extra }, { status, headers });
}

/** The answers of injected faults, in Buildkite's own shapes. */
export function renderFault(fault: PendingFault, limiter: FakeRateLimiter): Response {
  switch (fault.kind) {
    case 'rateLimit': {
      const seconds = Math.max(0, Math.ceil(fault.options.retryAfterSeconds ?? 1));
      return errorResponse(
        429,
        `You have exceeded your API rate limit. Please wait ${seconds} seconds before making more requests.`,
        limiter.spent(seconds),
        { scope: 'rest', limit: limiter.orgLimit, current: limiter.orgLimit + 1, reset: seconds },
      );
    }
    case 'serverError': {
      const status = fault.options.status ?? 502;
      // Buildkite's edge answers gateway errors with an HTML page, not JSON.
      return new Response(`<html><head><title>${status} ${REASONS[status] ?? 'Error'}</title></head><body><h1>${REASONS[status] ?? 'Error'}</h1></body></html>`, {
        status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    case 'malformed':
      return new Response(truncateJson(JSON.stringify([{ id: '01900002-0000-4000-8000-000000000001', number: 1, state: 'passed' }])), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', ...limiter.consume() },
      });
    case 'status':
    default: {
      const status = fault.options.status ?? 500;
      return errorResponse(status, undefined, limiter.consume());
    }
  }
}
