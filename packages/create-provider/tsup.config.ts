import { defineConfig } from 'tsup';
import { templateVersions } from './scripts/template-versions.mjs';

export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // The ranges the scaffold writes, from the packages' own package.json at build time.
  define: { __TEMPLATE_VERSIONS__: JSON.stringify(templateVersions()) },
});
