import { inspect } from 'node:util';
import { staticSecretResolver } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { LINEAR_SECRET_PATTERNS, redactLinear } from '../src/linear-errors.js';
import { LINEAR_FAKE_API_KEY, LINEAR_FAKE_OAUTH_TOKEN, createFake } from '../src/testing/index.js';

const server = useFakeServer();

describe('auth', () => {
  it('sends an API key as it is and an OAuth token as Bearer', async () => {
    const key = startProvider(server, plugin, createFake);
    key.fake.seed.issue!('ENG', { title: 'visible' });
    await key.instance.issueTracking!.listIssues('ENG');
    expect(key.fake.requests[0]!.status).toBe(200);

    const oauth = startProvider(server, plugin, createFake, { fake: { auth: 'oauth' } });
    await oauth.instance.issueTracking!.listIssues('ENG');
    expect(oauth.fake.requests[0]!.status).toBe(200);
    // The fake accepts exactly `Bearer <token>` for OAuth: a key sent with the scheme (or a token without) is refused.
    const wrong = startProvider(server, plugin, createFake, { fake: { auth: 'oauth' }, config: { auth: { type: 'apiKey', apiKey: LINEAR_FAKE_OAUTH_TOKEN } } as never });
    expect((await errorOf(wrong.instance.issueTracking!.listIssues('ENG'))).code).toBe('unauthenticated');
  });

  it('the credential travels in the Authorization header only (the wire as sent, before redaction)', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { fake: { auth: 'oauth' } });
    const ref = fake.seed.issue!('ENG', { title: 'wire' });
    await instance.issueTracking!.getIssue(ref);
    await instance.issueTracking!.createComment(ref, { body: 'hello' });
    expect(fake.wire.length).toBeGreaterThan(0);
    for (const request of fake.wire) {
      expect(request.headers.authorization).toBe(`Bearer ${LINEAR_FAKE_OAUTH_TOKEN}`);
      const { authorization: _ignored, ...others } = request.headers;
      expect(JSON.stringify([request.url, others, request.body])).not.toContain(LINEAR_FAKE_OAUTH_TOKEN);
    }
  });

  it('resolves secret references through the host\'s resolver', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, {
      config: { auth: { type: 'apiKey', apiKey: { secretRef: { name: 'linear', key: 'api-key' } } } } as never,
      context: { secrets: staticSecretResolver({ 'linear#api-key': LINEAR_FAKE_API_KEY }) },
    });
    await instance.issueTracking!.listIssues('ENG');
    expect(fake.requests[0]!.status).toBe(200);
    const missing = startProvider(server, plugin, createFake, { config: { auth: { type: 'apiKey', apiKey: { secretRef: { name: 'linear' } } } } as never, context: {} });
    const error = await errorOf(missing.instance.issueTracking!.listIssues('ENG'));
    expect(error.code).toBe('invalid_config');
    expect(missing.fake.requests).toHaveLength(0);
  });

  it('redacts Linear\'s credential shapes (lin_api_, lin_oauth_, lin_wh_) wherever an error prints', async () => {
    expect(redactLinear(`key ${LINEAR_FAKE_API_KEY} token lin_oauth_abcdefgh12345678 secret lin_wh_abcdefgh12345678`)).toBe('key [REDACTED] token [REDACTED] secret [REDACTED]');
    expect(LINEAR_SECRET_PATTERNS).toHaveLength(1);
    const { fake, instance } = startProvider(server, plugin, createFake, { fake: { auth: 'oauth' } });
    fake.faults.status(401, { times: Infinity });
    const error = await errorOf(instance.issueTracking!.listIssues('ENG'));
    expect(error.code).toBe('unauthenticated');
    for (const text of [error.message, inspect(error, { depth: 8 }), JSON.stringify(error), JSON.stringify(fake.requests)]) {
      expect(text).not.toContain(LINEAR_FAKE_OAUTH_TOKEN);
    }
  });
});

describe('cancellation reaches the wire per call', () => {
  it('aborting one call ends its request at once as a timeout ProviderError; the instance\'s other calls go on', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { config: { timeoutMs: 10_000 } });
    const ref = fake.seed.issue!('ENG', { title: 'still there' });
    fake.faults.timeout({ times: 1 });
    const controller = new AbortController();
    const pending = instance.issueTracking!.listIssues('ENG', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    controller.abort(new Error('caller gave up'));
    const error = await errorOf(pending);
    expect([error.code, error.operation, error.cause]).toEqual(['timeout', 'listIssues', controller.signal.reason]);
    expect(error.message).toContain('aborted by its signal: caller gave up');
    expect(Date.now() - started).toBeLessThan(1_000);
    // The same instance answers the next call normally: the signal belonged to that call only.
    expect((await instance.issueTracking!.getIssue(ref)).title).toBe('still there');
  });

  it('an already aborted signal sends nothing', async () => {
    // (also inside an operation: a write's directory lookups carry the signal too)
    const { fake, instance } = startProvider(server, plugin, createFake);
    const controller = new AbortController();
    controller.abort(new Error('not wanted'));
    expect((await errorOf(instance.issueTracking!.listIssues('ENG', { signal: controller.signal }))).code).toBe('timeout');
    expect(fake.requests).toHaveLength(0);
  });

  it('a write aborted during its directory lookup sends no mutation after it', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { config: { timeoutMs: 10_000 } });
    fake.faults.timeout({ times: 1 });
    const controller = new AbortController();
    const pending = instance.issueTracking!.createIssue({ scope: 'ENG', title: 'never' }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await errorOf(pending);
    expect([error.code, error.operation]).toEqual(['timeout', 'createIssue']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
    expect(fake.state.issues.size).toBe(0);
  });
});
