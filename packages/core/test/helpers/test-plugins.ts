import { z } from 'zod';
import { definePlugin, type PluginContext, type ProviderImplementation } from '../../src/index.js';

type Interfaces = Partial<Record<'issueTracking' | 'cicd' | 'gitForge', { operations: string[]; webhooks?: string[]; ownershipModes?: string[] }>>;

/** A capability manifest for tests. */
export function testManifest(providerType: string, interfaces: Interfaces, authModes: string[] = ['token']) {
  const spec: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(interfaces)) {
    spec[name] = {
      supported: true,
      operations: entry.operations,
      ...(entry.webhooks ? { webhooks: entry.webhooks } : {}),
      ...(entry.ownershipModes ? { ownershipModes: entry.ownershipModes } : {}),
    };
  }
  return {
    apiVersion: 'krate.a5c.ai/v1alpha1',
    kind: 'ExternalProviderCapabilityManifest',
    metadata: { name: `${providerType}-test` },
    spec: { providerType, displayName: providerType, authModes, interfaces: spec },
  };
}

export const TestConfigSchema = z.object({ token: z.string().min(1), baseUrl: z.string().url().optional() }).strict();

/** A plugin over a manifest, with the implementation given by the test. */
export function testPlugin(
  providerType: string,
  interfaces: Interfaces,
  implementation: (config: z.infer<typeof TestConfigSchema>, context: PluginContext) => ProviderImplementation = () => ({}),
  authModes?: string[],
) {
  return definePlugin({
    // The manifest validator fills defaults; the literal here is its input shape.
    manifest: testManifest(providerType, interfaces, authModes) as never,
    configSchema: TestConfigSchema,
    create: (config, context) => implementation(config, context),
  });
}
