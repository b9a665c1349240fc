import { z } from 'zod';
import { CapabilityManifestSchema, MANIFEST_API_VERSION, MANIFEST_KIND } from './schema.js';

/** The `$id` of the manifest JSON Schema. */
export const MANIFEST_JSON_SCHEMA_ID = 'https://krate.a5c.ai/schemas/external-provider-capability-manifest.v1alpha1.json';

/**
 * The JSON Schema (draft-07) of a capability manifest, for editors and other
 * validators. It is what `@krate/core/manifest.schema.json` ships. It carries the
 * field descriptions and, per interface, the canonical operation names as an enum;
 * the checks it cannot express (duplicates, write flags that contradict the
 * contract, undeclared auth modes) are made by `validateManifest`.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(CapabilityManifestSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: MANIFEST_JSON_SCHEMA_ID,
    title: `${MANIFEST_KIND} (${MANIFEST_API_VERSION})`,
    ...rest,
  };
}
