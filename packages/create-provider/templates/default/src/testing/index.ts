/**
 * The `./testing` entry: a stateful MSW fake of the __DISPLAY_NAME__ API for the contract
 * suite and for tests of code that uses this provider.
 */
export { DEFAULT_BASE_URL, createFake } from './__PROVIDER_TYPE__-fake.js';
export type { __PASCAL__FakeState } from './__PROVIDER_TYPE__-fake-state.js';

/**
 * The options of the contract suite besides the plugin and the fake, shared by
 * test/contract.test.ts and `krate-contract run`: the whole suite runs again with the
 * provider behind a path prefix, as self-hosted installs run it.
 */
export const contractOptions = {
  alternateBaseUrls: ['https://__PROVIDER_TYPE__.example.com/api'],
};
