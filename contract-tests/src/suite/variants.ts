import type { ContractSuiteOptions, FakeBackend, FakeVariant, VariantAspect } from '../kit/types.js';
import type { CaseFamily, ContractCase } from './types.js';

/** The case families each aspect of a configuration can affect. */
export const FAMILIES_OF_ASPECT: Record<Exclude<VariantAspect, 'all'>, readonly CaseFamily[]> = {
  baseUrl: ['roundtrip', 'listing', 'fields'],
  webhooks: ['webhooks', 'convergence'],
  auth: ['roundtrip', 'listing', 'errors', 'secrets', 'abort'],
};

/** One configuration the suite runs in: the default (every case) or a variant (the cases it affects). */
export interface SuiteRun {
  /** Undefined for the fake's default configuration. */
  variant?: FakeVariant;
  /** The base URL of a base-URL variant made from `alternateBaseUrls`. */
  baseUrl?: string;
}

/** Whether a case runs in a variant. */
export function caseAffectedBy(c: ContractCase, variant: FakeVariant | undefined): boolean {
  if (!variant) return true;
  if (variant.affects.includes('all')) return true;
  const family = c.family ?? 'roundtrip';
  return variant.affects.some((aspect) => aspect !== 'all' && FAMILIES_OF_ASPECT[aspect].includes(family));
}

/**
 * The configurations the suite runs in: the default, one base-URL variant per
 * `alternateBaseUrls` entry, the fake's own `variants`, then `options.variants`.
 * Names must be unique and every variant must name at least one aspect.
 */
export function suiteRuns(options: Pick<ContractSuiteOptions, 'alternateBaseUrls' | 'variants'>, probe?: Pick<FakeBackend, 'variants'>): SuiteRun[] {
  const runs: SuiteRun[] = [{}];
  const names = new Set<string>();
  const add = (variant: FakeVariant, baseUrl?: string) => {
    if (!variant.name || names.has(variant.name)) throw new TypeError(`contract suite: variant names must be unique and non-empty (got ${JSON.stringify(variant.name)})`);
    if (!Array.isArray(variant.affects) || variant.affects.length === 0) throw new TypeError(`contract suite: variant "${variant.name}" must say what it affects (baseUrl, webhooks, auth or all)`);
    names.add(variant.name);
    runs.push({ variant, ...(baseUrl ? { baseUrl } : {}) });
  };
  for (const baseUrl of options.alternateBaseUrls ?? []) add({ name: `at ${baseUrl}`, affects: ['baseUrl'], options: { baseUrl } }, baseUrl);
  for (const variant of probe?.variants ?? []) add(variant, variant.options?.baseUrl);
  for (const variant of options.variants ?? []) add(variant, variant.options?.baseUrl);
  return runs;
}
