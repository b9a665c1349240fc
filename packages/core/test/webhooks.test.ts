import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeHmac, getHeader, parseWebhookJson, ProviderError, rawBodyText, requireWebhookSecret, safeEqual, verifyHmac,
  verifyTimestamp, webhookDedupeKey,
} from '../src/index.js';

const secret = "It's a Secret to Everybody";
const payload = 'Hello, World!';
// The example from GitHub's "Validating webhook deliveries" documentation.
const GITHUB_EXAMPLE = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    return ProviderError.isInstance(error) ? error.code : 'not a ProviderError';
  }
  return undefined;
}

describe('computeHmac', () => {
  it('matches the documented GitHub example and node:crypto in hex and base64', () => {
    expect(computeHmac('sha256', secret, payload, 'hex')).toBe(GITHUB_EXAMPLE);
    expect(computeHmac('sha256', secret, new TextEncoder().encode(payload), 'hex')).toBe(GITHUB_EXAMPLE);
    expect(computeHmac('sha256', secret, payload, 'base64')).toBe(Buffer.from(GITHUB_EXAMPLE, 'hex').toString('base64'));
    expect(computeHmac('sha1', 'k', 'p', 'hex')).toBe(createHmac('sha1', 'k').update('p').digest('hex'));
  });
});

describe('safeEqual', () => {
  it('compares strings, including different lengths, without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('é', 'e')).toBe(false);
    expect(safeEqual(undefined as unknown as string, 'a')).toBe(false);
  });
});

describe('verifyHmac', () => {
  it('accepts a valid hex signature with a prefix (GitHub X-Hub-Signature-256)', () => {
    expect(() => verifyHmac({ secret, payload, signature: `sha256=${GITHUB_EXAMPLE}`, prefix: 'sha256=' })).not.toThrow();
    expect(() => verifyHmac({ secret, payload, signature: `sha256=${GITHUB_EXAMPLE.toUpperCase()}`, prefix: 'sha256=' })).not.toThrow();
  });

  it('accepts a valid base64 signature over bytes (sha1 too)', () => {
    const bytes = new TextEncoder().encode('{"event":"build.finished"}');
    const signature = createHmac('sha1', 'bk-secret').update(bytes).digest('base64');
    expect(() => verifyHmac({ secret: 'bk-secret', payload: bytes, signature, algorithm: 'sha1', encoding: 'base64' })).not.toThrow();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without its prefix', GITHUB_EXAMPLE],
    ['of another length', `sha256=${GITHUB_EXAMPLE.slice(2)}`],
    ['longer', `sha256=${GITHUB_EXAMPLE}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['wrong', `sha256=${'0'.repeat(64)}`],
    ['for a tampered payload', `sha256=${computeHmac('sha256', secret, `${payload}!`, 'hex')}`],
    ['made with another secret', `sha256=${computeHmac('sha256', 'other', payload, 'hex')}`],
    ['a sha1 digest where sha256 is expected', `sha256=${computeHmac('sha1', secret, payload, 'hex')}`],
  ])('refuses a signature that is %s', (_label, signature) => {
    expect(codeOf(() => verifyHmac({ secret, payload, signature, prefix: 'sha256=', provider: 'github' }))).toBe('webhook_signature_invalid');
  });

  it('refuses garbled base64', () => {
    expect(codeOf(() => verifyHmac({ secret, payload, signature: '!!!not base64!!!', encoding: 'base64' }))).toBe('webhook_signature_invalid');
    const short = Buffer.from('abc').toString('base64');
    expect(codeOf(() => verifyHmac({ secret, payload, signature: short, encoding: 'base64' }))).toBe('webhook_signature_invalid');
  });

  it('fails closed on a missing or empty secret, even with a signature that would match an empty key', () => {
    const emptyKeySignature = computeHmac('sha256', '', payload, 'hex');
    expect(codeOf(() => verifyHmac({ secret: '', payload, signature: emptyKeySignature }))).toBe('invalid_config');
    expect(codeOf(() => verifyHmac({ secret: undefined, payload, signature: emptyKeySignature }))).toBe('invalid_config');
    expect(codeOf(() => verifyHmac({ secret: undefined, payload, signature: undefined }))).toBe('invalid_config');
  });

  it('never puts the secret or the expected digest in the error', () => {
    const error = (() => {
      try {
        verifyHmac({ secret: 'super-secret-value-xyz', payload, signature: `sha256=${'0'.repeat(64)}`, prefix: 'sha256=' });
      } catch (e) {
        return e as Error;
      }
    })();
    const expected = computeHmac('sha256', 'super-secret-value-xyz', payload, 'hex');
    expect(JSON.stringify(error)).not.toContain('super-secret-value-xyz');
    expect(error?.message).not.toContain(expected);
  });

  it('property: a signature verifies for its own payload and secret, and not after any change to the payload', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (key, body, at) => {
        const signature = computeHmac('sha256', key, body, 'hex');
        verifyHmac({ secret: key, payload: body, signature });
        const tampered = Uint8Array.from(body);
        const i = at % tampered.length;
        tampered[i] = (tampered[i]! + 1) % 256;
        expect(codeOf(() => verifyHmac({ secret: key, payload: tampered, signature }))).toBe('webhook_signature_invalid');
      }),
      { numRuns: 200 },
    );
  });
});

describe('verifyTimestamp', () => {
  const now = Date.parse('2026-05-11T12:00:00Z');
  const seconds = now / 1000;

  it('accepts a timestamp within the tolerance either way', () => {
    expect(() => verifyTimestamp(seconds, { now })).not.toThrow();
    expect(() => verifyTimestamp(String(seconds - 300), { now })).not.toThrow();
    expect(() => verifyTimestamp(String(seconds + 300), { now: new Date(now) })).not.toThrow();
    expect(() => verifyTimestamp(now - 1000, { now, unit: 'ms' })).not.toThrow();
  });

  it('refuses a stale timestamp', () => {
    expect(codeOf(() => verifyTimestamp(seconds - 301, { now }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyTimestamp(seconds - 61, { now, toleranceSeconds: 60 }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyTimestamp(now - 301_000, { now, unit: 'ms' }))).toBe('webhook_signature_invalid');
  });

  it('refuses a timestamp in the future beyond the tolerance', () => {
    expect(codeOf(() => verifyTimestamp(seconds + 301, { now }))).toBe('webhook_signature_invalid');
  });

  it('refuses a missing or unreadable timestamp', () => {
    for (const value of [undefined, '', 'yesterday', '12e3', Number.NaN]) {
      expect(codeOf(() => verifyTimestamp(value as string | undefined, { now }))).toBe('webhook_signature_invalid');
    }
  });
});

describe('requireWebhookSecret', () => {
  it('returns the secret and refuses an empty one', () => {
    expect(requireWebhookSecret('wh-secret-1', 'gitlab')).toBe('wh-secret-1');
    expect(() => requireWebhookSecret('', 'gitlab')).toThrow(expect.objectContaining({ code: 'invalid_config', provider: 'gitlab' }));
    expect(() => requireWebhookSecret(undefined, 'gitlab')).toThrow(ProviderError);
  });
});

describe('webhookDedupeKey', () => {
  const parts = { provider: 'github', deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', event: 'issues', installationId: '42' };

  it('is stable and prefixed with the provider', () => {
    const key = webhookDedupeKey(parts);
    expect(key).toMatch(/^github:[0-9a-f]{64}$/);
    expect(webhookDedupeKey({ ...parts })).toBe(key);
    expect(webhookDedupeKey({ installationId: '42', event: 'issues', deliveryId: parts.deliveryId, provider: 'github' })).toBe(key);
  });

  it('differs when any part differs, and parts cannot run into each other', () => {
    const key = webhookDedupeKey(parts);
    expect(webhookDedupeKey({ ...parts, deliveryId: 'other' })).not.toBe(key);
    expect(webhookDedupeKey({ ...parts, event: 'pull_request' })).not.toBe(key);
    expect(webhookDedupeKey({ ...parts, installationId: undefined })).not.toBe(key);
    expect(webhookDedupeKey({ provider: 'x', deliveryId: 'a:b', event: 'c' })).not.toBe(webhookDedupeKey({ provider: 'x', deliveryId: 'a', event: 'b:c' }));
  });

  it('property: equal parts give equal keys, different delivery ids different keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, event) => {
        const ka = webhookDedupeKey({ provider: 'p', deliveryId: a, event });
        expect(webhookDedupeKey({ provider: 'p', deliveryId: a, event })).toBe(ka);
        if (a !== b) expect(webhookDedupeKey({ provider: 'p', deliveryId: b, event })).not.toBe(ka);
      }),
    );
  });
});

describe('headers and bodies', () => {
  it('getHeader is case-insensitive and takes the first value of a repeated header', () => {
    expect(getHeader({ 'X-GitHub-Event': 'issues' }, 'x-github-event')).toBe('issues');
    expect(getHeader({ 'x-gitlab-token': ['one', 'two'] }, 'X-Gitlab-Token')).toBe('one');
    expect(getHeader({ other: 'x' }, 'x-github-event')).toBeUndefined();
    expect(getHeader(new Headers({ 'X-Buildkite-Event': 'build.finished' }), 'x-buildkite-event')).toBe('build.finished');
    expect(getHeader(new Headers(), 'x')).toBeUndefined();
  });

  it('rawBodyText decodes bytes as UTF-8', () => {
    expect(rawBodyText(new TextEncoder().encode('{"title":"ünïcode"}'))).toBe('{"title":"ünïcode"}');
    expect(rawBodyText('as is')).toBe('as is');
  });

  it('parseWebhookJson parses an object and refuses the rest with webhook_malformed', () => {
    expect(parseWebhookJson('{"action":"opened"}', 'github')).toEqual({ action: 'opened' });
    expect(parseWebhookJson(new TextEncoder().encode('{"a":1}'), 'github')).toEqual({ a: 1 });
    for (const bad of ['{"action":"op', '', '   ', 'null', '[1,2]', '"text"', '42', 'not json']) {
      expect(codeOf(() => parseWebhookJson(bad, 'github'))).toBe('webhook_malformed');
    }
  });

  it('a malformed body error does not quote the body', () => {
    let message = '';
    try {
      parseWebhookJson('{"token":"ghp_leakyleakyleakyleaky123', 'github');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('not valid JSON');
    expect(message).not.toContain('leaky');
  });
});
