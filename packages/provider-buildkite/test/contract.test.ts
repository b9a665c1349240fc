import { describeProviderContract } from '@krate/contract-tests';
import buildkite from '../src/index.js';
import { alternateBaseUrls, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the Buildkite manifest, against the Buildkite
 * fake: once at https://api.buildkite.com/v2 and once behind a proxy path.
 */
describeProviderContract({
  plugin: buildkite,
  createFake,
  alternateBaseUrls,
});
