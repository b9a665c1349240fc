import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ProviderError, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import type { CreateFakeOptions, FakeBackend } from '../kit/types.js';

/**
 * One MSW server for a test file, listening with `onUnhandledRequest: 'error'` (nothing
 * reaches a real host); handlers are reset after each test and the server closed after
 * the file. Do not use it in the same file as `describeProviderContract`, which starts its own.
 */
export function useFakeServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export interface ProviderHarness<Fake extends FakeBackend<Config>, Config> {
  fake: Fake;
  instance: ProviderInstance;
}

export interface ProviderHarnessOptions<Config, FakeOptions> {
  /** Options for `createFake` (the base URL, provider-specific fake settings). */
  fake?: FakeOptions;
  /** Settings merged over the fake's own config. */
  config?: Partial<Config>;
  /** The plugin context; the fake's own context by default. */
  context?: PluginContext;
}

/**
 * A fresh fake with its handlers installed on `server`, and a provider instance pointed at it.
 *
 * @example
 * const server = useFakeServer();
 * it('lists', async () => {
 *   const { fake, instance } = startProvider(server, plugin, createFake);
 *   fake.seed.issue!(fake.scopes.issueTracking!, { title: 'a' });
 *   expect((await instance.issueTracking!.listIssues(fake.scopes.issueTracking!)).items).toHaveLength(1);
 * });
 */
export function startProvider<Config, Fake extends FakeBackend<Config>, FakeOptions extends CreateFakeOptions = CreateFakeOptions>(
  server: SetupServer,
  plugin: ProviderPlugin<Config>,
  createFake: (options?: FakeOptions) => Fake,
  options: ProviderHarnessOptions<Config, FakeOptions> = {},
): ProviderHarness<Fake, Config> {
  const fake = createFake(options.fake);
  server.use(...fake.handlers);
  const config = options.config ? ({ ...(fake.config as object), ...options.config } as Config) : fake.config;
  const instance = plugin.create(config, options.context ?? fake.context);
  return { fake, instance };
}

/** The ProviderError a call fails with; fails the test when the call succeeds or throws anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(ProviderError.isInstance(error), `expected a ProviderError, got ${String(error)}`).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the call to fail');
}
