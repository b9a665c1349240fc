import { defineConfig } from 'vitest/config';
import { templateVersions } from './scripts/template-versions.mjs';

export default defineConfig({
  // The same values tsup bakes into dist/cli.js.
  define: { __TEMPLATE_VERSIONS__: JSON.stringify(templateVersions()) },
  test: { include: ['test/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 60_000 },
});
