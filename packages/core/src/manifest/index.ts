export * from './schema.js';
export * from './query.js';
export * from './parse.js';
export {
  diagnoseManifest, diagnoseManifestText, formatManifestDiagnostic,
  type ManifestDiagnostic, type ManifestDiagnosticCode, type ManifestTextDiagnosis,
} from './diagnostics.js';
export { checkOperationName, type OperationNameVerdict } from './suggest.js';
export { manifestJsonSchema, MANIFEST_JSON_SCHEMA_ID } from './json-schema.js';
