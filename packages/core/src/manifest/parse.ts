import { InvalidConfigError, type ProviderError } from '../errors.js';
import {
  type ManifestDiagnostic, diagnoseManifest, diagnoseManifestText, formatManifestDiagnostic,
} from './diagnostics.js';
import { CapabilityManifestSchema, type CapabilityManifest, type CapabilityManifestInput } from './schema.js';

const DIAGNOSTICS = Symbol.for('krate.manifest-diagnostics');

function providerTypeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const spec = (typeof record.spec === 'object' && record.spec !== null ? record.spec : record) as Record<string, unknown>;
  return typeof spec.providerType === 'string' && /^[a-z][a-z0-9-]*$/.test(spec.providerType) ? spec.providerType : undefined;
}

function invalid(diagnostics: ManifestDiagnostic[], value: unknown): ProviderError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const lines = errors.map((d) => `  - ${formatManifestDiagnostic(d)}`);
  const error = new InvalidConfigError({
    provider: providerTypeOf(value),
    message: `invalid capability manifest (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
  });
  Object.defineProperty(error, DIAGNOSTICS, { value: diagnostics, enumerable: false });
  return error;
}

/**
 * The diagnostics (errors and warnings) carried by an error thrown from
 * {@link parseManifest}, {@link validateManifest} or {@link defineManifest}.
 */
export function manifestDiagnosticsOf(error: unknown): ManifestDiagnostic[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const found = (error as Record<symbol, unknown>)[DIAGNOSTICS];
  return Array.isArray(found) ? (found as ManifestDiagnostic[]) : undefined;
}

/**
 * Parses and validates a manifest from YAML or JSON text. Throws an
 * `InvalidConfigError` whose message lists every error as `path: problem; suggestion`
 * (YAML syntax errors name the line and column).
 */
export function parseManifest(text: string): CapabilityManifest {
  const { value, diagnostics } = diagnoseManifestText(text);
  if (diagnostics.some((d) => d.severity === 'error')) throw invalid(diagnostics, value);
  return CapabilityManifestSchema.parse(value);
}

/**
 * Validates a manifest value: the schema plus the checks it cannot express
 * (canonical operation names of each interface, duplicates, write flags,
 * declared auth modes). Throws an `InvalidConfigError` listing every error.
 */
export function validateManifest(value: unknown): CapabilityManifest {
  // A manifest this function returned, unchanged since (same JSON), is not validated twice.
  if (typeof value === 'object' && value !== null && VALIDATED.get(value) === JSON.stringify(value)) return value as CapabilityManifest;
  const diagnostics = diagnoseManifest(value);
  if (diagnostics.some((d) => d.severity === 'error')) throw invalid(diagnostics, value);
  const manifest = CapabilityManifestSchema.parse(value);
  VALIDATED.set(manifest, JSON.stringify(manifest));
  return manifest;
}

/** Manifests {@link validateManifest} returned, with their JSON then: defining a plugin from one skips a second validation. */
const VALIDATED = new WeakMap<object, string>();

/** Validates a manifest written in code; returns it typed (defaults applied). */
export function defineManifest(value: CapabilityManifestInput): CapabilityManifest;
export function defineManifest(value: unknown): CapabilityManifest;
export function defineManifest(value: unknown): CapabilityManifest {
  return validateManifest(value);
}
