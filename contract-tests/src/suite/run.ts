import { caseEnvironment, createContractServer } from './server.js';
import { executeCase, skippedResult } from './execute.js';
import { planContractCases, validateSkips } from './plan.js';
import type { ContractReport, RunContractSuiteOptions } from './types.js';
import { caseAffectedBy, suiteRuns } from './variants.js';

/** Sums results by status. */
export function summarize(results: ContractReport['results']): NonNullable<ContractReport['summary']> {
  const summary = { pass: 0, fail: 0, skip: 0, unsupported: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/**
 * Runs the contract suite without vitest, with its own MSW server, and returns the
 * report. Cases run one after another: every planned case in the default
 * configuration, then, per configuration variant (alternate base URLs, the fake's
 * `variants`), the cases that variant can affect. Skipped cases are listed with their reasons.
 */
export async function runContractSuite<Config>(options: RunContractSuiteOptions<Config>): Promise<ContractReport> {
  const { plugin } = options;
  const probe = options.createFake();
  let cases = planContractCases(plugin.manifest, probe);
  const skips = validateSkips(options.skip, cases);
  const runs = suiteRuns(options, probe);
  if (options.only?.length) cases = cases.filter((c) => options.only!.some((prefix) => c.id.startsWith(prefix)));
  const contract = createContractServer();
  contract.listen();
  const results: ContractReport['results'] = [];
  try {
    for (const run of runs) {
      const env = caseEnvironment(contract, { plugin, createFake: options.createFake, baseUrl: run.baseUrl, variant: run.variant, caseTimeoutMs: options.caseTimeoutMs });
      for (const c of cases) {
        if (!caseAffectedBy(c, run.variant)) continue;
        const reason = skips.get(c.id);
        const result = reason !== undefined ? skippedResult(c, env, reason) : await executeCase(c, env);
        results.push(result);
        options.onResult?.(result);
      }
    }
  } finally {
    contract.close();
  }
  return {
    provider: plugin.providerType,
    ...(options.module ? { module: options.module } : {}),
    manifest: plugin.manifest,
    results,
    summary: summarize(results),
  };
}
