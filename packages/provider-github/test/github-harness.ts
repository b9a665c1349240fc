import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createGitHubProvider, type GitHubConfigInput } from '../src/index.js';
import type { RecordedRequest } from '@krate/contract-tests/kit';
import { ProviderError, type PluginContext, type ProviderInstance } from '@krate/core';
import { createFake, type GitHubFake } from '../src/testing/index.js';

/** One MSW server per test file; unhandled requests are errors, so nothing reaches a real host. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export interface Harness {
  fake: GitHubFake;
  instance: ProviderInstance;
  /** Requests the fake answered (API requests, not app-auth ones). */
  apiRequests(): readonly RecordedRequest[];
  tokenRequests(): number;
  lookups(): number;
}

/** A fresh fake with its handlers installed and an instance pointed at it. */
export function harness(
  server: ReturnType<typeof setupServer>,
  options: { baseUrl?: string; config?: Partial<GitHubConfigInput>; context?: PluginContext } = {},
): Harness {
  const fake = createFake(options.baseUrl ? { baseUrl: options.baseUrl } : {});
  server.use(...fake.handlers);
  const instance = createGitHubProvider({ ...fake.config, ...options.config } as GitHubConfigInput, options.context ?? fake.context);
  return {
    fake,
    instance,
    apiRequests: () => fake.requests,
    tokenRequests: () => fake.authRequests.filter((r) => r.method === 'POST' && r.path.endsWith('/access_tokens')).length,
    lookups: () => fake.authRequests.filter((r) => r.method === 'GET' && r.path.endsWith('/installation')).length,
  };
}

/** The ProviderError a call fails with; fails the test when the call succeeds or throws anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(ProviderError.isInstance(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the call to fail');
}
