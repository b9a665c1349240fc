import { createHmac } from 'node:crypto';
import { ProviderError, getHeader, type WebhookDelivery, type WebhookRequest } from '@krate/core';
import { describe, expect, it } from 'vitest';
import { fuzzProblems, fuzzWebhooks, percentile, probeBase, seededRandom, type FuzzBase } from '../../src/cases/fuzz.js';

const SECRET = 'fuzz-test-secret';

function signed(body: string, id = 'd-1'): WebhookRequest {
  const sig = createHmac('sha256', SECRET).update(body).digest('hex');
  return { headers: { 'x-sig': `sha256=${sig}`, 'x-event': 'thing', 'x-id': id, 'content-type': 'application/json' }, rawBody: body };
}

const delivery = (id: string): WebhookDelivery =>
  ({ provider: 'p', deliveryId: id, dedupeKey: `p:${id}`, nativeEvent: 'thing', receivedAt: '2026-01-01T00:00:00.000Z', events: [] }) as unknown as WebhookDelivery;

/** A careful receiver: verifies over the exact bytes, refuses anything else with typed errors. */
async function careful(request: WebhookRequest): Promise<WebhookDelivery> {
  const refuse = (code: 'webhook_signature_invalid' | 'webhook_malformed') => new ProviderError({ code, message: code });
  if (!request || typeof request !== 'object' || !request.headers || typeof request.headers !== 'object') throw refuse('webhook_malformed');
  const { rawBody } = request;
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) throw refuse('webhook_malformed');
  if (rawBody.length > 25 * 1024 * 1024) throw refuse('webhook_malformed');
  const sig = getHeader(request.headers, 'x-sig');
  const expected = `sha256=${createHmac('sha256', SECRET).update(rawBody).digest('hex')}`;
  if (sig !== expected) throw refuse('webhook_signature_invalid');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw refuse('webhook_malformed');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse('webhook_malformed');
  return delivery(getHeader(request.headers, 'x-id') ?? 'none');
}

async function basesFor(receive: (r: WebhookRequest) => Promise<WebhookDelivery>): Promise<FuzzBase[]> {
  const body = JSON.stringify({ action: 'opened', thing: { id: 1, title: 'hello' } });
  const valid = signed(body);
  const unsigned = { headers: { ...(valid.headers as Record<string, string>) }, rawBody: body };
  delete (unsigned.headers as Record<string, string>)['x-sig'];
  return [await probeBase(receive, valid, unsigned, signed(body.slice(0, 10)))];
}

describe('webhook fuzz', () => {
  it('the PRNG is deterministic per seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });

  it('a careful receiver passes: every mutation refused with a typed error, copies accepted', async () => {
    const bases = await basesFor(careful);
    expect(bases[0]!.requiredSignatureHeaders).toEqual(['x-sig']);
    expect(bases[0]!.bodyBound).toBe(true);
    const report = await fuzzWebhooks({ receive: careful, bases, count: 300, seed: 3 });
    expect(fuzzProblems(report)).toEqual([]);
    expect(report.same).toBeGreaterThan(0);
    expect(report.refused.webhook_signature_invalid).toBeGreaterThan(100);
    expect(percentile(report.timesMs, 99)).toBeLessThan(5_000);
  });

  it('finds a receiver that accepts without verifying', async () => {
    const sloppy = async (request: WebhookRequest) => delivery(getHeader(request.headers, 'x-id') ?? 'x');
    const bases = await basesFor(careful);
    const report = await fuzzWebhooks({ receive: sloppy, bases, count: 100, seed: 3 });
    expect(report.accepted.length).toBeGreaterThan(20);
  });

  it('finds a receiver that crashes on non-string headers', async () => {
    const crashing = async (request: WebhookRequest) => {
      const value = (request.headers as Record<string, unknown>)['x-sig'];
      (value as string).trim();
      return careful(request);
    };
    const bases = await basesFor(careful);
    const report = await fuzzWebhooks({ receive: crashing, bases, count: 200, seed: 3 });
    expect(report.untyped.some((f) => f.kind === 'sig-nonstring' || f.kind === 'sig-remove')).toBe(true);
  });

  it('finds a receiver that pollutes Object.prototype', async () => {
    const polluting = async (request: WebhookRequest) => {
      try {
        const target: Record<string, unknown> = {};
        const parsed = JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as Record<string, unknown>;
        // A naive deep merge: the classic prototype pollution.
        const merge = (to: Record<string, unknown>, from: Record<string, unknown>) => {
          for (const key of Object.keys(from)) {
            const v = from[key];
            if (v && typeof v === 'object') merge((to[key] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
            else to[key] = v;
          }
        };
        merge(target, parsed);
      } catch {
        // ignore
      }
      return careful(request);
    };
    const bases = await basesFor(careful);
    const report = await fuzzWebhooks({ receive: polluting, bases, count: 300, seed: 3 });
    expect(report.other.some((f) => /polluted/.test(f.problem))).toBe(true);
    expect(({} as Record<string, unknown>).krateFuzzPolluted).toBeUndefined();
  });

  it('a copy normalized differently is a finding', async () => {
    let n = 0;
    const drifting = async (request: WebhookRequest) => {
      const d = await careful(request);
      return { ...d, deliveryId: `drift-${n++}` } as WebhookDelivery;
    };
    const bases = await basesFor(careful);
    const report = await fuzzWebhooks({ receive: drifting, bases, count: 100, seed: 3 });
    expect(report.other.some((f) => /normalized differently/.test(f.problem))).toBe(true);
  });
});
