import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

/** The test the mutation run uses: the contract suite over the reference provider (see stryker.config.json). */
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: { include: ['mutation/**/*.mutation.ts'], testTimeout: 60_000 },
});
