/** Where the JSON Schema is written, relative to the package root. */
export declare const MANIFEST_SCHEMA_OUTPUT: 'schema/manifest.schema.json';
/** Writes the given JSON Schema object to MANIFEST_SCHEMA_OUTPUT under `root`; returns the file path. */
export declare function writeManifestJsonSchema(root: string, jsonSchema: Record<string, unknown>): string;
