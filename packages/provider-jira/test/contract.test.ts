import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, contractSkips, createFake } from '../src/testing/index.js';

/**
 * The shared contract suite, driven by the Jira manifest, against the fake at the site
 * URL and again through the api.atlassian.com gateway.
 */
describeProviderContract({ plugin, createFake, alternateBaseUrls, skip: contractSkips });
