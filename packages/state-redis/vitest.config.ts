import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
