// Writes schema/manifest.schema.json from the zod manifest schema in the built package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CapabilityManifestSchema } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = z.toJSONSchema(CapabilityManifestSchema, { target: 'draft-7', io: 'input' });
schema.$id = 'https://krate.a5c.ai/schemas/external-provider-capability-manifest.v1alpha1.json';
schema.title = 'ExternalProviderCapabilityManifest (krate.a5c.ai/v1alpha1)';
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema', 'manifest.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
