import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { alternateBaseUrls, contractSkips, createFake } from '../src/testing/index.js';

describeProviderContract({ plugin, createFake, alternateBaseUrls, skip: contractSkips });
