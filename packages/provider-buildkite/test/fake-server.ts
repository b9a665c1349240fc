import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { PluginContext, ProviderInstance } from '@krate/core';
import buildkite from '../src/index.js';
import { createFake, type BuildkiteFake, type BuildkiteFakeOptions } from '../src/testing/index.js';

/** One MSW server for a test file; no request may leave it. */
export function useServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A fresh fake served by `server` and an instance pointed at it. */
export function setup(server: ReturnType<typeof setupServer>, options: BuildkiteFakeOptions = {}, context: PluginContext = {}): { fake: BuildkiteFake; bk: ProviderInstance } {
  const fake = createFake(options);
  server.use(...fake.handlers);
  const bk = buildkite.create(fake.config, context);
  return { fake, bk };
}
