import { defineConfig } from 'tsup';

// `.` is the vitest entry and is ESM only (vitest cannot be required); programs
// that use CommonJS take `./runner`. The build script empties dist first.
export default defineConfig([
  {
    entry: { runner: 'src/runner.ts', 'kit/index': 'src/kit/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    external: ['msw', 'vitest'],
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    external: ['msw', 'vitest'],
  },
  {
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['msw', 'vitest'],
  },
]);
