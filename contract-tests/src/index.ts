/**
 * @krate/contract-tests: the manifest-driven contract suite for Krate providers.
 *
 * - `describeProviderContract(options)` registers the suite as vitest tests.
 * - `runContractSuite(options)` runs it from a program (also at '@krate/contract-tests/runner', which never loads vitest).
 * - `useFakeServer`, `startProvider` and `errorOf`: the test harness every provider's own tests use.
 * - The testing kit for fakes is at '@krate/contract-tests/kit'.
 */
export { describeProviderContract, type DescribeProviderContractOptions } from './suite/vitest.js';
export {
  errorOf, startProvider, useFakeServer, type ProviderHarness, type ProviderHarnessOptions,
} from './harness/vitest-harness.js';
export * from './runner.js';
