import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '@krate/core';
import { startProvider, useFakeServer } from '@krate/contract-tests';
import buildkite from '../src/index.js';
import { agentStatus, buildPhase, jobPhase } from '../src/shared/buildkite-states.js';
import { buildkiteRetryAfterMs } from '../src/buildkite-errors.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();
const setup = (s: typeof server) => {
  const { fake, instance } = startProvider(s, buildkite, createFake);
  return { fake, bk: instance };
};
const API = 'https://api.buildkite.com/v2';

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

function configError(config: Record<string, unknown>, context?: Record<string, unknown>): ProviderError {
  try {
    buildkite.create({ apiToken: 'bkua_0123456789abcdef0123', organization: 'acme', ...config } as never, context as never);
  } catch (error) {
    expect(ProviderError.isInstance(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('states are read without the prototype and never crash', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('state %s is unknown', (state) => {
    expect(buildPhase(state)).toEqual({ phase: 'unknown' });
    expect(jobPhase(state)).toEqual({ phase: 'unknown' });
  });

  it.each([42, {}, [], true, Symbol.iterator])('a state that is not a string (%s) is unknown', (state) => {
    expect(buildPhase(state as never)).toEqual({ phase: 'unknown' });
    expect(jobPhase(state as never)).toEqual({ phase: 'unknown' });
    expect(agentStatus(state as never, false)).toBe('unknown');
  });

  it('known states still map', () => {
    expect(buildPhase('PASSED')).toMatchObject({ phase: 'succeeded' });
    expect(jobPhase('running')).toMatchObject({ phase: 'running' });
  });

  it('a build whose state is a number from the API is a pipeline with phase unknown', async () => {
    const { fake, bk } = setup(server);
    const ref = fake.seed.pipeline!('acme/web', {});
    server.use(
      http.get(`${API}/organizations/acme/pipelines/web/builds/:n`, () => {
        return HttpResponse.json({
          id: '01900000-0000-4000-8000-000000000001', number: Number(ref.id), state: 42, blocked: false, message: 'x', commit: 'a'.repeat(40),
          branch: 'main', url: `${API}/organizations/acme/pipelines/web/builds/${ref.id}`, web_url: `https://buildkite.com/acme/web/builds/${ref.id}`,
          created_at: '2026-01-01T00:00:00.000Z', scheduled_at: null, started_at: null, finished_at: null, jobs: [],
          pipeline: { slug: 'web', name: 'Web' }, creator: null, source: 'api', env: {}, meta_data: {},
        });
      }),
    );
    const outcome = await bk.cicd!.getPipeline(ref).then(
      (p) => ({ p }),
      (e: unknown) => ({ e }),
    );
    if ('e' in outcome) {
      expect(ProviderError.isInstance(outcome.e)).toBe(true);
      expect((outcome.e as ProviderError).message).not.toMatch(/unexpected error/);
    } else {
      expect(JSON.stringify(outcome.p)).toContain('"unknown"');
    }
  });
});

describe('body timeouts and Retry-After', () => {
  it('a body that stalls past timeoutMs is a timeout, not upstream_unavailable', async () => {
    const { fake } = setup(server);
    const ref = fake.seed.pipeline!('acme/web', {});
    const bk = buildkite.create({ ...fake.config, timeoutMs: 150, retry: { maxRetries: 0 } });
    server.use(
      http.get(`${API}/organizations/acme/pipelines/web/builds/:n`, () => {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":'));
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const error = await failure(bk.cicd!.getPipeline(ref));
    expect(error.code).toBe('timeout');
  });

  it('an HTTP-date Retry-After is honoured', () => {
    const now = Date.parse('2026-05-11T12:00:00.000Z');
    const headers = new Headers({ 'retry-after': new Date(now + 42_000).toUTCString() });
    expect(buildkiteRetryAfterMs(headers, undefined, now)).toBe(42_000);
    expect(buildkiteRetryAfterMs(new Headers({ 'retry-after': '7' }), undefined, now)).toBe(7_000);
  });
});

describe('ambiguous write outcomes', () => {
  it('a rebuild answered 502 is not retryable (it may have created a build)', async () => {
    const { fake, bk } = setup(server);
    const ref = fake.seed.pipeline!('acme/web', { status: 'failed' });
    fake.faults.serverError({ method: 'PUT', times: Infinity });
    const error = await failure(bk.cicd!.rerunPipeline(ref));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(false);
    expect(error.hint).toMatch(/may have/);
  });

  it('a rebuild whose answer body is cut is not retryable either', async () => {
    const { fake, bk } = setup(server);
    const ref = fake.seed.pipeline!('acme/web', { status: 'failed' });
    fake.faults.malformed({ method: 'PUT', times: Infinity });
    const error = await failure(bk.cicd!.rerunPipeline(ref));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(false);
  });

  it('a cancel answered 504 stays retryable (cancel is idempotent)', async () => {
    const { fake, bk } = setup(server);
    const ref = fake.seed.pipeline!('acme/web', { status: 'running' });
    fake.faults.serverError({ method: 'PUT', status: 504, times: Infinity });
    const error = await failure(bk.cicd!.cancelPipeline(ref));
    expect(error.retryable).toBe(true);
  });
});

describe('webhook headers that are not strings', () => {
  it.each([
    ['x-buildkite-signature', null],
    ['x-buildkite-signature', [42]],
    ['x-buildkite-signature', { a: 1 }],
    ['x-buildkite-event', null],
    ['x-buildkite-request', 7],
  ])('%s = %j is a typed refusal, never a crash', async (name, value) => {
    const { fake, bk } = setup(server);
    const request = fake.webhook('build.finished', { now: new Date() });
    const headers = { ...(request.headers as Record<string, unknown>), [name]: value };
    const outcome = await bk.webhooks!.receive({ headers: headers as never, rawBody: request.rawBody }).then(
      (d) => ({ d }),
      (e: unknown) => ({ e }),
    );
    if ('e' in outcome) {
      expect(ProviderError.isInstance(outcome.e)).toBe(true);
      expect(['webhook_signature_invalid', 'webhook_malformed']).toContain((outcome.e as ProviderError).code);
    } else {
      // A missing request id or event is tolerated only where the delivery still verifies.
      expect(name).not.toBe('x-buildkite-signature');
    }
  });
});

describe('configuration that can never work is refused at construction', () => {
  it.each([
    [{ timeoutMs: 2 ** 31 }, /timeoutMs/],
    [{ retry: { maxRetryAfterMs: 2 ** 40 } }, /maxRetryAfterMs/],
    [{ baseUrl: 'https://user:pass@bk.example.com/v2' }, /user:password/],
    [{ baseUrl: 'https://bk.example.com/v2?x=1' }, /query/],
    [{ baseUrl: 'https://bk.example.com/v2#x' }, /fragment/],
    [{ apiToken: 'bkua_abc\r\ndef0123456789' }, /control characters/],
  ])('%j', (config, message) => {
    const error = configError(config);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(message);
    expect(inspect(error)).not.toContain('pass@');
  });

  it('refuses a fetch that is not a function', () => {
    expect(configError({}, { fetch: 'fetch' }).code).toBe('invalid_config');
  });
});
