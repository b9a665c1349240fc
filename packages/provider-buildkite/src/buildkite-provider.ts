import { definePlugin, secretAccessor, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { BuildkiteClient } from './buildkite-client.js';
import { BuildkiteConfigSchema, type BuildkiteConfig, type BuildkiteConfigInput } from './buildkite-config.js';
import type { BuildkiteContext } from './buildkite-context.js';
import { PROVIDER } from './buildkite-errors.js';
import { buildkiteManifest } from './buildkite-manifest.js';
import { createBuildkiteCicd } from './cicd/buildkite-cicd.js';
import { BuildkiteNormalizer } from './cicd/buildkite-normalize.js';
import { createBuildkiteWebhooks } from './webhooks/buildkite-webhooks.js';

/**
 * The Buildkite provider plugin (CI/CD only). Register it with a registry, or create
 * an instance with {@link createBuildkiteProvider}.
 */
export const buildkitePlugin: ProviderPlugin<BuildkiteConfig> = definePlugin<BuildkiteConfig>({
  manifest: buildkiteManifest,
  configSchema: BuildkiteConfigSchema,
  create(config, context) {
    const apiToken = secretAccessor(config.apiToken, { provider: PROVIDER, setting: 'apiToken', resolver: context.secrets });
    const client = new BuildkiteClient(config, apiToken, context);
    const normalize = new BuildkiteNormalizer({ context });
    const ctx: BuildkiteContext = {
      config,
      client,
      normalize,
      rules: { organization: config.organization },
      async knownSecrets() {
        const out: string[] = [];
        try {
          out.push(await apiToken());
        } catch {
          // An unresolvable token never reached the API either: nothing to redact.
        }
        for (const value of [config.webhookToken, config.webhookSecret]) if (typeof value === 'string') out.push(value);
        return out;
      },
    };
    return {
      cicd: createBuildkiteCicd(ctx),
      webhooks: createBuildkiteWebhooks({ config, normalize, secrets: context.secrets }),
      rateLimit: () => client.rateLimit(),
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
