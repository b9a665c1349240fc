import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProviderError, staticSecretResolver, type ExternalJob, type ExternalPipeline, type ExternalRunner, type WebhookRequest } from '@krate/core';
import buildkite from '../src/index.js';
import { parseSignatureHeader } from '../src/webhooks/buildkite-webhook-verify.js';
import { createFake } from '../src/testing/index.js';
import { DOCS_PING, LEGACY_BUILD_FINISHED, LEGACY_REQUEST_ID } from './fixtures/webhook-payloads.js';

const SECRET = 'a3f1c0de9b7e4d2a8c6f0e1d2c3b4a59';
const CONFIG = { apiToken: 'bkua_0123456789abcdef0123456789abcdef01234567', organization: 'acme' };

function signed(body: string, options: { secret?: string; timestamp?: number; event?: string; extra?: Record<string, string> } = {}): WebhookRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', options.secret ?? SECRET).update(`${timestamp}.${body}`).digest('hex');
  return {
    headers: {
      'X-Buildkite-Event': options.event ?? (JSON.parse(body) as { event: string }).event,
      'X-Buildkite-Signature': `timestamp=${timestamp},signature=${signature}`,
      ...options.extra,
    },
    rawBody: body,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('signature scheme (X-Buildkite-Signature)', () => {
  const instance = () => buildkite.create({ ...CONFIG, webhookSecret: SECRET });

  it('parses the header in any order and with spaces', () => {
    expect(parseSignatureHeader('timestamp=1619071700,signature=abc')).toEqual({ timestamp: '1619071700', signature: 'abc' });
    expect(parseSignatureHeader(' signature=abc , timestamp=1 ')).toEqual({ timestamp: '1', signature: 'abc' });
    expect(parseSignatureHeader('timestamp=1')).toBeUndefined();
    expect(parseSignatureHeader(undefined)).toBeUndefined();
  });

  it('accepts a delivery signed over "timestamp.body" and normalizes it', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    const delivery = await instance().webhooks!.receive(signed(body, { extra: { 'X-Buildkite-Request': LEGACY_REQUEST_ID } }));
    expect(delivery).toMatchObject({ provider: 'buildkite', nativeEvent: 'build.finished', deliveryId: LEGACY_REQUEST_ID });
    expect(delivery.events).toHaveLength(1);
    const pipeline = delivery.events[0]!.object as ExternalPipeline;
    expect(delivery.events[0]).toMatchObject({ interface: 'cicd', kind: 'pipeline', change: 'upserted', ref: { scope: 'fluid-project/infusion', id: '302' } });
    // Legacy times become ISO-8601, a non-SHA commit is not a sha, a blocked build is blocked.
    expect(pipeline).toMatchObject({ phase: 'blocked', nativeStatus: 'passed', createdAt: '2018-07-01T20:14:38.000Z', finishedAt: '2018-07-01T20:14:39.000Z', name: 'infusion' });
    expect(pipeline.sha).toBeUndefined();
    expect(pipeline.external.extensions.fields.commit).toBe('HEAD');
  });

  it('verifies bytes exactly as received (Uint8Array body, Headers object)', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    const request = signed(body);
    const delivery = await instance().webhooks!.receive({ headers: new Headers(request.headers as Record<string, string>), rawBody: new TextEncoder().encode(body) });
    expect(delivery.events).toHaveLength(1);
  });

  it('refuses missing, wrong, tampered and garbled signatures', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    const good = signed(body);
    const headers = good.headers as Record<string, string>;
    const receive = (request: WebhookRequest) => codeOf(instance().webhooks!.receive(request));
    expect(await receive({ headers: { 'X-Buildkite-Event': 'build.finished' }, rawBody: body })).toBe('webhook_signature_invalid');
    expect(await receive({ headers: { 'X-Buildkite-Event': 'build.finished', 'X-Buildkite-Token': SECRET }, rawBody: body })).toBe('webhook_signature_invalid');
    expect(await receive(signed(body, { secret: 'another-secret-of-some-length' }))).toBe('webhook_signature_invalid');
    expect(await receive({ headers, rawBody: body.replace('"passed"', '"failed"') })).toBe('webhook_signature_invalid');
    expect(await receive({ headers: { ...headers, 'X-Buildkite-Signature': 'garbage' }, rawBody: body })).toBe('webhook_signature_invalid');
    expect(await receive({ headers: { ...headers, 'X-Buildkite-Signature': headers['X-Buildkite-Signature']!.replace(/timestamp=\d+/, 'timestamp=soon') }, rawBody: body })).toBe('webhook_signature_invalid');
    expect(await receive({ headers: { ...headers, 'X-Buildkite-Signature': headers['X-Buildkite-Signature']!.slice(0, -2) }, rawBody: body })).toBe('webhook_signature_invalid');
  });

  it('refuses stale and future timestamps outside the tolerance, accepts them inside it', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    const now = Math.floor(Date.now() / 1000);
    const receive = (timestamp: number, tolerance?: number) =>
      codeOf(buildkite.create({ ...CONFIG, webhookSecret: SECRET, ...(tolerance ? { webhookToleranceSeconds: tolerance } : {}) }).webhooks!.receive(signed(body, { timestamp })));
    expect(await receive(now - 301)).toBe('webhook_signature_invalid');
    expect(await receive(now + 301)).toBe('webhook_signature_invalid');
    expect(await receive(now - 290)).toBe('ok');
    expect(await receive(now + 290)).toBe('ok');
    expect(await receive(now - 3600, 7200)).toBe('ok');
    expect(await receive(now - 61, 60)).toBe('webhook_signature_invalid');
  });

  it('uses the caller clock when given', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    const timestamp = 1_700_000_000;
    const bk = instance();
    expect(await codeOf(bk.webhooks!.receive(signed(body, { timestamp }), { now: new Date(timestamp * 1000 + 10_000) }))).toBe('ok');
    expect(await codeOf(bk.webhooks!.receive(signed(body, { timestamp }), { now: timestamp * 1000 + 400_000 }))).toBe('webhook_signature_invalid');
  });

  it('verifies before it parses: a bad signature on garbage is a signature error, a good one is malformed', async () => {
    const receive = (request: WebhookRequest) => codeOf(instance().webhooks!.receive(request));
    expect(await receive({ headers: { 'X-Buildkite-Signature': 'timestamp=1,signature=00' }, rawBody: '{"event": "build.fin' })).toBe('webhook_signature_invalid');
    expect(await receive(signed('{"event": "build.fin', { event: 'build.finished' }))).toBe('webhook_malformed');
    expect(await receive(signed('[1,2,3]', { event: 'build.finished' }))).toBe('webhook_malformed');
    expect(await receive(signed('', { event: 'build.finished' }))).toBe('webhook_malformed');
    expect(await receive(signed(JSON.stringify({ event: 'build.finished' })))).toBe('webhook_malformed');
    expect(await receive(signed(JSON.stringify({ event: 'build.finished', build: { number: 1 } })))).toBe('webhook_malformed');
    expect(await receive(signed(JSON.stringify({ sender: {} }), { event: '' }))).toBe('webhook_malformed');
  });

  it('refuses a header event that contradicts the signed body', async () => {
    const body = JSON.stringify(LEGACY_BUILD_FINISHED);
    expect(await codeOf(instance().webhooks!.receive(signed(body, { event: 'agent.connected' })))).toBe('webhook_malformed');
  });

  it('verifies a ping and normalizes it to no events', async () => {
    const delivery = await instance().webhooks!.receive(signed(JSON.stringify(DOCS_PING)));
    expect(delivery.nativeEvent).toBe('ping');
    expect(delivery.events).toEqual([]);
    expect(delivery.deliveryId).toMatch(/^derived-[0-9a-f]{32}$/);
  });

  it('normalizes events of unknown kinds to nothing', async () => {
    const body = JSON.stringify({ event: 'cluster_token.registration_blocked', blocked_ip: '202.188.43.20', sender: DOCS_PING.sender });
    expect((await instance().webhooks!.receive(signed(body))).events).toEqual([]);
  });
});

describe('token scheme (X-Buildkite-Token)', () => {
  const TOKEN = '309c9c842d8565adec5d7469160059f9';
  const instance = () => buildkite.create({ ...CONFIG, webhookToken: TOKEN });
  const body = JSON.stringify(LEGACY_BUILD_FINISHED);
  const receive = (headers: Record<string, string>) => codeOf(instance().webhooks!.receive({ headers: { 'X-Buildkite-Event': 'build.finished', ...headers }, rawBody: body }));

  it('accepts the configured token and refuses a missing or wrong one', async () => {
    expect(await receive({ 'X-Buildkite-Token': TOKEN })).toBe('ok');
    expect(await receive({})).toBe('webhook_signature_invalid');
    expect(await receive({ 'X-Buildkite-Token': `${TOKEN.slice(0, -1)}0` })).toBe('webhook_signature_invalid');
    expect(await receive({ 'X-Buildkite-Token': TOKEN.slice(0, -1) })).toBe('webhook_signature_invalid');
    expect(await receive({ 'X-Buildkite-Token': '' })).toBe('webhook_signature_invalid');
  });

  it('does not take a signature in place of the token', async () => {
    const request = signed(body, { secret: TOKEN });
    expect(await receive(request.headers as Record<string, string>)).toBe('webhook_signature_invalid');
  });

  it('works with the fake in token mode, including its broken deliveries', async () => {
    const fake = createFake({ webhookScheme: 'token' });
    const bk = buildkite.create(fake.config);
    expect(fake.signsTimestamp).toBe(false);
    expect((await bk.webhooks!.receive(fake.webhook('build.finished'))).events).toHaveLength(1);
    for (const signature of ['missing', 'wrong', 'tampered'] as const) {
      expect(await codeOf(bk.webhooks!.receive(fake.webhook('build.finished', { signature })))).toBe('webhook_signature_invalid');
    }
  });
});

describe('credentials', () => {
  const body = JSON.stringify(LEGACY_BUILD_FINISHED);

  it('fails closed with neither webhookSecret nor webhookToken', async () => {
    const bk = buildkite.create(CONFIG);
    expect(await codeOf(bk.webhooks!.receive(signed(body)))).toBe('invalid_config');
    expect(await codeOf(bk.webhooks!.receive({ headers: { 'X-Buildkite-Token': 'x' }, rawBody: body }))).toBe('invalid_config');
  });

  it('requires the signature when both are configured', async () => {
    const bk = buildkite.create({ ...CONFIG, webhookSecret: SECRET, webhookToken: 'token-value-123' });
    expect(await codeOf(bk.webhooks!.receive({ headers: { 'X-Buildkite-Token': 'token-value-123' }, rawBody: body }))).toBe('webhook_signature_invalid');
    expect(await codeOf(bk.webhooks!.receive(signed(body)))).toBe('ok');
  });

  it('resolves a secret reference through the context resolver', async () => {
    const config = { ...CONFIG, webhookSecret: { secretRef: { name: 'buildkite', key: 'webhook' } } };
    const bk = buildkite.create(config, { secrets: staticSecretResolver({ 'buildkite#webhook': SECRET }) });
    expect(await codeOf(bk.webhooks!.receive(signed(body)))).toBe('ok');
    const unresolved = buildkite.create(config);
    expect(await codeOf(unresolved.webhooks!.receive(signed(body)))).toBe('invalid_config');
  });

  it('refuses a request without a raw body', async () => {
    const bk = buildkite.create({ ...CONFIG, webhookSecret: SECRET });
    expect(await codeOf(bk.webhooks!.receive({ headers: {}, rawBody: JSON.parse(body) as never }))).toBe('webhook_malformed');
  });
});

describe('normalized events and dedupe keys', () => {
  it('normalizes job, agent and build events of the fake', async () => {
    const fake = createFake();
    const bk = buildkite.create(fake.config);
    const job = await bk.webhooks!.receive(fake.webhook('job.finished'));
    expect(job.events[0]).toMatchObject({ kind: 'job', change: 'upserted' });
    const jobObject = job.events[0]!.object as ExternalJob;
    expect(jobObject.pipelineRef.scope).toBe('acme/web');
    expect(job.events[0]!.ref.id).toBe(`${jobObject.pipelineRef.id}/${jobObject.external.nativeId}`);
    expect(jobObject.phase).toBe('succeeded');

    const lost = await bk.webhooks!.receive(fake.webhook('agent.lost'));
    expect(lost.events[0]).toMatchObject({ kind: 'runner', ref: { scope: 'acme' } });
    expect((lost.events[0]!.object as ExternalRunner).status).toBe('offline');

    const activated = await bk.webhooks!.receive(fake.webhook('job.activated'));
    expect((activated.events[0]!.object as ExternalJob).phase).toBe('succeeded');
    expect((activated.events[0]!.object as ExternalJob).external.extensions.fields.type).toBe('manual');

    const failing = await bk.webhooks!.receive(fake.webhook('build.failing'));
    expect(failing.events[0]!.object).toMatchObject({ phase: 'running', nativeStatus: 'failing' });
  });

  it('keys a delivery by the change it reports, not by the request id', async () => {
    const fake = createFake();
    const bk = buildkite.create(fake.config);
    const ref = fake.seed.pipeline!('acme/web', { status: 'running' });
    const first = await bk.webhooks!.receive(fake.webhook('build.running', { ref, deliveryId: 'request-1' }));
    // The same change delivered again (another request id) is a duplicate.
    const again = await bk.webhooks!.receive(fake.webhook('build.running', { ref, deliveryId: 'request-2' }));
    expect(again.deliveryId).toBe('request-2');
    expect(again.dedupeKey).toBe(first.dedupeKey);
    // The build finishing is another change.
    fake.updateBuild(ref, { state: 'passed', finishedAt: fake.state.clock.tick() });
    const finished = await bk.webhooks!.receive(fake.webhook('build.finished', { ref }));
    expect(finished.dedupeKey).not.toBe(first.dedupeKey);
    // The same state reported by another event is another delivery.
    const otherEvent = await bk.webhooks!.receive(fake.webhook('build.running', { ref }));
    expect(otherEvent.dedupeKey).not.toBe(finished.dedupeKey);
  });

  it('derives a stable delivery id when Buildkite sends no request id', async () => {
    const fake = createFake();
    const bk = buildkite.create(fake.config);
    const request = fake.webhook('build.finished');
    const headers = { ...(request.headers as Record<string, string>) };
    delete headers['x-buildkite-request'];
    const a = await bk.webhooks!.receive({ headers, rawBody: request.rawBody });
    const b = await bk.webhooks!.receive({ headers, rawBody: request.rawBody });
    expect(a.deliveryId).toMatch(/^derived-/);
    expect(a.deliveryId).toBe(b.deliveryId);
    expect(a.dedupeKey).toBe(b.dedupeKey);
  });

  it('never shows the webhook secret in errors or deliveries', async () => {
    const fake = createFake();
    const bk = buildkite.create(fake.config);
    const delivery = await bk.webhooks!.receive(fake.webhook('build.finished'));
    let error: unknown;
    try {
      await bk.webhooks!.receive(fake.webhook('build.finished', { signature: 'wrong' }));
    } catch (e) {
      error = e;
    }
    const text = `${JSON.stringify(delivery)} ${JSON.stringify(error)} ${String((error as Error).message)} ${String((error as ProviderError).hint)}`;
    for (const secret of fake.secrets) expect(text).not.toContain(secret);
  });
});
