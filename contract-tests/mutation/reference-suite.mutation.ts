import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { describeProviderContract as DescribeProviderContract } from '../src/index.js';
import { createReferencePlugin } from '../test/fixtures/reference-provider/index.js';
import { createReferenceFake } from '../test/fixtures/reference-provider/reference-fake.js';

/**
 * A mutant of the reference provider survives when every case of the contract suite
 * still passes on it. Each case is its own test, so Stryker runs only the cases that
 * reach a mutant and stops at the first that fails. `KRATE_SUITE_ENTRY` points at
 * another copy of the suite's `index.ts` (an older version, to compare scores); by
 * default the suite in this package runs.
 */
const entry = process.env.KRATE_SUITE_ENTRY;
const { describeProviderContract } = (entry
  ? await import(/* @vite-ignore */ pathToFileURL(isAbsolute(entry) ? entry : resolve(entry)).href)
  : await import('../src/index.js')) as { describeProviderContract: typeof DescribeProviderContract };

describeProviderContract({ plugin: createReferencePlugin(), createFake: createReferenceFake });
