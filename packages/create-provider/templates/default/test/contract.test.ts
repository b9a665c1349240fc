import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { createFake } from '../src/testing/index.js';

// The shared contract suite: it reads the manifest and runs the cases of every
// declared interface, operation and webhook event against the fake.
describeProviderContract({
  plugin,
  createFake,
  // The whole suite runs again with the provider behind a path prefix, as self-hosted installs run it.
  alternateBaseUrls: ['https://__PROVIDER_TYPE__.example.com/api'],
});
