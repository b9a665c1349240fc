// Writes schema/manifest.schema.json (shipped as @krate/core/manifest.schema.json)
// from the manifest schema of the built package. Run by `pnpm build` after tsup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the JSON Schema is written, relative to the package root. */
export const MANIFEST_SCHEMA_OUTPUT = 'schema/manifest.schema.json';

/** Writes the given JSON Schema object to MANIFEST_SCHEMA_OUTPUT under `root`; returns the file path. */
export function writeManifestJsonSchema(root, jsonSchema) {
  const file = join(root, MANIFEST_SCHEMA_OUTPUT);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(jsonSchema, null, 2)}\n`);
  return file;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { manifestJsonSchema } = await import('../dist/index.js');
  const file = writeManifestJsonSchema(root, manifestJsonSchema());
  console.log(`wrote ${file}`);
}
