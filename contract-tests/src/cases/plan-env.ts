import type { CapabilityManifest, InterfaceName, OperationInfo } from '@krate/core';
import type { FakeBackend } from '../kit/types.js';

/** What case generators know at planning time: the manifest and a probe fake (never served). */
export interface PlanEnv {
  manifest: CapabilityManifest;
  probe: FakeBackend;
  /** Declared operation names per interface. */
  declared: Record<InterfaceName, Set<string>>;
}

export function opId(info: OperationInfo, suffix: string): string {
  return `${info.interface}.${info.name}.${suffix}`;
}
