/**
 * One error hierarchy for every provider. Errors carry a stable `code`, the
 * provider and operation they came from, the HTTP status when there was one, and
 * `retryAfterMs` for rate limits. Nothing secret is ever stored on them: messages
 * pass through {@link redactSecrets} and `cause` is kept non-enumerable.
 */

export const PROVIDER_ERROR_CODES = [
  'unsupported_operation',
  'invalid_input',
  'invalid_config',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'upstream_unavailable',
  'timeout',
  'webhook_signature_invalid',
  'webhook_malformed',
] as const;

export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

const MARKER = Symbol.for('krate.provider-error');

export interface ProviderErrorOptions {
  code: ProviderErrorCode;
  message: string;
  provider?: string | undefined;
  operation?: string | undefined;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  /** A hint for the user: what to check or change. */
  hint?: string | undefined;
  /**
   * Whether repeating the same call may succeed. Defaults from the code and, when
   * `request` is given, from {@link isRetryableOutcome}.
   */
  retryable?: boolean | undefined;
  /**
   * The request that failed, when the error is about one: a write (POST, PATCH) that may
   * have reached the server is not retryable unless it carried an idempotency key the
   * vendor honours (see {@link isRetryableOutcome}).
   */
  request?: RequestOutcome | undefined;
  /**
   * What caused this error. Never kept as given: the error holds a sanitized copy
   * ({@link sanitizeCause}) so that `util.inspect(err)` and `console.log(err)` cannot print
   * a credential that a vendor SDK, `fetch` or a secret resolver left on its own error.
   */
  cause?: unknown;
}

/** The request a failed call had sent, for {@link isRetryableOutcome}. */
export interface RequestOutcome {
  /** The HTTP method (`POST`), or `QUERY` / `MUTATION` for a GraphQL operation. */
  method?: string | undefined;
  /** Whether the request carried an idempotency key the vendor (or the provider) honours. */
  idempotencyKey?: boolean | undefined;
  /**
   * Whether sending the request twice has the effect of sending it once, when the method
   * does not tell: Buildkite's `PUT .../rebuild` creates a build each time (false); a
   * GraphQL query sent as POST reads (true). Default: from the method.
   */
  idempotent?: boolean | undefined;
}

const RETRYABLE_CODES: ReadonlySet<ProviderErrorCode> = new Set(['rate_limited', 'upstream_unavailable', 'timeout']);

/** Methods whose repetition has the same effect as sending them once. */
const SAFE_TO_REPEAT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'QUERY']);

/**
 * Whether a request may be sent again after it may have reached the server: GET, HEAD,
 * OPTIONS, PUT, DELETE (and a GraphQL query), or any request carrying an idempotency key
 * that the vendor or provider honours. A POST or PATCH without one is not.
 */
export function isSafeToRepeat(request: RequestOutcome): boolean {
  if (request.idempotencyKey === true) return true;
  if (typeof request.idempotent === 'boolean') return request.idempotent;
  return typeof request.method === 'string' && SAFE_TO_REPEAT.has(request.method.toUpperCase());
}

/**
 * The retry rule every transport and error mapper shares. Only `rate_limited`,
 * `upstream_unavailable` and `timeout` are ever retryable. A rate limit is a refusal (the
 * vendor did nothing), so it always is. A 5xx, a timeout or a dropped connection after a
 * write was sent is an *ambiguous outcome*: the write may have taken effect, and sending
 * it again may create a second issue or a second build. It is retryable only when the
 * request is safe to repeat ({@link isSafeToRepeat}). Without `request` the code decides.
 */
export function isRetryableOutcome(code: ProviderErrorCode, request?: RequestOutcome): boolean {
  if (!RETRYABLE_CODES.has(code)) return false;
  if (request === undefined || code === 'rate_limited') return true;
  return isSafeToRepeat(request);
}

const AMBIGUOUS_WRITE_HINT =
  'the request may have reached the server and the write taken effect: check whether it did before sending it again (or send it with an idempotency key)';

/** Built-in error classes a sanitized copy keeps, so `cause instanceof TypeError` still holds. */
const BUILTIN_ERRORS: ReadonlyArray<ErrorConstructor> = [TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError];

const MAX_CAUSE_DEPTH = 4;

function sanitizeValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  return undefined;
}

/**
 * A copy of an error fit to keep as a `cause`: an `Error` with the original's `name`,
 * `message`, `code` and `status` (strings redacted with {@link redactSecrets}), a redacted
 * stack, and the original's own `cause` sanitized the same way (four levels deep).
 * Everything else (an SDK's request and response objects, headers, bodies) is dropped. A
 * {@link ProviderError} is kept as it is (its own cause is already sanitized); a plain
 * value becomes its redacted text.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (ProviderError.isInstance(cause)) return cause;
  if (typeof cause !== 'object' && typeof cause !== 'function') {
    return typeof cause === 'string' ? redactSecrets(cause) : sanitizeValue(cause);
  }
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  const source = cause as { name?: unknown; message?: unknown; code?: unknown; status?: unknown; stack?: unknown; cause?: unknown };
  let message: string;
  let name: string;
  let stack: unknown;
  let code: unknown;
  let status: unknown;
  let inner: unknown;
  try {
    message = typeof source.message === 'string' ? source.message : '';
    name = typeof source.name === 'string' && source.name !== '' ? source.name : 'Error';
    stack = source.stack;
    code = source.code;
    status = source.status;
    inner = source.cause;
  } catch {
    // A getter that throws (a revoked proxy): nothing of it is kept.
    return new Error('[unreadable error]');
  }
  const Builtin = BUILTIN_ERRORS.find((Ctor) => cause instanceof Ctor) ?? Error;
  const copy = new Builtin(redactSecrets(message));
  Object.defineProperty(copy, 'name', { value: redactSecrets(name), enumerable: false, writable: true, configurable: true });
  const safeStack = typeof stack === 'string' ? redactSecrets(stack) : `${copy.name}: ${copy.message}`;
  Object.defineProperty(copy, 'stack', { value: safeStack, enumerable: false, writable: true, configurable: true });
  const safeCode = sanitizeValue(code);
  if (safeCode !== undefined) (copy as Error & { code?: unknown }).code = safeCode;
  const safeStatus = sanitizeValue(status);
  if (safeStatus !== undefined) (copy as Error & { status?: unknown }).status = safeStatus;
  if (inner !== undefined && inner !== cause) {
    const next = sanitizeCause(inner, depth + 1);
    if (next !== undefined) Object.defineProperty(copy, 'cause', { value: next, enumerable: false, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Credential shapes core knows without knowing any vendor: PEM private keys, the
 * credential after an HTTP auth scheme, credentials in a query string. A provider adds
 * its vendor's token formats (`ghp_…`, `bkua_…`) as `secretPatterns` of its plugin.
 */
const GENERIC_SECRET_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // `scheme://user:password@host`: credentials in a URL.
  /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^/?#@\s]+@/gi,
  /([?&](?:access_token|token|client_secret|private_token|api_key)=)[^&\s#]+/gi,
];

function applyPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    out = out.replace(global, (match, prefix: unknown) => {
      if (typeof prefix === 'string' && (prefix.startsWith('?') || prefix.startsWith('&'))) return `${prefix}[REDACTED]`;
      if (typeof prefix === 'string' && prefix.endsWith('://')) return `${prefix}[REDACTED]@`;
      if (/^(Bearer|token|Basic)\s/i.test(match)) return `${match.split(/\s+/)[0]} [REDACTED]`;
      return '[REDACTED]';
    });
  }
  return out;
}

/** Replaces credential-shaped strings that any vendor's could be (see {@link createSecretRedactor} for more) with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  return applyPatterns(text, GENERIC_SECRET_PATTERNS);
}

/**
 * What one provider instance knows to be secret: the credential values it resolved and
 * its vendor's token patterns. Made by core for every instance (`context.redactor` in
 * the plugin's `create`); the instance's errors pass through it before they reach the host.
 */
export interface SecretRedactor {
  /** Adds a secret value. Values shorter than 6 characters are ignored, not to shred ordinary text. */
  add(value: string | undefined | null): void;
  /** The text with every added value, every pattern's match and every generic credential shape replaced by `[REDACTED]`. */
  redact(text: string): string;
}

/** A redactor with the given vendor patterns (and the generic ones); it starts with no secret values. */
export function createSecretRedactor(options: { patterns?: readonly RegExp[] | undefined } = {}): SecretRedactor {
  const values = new Set<string>();
  const patterns = [...(options.patterns ?? []), ...GENERIC_SECRET_PATTERNS];
  return {
    add(value) {
      if (typeof value === 'string' && value.length >= 6) values.add(value);
    },
    redact(text) {
      let out = text;
      for (const value of values) if (out.includes(value)) out = out.split(value).join('[REDACTED]');
      return applyPatterns(out, patterns);
    },
  };
}

/** `[krate] [provider] operation: ` — what every message starts with. */
function messagePrefix(provider: string | undefined, operation: string | undefined): string {
  return provider ? `[krate] [${provider}]${operation ? ` ${operation}:` : ''} ` : '[krate] ';
}

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly provider: string | undefined;
  readonly operation: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  declare readonly [MARKER]: true;

  constructor(options: ProviderErrorOptions) {
    super(redactSecrets(messagePrefix(options.provider, options.operation) + options.message));
    this.name = 'ProviderError';
    this.code = options.code;
    this.provider = options.provider;
    this.operation = options.operation;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? isRetryableOutcome(options.code, options.request);
    const ambiguous =
      options.hint === undefined && !this.retryable && options.request !== undefined && RETRYABLE_CODES.has(options.code);
    const hint = ambiguous ? AMBIGUOUS_WRITE_HINT : options.hint;
    this.hint = hint === undefined ? undefined : redactSecrets(hint);
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: sanitizeCause(options.cause),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }

  /** True for any ProviderError, also one made by another copy of @krate/core. */
  static isInstance(value: unknown): value is ProviderError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!ProviderError.isInstance(value)) return false;
    if (this === ProviderError) return true;
    const expected = (this as unknown as { code?: ProviderErrorCode }).code;
    if (expected !== undefined) return (value as ProviderError).code === expected;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** A copy of this error with provider and operation filled in where missing. */
  withContext(provider: string, operation?: string): ProviderError {
    if (this.provider && (this.operation || !operation)) return this;
    const Ctor = this.constructor as new (o: ProviderErrorOptions) => ProviderError;
    const prefix = messagePrefix(this.provider, this.operation);
    const message = this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
    return new Ctor({
      code: this.code,
      message,
      provider: this.provider ?? provider,
      operation: this.operation ?? operation,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      hint: this.hint,
      retryable: this.retryable,
      cause: this.cause,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: redactSecrets(this.message),
      provider: this.provider,
      operation: this.operation,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      hint: this.hint === undefined ? undefined : redactSecrets(this.hint),
      retryable: this.retryable,
    };
  }
}

// esbuild renames a class that refers to itself (`class _ProviderError`); the name users see is fixed here.
Object.defineProperty(ProviderError, 'name', { value: 'ProviderError', configurable: true });

/** The options of a coded error class: those of {@link ProviderError} without `code` (a `code` given is ignored). */
export type CodedErrorOptions = Omit<ProviderErrorOptions, 'code'> & { code?: ProviderErrorCode };

/**
 * `unsupported_operation`: an operation the provider does not declare or implement. `error instanceof UnsupportedOperationError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class UnsupportedOperationError extends ProviderError {
  static readonly code = 'unsupported_operation' as const;
  declare readonly code: 'unsupported_operation';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'unsupported_operation' });
    this.name = 'UnsupportedOperationError';
  }
}

/**
 * `invalid_input`: arguments the contract or the vendor refuses. `error instanceof InvalidInputError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class InvalidInputError extends ProviderError {
  static readonly code = 'invalid_input' as const;
  declare readonly code: 'invalid_input';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'invalid_input' });
    this.name = 'InvalidInputError';
  }
}

/**
 * `invalid_config`: a config or credential that cannot work. `error instanceof InvalidConfigError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class InvalidConfigError extends ProviderError {
  static readonly code = 'invalid_config' as const;
  declare readonly code: 'invalid_config';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'invalid_config' });
    this.name = 'InvalidConfigError';
  }
}

/**
 * `unauthenticated`: missing, wrong or expired credentials. `error instanceof UnauthenticatedError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class UnauthenticatedError extends ProviderError {
  static readonly code = 'unauthenticated' as const;
  declare readonly code: 'unauthenticated';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'unauthenticated' });
    this.name = 'UnauthenticatedError';
  }
}

/**
 * `forbidden`: credentials without the permission an operation needs. `error instanceof ForbiddenError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class ForbiddenError extends ProviderError {
  static readonly code = 'forbidden' as const;
  declare readonly code: 'forbidden';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'forbidden' });
    this.name = 'ForbiddenError';
  }
}

/**
 * `not_found`: an object or scope that does not exist (or is not visible). `error instanceof NotFoundError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class NotFoundError extends ProviderError {
  static readonly code = 'not_found' as const;
  declare readonly code: 'not_found';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'not_found' });
    this.name = 'NotFoundError';
  }
}

/**
 * `conflict`: a write that conflicts with the current state (a stale version, a taken name). `error instanceof ConflictError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class ConflictError extends ProviderError {
  static readonly code = 'conflict' as const;
  declare readonly code: 'conflict';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'conflict' });
    this.name = 'ConflictError';
  }
}

/**
 * `rate_limited`: a vendor rate limit; `retryAfterMs` says when to try again. `error instanceof RateLimitedError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class RateLimitedError extends ProviderError {
  static readonly code = 'rate_limited' as const;
  declare readonly code: 'rate_limited';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'rate_limited' });
    this.name = 'RateLimitedError';
  }
}

/**
 * `upstream_unavailable`: the vendor failed or answered something unreadable. `error instanceof UpstreamUnavailableError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class UpstreamUnavailableError extends ProviderError {
  static readonly code = 'upstream_unavailable' as const;
  declare readonly code: 'upstream_unavailable';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'upstream_unavailable' });
    this.name = 'UpstreamUnavailableError';
  }
}

/**
 * `timeout`: no answer in time, or the call was aborted. `error instanceof TimeoutError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class TimeoutError extends ProviderError {
  static readonly code = 'timeout' as const;
  declare readonly code: 'timeout';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'timeout' });
    this.name = 'TimeoutError';
  }
}

/**
 * `webhook_signature_invalid`: a delivery whose signature or timestamp does not verify. `error instanceof WebhookSignatureInvalidError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class WebhookSignatureInvalidError extends ProviderError {
  static readonly code = 'webhook_signature_invalid' as const;
  declare readonly code: 'webhook_signature_invalid';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'webhook_signature_invalid' });
    this.name = 'WebhookSignatureInvalidError';
  }
}

/**
 * `webhook_malformed`: a delivery that is not what the vendor sends. `error instanceof WebhookMalformedError` holds for every ProviderError with this
 * code, also one made by another copy of `@krate/core`.
 */
export class WebhookMalformedError extends ProviderError {
  static readonly code = 'webhook_malformed' as const;
  declare readonly code: 'webhook_malformed';
  constructor(options: CodedErrorOptions) {
    super({ ...options, code: 'webhook_malformed' });
    this.name = 'WebhookMalformedError';
  }
}

const CODED_CLASSES: Record<ProviderErrorCode, new (options: CodedErrorOptions) => ProviderError> = {
  unsupported_operation: UnsupportedOperationError,
  invalid_input: InvalidInputError,
  invalid_config: InvalidConfigError,
  unauthenticated: UnauthenticatedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  rate_limited: RateLimitedError,
  upstream_unavailable: UpstreamUnavailableError,
  timeout: TimeoutError,
  webhook_signature_invalid: WebhookSignatureInvalidError,
  webhook_malformed: WebhookMalformedError,
};

/** A ProviderError of the class of its code (`not_found` -> NotFoundError). */
export function providerErrorFor(options: ProviderErrorOptions): ProviderError {
  return new CODED_CLASSES[options.code](options);
}

/** Error code for an HTTP status with no more specific reading. */
export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  return 'upstream_unavailable';
}

/** Makes a ProviderError from an HTTP status. */
export function errorFromStatus(
  status: number,
  message: string,
  extra: Omit<ProviderErrorOptions, 'code' | 'message' | 'status'> = {},
): ProviderError {
  return providerErrorFor({ ...extra, code: codeForStatus(status), message, status });
}

/** Error for a required setting that is missing: `createRequiredError('github', 'appId')`. */
export function createRequiredError(provider: string, setting: string): ProviderError {
  return new InvalidConfigError({ provider, message: `missing required setting "${setting}"` });
}
