import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAlias },
  // Property tests run hundreds of cases: on a loaded 2-core machine they need more than vitest's 5 s default.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
