import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
  { find: /^@krate\/provider-github$/, replacement: here('./packages/provider-github/src/index.ts') },
  { find: /^@krate\/provider-github\/testing$/, replacement: here('./packages/provider-github/src/testing/index.ts') },
  { find: /^@krate\/provider-buildkite$/, replacement: here('./packages/provider-buildkite/src/index.ts') },
  { find: /^@krate\/provider-buildkite\/testing$/, replacement: here('./packages/provider-buildkite/src/testing/index.ts') },
  { find: /^@krate\/provider-linear$/, replacement: here('./packages/provider-linear/src/index.ts') },
  { find: /^@krate\/provider-linear\/testing$/, replacement: here('./packages/provider-linear/src/testing/index.ts') },
];
