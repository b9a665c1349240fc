import { definePlugin, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { BuildkiteConfigSchema, type BuildkiteConfig, type BuildkiteConfigInput } from './buildkite-config.js';
import { createBuildkiteContext } from './buildkite-context.js';
import { BUILDKITE_SECRET_PATTERNS } from './buildkite-errors.js';
import { buildkiteManifest } from './buildkite-manifest.js';
import { createBuildkiteCicd } from './cicd/buildkite-cicd.js';
import { createBuildkiteWebhooks } from './webhooks/buildkite-webhooks.js';

/**
 * The Buildkite provider plugin (CI/CD only). Register it with a registry, or create
 * an instance with {@link createBuildkiteProvider}.
 */
export const buildkitePlugin: ProviderPlugin<BuildkiteConfig> = definePlugin<BuildkiteConfig>({
  manifest: buildkiteManifest,
  configSchema: BuildkiteConfigSchema,
  secretPatterns: BUILDKITE_SECRET_PATTERNS,
  create(config, context) {
    const ctx = createBuildkiteContext(config, context);
    return {
      cicd: createBuildkiteCicd(ctx),
      webhooks: createBuildkiteWebhooks({ config, mapping: ctx.mapping, secrets: context.secrets, redactor: ctx.redactor }),
      rateLimit: () => ctx.client.rateLimit(),
    };
  },
});

/**
 * Creates a Buildkite provider instance.
 *
 * @example
 * const buildkite = createBuildkiteProvider({ apiToken: process.env.BUILDKITE_TOKEN!, organization: 'acme' });
 * const { items } = await buildkite.cicd!.listPipelines('acme/web');
 */
export function createBuildkiteProvider(config: BuildkiteConfigInput, context?: PluginContext): ProviderInstance {
  return buildkitePlugin.create(config, context);
}
