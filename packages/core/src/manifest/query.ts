import type { InterfaceName } from '../model/common.js';
import type { CapabilityManifest, OperationSpec } from './schema.js';

/** Whether the manifest declares this interface supported. */
export function isInterfaceSupported(manifest: CapabilityManifest, iface: InterfaceName): boolean {
  return manifest.spec.interfaces[iface]?.supported === true;
}

/** The operations of an interface the manifest declares supported, in their full shape. */
export function declaredOperations(manifest: CapabilityManifest, iface: InterfaceName): OperationSpec[] {
  const entry = manifest.spec.interfaces[iface];
  if (!entry?.supported) return [];
  return (entry.operations ?? [])
    .map((o) => (typeof o === 'string' ? ({ operation: o, supported: true } as OperationSpec) : o))
    .filter((o) => o.supported !== false);
}

/** The declared operation spec, or undefined when it is not declared supported. */
export function getDeclaredOperation(manifest: CapabilityManifest, iface: InterfaceName, operation: string): OperationSpec | undefined {
  return declaredOperations(manifest, iface).find((o) => o.operation === operation);
}

/** The webhook events the manifest declares, per interface or all of them. */
export function declaredWebhooks(manifest: CapabilityManifest, iface?: InterfaceName): string[] {
  const names = iface ? [iface] : (['issueTracking', 'cicd', 'gitForge'] as const);
  const out = new Set<string>();
  for (const n of names) {
    const entry = manifest.spec.interfaces[n];
    if (entry?.supported) for (const w of entry.webhooks ?? []) out.add(w);
  }
  return [...out];
}
