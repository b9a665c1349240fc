import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ProviderError, decodeStandardWebhookSecret, signStandardWebhook, verifyStandardWebhook } from '../src/index.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const other = `whsec_${randomBytes(32).toString('base64')}`;
const payload = JSON.stringify({ object_kind: 'issue', title: 'héllo ✓' });
const now = new Date('2026-03-01T12:00:00Z');
const ts = Math.floor(now.getTime() / 1000);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return ProviderError.isInstance(error) ? error.code : `not a ProviderError: ${String(error)}`;
  }
  return undefined;
}

describe('Standard Webhooks verifier', () => {
  it('signs exactly as the standardwebhooks reference library', () => {
    const reference = new Webhook(secret).sign('msg_1', now, payload);
    expect(signStandardWebhook({ secret, id: 'msg_1', timestamp: now, payload })).toBe(reference);
  });

  it('accepts a signature made by the reference library, for string and byte bodies', () => {
    const signature = new Webhook(secret).sign('msg_2', now, payload);
    const headers = { id: 'msg_2', timestamp: String(ts), signature };
    expect(verifyStandardWebhook({ secret, payload, ...headers, now })).toEqual({ id: 'msg_2', timestamp: ts });
    expect(verifyStandardWebhook({ secret, payload: Buffer.from(payload), ...headers, now }).id).toBe('msg_2');
    // And the reference library accepts what we sign.
    // The reference library checks against the real clock, so this pair is signed now.
    const realNow = Math.floor(Date.now() / 1000);
    const ours = signStandardWebhook({ secret, id: 'msg_3', timestamp: realNow, payload });
    const wh = new Webhook(secret);
    expect(() => wh.verify(payload, { 'webhook-id': 'msg_3', 'webhook-timestamp': String(realNow), 'webhook-signature': ours })).not.toThrow();
  });

  it('accepts any one of several signatures (sender rotating its secret) and any one of several secrets (receiver rotating)', () => {
    const good = signStandardWebhook({ secret, id: 'm', timestamp: ts, payload });
    const stale = signStandardWebhook({ secret: other, id: 'm', timestamp: ts, payload });
    expect(verifyStandardWebhook({ secret, payload, id: 'm', timestamp: String(ts), signature: `${stale} ${good}`, now }).id).toBe('m');
    expect(verifyStandardWebhook({ secret: [other, secret], payload, id: 'm', timestamp: String(ts), signature: good, now }).id).toBe('m');
  });

  it('refuses wrong secrets, tampered bodies, other ids, stale and future timestamps, and missing headers', () => {
    const signature = signStandardWebhook({ secret, id: 'm', timestamp: ts, payload });
    const base = { secret, payload, id: 'm', timestamp: String(ts), signature, now };
    expect(codeOf(() => verifyStandardWebhook({ ...base, secret: other }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, payload: payload.replace('issue', 'issuf') }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, id: 'n' }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, now: new Date(now.getTime() + 301_000) }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, now: new Date(now.getTime() - 301_000) }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, now: new Date(now.getTime() + 299_000) }))).toBeUndefined();
    expect(codeOf(() => verifyStandardWebhook({ ...base, signature: undefined }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, timestamp: undefined }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, id: undefined }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, signature: signature.replace('v1,', 'v2,') }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyStandardWebhook({ ...base, signature: 'v1,not-base64!!' }))).toBe('webhook_signature_invalid');
  });

  it('never verifies without a secret, and rejects a secret that is not base64', () => {
    expect(codeOf(() => verifyStandardWebhook({ secret: undefined, payload, id: 'm', timestamp: String(ts), signature: 'v1,xx', now }))).toBe('invalid_config');
    expect(codeOf(() => verifyStandardWebhook({ secret: [''], payload, id: 'm', timestamp: String(ts), signature: 'v1,xx', now }))).toBe('invalid_config');
    expect(codeOf(() => decodeStandardWebhookSecret('whsec_***'))).toBe('invalid_config');
    expect(decodeStandardWebhookSecret(secret)).toHaveLength(32);
  });
});
