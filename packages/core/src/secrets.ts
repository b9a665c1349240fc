import { z } from 'zod';
import { InvalidConfigError, type SecretRedactor } from './errors.js';

/** A reference to a secret held elsewhere (a Kubernetes Secret, a vault path). */
export interface SecretRef {
  secretRef: { name: string; key?: string | undefined; namespace?: string | undefined };
}

/** A credential given either as its value or as a reference to resolve. */
export type SecretInput = string | SecretRef;

export const SecretRefSchema = z
  .object({ secretRef: z.object({ name: z.string().min(1), key: z.string().min(1).optional(), namespace: z.string().min(1).optional() }).strict() })
  .strict();

/** Zod schema for a credential setting: a non-empty string or a `{ secretRef }`. */
export const SecretInputSchema = z.union([z.string().min(1, 'must not be empty'), SecretRefSchema]);

/** Resolves secret references; supplied by the host (a controller, a CLI) in the plugin context. */
export interface SecretResolver {
  resolve(ref: SecretRef['secretRef']): Promise<string | undefined> | string | undefined;
}

function describeRef(ref: SecretRef['secretRef']): string {
  return `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}${ref.key ? `#${ref.key}` : ''}`;
}

/**
 * Resolves a credential. A missing resolver or a reference that resolves to nothing
 * is an `invalid_config` error that names the reference, never a value. Every
 * resolved value is added to `redactor` (the instance's, `context.redactor`).
 */
export async function resolveSecret(
  input: SecretInput | undefined,
  options: { provider: string; setting: string; resolver?: SecretResolver | undefined; redactor?: SecretRedactor | undefined },
): Promise<string> {
  const { provider, setting, resolver, redactor } = options;
  if (input === undefined || input === '') {
    throw new InvalidConfigError({ provider, message: `missing required setting "${setting}"` });
  }
  if (typeof input === 'string') {
    redactor?.add(input);
    return input;
  }
  const ref = input.secretRef;
  if (!resolver) {
    throw new InvalidConfigError({
      provider,
      message: `setting "${setting}" is a secret reference (${describeRef(ref)}) but no secret resolver was given in the plugin context`,
    });
  }
  let value: string | undefined;
  try {
    value = await resolver.resolve(ref);
  } catch (error) {
    throw new InvalidConfigError({ provider, message: `secret reference ${describeRef(ref)} for "${setting}" could not be resolved`, cause: error });
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidConfigError({ provider, message: `secret reference ${describeRef(ref)} for "${setting}" resolved to nothing` });
  }
  redactor?.add(value);
  return value;
}

/** A memoized, lazy accessor for one credential setting. */
export function secretAccessor(
  input: SecretInput | undefined,
  options: { provider: string; setting: string; resolver?: SecretResolver | undefined; redactor?: SecretRedactor | undefined },
): () => Promise<string> {
  if (typeof input === 'string') options.redactor?.add(input);
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= resolveSecret(input, options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** A resolver over a plain map `{ "name#key": value }` or `{ name: value }`, for tests and scripts. */
export function staticSecretResolver(values: Record<string, string>): SecretResolver {
  return {
    resolve(ref) {
      return values[`${ref.name}#${ref.key ?? ''}`] ?? values[ref.key ? `${ref.name}#${ref.key}` : ref.name] ?? values[ref.name];
    },
  };
}
