import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the GitHub manifest: every declared operation
 * of the three interfaces and every declared webhook event, against the fake at
 * api.github.com and again at a GitHub Enterprise Server base URL.
 */
describeProviderContract({
  plugin,
  createFake,
  alternateBaseUrls,
});
