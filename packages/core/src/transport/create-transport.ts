import { InvalidConfigError, ProviderError, isSafeToRepeat, type ProviderErrorCode } from '../errors.js';
import { computeBackoff, resolveRetryPolicy } from './transport-backoff.js';
import { createBudgetGate } from './transport-budget.js';
import { readRateLimitHeaders, retryAfterFromHeaders } from './transport-headers.js';
import { redactUrl } from './transport-redact.js';
import type { RateLimitReading, RateLimitSnapshot, RequestRecord, Transport, TransportOptions } from './types.js';

/** Default timeout of one attempt. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The longest delay a Node.js timer can wait; a larger one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Statuses that say "busy, try again" whatever the vendor (429 is read as a rate limit). */
const RETRYABLE_SERVER_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Whether a request is safe to send twice: GET, HEAD, OPTIONS, PUT and DELETE, or any
 * request with an `Idempotency-Key` header. POST and PATCH without one are not.
 */
export function isIdempotentRequest(request: Request): boolean {
  return isSafeToRepeat({ method: request.method, idempotencyKey: request.headers.has('idempotency-key') });
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message !== '' && !parts.includes(message)) parts.push(message);
    if (typeof code === 'string' && !parts.includes(code)) parts.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0) parts.push(String(error));
  return parts.join(': ');
}

/**
 * Node's own fetch (undici), as it was when this module loaded. It errors a response
 * body with the signal's reason when the signal aborts after the headers arrived, so a
 * response it returns needs no {@link boundBody} copy. A replaced `globalThis.fetch`
 * (a test interceptor, a polyfill) or a custom `fetch` gets the copy.
 */
const NATIVE_FETCH: typeof fetch | undefined = typeof globalThis.fetch === 'function' ? globalThis.fetch : undefined;

/**
 * The response with its body tied to the attempt's signal: a body that stalls past the
 * attempt timeout errors with the timeout (whatever the fetch implementation does with
 * the signal once headers arrived), and the timer is cleared once the body is read.
 */
function boundBody(response: Response, signal: AbortSignal, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: done }), { signal });
  const bounded = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Keep what the Response constructor cannot set (SDKs read `url` for errors and redirects).
  for (const key of ['url', 'redirected', 'type'] as const) {
    Object.defineProperty(bounded, key, { value: response[key], enumerable: true, configurable: true });
  }
  return bounded;
}

/**
 * Creates the fetch-level layer every provider sends its requests through. Give
 * `transport.fetch` to the vendor SDK.
 *
 * - Each attempt has its own timeout (`timeoutMs`), combined with the caller's signal.
 * - 429, 502, 503, 504, a classifier's rate limit, network errors and timeouts are
 *   retried with full-jitter exponential backoff, but only for requests that are safe to
 *   repeat ({@link isIdempotentRequest}); a POST without `Idempotency-Key` is sent once.
 * - `Retry-After` and reset headers are honoured (the wait is the larger of them and the
 *   backoff); a wait longer than `maxRetryAfterMs` is not slept: the response is returned.
 * - When the retries are spent a response is returned as it is (the SDK and the
 *   provider's error mapping turn it into a `ProviderError`); a timeout throws
 *   `ProviderError` code `timeout`, a network error code `upstream_unavailable`.
 * - The caller's signal aborting stops at once with the signal's reason, as fetch does.
 */
export function createTransport(options: TransportOptions): Transport {
  const provider = options.provider;
  const policy = resolveRetryPolicy(options.retry);
  if (
    options.timeoutMs !== undefined &&
    !(typeof options.timeoutMs === 'number' && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMER_MS)
  ) {
    throw new InvalidConfigError({
      provider,
      message: `timeoutMs must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS} (got ${String(options.timeoutMs)})`,
    });
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidConfigError({ provider, message: `fetch must be a function (got ${typeof options.fetch})` });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const isRetryable = options.isRetryable ?? isIdempotentRequest;
  const counters = { requests: 0, retries: 0 };
  let snapshot: RateLimitSnapshot | undefined;
  const budget = options.rateLimitBudget
    ? createBudgetGate(provider, options.rateLimitBudget, { maxWaitMs: policy.maxRetryAfterMs, now })
    : undefined;

  function report(record: Omit<RequestRecord, 'provider'>): void {
    if (!options.onRequest) return;
    try {
      options.onRequest({ provider, ...record });
    } catch {
      // A failing hook must not fail the request it reports on.
    }
  }

  function observe(headers: Headers): Partial<RateLimitSnapshot> | undefined {
    let reading: Partial<RateLimitSnapshot> | undefined;
    try {
      reading = options.readRateLimit ? options.readRateLimit(headers) : readRateLimitHeaders(headers, now());
    } catch {
      reading = undefined;
    }
    if (!reading) return undefined;
    const { observedAt: _ignored, ...fields } = reading;
    if (Object.values(fields).every((value) => value === undefined)) return undefined;
    snapshot = { ...fields, observedAt: new Date(now()).toISOString() };
    return fields;
  }

  async function classify(response: Response): Promise<RateLimitReading | undefined> {
    if (!options.classifyResponse) return undefined;
    try {
      return (await options.classifyResponse(response)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  const transportFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    // Fast path: Node's own fetch ends a stalled body with the attempt's signal itself.
    const bodyBoundByFetch = fetchImpl === NATIVE_FETCH && NATIVE_FETCH !== undefined;
    const request = new Request(input, init);
    const callerSignal = request.signal;
    // Only a signal the caller gave needs combining with the attempt's own.
    const callerGaveSignal = (init !== undefined && init !== null && init.signal !== undefined && init.signal !== null) || input instanceof Request;
    // A request without a body can be sent again as it is; one with a body is cloned only when it may be retried.
    const method = request.method.toUpperCase();
    const url = redactUrl(request.url);
    let retryable: boolean;
    try {
      retryable = isRetryable(request);
    } catch {
      retryable = false;
    }
    // Node-only fetch settings (an undici dispatcher for proxies) that Request does not carry.
    const passthrough: Record<string, unknown> = {};
    if (init && typeof init === 'object' && 'dispatcher' in init) passthrough.dispatcher = (init as Record<string, unknown>).dispatcher;

    const fail = (code: ProviderErrorCode, cause: unknown, attempts: number): ProviderError => {
      const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
      const message =
        code === 'timeout'
          ? `${method} ${url} timed out after ${timeoutMs} ms${tries}`
          : `${method} ${url} failed: ${describeNetworkError(cause)}${tries}`;
      // The shared rule: a write that may have reached the server is retryable only when safe to repeat.
      return new ProviderError({ code, provider, message, cause, request: { method, idempotent: retryable } });
    };

    const wait = async (ms: number): Promise<void> => {
      await sleep(ms, callerSignal);
      callerSignal.throwIfAborted();
      counters.retries += 1;
    };

    for (let attempt = 1; ; attempt++) {
      callerSignal.throwIfAborted();
      // With a shared budget, every attempt reserves before it is sent (waits, or fails with rate_limited).
      const bucket = budget ? await budget.reserve(request, (ms) => sleep(ms, callerSignal)) : undefined;
      const attemptController = new AbortController();
      const timer = setTimeout(() => {
        attemptController.abort(
          new ProviderError({ code: 'timeout', provider, message: `${method} ${url} timed out after ${timeoutMs} ms` }),
        );
      }, timeoutMs);
      // The timer also bounds reading the body (see boundBody); it must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
      const signal = callerGaveSignal ? AbortSignal.any([callerSignal, attemptController.signal]) : attemptController.signal;
      const started = now();
      counters.requests += 1;
      let response: Response;
      try {
        const sent = request.body === null || !retryable || attempt > policy.maxRetries ? request : request.clone();
        response = await fetchImpl(sent, { ...passthrough, signal });
      } catch (error) {
        clearTimeout(timer);
        const durationMs = now() - started;
        if (callerSignal.aborted) {
          report({ method, url, attempt, durationMs, error: 'aborted' });
          throw callerSignal.reason;
        }
        const timedOut = attemptController.signal.aborted;
        if (!timedOut && ProviderError.isInstance(error)) {
          // A custom fetch that already speaks ProviderError.
          report({ method, url, attempt, durationMs, error: error.code });
          throw error;
        }
        const code: ProviderErrorCode = timedOut ? 'timeout' : 'upstream_unavailable';
        report({ method, url, attempt, durationMs, error: code });
        if (retryable && attempt <= policy.maxRetries) {
          await wait(computeBackoff(attempt, policy, random));
          continue;
        }
        throw fail(code, error, attempt);
      }

      report({ method, url, status: response.status, attempt, durationMs: now() - started });
      const observed = observe(response.headers);
      const reading = await classify(response);
      const rateLimited = reading ? reading.rateLimited : response.status === 429;
      if (budget && bucket !== undefined) {
        const pause = rateLimited ? (reading?.retryAfterMs ?? retryAfterFromHeaders(response.headers, now())) : undefined;
        await budget.record(bucket, observed, pause);
      }
      // With Node's own fetch the timer is left to run out (unref'd): aborting a signal whose body was read is a no-op.
      const settle = () => (bodyBoundByFetch ? response : boundBody(response, signal, () => clearTimeout(timer)));
      if (!rateLimited && !RETRYABLE_SERVER_STATUSES.has(response.status)) return settle();
      if (!retryable || attempt > policy.maxRetries) return settle();
      const asked = reading?.retryAfterMs ?? retryAfterFromHeaders(response.headers, now());
      if (asked !== undefined && asked > policy.maxRetryAfterMs) return settle();
      const delay = Math.max(asked ?? 0, computeBackoff(attempt, policy, random));
      clearTimeout(timer);
      // Free the connection; not awaited, as some fetch implementations settle the cancel late.
      response.body?.cancel().catch(() => undefined);
      await wait(delay);
    }
  };

  return {
    fetch: transportFetch as typeof fetch,
    rateLimit: () => (snapshot ? { ...snapshot } : undefined),
    stats: () => ({ ...counters }),
  };
}
