import { describe, expect, it } from 'vitest';
import { ProviderError } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '../../src/index.js';
import plugin from '../fixtures/reference-provider/index.js';
import { createFake } from '../fixtures/reference-provider/testing.js';

describe('the shared test harness', () => {
  const server = useFakeServer();

  it('serves a fresh fake and points an instance at it', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const scope = fake.scopes.issueTracking!;
    fake.seed.issue!(scope, { title: 'seeded by the harness test' });
    const page = await instance.issueTracking!.listIssues(scope);
    expect(page.items.map((i) => i.title)).toEqual(['seeded by the harness test']);
    expect(fake.requests).toHaveLength(1);
  });

  it('errorOf returns the ProviderError and fails on success', async () => {
    const error = await errorOf(Promise.reject(new ProviderError({ code: 'not_found', message: 'gone', provider: 'x' })));
    expect(error.code).toBe('not_found');
    await expect(errorOf(Promise.resolve(1))).rejects.toThrow('expected the call to fail');
  });
});
