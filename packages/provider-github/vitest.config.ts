import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // As tsup.config.ts: the version in GitHub's User-Agent.
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  resolve: { alias: workspaceAlias },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
