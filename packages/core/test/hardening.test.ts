import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderError,
  TransportConfigSchema,
  assertWebhookBodySize,
  baseUrlSchema,
  createTransport,
  definePlugin,
  errorFromStatus,
  getHeader,
  headerSecretInputSchema,
  headerValueSchema,
  isHeaderSafe,
  isRetryableOutcome,
  createSecretRedactor,
  verifyHmac,
  verifyTimestamp,
} from '../src/index.js';
import { sanitizeCause } from '../src/errors.js';
import { testManifest } from './helpers/test-plugins.js';

const validManifest = () => testManifest('hardened', { issueTracking: { operations: ['getIssue'] } }) as never;

describe('cause chain never carries secrets (defect 1)', () => {
  it('keeps a sanitized copy of the cause: name, message, code, status, redacted', () => {
    const raw = Object.assign(new Error('resolver failed for token s3cr3t-resolver-value at https://user:hunter22@vault.example/x'), {
      name: 'HttpError',
      status: 502,
      code: 'E_VAULT',
      request: { headers: { authorization: 'token s3cr3t-resolver-value' } },
      response: { data: { echoed: 's3cr3t-resolver-value' } },
    });
    const error = new ProviderError({ code: 'upstream_unavailable', message: 'failed', cause: raw });
    expect(error.cause).not.toBe(raw);
    const cause = error.cause as Error & { status?: number; code?: string };
    expect(cause.name).toBe('HttpError');
    expect(cause.status).toBe(502);
    expect(cause.code).toBe('E_VAULT');
    expect(cause.message).toContain('[REDACTED]');
    const rendered = inspect(error, { depth: 10 }) + String(cause.stack);
    expect(rendered).not.toContain('hunter22');
    expect(rendered).not.toContain('s3cr3t-resolver-value');
    expect(rendered).not.toContain('hunter22');
    expect(rendered).not.toContain('request');
  });

  it('sanitizes nested causes and keeps ProviderErrors in the chain', () => {
    const inner = new ProviderError({ code: 'timeout', message: 'slow' });
    const middle = new Error('wrapping Bearer nested-secret-value', { cause: inner });
    const outer = new TypeError('fetch failed', { cause: middle });
    const sanitized = sanitizeCause(outer) as Error;
    expect(sanitized).toBeInstanceOf(Error);
    expect(sanitized.name).toBe('TypeError');
    expect((sanitized.cause as Error).message).toBe('wrapping Bearer [REDACTED]');
    expect((sanitized.cause as Error).cause).toBe(inner);
    expect(inspect(new ProviderError({ code: 'upstream_unavailable', message: 'x', cause: outer }), { depth: 10 })).not.toContain('nested-secret-value');
  });

  it('a cause that is a plain value is redacted too', () => {
    const error = new ProviderError({ code: 'upstream_unavailable', message: 'x', cause: 'token plain-secret-value leaked' });
    expect(inspect(error)).not.toContain('plain-secret-value');
  });

  it('redacts user:password@ in any URL of a message', () => {
    const error = new ProviderError({ code: 'upstream_unavailable', message: 'GET https://bob:pa55word@git.example/api failed' });
    expect(error.message).not.toContain('pa55word');
  });

  it("an instance's errors are redacted with its own secrets down the whole cause chain", async () => {
    const secretValue = 'instance-only-secret-5678';
    const plugin = definePlugin({
      manifest: validManifest(),
      configSchema: TransportConfigSchema,
      create(_config, context) {
        context.redactor.add(secretValue);
        return {
          issueTracking: {
            async getIssue() {
              const raw = new Error(`server echoed ${secretValue}`, { cause: new Error(`deeper ${secretValue}`) });
              throw new ProviderError({ code: 'upstream_unavailable', message: `bad answer with ${secretValue}`, cause: raw });
            },
          },
        } as never;
      },
    });
    const instance = plugin.create({});
    let caught: unknown;
    try {
      await instance.issueTracking!.getIssue({ scope: 'a/b', id: '1' });
    } catch (error) {
      caught = error;
    }
    expect(ProviderError.isInstance(caught)).toBe(true);
    const rendered = inspect(caught, { depth: 10 }) + String((caught as Error).stack) + JSON.stringify(caught);
    expect(rendered).not.toContain(secretValue);
    expect(rendered).toContain('deeper [REDACTED]');
    // Another redactor (another instance) does not know this value: nothing is process-wide.
    expect(createSecretRedactor().redact(secretValue)).toBe(secretValue);
  });

  it('a host resolver error that carries its secret is wrapped without it', async () => {
    const secretValue = 'resolver-held-secret-1234';
    const plugin = definePlugin({
      manifest: validManifest(),
      configSchema: TransportConfigSchema,
      create(_config, context) {
        context.redactor.add(secretValue);
        const error = new Error(`could not read ${secretValue}`);
        throw error;
      },
    });
    let caught: unknown;
    try {
      plugin.create({});
    } catch (error) {
      caught = error;
    }
    expect(ProviderError.isInstance(caught)).toBe(true);
    expect(inspect(caught, { depth: 10 })).not.toContain(secretValue);
  });
});

describe('ProviderError.name in the published bundle (defect 10)', () => {
  it('prints ProviderError, not an esbuild-renamed _ProviderError', async () => {
    const dist = new URL('../dist/index.js', import.meta.url);
    expect(existsSync(dist), 'build @krate/core first (turbo runs build before test)').toBe(true);
    const built = (await import(dist.href)) as typeof import('../src/index.js');
    expect(built.ProviderError.name).toBe('ProviderError');
    expect(built.NotFoundError.name).toBe('NotFoundError');
  });
});

describe('ambiguous write outcomes are not retryable (defect 4)', () => {
  it('the rule: writes after a 5xx or a dropped connection are ambiguous', () => {
    expect(isRetryableOutcome('upstream_unavailable', { method: 'GET' })).toBe(true);
    expect(isRetryableOutcome('upstream_unavailable', { method: 'POST' })).toBe(false);
    expect(isRetryableOutcome('timeout', { method: 'PATCH' })).toBe(false);
    expect(isRetryableOutcome('upstream_unavailable', { method: 'POST', idempotencyKey: true })).toBe(true);
    // A rate limit is a refusal: nothing was done.
    expect(isRetryableOutcome('rate_limited', { method: 'POST' })).toBe(true);
    expect(isRetryableOutcome('not_found', { method: 'GET' })).toBe(false);
    expect(isRetryableOutcome('upstream_unavailable')).toBe(true);
    // The method does not always tell: a PUT that creates work, a query sent as POST.
    expect(isRetryableOutcome('upstream_unavailable', { method: 'PUT', idempotent: false })).toBe(false);
    expect(isRetryableOutcome('upstream_unavailable', { method: 'POST', idempotent: true })).toBe(true);
  });

  it('errorFromStatus with the request applies the rule and says why', () => {
    const post = errorFromStatus(502, 'bad gateway', { request: { method: 'POST' } });
    expect(post.retryable).toBe(false);
    expect(post.hint).toMatch(/may have/);
    expect(errorFromStatus(504, 'gateway timeout', { request: { method: 'GET' } }).retryable).toBe(true);
    expect(errorFromStatus(502, 'x', { request: { method: 'post', idempotencyKey: true } }).retryable).toBe(true);
  });

  it('withContext keeps the decision', () => {
    const post = errorFromStatus(502, 'bad gateway', { request: { method: 'POST' } });
    expect(post.withContext('github', 'createIssue').retryable).toBe(false);
  });
});

describe('replay window fails closed (defect 3)', () => {
  const now = 1_700_000_000_000;
  it.each([
    ['NaN now', { now: Number.NaN }],
    ['Invalid Date now', { now: new Date('nope') }],
    ['NaN tolerance', { now, toleranceSeconds: Number.NaN }],
    ['negative tolerance', { now, toleranceSeconds: -1 }],
    ['infinite tolerance', { now, toleranceSeconds: Number.POSITIVE_INFINITY }],
  ])('%s refuses every timestamp', (_label, options) => {
    expect(() => verifyTimestamp(String(now / 1000 - 10_000_000), options)).toThrow(ProviderError);
    expect(() => verifyTimestamp(String(now / 1000), options)).toThrow(ProviderError);
  });
});

describe('non-string header values (defect 6)', () => {
  it('getHeader never crashes and ignores values that are not strings', () => {
    const headers = { a: null, b: [null, 'x'], c: 42, d: ['first', 'second'], e: { toString: 'no' } } as unknown as Record<string, string>;
    expect(getHeader(headers, 'a')).toBeUndefined();
    expect(getHeader(headers, 'B')).toBeUndefined();
    expect(getHeader(headers, 'c')).toBeUndefined();
    expect(getHeader(headers, 'd')).toBe('first');
    expect(getHeader(headers, 'e')).toBeUndefined();
    expect(getHeader(null as never, 'a')).toBeUndefined();
    expect(getHeader(42 as never, 'a')).toBeUndefined();
    const proto = Object.create({ inherited: 'x' }) as Record<string, string>;
    expect(getHeader(proto, 'inherited')).toBeUndefined();
  });
});

describe('verifyHmac input checks (defect 10)', () => {
  it('a payload that is not a string or bytes is a typed error', () => {
    for (const payload of [undefined, null, 42, {}, ['a']]) {
      let caught: unknown;
      try {
        verifyHmac({ secret: 'whsec-123456', payload: payload as never, signature: 'sha256=00' });
      } catch (error) {
        caught = error;
      }
      expect(ProviderError.isInstance(caught), String(payload)).toBe(true);
      expect((caught as ProviderError).code).toBe('webhook_malformed');
    }
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'md5'])('refuses the algorithm %s', (algorithm) => {
    expect(() => verifyHmac({ secret: 'whsec-123456', payload: '{}', signature: 'x', algorithm: algorithm as never })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    );
  });

  it('refuses an unknown encoding', () => {
    expect(() => verifyHmac({ secret: 'whsec-123456', payload: '{}', signature: 'x', encoding: 'base32' as never })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    );
  });
});

describe('webhook body size (defect 10)', () => {
  it('refuses a body over the limit before reading it', () => {
    const big = 'x'.repeat(1025);
    expect(() => assertWebhookBodySize({ headers: {}, rawBody: big }, { maxBytes: 1024, provider: 'p' })).toThrow(
      expect.objectContaining({ code: 'webhook_malformed' }),
    );
    expect(() => assertWebhookBodySize({ headers: {}, rawBody: new Uint8Array(2048) }, { maxBytes: 1024, provider: 'p' })).toThrow(
      expect.objectContaining({ code: 'webhook_malformed' }),
    );
    // Multi-byte UTF-8: 400 characters but 1200 bytes.
    expect(() => assertWebhookBodySize({ headers: {}, rawBody: '€'.repeat(400) }, { maxBytes: 1024, provider: 'p' })).toThrow(ProviderError);
    expect(() => assertWebhookBodySize({ headers: {}, rawBody: 'x'.repeat(1024) }, { maxBytes: 1024, provider: 'p' })).not.toThrow();
  });

  it('refuses on a declared Content-Length over the limit', () => {
    expect(() =>
      assertWebhookBodySize({ headers: { 'content-length': '99999999' }, rawBody: '{}' }, { maxBytes: 1024, provider: 'p' }),
    ).toThrow(expect.objectContaining({ code: 'webhook_malformed' }));
  });

  it('the instance wrapper enforces the receiver limit and the per-call override', async () => {
    let calls = 0;
    const plugin = definePlugin({
      manifest: validManifest(),
      configSchema: TransportConfigSchema,
      create() {
        return {
          webhooks: {
            maxBodyBytes: 100,
            async receive() {
              calls += 1;
              throw new Error('not reached in this test');
            },
          },
        };
      },
    });
    const instance = plugin.create({});
    await expect(instance.webhooks!.receive({ headers: {}, rawBody: 'x'.repeat(101) })).rejects.toMatchObject({ code: 'webhook_malformed' });
    await expect(instance.webhooks!.receive({ headers: {}, rawBody: 'x'.repeat(50) }, { maxBodyBytes: 10 })).rejects.toMatchObject({
      code: 'webhook_malformed',
    });
    await expect(instance.webhooks!.receive(null as never)).rejects.toMatchObject({ code: 'webhook_malformed' });
    expect(calls).toBe(0);
  });
});

describe('configuration bounds (defect 7)', () => {
  it.each([2 ** 31, 0, 5, -1, 1.5, Number.NaN])('refuses timeoutMs %s', (timeoutMs) => {
    expect(TransportConfigSchema.safeParse({ timeoutMs }).success).toBe(false);
  });

  it('accepts the bounds', () => {
    expect(TransportConfigSchema.safeParse({ timeoutMs: 2 ** 31 - 1 }).success).toBe(true);
    expect(TransportConfigSchema.safeParse({ timeoutMs: 100 }).success).toBe(true);
  });

  it('bounds maxRetryAfterMs and the backoff delays', () => {
    expect(TransportConfigSchema.safeParse({ retry: { maxRetryAfterMs: 2 ** 40 } }).success).toBe(false);
    expect(TransportConfigSchema.safeParse({ retry: { maxDelayMs: 2 ** 31 } }).success).toBe(false);
    expect(TransportConfigSchema.safeParse({ retry: { maxRetryAfterMs: 3_600_000 } }).success).toBe(true);
  });

  it.each([
    'https://user:pass@api.example.com',
    'https://api.example.com/?token=1',
    'https://api.example.com/#frag',
    'ftp://api.example.com',
    'not a url',
    'https://api.example.com/\r\nX: y',
  ])('refuses baseUrl %s', (url) => {
    const result = baseUrlSchema.safeParse(url);
    expect(result.success).toBe(false);
  });

  it('accepts a plain base URL', () => {
    expect(baseUrlSchema.safeParse('https://ghe.example.com/api/v3').success).toBe(true);
  });

  it.each(['a\r\nb', 'a\nb', 'a\u0000b', ''])('a header value with control characters or empty is refused: %j', (value) => {
    expect(headerValueSchema.safeParse(value).success).toBe(false);
  });

  it('a header credential refuses control characters inline and accepts a reference', () => {
    expect(headerSecretInputSchema.safeParse('tok\r\nen').success).toBe(false);
    expect(headerSecretInputSchema.safeParse('token-value').success).toBe(true);
    expect(headerSecretInputSchema.safeParse({ secretRef: { name: 'gh' } }).success).toBe(true);
    expect(isHeaderSafe('a\nb')).toBe(false);
    expect(isHeaderSafe('a b\tc')).toBe(true);
  });

  it('createTransport refuses settings that can never work', () => {
    expect(() => createTransport({ provider: 'p', timeoutMs: 2 ** 31 })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
    expect(() => createTransport({ provider: 'p', fetch: 42 as never })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });

  it('a plugin refuses a context fetch that is not a function', () => {
    const plugin = definePlugin({ manifest: validManifest(), configSchema: TransportConfigSchema, create: () => ({}) });
    expect(() => plugin.create({}, { fetch: 42 as never })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });
});

describe('transport writes and body timeouts (defects 2, 4)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('a dropped connection after a POST is not retryable; after a GET it is', async () => {
    server.use(http.all('https://api.example.test/x', () => HttpResponse.error()));
    const transport = createTransport({ provider: 'p', retry: { maxRetries: 0 } });
    const post = await transport.fetch('https://api.example.test/x', { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(post).toMatchObject({ code: 'upstream_unavailable', retryable: false });
    const get = await transport.fetch('https://api.example.test/x').catch((e: unknown) => e);
    expect(get).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    const inspected = inspect(post, { depth: 10 });
    expect(inspected).toContain('cause');
  });

  it('a body that stalls past the timeout rejects with a timeout ProviderError', async () => {
    server.use(
      http.get('https://api.example.test/slow', () => {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"a":'));
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const transport = createTransport({ provider: 'p', timeoutMs: 100, retry: { maxRetries: 0 } });
    const response = await transport.fetch('https://api.example.test/slow');
    const error = await response.text().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
  });
});

describe('the transport applies its own isRetryable to the error it throws', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('a PUT the provider says is not repeatable is not retryable after a dropped connection', async () => {
    server.use(http.put('https://api.example.test/builds/1/rebuild', () => HttpResponse.error()));
    const transport = createTransport({ provider: 'p', isRetryable: () => false });
    const error = await transport.fetch('https://api.example.test/builds/1/rebuild', { method: 'PUT' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: false });
  });
});
