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
  /** Whether repeating the same call may succeed. Defaults from the code. */
  retryable?: boolean | undefined;
  cause?: unknown;
}

const RETRYABLE_CODES: ReadonlySet<ProviderErrorCode> = new Set(['rate_limited', 'upstream_unavailable', 'timeout']);

/**
 * Credential shapes core knows without knowing any vendor: PEM private keys, the
 * credential after an HTTP auth scheme, credentials in a query string. A provider adds
 * its vendor's token formats (`ghp_…`, `bkua_…`) as `secretPatterns` of its plugin.
 */
const GENERIC_SECRET_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](?:access_token|token|client_secret|private_token|api_key)=)[^&\s#]+/gi,
];

function applyPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    out = out.replace(global, (match, prefix: unknown) => {
      if (typeof prefix === 'string' && (prefix.startsWith('?') || prefix.startsWith('&'))) return `${prefix}[REDACTED]`;
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
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(options.code);
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
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
