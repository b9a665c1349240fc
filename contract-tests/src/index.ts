/**
 * @krate/contract-tests: the manifest-driven contract suite for Krate providers.
 *
 * - `describeProviderContract(options)` registers the suite as vitest tests.
 * - `runContractSuite(options)` runs it from a program (also at '@krate/contract-tests/runner', which never loads vitest).
 * - The testing kit for fakes is at '@krate/contract-tests/kit'.
 */
export { describeProviderContract, type DescribeProviderContractOptions } from './suite/vitest.js';
export * from './runner.js';
