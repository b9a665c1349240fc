// The dependency ranges a scaffold writes, read at build time from the packages
// themselves: the Krate packages' own versions, the test peers of
// @krate/contract-tests, and the tools this package is built and tested with.
// tsup.config.ts bakes them into dist/cli.js; vitest.config.ts gives the same
// values to the tests that run from source.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** `{ '@krate/core': '^0.2.0', msw: '^2.15.0', ... }` for the template's placeholders. */
export function templateVersions() {
  const own = readJson(join(packageDir, 'package.json'));
  const core = readJson(require.resolve('@krate/core/package.json'));
  const contractTests = readJson(require.resolve('@krate/contract-tests/package.json'));
  const tool = (name) => {
    const range = own.devDependencies?.[name];
    if (!range) throw new Error(`create-krate-provider: ${name} is not a devDependency of ${own.name}`);
    return range;
  };
  const peer = (name) => {
    const range = contractTests.peerDependencies?.[name];
    if (!range) throw new Error(`create-krate-provider: ${name} is not a peer dependency of @krate/contract-tests`);
    return range;
  };
  return {
    [core.name]: `^${core.version}`,
    [contractTests.name]: `^${contractTests.version}`,
    msw: peer('msw'),
    vitest: peer('vitest'),
    tsup: tool('tsup'),
    typescript: tool('typescript'),
    '@types/node': tool('@types/node'),
    'create-krate-provider': own.version,
  };
}
