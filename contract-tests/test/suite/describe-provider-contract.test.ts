import { describeProviderContract } from '../../src/index.js';
import referencePlugin from '../fixtures/reference-provider/index.js';
import { createFake } from '../fixtures/reference-provider/testing.js';

/**
 * What a provider's contract test looks like: the whole suite, driven by the
 * reference provider's manifest, as vitest tests.
 */
describeProviderContract({
  plugin: referencePlugin,
  createFake,
  skip: { 'cicd.errors.timeout': 'the issueTracking timeout case covers the shared HTTP client' },
  alternateBaseUrls: ['https://tracker.example.test/api/v2'],
});
