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

/** Patterns that look like credentials; applied to every message an error carries. */
const SECRET_PATTERNS: RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9_]{16,})\b/g,
  /\b(github_pat_[A-Za-z0-9_]{20,})\b/g,
  /\b(glpat-[A-Za-z0-9_-]{16,})\b/g,
  /\b(bkua_[A-Za-z0-9]{16,})\b/g,
  /\b(lin_api_[A-Za-z0-9]{16,})\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](?:access_token|token|client_secret|private_token|api_key)=)[^&\s#]+/gi,
];

const registeredSecrets = new Set<string>();

/**
 * Registers a secret value so that {@link redactSecrets} removes it wherever it
 * appears. Providers call this for every credential they resolve. Values shorter
 * than 6 characters are ignored to avoid shredding ordinary text.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 6) registeredSecrets.add(value);
}

/** Replaces known credentials and credential-shaped strings with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix: string | undefined) => {
      if (typeof prefix === 'string' && prefix.startsWith('?') || typeof prefix === 'string' && prefix.startsWith('&')) return `${prefix}[REDACTED]`;
      if (/^(Bearer|token|Basic)\s/i.test(match)) return `${match.split(/\s+/)[0]} [REDACTED]`;
      return '[REDACTED]';
    });
  }
  return out;
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
      // Secrets registered after the error was made are redacted too.
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

type CodedOptions = Omit<ProviderErrorOptions, 'code'>;

function codedError<C extends ProviderErrorCode>(code: C, name: string) {
  const Coded = class extends ProviderError {
    static readonly code: C = code;
    constructor(options: CodedOptions | ProviderErrorOptions) {
      super({ ...options, code });
      this.name = name;
    }
  };
  Object.defineProperty(Coded, 'name', { value: name });
  return Coded;
}

export const UnsupportedOperationError = codedError('unsupported_operation', 'UnsupportedOperationError');
export const InvalidInputError = codedError('invalid_input', 'InvalidInputError');
export const InvalidConfigError = codedError('invalid_config', 'InvalidConfigError');
export const UnauthenticatedError = codedError('unauthenticated', 'UnauthenticatedError');
export const ForbiddenError = codedError('forbidden', 'ForbiddenError');
export const NotFoundError = codedError('not_found', 'NotFoundError');
export const ConflictError = codedError('conflict', 'ConflictError');
export const RateLimitedError = codedError('rate_limited', 'RateLimitedError');
export const UpstreamUnavailableError = codedError('upstream_unavailable', 'UpstreamUnavailableError');
export const TimeoutError = codedError('timeout', 'TimeoutError');
export const WebhookSignatureInvalidError = codedError('webhook_signature_invalid', 'WebhookSignatureInvalidError');
export const WebhookMalformedError = codedError('webhook_malformed', 'WebhookMalformedError');

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
  return new ProviderError({ ...extra, code: codeForStatus(status), message, status });
}

/** Error for a required setting that is missing: `createRequiredError('github', 'appId')`. */
export function createRequiredError(provider: string, setting: string): ProviderError {
  return new InvalidConfigError({ provider, message: `missing required setting "${setting}"` });
}
