/**
 * The `./testing` entry: a stateful MSW fake of the __DISPLAY_NAME__ API for the contract
 * suite and for tests of code that uses this provider.
 */
export { DEFAULT_BASE_URL, createFake } from './__PROVIDER_TYPE__-fake.js';
export type { __PASCAL__FakeState } from './__PROVIDER_TYPE__-fake-state.js';
