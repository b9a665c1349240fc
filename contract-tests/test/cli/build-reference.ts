import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the reference provider into a package under node_modules/.cache (so that
 * `@krate/core` and `msw` resolve from there) and returns its directory: what
 * `krate-contract run <path>` loads.
 */
export async function buildReferencePackage(name = 'krate-reference-provider'): Promise<string> {
  const dir = join(root, 'node_modules', '.cache', name);
  mkdirSync(dir, { recursive: true });
  await build({
    config: false,
    entry: { index: join(root, 'test/fixtures/reference-provider/index.ts'), testing: join(root, 'test/fixtures/reference-provider/testing.ts') },
    format: ['esm'],
    outDir: join(dir, 'dist'),
    external: ['msw', '@krate/core'],
    target: 'node20',
    silent: true,
    clean: true,
  });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name, type: 'module',
    exports: { '.': { import: './dist/index.js' }, './testing': { import: './dist/testing.js' }, './package.json': './package.json' },
  }, null, 2));
  return dir;
}
