import type { RateLimitBudgetOptions } from './transport-budget.js';

/** The last rate-limit state a transport saw. */
export interface RateLimitSnapshot {
  /** Requests (or points) allowed in the window. */
  limit?: number | undefined;
  /** Requests (or points) left in the window. */
  remaining?: number | undefined;
  /** When the window resets (ISO-8601). */
  resetAt?: string | undefined;
  /** The vendor's name for the bucket (`core`, `graphql`, `search`). */
  resource?: string | undefined;
  /** When the transport last saw rate-limit headers (ISO-8601). */
  observedAt: string;
}

/** What a transport reports about each HTTP request it sends. Never holds credentials. */
export interface RequestRecord {
  provider: string;
  method: string;
  /** The URL with credential-bearing query parameters redacted. */
  url: string;
  /** The status of the response, absent when the request failed before one. */
  status?: number | undefined;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
  /** The error code when the attempt failed without a response. */
  error?: string | undefined;
}

export type RequestHook = (record: RequestRecord) => void;

/** How a transport retries. Every field is optional; the defaults suit public SaaS APIs. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). Default 3. */
  maxRetries?: number | undefined;
  /** Base of the exponential backoff: the cap of the first retry's delay. Default 500 ms. */
  baseDelayMs?: number | undefined;
  /** Cap of one backoff delay. Default 30 000 ms. */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After` / reset wait the transport sleeps. A longer wait is not
   * slept: the response is returned at once, so the caller fails fast with the vendor's
   * answer (and its retry-after) instead of hanging. Default 60 000 ms.
   */
  maxRetryAfterMs?: number | undefined;
}

/** A vendor-specific reading of a response (e.g. GitHub answers secondary rate limits with 403). */
export interface RateLimitReading {
  /** Whether the response is a rate limit that a later retry may get past. */
  rateLimited: boolean;
  /** How long to wait before retrying, when the vendor says so outside the standard headers. */
  retryAfterMs?: number | undefined;
}

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  /** The provider type, used in errors and request records. */
  provider: string;
  /**
   * The fetch to send requests with. Default: `globalThis.fetch`, looked up on every call
   * (so a fetch patched later, e.g. by MSW, is used).
   */
  fetch?: typeof fetch | undefined;
  /**
   * Timeout of one attempt in ms, from sending the request to the end of the response
   * body. Combined with the caller's signal. Default 30 000.
   */
  timeoutMs?: number | undefined;
  /** Retry policy; see {@link RetryPolicy} for the defaults. */
  retry?: RetryPolicy | undefined;
  /** Called after every attempt (method, redacted URL, status, attempt, duration; never headers). */
  onRequest?: RequestHook | undefined;
  /**
   * A vendor's own reading of a response, for rate limits the status alone does not tell
   * (GitHub's 403 secondary limit). May read `response.clone()`. A reading overrides the
   * default (429 is a rate limit); `undefined` keeps the default.
   */
  classifyResponse?(response: Response): RateLimitReading | undefined | Promise<RateLimitReading | undefined>;
  /**
   * Reads the rate-limit state from response headers. Default {@link readRateLimitHeaders}:
   * `x-ratelimit-limit/remaining/reset/resource` and `RateLimit-Limit/Remaining/Reset`.
   */
  readRateLimit?(headers: Headers): Partial<RateLimitSnapshot> | undefined;
  /**
   * Whether a request may be sent again after it may have reached the server. Default
   * {@link isIdempotentRequest}: GET, HEAD, OPTIONS, PUT, DELETE, or any request carrying an
   * `Idempotency-Key` header.
   */
  isRetryable?(request: Request): boolean;
  /**
   * A rate-limit budget shared through a state store: each attempt reserves from it before
   * it is sent and each response's rate-limit headers are recorded in it. Default: none
   * (requests are sent and the server's answers alone decide).
   */
  rateLimitBudget?: RateLimitBudgetOptions | undefined;
  /** Waits `ms`; rejects when `signal` aborts. Injectable for tests. Default: a timer. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** Random number in [0, 1) for jitter. Injectable for tests. Default `Math.random`. */
  random?(): number;
  /** Current time in ms since the epoch. Injectable for tests. Default `Date.now`. */
  now?(): number;
}

/** A fetch-level layer with timeouts, retries and rate-limit tracking, one per provider instance. */
export interface Transport {
  /** A drop-in `fetch` for vendor SDKs (`new Octokit({ request: { fetch: transport.fetch } })`). */
  readonly fetch: typeof fetch;
  /** The last rate-limit state seen in response headers, if any. */
  rateLimit(): RateLimitSnapshot | undefined;
  /** Attempts sent (`requests`) and how many of them were retries. */
  stats(): { requests: number; retries: number };
}
