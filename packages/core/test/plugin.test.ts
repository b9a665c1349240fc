import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, isProviderPlugin, ProviderError, secretAccessor, type ExternalIssue, type Page } from '../src/index.js';
import { toProviderError } from '../src/plugin.js';
import { TestConfigSchema, testManifest, testPlugin } from './helpers/test-plugins.js';

const emptyPage: Page<ExternalIssue> = { items: [], nextCursor: null };

function countingFetch() {
  const calls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return new Response('{}');
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('definePlugin', () => {
  it('makes a plugin recognised by isProviderPlugin', () => {
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } });
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin.providerType).toBe('acme');
    expect(isProviderPlugin({ ...plugin })).toBe(false);
    expect(isProviderPlugin(null)).toBe(false);
  });

  it('refuses a manifest that declares a non-canonical operation', () => {
    expect(() => testPlugin('acme', { issueTracking: { operations: ['listTickets'] } })).toThrow(ProviderError);
  });

  it('invalid config is invalid_config naming the path', () => {
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } });
    expect(() => plugin.create({ token: 5 })).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('token') }));
    expect(() => plugin.create({ token: 'x', baseUrl: 'not a url' })).toThrow(expect.objectContaining({ message: expect.stringContaining('baseUrl') }));
  });

  it('an error thrown by create is a ProviderError with the provider set', () => {
    const plugin = definePlugin({
      manifest: testManifest('acme', { cicd: { operations: ['listPipelines'] } }) as never,
      configSchema: z.object({}),
      create: () => {
        throw new Error('boom');
      },
    });
    expect(() => plugin.create({})).toThrow(expect.objectContaining({ code: 'upstream_unavailable', provider: 'acme', operation: 'create' }));
  });
});

describe('secret redaction per instance', () => {
  const plugin = definePlugin({
    manifest: testManifest('acme', { issueTracking: { operations: ['getIssue'] } }) as never,
    configSchema: TestConfigSchema,
    secretPatterns: [/\bacme_[a-z0-9]{12}\b/g],
    create: (config, context) => {
      const token = secretAccessor(config.token, { provider: 'acme', setting: 'token', redactor: context.redactor });
      return {
        issueTracking: {
          getIssue: async () => {
            throw new Error(`the API said no to ${await token()} (also saw acme_0123456789ab)`);
          },
        },
      };
    },
  });

  it("redacts the instance's credentials and its vendor's token shapes from its errors, and nothing of another instance", async () => {
    const one = plugin.create({ token: 'first-instance-token' });
    const two = plugin.create({ token: 'second-instance-token' });
    const error = (await one.issueTracking!.getIssue({ scope: 'a/b', id: '1' }).catch((e: unknown) => e)) as ProviderError;
    expect(error.message).not.toContain('first-instance-token');
    expect(error.message).not.toContain('acme_0123456789ab');
    expect(error.message).toContain('[REDACTED]');
    const other = (await two.issueTracking!.getIssue({ scope: 'a/b', id: '1' }).catch((e: unknown) => e)) as ProviderError;
    expect(other.message).not.toContain('second-instance-token');
    // The first instance's secret is not registered anywhere global.
    expect(new ProviderError({ code: 'conflict', message: 'first-instance-token' }).message).toContain('first-instance-token');
  });
});

describe('guarded instance', () => {
  it('refuses an undeclared operation with unsupported_operation and sends no request', async () => {
    const { calls, fetchImpl } = countingFetch();
    let implementationCalls = 0;
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } }, () => ({
      issueTracking: {
        listIssues: async () => emptyPage,
        getIssue: async () => {
          implementationCalls += 1;
          await fetchImpl('https://acme.test/issues/1');
          throw new Error('unreachable');
        },
      },
    }));
    const instance = plugin.create({ token: 't' }, { fetch: fetchImpl });
    await expect(instance.issueTracking!.getIssue({ scope: 'a/b', id: '1' })).rejects.toMatchObject({
      code: 'unsupported_operation',
      provider: 'acme',
      operation: 'getIssue',
    });
    expect(calls).toEqual([]);
    expect(implementationCalls).toBe(0);
  });

  it('a declared but unimplemented operation is unsupported_operation saying so', async () => {
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues', 'getIssue'] } }, () => ({ issueTracking: {} }));
    await expect(plugin.create({ token: 't' }).issueTracking!.getIssue({ scope: 'a/b', id: '1' })).rejects.toMatchObject({
      code: 'unsupported_operation',
      message: expect.stringContaining('not implemented'),
    });
  });

  it('bad arguments are invalid_input before the implementation runs', async () => {
    let ran = false;
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues', 'getIssue'] } }, () => ({
      issueTracking: {
        listIssues: async () => {
          ran = true;
          return emptyPage;
        },
        getIssue: async () => {
          ran = true;
          throw new Error('unreachable');
        },
      },
    }));
    const tracking = plugin.create({ token: 't' }).issueTracking!;
    await expect(tracking.listIssues('')).rejects.toMatchObject({ code: 'invalid_input', operation: 'listIssues' });
    await expect(tracking.listIssues('a/b', { pageSize: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(tracking.getIssue({ scope: 'a/b' } as never)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('argument 1') });
    expect(ran).toBe(false);
  });

  it('passes valid arguments through and returns the result', async () => {
    const seen: unknown[] = [];
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } }, () => ({
      issueTracking: {
        listIssues: async (scope: string, options?: unknown) => {
          seen.push(scope, options);
          return emptyPage;
        },
      },
    }));
    await expect(plugin.create({ token: 't' }).issueTracking!.listIssues('a/b', { pageSize: 10 })).resolves.toEqual(emptyPage);
    expect(seen).toEqual(['a/b', { pageSize: 10 }]);
  });

  it('wraps a non-ProviderError in a ProviderError with provider and operation', async () => {
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } }, () => ({
      issueTracking: {
        listIssues: async () => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    }));
    const error = await plugin.create({ token: 't' }).issueTracking!.listIssues('a/b').catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'upstream_unavailable', provider: 'acme', operation: 'listIssues', retryable: false });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('keeps a ProviderError thrown by the implementation and fills in the operation', async () => {
    const plugin = testPlugin('acme', { issueTracking: { operations: ['listIssues'] } }, () => ({
      issueTracking: {
        listIssues: async () => {
          throw new ProviderError({ code: 'rate_limited', message: 'slow down', retryAfterMs: 1000, status: 429 });
        },
      },
    }));
    await expect(plugin.create({ token: 't' }).issueTracking!.listIssues('a/b')).rejects.toMatchObject({
      code: 'rate_limited',
      provider: 'acme',
      operation: 'listIssues',
      retryAfterMs: 1000,
      status: 429,
    });
  });

  it('undeclared interfaces are absent and supports() follows the manifest', () => {
    const instance = testPlugin('acme', { cicd: { operations: ['listPipelines', 'getPipeline'] } }).create({ token: 't' });
    expect(instance.cicd).toBeDefined();
    expect(instance.issueTracking).toBeUndefined();
    expect(instance.gitForge).toBeUndefined();
    expect('issueTracking' in instance).toBe(false);
    expect(instance.supports('cicd')).toBe(true);
    expect(instance.supports('cicd', 'getPipeline')).toBe(true);
    expect(instance.supports('cicd', 'cancelPipeline')).toBe(false);
    expect(instance.supports('issueTracking')).toBe(false);
    expect(instance.cicd!.specificationVersion).toBe('v1');
  });

  it('reports the rate-limit state of the implementation', () => {
    const snapshot = { remaining: 10, observedAt: '2026-01-01T00:00:00.000Z' };
    const instance = testPlugin('acme', { cicd: { operations: ['listPipelines'] } }, () => ({ rateLimit: () => snapshot })).create({ token: 't' });
    expect(instance.rateLimit()).toEqual(snapshot);
  });

  it('wraps webhook receiver errors with provider and operation', async () => {
    const instance = testPlugin('acme', { cicd: { operations: ['listPipelines'] } }, () => ({
      webhooks: {
        receive: async () => {
          throw new SyntaxError('bad');
        },
      },
    })).create({ token: 't' });
    await expect(instance.webhooks!.receive({ headers: {}, rawBody: '' })).rejects.toMatchObject({ provider: 'acme', operation: 'webhooks.receive' });
  });
});

describe('toProviderError', () => {
  it('finds a ProviderError wrapped by a vendor SDK in the cause chain', () => {
    const inner = new ProviderError({ code: 'timeout', provider: 'acme', message: 'GET x timed out' });
    const sdkError = Object.assign(new Error('request failed'), { status: 500, cause: inner });
    const mapped = toProviderError(sdkError, 'acme', 'getIssue');
    expect(mapped).toMatchObject({ code: 'timeout', operation: 'getIssue' });
  });

  it('maps AbortError and TimeoutError to timeout', () => {
    expect(toProviderError(new DOMException('aborted', 'AbortError'), 'acme').code).toBe('timeout');
    expect(toProviderError(new DOMException('timed out', 'TimeoutError'), 'acme').code).toBe('timeout');
    expect(toProviderError('plain string', 'acme')).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('plain string') });
  });
});
