import { describeProviderContract } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { contractOptions, createFake } from '../src/testing/index.js';

// The shared contract suite: it reads the manifest and runs the cases of every
// declared interface, operation and webhook event against the fake.
// `contractOptions` lives beside the fake so that `krate-contract run` runs the same cases.
describeProviderContract({ plugin, createFake, ...contractOptions });
