import { describe, expect, it } from 'vitest';
import { SecretInputSchema, createSecretRedactor, resolveSecret, secretAccessor, staticSecretResolver } from '../src/index.js';

const options = { provider: 'github', setting: 'token' };

describe('resolveSecret', () => {
  it('returns a plain value and adds it to the redactor', async () => {
    const value = 'plain-token-value-1234';
    const redactor = createSecretRedactor();
    await expect(resolveSecret(value, { ...options, redactor })).resolves.toBe(value);
    expect(redactor.redact(`header ${value}`)).toBe('header [REDACTED]');
  });

  it('resolves a reference through the resolver and registers the result', async () => {
    const resolver = staticSecretResolver({ 'gh-app#privateKey': 'resolved-secret-value-5678' });
    const redactor = createSecretRedactor();
    const value = await resolveSecret({ secretRef: { name: 'gh-app', key: 'privateKey' } }, { ...options, resolver, redactor });
    expect(value).toBe('resolved-secret-value-5678');
    expect(redactor.redact('resolved-secret-value-5678')).toBe('[REDACTED]');
  });

  it('a missing setting is invalid_config naming the setting', async () => {
    await expect(resolveSecret(undefined, options)).rejects.toMatchObject({
      code: 'invalid_config',
      message: '[krate] [github] missing required setting "token"',
    });
    await expect(resolveSecret('', options)).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('a reference without a resolver is invalid_config naming the reference', async () => {
    await expect(resolveSecret({ secretRef: { name: 'gh', key: 'token', namespace: 'krate' } }, options)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('krate/gh#token'),
    });
  });

  it('a reference that resolves to nothing is invalid_config naming the reference', async () => {
    const resolver = { resolve: () => '' };
    await expect(resolveSecret({ secretRef: { name: 'gh' } }, { ...options, resolver })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/gh.*resolved to nothing/),
    });
  });

  it('a resolver failure is invalid_config that names the reference, not the value, and keeps the cause hidden', async () => {
    const leaked = 'leaked-secret-in-resolver-error';
    const resolver = {
      resolve: () => {
        throw new Error(`vault said: ${leaked}`);
      },
    };
    const error = await resolveSecret({ secretRef: { name: 'vault-path', key: 'k' } }, { ...options, resolver }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('vault-path#k') });
    expect(JSON.stringify(error)).not.toContain(leaked);
    expect(String((error as Error).message)).not.toContain(leaked);
    expect(Object.keys(error as object)).not.toContain('cause');
  });
});

describe('secretAccessor', () => {
  it('resolves once and memoizes', async () => {
    let calls = 0;
    const get = secretAccessor({ secretRef: { name: 'x' } }, { ...options, resolver: { resolve: () => `memo-value-${++calls}` } });
    expect(await get()).toBe('memo-value-1');
    expect(await get()).toBe('memo-value-1');
    expect(calls).toBe(1);
  });

  it('retries after a failure', async () => {
    let calls = 0;
    const get = secretAccessor({ secretRef: { name: 'x' } }, { ...options, resolver: { resolve: () => (++calls === 1 ? undefined : 'second-value') } });
    await expect(get()).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(get()).resolves.toBe('second-value');
  });
});

describe('SecretInputSchema', () => {
  it('accepts a value or a reference and refuses the rest', () => {
    expect(SecretInputSchema.safeParse('x').success).toBe(true);
    expect(SecretInputSchema.safeParse({ secretRef: { name: 'n', key: 'k' } }).success).toBe(true);
    expect(SecretInputSchema.safeParse('').success).toBe(false);
    expect(SecretInputSchema.safeParse({ secretRef: { name: '' } }).success).toBe(false);
    expect(SecretInputSchema.safeParse({ secretRef: { name: 'n', other: 1 } }).success).toBe(false);
  });

  it('staticSecretResolver looks up name#key, then name', () => {
    const resolver = staticSecretResolver({ 'a#k': 'one', a: 'two' });
    expect(resolver.resolve({ name: 'a', key: 'k' })).toBe('one');
    expect(resolver.resolve({ name: 'a' })).toBe('two');
    expect(resolver.resolve({ name: 'b' })).toBeUndefined();
  });
});
