import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the Linear manifest: every declared operation
 * and webhook event, against the fake at api.linear.app and again behind a proxy URL.
 */
describeProviderContract({
  plugin,
  createFake,
  alternateBaseUrls,
});
