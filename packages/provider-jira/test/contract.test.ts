import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the Jira manifest, against the fake at the site
 * URL and again through the api.atlassian.com gateway.
 */
describeProviderContract({
  plugin,
  createFake,
  alternateBaseUrls,
  skip: {
    'issueTracking.syncLabels.roundtrip':
      'Jira has no API to create a label (a label exists while an issue carries it): syncLabels reports missing labels as drift and writes nothing',
  },
});
