import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Every `packages/provider-*` with its package name: a new provider is picked up without an edit here. */
const providers = readdirSync(here('./packages'))
  .filter((dir) => dir.startsWith('provider-') && existsSync(here(`./packages/${dir}/package.json`)))
  .sort()
  .map((dir) => ({ dir, name: (JSON.parse(readFileSync(here(`./packages/${dir}/package.json`), 'utf8')) as { name: string }).name }));

const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Tests import workspace packages from source, so a change in core is seen by every
 * package's tests without a build. The published builds are checked by `lint`
 * (publint, attw) and by the conformance run, which loads `dist`.
 */
export const workspaceAlias = [
  { find: /^@krate\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@krate\/contract-tests$/, replacement: here('./contract-tests/src/index.ts') },
  { find: /^@krate\/contract-tests\/kit$/, replacement: here('./contract-tests/src/kit/index.ts') },
  { find: /^@krate\/contract-tests\/runner$/, replacement: here('./contract-tests/src/runner.ts') },
  ...providers.flatMap(({ dir, name }) => [
    { find: new RegExp(`^${escape(name)}$`), replacement: here(`./packages/${dir}/src/index.ts`) },
    { find: new RegExp(`^${escape(name)}/testing$`), replacement: here(`./packages/${dir}/src/testing/index.ts`) },
  ]),
];
