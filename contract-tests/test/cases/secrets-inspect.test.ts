import { ProviderError } from '@krate/core';
import { describe, expect, it } from 'vitest';
import { inspectSecretLeaks } from '../../src/cases/secrets-inspect.js';

const secret = 'inspect-scan-secret-value';
const ctxWith = (errors: unknown[]) => ({ fake: { secrets: [secret] }, observed: { errors, values: [] } }) as never;

describe('inspectSecretLeaks', () => {
  it('finds a secret that only util.inspect prints (a raw cause)', () => {
    const raw = new Error('outer');
    Object.defineProperty(raw, 'cause', { value: { request: { headers: { authorization: `token ${secret}` } } }, enumerable: false });
    const leaks = inspectSecretLeaks(ctxWith([raw]));
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks.join(' ')).not.toContain(secret);
  });

  it('a ProviderError keeps a sanitized cause, so nothing is found', () => {
    const cause = Object.assign(new Error('upstream said no'), { request: { headers: { authorization: `token ${secret}` } } });
    const error = new ProviderError({ code: 'unauthenticated', message: 'refused', cause });
    expect(inspectSecretLeaks(ctxWith([error]))).toEqual([]);
  });
});
