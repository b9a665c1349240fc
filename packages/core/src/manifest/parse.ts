import { parse as parseYaml } from 'yaml';
import { InvalidConfigError } from '../errors.js';
import { CapabilityManifestSchema, type CapabilityManifest } from './schema.js';

/** Parses and validates a manifest from YAML or JSON text. (Full diagnostics: see manifest-diagnostics.) */
export function parseManifest(text: string): CapabilityManifest {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new InvalidConfigError({ message: `manifest is not valid YAML or JSON: ${(error as Error).message}`, cause: error });
  }
  return validateManifest(value);
}

/** Validates a manifest object. */
export function validateManifest(value: unknown): CapabilityManifest {
  const result = CapabilityManifestSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidConfigError({ message: `invalid capability manifest:\n  ${issues.join('\n  ')}` });
  }
  return result.data;
}

/** Validates a manifest written in code; returns it typed. */
export function defineManifest(value: unknown): CapabilityManifest {
  return validateManifest(value);
}
