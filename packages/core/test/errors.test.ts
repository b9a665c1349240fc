import { describe, expect, it } from 'vitest';
import {
  ConflictError, ForbiddenError, InvalidConfigError, InvalidInputError, NotFoundError, PROVIDER_ERROR_CODES, ProviderError,
  RateLimitedError, TimeoutError, UnauthenticatedError, UnsupportedOperationError, UpstreamUnavailableError,
  WebhookMalformedError, WebhookSignatureInvalidError, codeForStatus, createRequiredError, errorFromStatus, redactSecrets,
  createSecretRedactor,
  providerErrorFor,
} from '../src/index.js';

const CODED = [
  [UnsupportedOperationError, 'unsupported_operation'],
  [InvalidInputError, 'invalid_input'],
  [InvalidConfigError, 'invalid_config'],
  [UnauthenticatedError, 'unauthenticated'],
  [ForbiddenError, 'forbidden'],
  [NotFoundError, 'not_found'],
  [ConflictError, 'conflict'],
  [RateLimitedError, 'rate_limited'],
  [UpstreamUnavailableError, 'upstream_unavailable'],
  [TimeoutError, 'timeout'],
  [WebhookSignatureInvalidError, 'webhook_signature_invalid'],
  [WebhookMalformedError, 'webhook_malformed'],
] as const;

describe('ProviderError codes and classes', () => {
  it('has one coded class per code', () => {
    expect(CODED.map(([, code]) => code).sort()).toEqual([...PROVIDER_ERROR_CODES].sort());
  });

  it.each(CODED)('%o sets its code, name and is a ProviderError and an Error', (Ctor, code) => {
    const error = new Ctor({ message: 'boom', provider: 'github', operation: 'getIssue', status: 418 });
    expect(error.code).toBe(code);
    expect(error.name).toBe(Ctor.name);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(Ctor);
    expect(error.provider).toBe('github');
    expect(error.operation).toBe('getIssue');
    expect(error.status).toBe(418);
  });

  it('instanceof of a coded class is decided by code, across subclasses', () => {
    const notFound = new NotFoundError({ message: 'gone' });
    expect(notFound instanceof ForbiddenError).toBe(false);
    expect(notFound instanceof InvalidInputError).toBe(false);
    const plain = new ProviderError({ code: 'not_found', message: 'gone' });
    expect(plain instanceof NotFoundError).toBe(true);
    expect(plain instanceof ConflictError).toBe(false);
    expect(new Error('x') instanceof ProviderError).toBe(false);
    expect((null as unknown as object) instanceof ProviderError).toBe(false);
  });

  it('the coded classes are real subclasses: a typed catch, the class name, and errorFromStatus making the class of its code', () => {
    const caught = (() => {
      try {
        throw errorFromStatus(404, 'no such issue', { provider: 'github' });
      } catch (e) {
        if (e instanceof NotFoundError) return e;
        throw e;
      }
    })();
    const code: 'not_found' = caught.code;
    expect(code).toBe('not_found');
    expect(caught.name).toBe('NotFoundError');
    expect(Object.getPrototypeOf(caught)).toBe(NotFoundError.prototype);
    expect(Object.getPrototypeOf(NotFoundError.prototype)).toBe(ProviderError.prototype);
    expect(providerErrorFor({ code: 'rate_limited', message: 'slow' })).toBeInstanceOf(RateLimitedError);
    expect(providerErrorFor({ code: 'rate_limited', message: 'slow' }).name).toBe('RateLimitedError');
    // withContext keeps the class.
    expect(Object.getPrototypeOf(new NotFoundError({ message: 'x' }).withContext('github', 'getIssue'))).toBe(NotFoundError.prototype);
  });

  it('recognises an error made by another copy of core through the Symbol.for marker', () => {
    class ForeignProviderError extends Error {
      code = 'rate_limited';
      constructor() {
        super('[krate] [github] slow down');
        Object.defineProperty(this, Symbol.for('krate.provider-error'), { value: true });
      }
    }
    const foreign = new ForeignProviderError();
    expect(ProviderError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof ProviderError).toBe(true);
    expect(foreign instanceof RateLimitedError).toBe(true);
    expect(foreign instanceof TimeoutError).toBe(false);
    expect(ProviderError.isInstance({ code: 'rate_limited' })).toBe(false);
    expect(ProviderError.isInstance(undefined)).toBe(false);
  });

  it('defaults retryable from the code and lets it be overridden', () => {
    expect(new RateLimitedError({ message: 'x' }).retryable).toBe(true);
    expect(new TimeoutError({ message: 'x' }).retryable).toBe(true);
    expect(new UpstreamUnavailableError({ message: 'x' }).retryable).toBe(true);
    expect(new NotFoundError({ message: 'x' }).retryable).toBe(false);
    expect(new TimeoutError({ message: 'x', retryable: false }).retryable).toBe(false);
  });

  it('prefixes messages with provider and operation', () => {
    expect(new NotFoundError({ message: 'no issue 7' }).message).toBe('[krate] no issue 7');
    expect(new NotFoundError({ message: 'no issue 7', provider: 'github' }).message).toBe('[krate] [github] no issue 7');
    expect(new NotFoundError({ message: 'no issue 7', provider: 'github', operation: 'getIssue' }).message).toBe(
      '[krate] [github] getIssue: no issue 7',
    );
  });

  it('withContext fills provider and operation without mangling the message', () => {
    const bare = new InvalidInputError({ message: 'cursor: not one this provider issued', status: 400 });
    const withCtx = bare.withContext('github', 'listIssues');
    expect(withCtx.message).toBe('[krate] [github] listIssues: cursor: not one this provider issued');
    expect(withCtx).toBeInstanceOf(InvalidInputError);
    expect(withCtx.status).toBe(400);
    const providerOnly = new TimeoutError({ message: 'GET x timed out', provider: 'github' });
    expect(providerOnly.withContext('github', 'getIssue').message).toBe('[krate] [github] getIssue: GET x timed out');
    const full = new NotFoundError({ message: 'x', provider: 'gitlab', operation: 'getIssue' });
    expect(full.withContext('github', 'listIssues')).toBe(full);
  });
});

describe('redaction', () => {
  const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

  it('redacts credential-shaped strings in message, hint, toJSON and JSON.stringify', () => {
    const error = new UnauthenticatedError({
      message: `bad credentials for token ${token} (Authorization: Bearer abcdefghijkl.mnop)`,
      hint: `rotate token ${token}`,
      provider: 'github',
    });
    for (const text of [error.message, error.hint ?? '', JSON.stringify(error), JSON.stringify(error.toJSON()), String(error)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('abcdefghijkl.mnop');
    }
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).toContain('Bearer [REDACTED]');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'unauthenticated', provider: 'github', retryable: false });
  });

  it('redacts token query parameters and keeps the rest of the URL', () => {
    expect(redactSecrets('GET https://gitlab.test/api?private_token=s3cr3tvalue&page=2')).toBe(
      'GET https://gitlab.test/api?private_token=[REDACTED]&page=2',
    );
  });

  it('a redactor redacts the values added to it and its vendor patterns; redactSecrets knows no vendor and no value', () => {
    const secret = 'plain-webhook-secret-value';
    const redactor = createSecretRedactor({ patterns: [/\bghp_[A-Za-z0-9]{36}\b/g] });
    redactor.add(secret);
    redactor.add('short');
    expect(redactor.redact(`x ${secret} y ${token}`)).toBe('x [REDACTED] y [REDACTED]');
    expect(redactor.redact('a short word')).toBe('a short word');
    expect(redactSecrets(`x ${secret} y`)).toBe(`x ${secret} y`);
    expect(redactSecrets(`token ${token}`)).toBe('token [REDACTED]');
    expect(redactSecrets(`bare ${token}`)).toBe(`bare ${token}`);
    // Another redactor knows nothing of the first one's values: no process-global set.
    expect(createSecretRedactor().redact(`x ${secret}`)).toBe(`x ${secret}`);
  });

  it('keeps cause non-enumerable and out of JSON', () => {
    const cause = new Error(`socket hang up, sent Bearer ${token}`);
    const error = new UpstreamUnavailableError({ message: 'failed', cause });
    // A sanitized copy is kept, never the original (it may hold credentials).
    expect(error.cause).not.toBe(cause);
    expect((error.cause as Error).message).toBe('socket hang up, sent Bearer [REDACTED]');
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(error)).not.toContain('socket hang up');
  });
});

describe('status mapping', () => {
  it.each([
    [400, 'invalid_input'], [422, 'invalid_input'], [401, 'unauthenticated'], [403, 'forbidden'], [404, 'not_found'],
    [410, 'not_found'], [409, 'conflict'], [412, 'conflict'], [408, 'timeout'], [429, 'rate_limited'], [500, 'upstream_unavailable'],
    [503, 'upstream_unavailable'],
  ] as const)('%i -> %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
    const error = errorFromStatus(status, 'x', { provider: 'jira', retryAfterMs: 5 });
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.retryAfterMs).toBe(5);
  });

  it('createRequiredError names the setting', () => {
    const error = createRequiredError('github', 'appId');
    expect(error.code).toBe('invalid_config');
    expect(error.message).toBe('[krate] [github] missing required setting "appId"');
  });
});
