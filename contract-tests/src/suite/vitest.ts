import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ContractSuiteOptions } from '../kit/types.js';
import { executeCase } from './execute.js';
import { planContractCases, validateSkips } from './plan.js';
import { caseAffectedBy, suiteRuns } from './variants.js';
import { caseEnvironment, createContractServer } from './server.js';

export interface DescribeProviderContractOptions<Config = unknown> extends ContractSuiteOptions<Config> {
  /** Per-case time limit (default 20000 ms). */
  caseTimeoutMs?: number;
}

/**
 * Registers the contract suite as vitest tests: one `describe` for the default
 * configuration with every case, then one per configuration variant (alternate base
 * URLs, the fake's `variants`) with the cases it affects; one `it` per case, skipped cases as `it.skip` with their reason in the name. Starts
 * its own MSW server (unhandled requests are errors); do not start another in the
 * same file.
 *
 * @example
 * describeProviderContract({ plugin: githubPlugin, createFake: createGitHubFake });
 */
export function describeProviderContract<Config>(options: DescribeProviderContractOptions<Config>): void {
  const { plugin } = options;
  const probe = options.createFake();
  const cases = planContractCases(plugin.manifest, probe);
  const runs = suiteRuns(options, probe);
  const skips = validateSkips(options.skip, cases);
  const timeout = options.caseTimeoutMs ?? 20_000;
  describe(`${plugin.providerType} provider contract`, () => {
    const contract = createContractServer();
    beforeAll(() => contract.listen());
    afterAll(() => contract.close());
    for (const run of runs) {
      const env = caseEnvironment(contract, { plugin, createFake: options.createFake, baseUrl: run.baseUrl, variant: run.variant, caseTimeoutMs: timeout });
      const title = !run.variant ? 'at the default base URL' : run.variant.name.startsWith('at ') ? run.variant.name : `variant ${run.variant.name}`;
      describe(title, () => {
        for (const c of cases) {
          if (!caseAffectedBy(c, run.variant)) continue;
          const reason = skips.get(c.id);
          if (reason !== undefined) {
            it.skip(`${c.id} (skipped: ${reason})`, () => {});
            continue;
          }
          it(`${c.id}: ${c.title}`, async () => {
            const result = await executeCase(c, env);
            if (result.status === 'fail') {
              const error = new Error(`${c.id} failed:\n${result.error ?? ''}`);
              error.stack = error.message;
              throw error;
            }
          }, (c.budgetMs ?? timeout) + 5_000);
        }
      });
    }
  });
}
