import { INTERFACE_NAMES, OPERATIONS, declaredOperations, isInterfaceSupported, type CapabilityManifest, type InterfaceName } from '@krate/core';
import { abortCases } from '../cases/abort.js';
import { convergenceCases } from '../cases/convergence.js';
import { absentInterfaceCase, declaredCase, undeclaredOperationCases } from '../cases/declarations.js';
import { errorCases } from '../cases/errors.js';
import { webhookFuzzCases } from '../cases/fuzz.js';
import { idempotencyCases } from '../cases/idempotency.js';
import { listingCases } from '../cases/listing.js';
import type { PlanEnv } from '../cases/plan-env.js';
import { roundTripCases } from '../cases/round-trips.js';
import { secretCases } from '../cases/secrets.js';
import { inspectSecretCases } from '../cases/secrets-inspect.js';
import { webhookCases } from '../cases/webhooks.js';
import type { FakeBackend } from '../kit/types.js';
import type { ContractCase } from './types.js';

/**
 * The cases the manifest calls for, in a stable order: per declared interface its
 * declaration check, the cases of each declared operation, refusals of undeclared
 * operations, error mapping, secrets and convergence; absent interfaces; webhooks.
 * `probe` is a fake that is only read (maxPageSize, signsTimestamp, webhookEventFor).
 */
export function planContractCases(manifest: CapabilityManifest, probe: FakeBackend): ContractCase[] {
  const declared = Object.fromEntries(
    INTERFACE_NAMES.map((i) => [i, new Set(declaredOperations(manifest, i).map((o) => o.operation))]),
  ) as Record<InterfaceName, Set<string>>;
  const env: PlanEnv = { manifest, probe, declared };
  const cases: ContractCase[] = [];
  for (const iface of INTERFACE_NAMES) {
    if (!isInterfaceSupported(manifest, iface)) continue;
    cases.push(declaredCase(iface, env));
    for (const info of OPERATIONS.filter((o) => o.interface === iface && declared[iface].has(o.name))) {
      if (info.kind === 'list') cases.push(...listingCases(info, env));
      else cases.push(...roundTripCases(info, env));
      cases.push(...idempotencyCases(info, env));
    }
    cases.push(...undeclaredOperationCases(iface, env));
    cases.push(...errorCases(iface, env));
    cases.push(...abortCases(iface, env));
    cases.push(...secretCases(iface, env));
    cases.push(...inspectSecretCases(iface, env));
    cases.push(...convergenceCases(iface, env));
  }
  for (const iface of INTERFACE_NAMES) {
    if (!isInterfaceSupported(manifest, iface)) cases.push(absentInterfaceCase(iface));
  }
  cases.push(...webhookCases(env));
  cases.push(...webhookFuzzCases(env));
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`contract suite: duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}

/** Checks the skip map: every reason is a non-empty string and every id names a planned case. */
export function validateSkips(skip: Record<string, string> | undefined, cases: ContractCase[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!skip) return out;
  const ids = new Set(cases.map((c) => c.id));
  for (const [id, reason] of Object.entries(skip)) {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new TypeError(`contract suite: skip of "${id}" needs a written reason (got ${JSON.stringify(reason)})`);
    }
    if (!ids.has(id)) {
      throw new TypeError(`contract suite: skip names "${id}", which is not a case of this provider (cases: ${[...ids].slice(0, 8).join(', ')}, ...)`);
    }
    out.set(id, reason.trim());
  }
  return out;
}
