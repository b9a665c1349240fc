import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // import.meta.url in the CommonJS build of the testing entry (it reads the vendored schema).
  shims: true,
  external: ['msw', '@krate/contract-tests', '@linear/sdk', 'graphql'],
});
