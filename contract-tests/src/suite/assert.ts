import { ProviderError, type ProviderErrorCode } from '@krate/core';

/** A contract violation: the message says what the provider did and what the contract expects. */
export class ContractAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractAssertionError';
  }
}

export function fail(message: string): never {
  throw new ContractAssertionError(message);
}

export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'function' ? message() : message);
}

/** Short JSON of a value for messages. */
export function show(value: unknown, max = 300): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

export function describeError(error: unknown): string {
  if (ProviderError.isInstance(error)) return `ProviderError(${error.code}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-error value ${show(error)}`;
}

/** The part of a zod schema the suite uses. */
export interface ParseSchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

/** Parses with a zod schema or fails naming the first issues. */
export function checkSchema(schema: ParseSchema, value: unknown, what: string): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    fail(`${what} does not match its schema: ${issues}`);
  }
}

/** Awaits `fn` and requires a ProviderError with one of `codes`. Returns the error. */
export async function expectProviderError(
  codes: ProviderErrorCode | ProviderErrorCode[],
  fn: () => Promise<unknown>,
  what: string,
): Promise<ProviderError> {
  const wanted = Array.isArray(codes) ? codes : [codes];
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome.ok) fail(`${what}: expected a ProviderError with code ${wanted.join(' or ')}, but the call succeeded with ${show(outcome.value, 200)}`);
  const error = outcome.error;
  if (!ProviderError.isInstance(error)) fail(`${what}: expected a ProviderError with code ${wanted.join(' or ')}, got ${describeError(error)}`);
  if (!wanted.includes(error.code)) fail(`${what}: expected code ${wanted.join(' or ')}, got ${describeError(error)}`);
  return error;
}

export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** The first differing path between two JSON values, for messages. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  const ca = canonical(a);
  const cb = canonical(b);
  if (JSON.stringify(ca) === JSON.stringify(cb)) return undefined;
  if (ca && cb && typeof ca === 'object' && typeof cb === 'object' && !Array.isArray(ca) && !Array.isArray(cb)) {
    const keys = new Set([...Object.keys(ca), ...Object.keys(cb)]);
    for (const key of [...keys].sort()) {
      const d = firstDifference((ca as Record<string, unknown>)[key], (cb as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
  }
  return `${path || '(root)'}: ${show(ca, 120)} vs ${show(cb, 120)}`;
}
