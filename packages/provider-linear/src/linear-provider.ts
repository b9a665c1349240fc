import { definePlugin, secretAccessor, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { createLinearIssueTracking } from './issue-tracking/linear-issue-tracking.js';
import { LinearConfigSchema, type LinearConfig, type LinearConfigInput } from './linear-config.js';
import { createLinearContext } from './linear-context.js';
import { LINEAR_SECRET_PATTERNS, PROVIDER } from './linear-errors.js';
import { linearManifest } from './linear-manifest.js';
import { createLinearWebhooks } from './webhooks/linear-webhooks.js';

/**
 * The Linear provider plugin: issue tracking on Linear's GraphQL API with
 * hand-written, complexity-budgeted queries, API key or OAuth auth, and webhooks.
 */
export const linearPlugin: ProviderPlugin<LinearConfig> = definePlugin<LinearConfig>({
  manifest: linearManifest,
  configSchema: LinearConfigSchema,
  secretPatterns: LINEAR_SECRET_PATTERNS,
  create(config, context) {
    const ctx = createLinearContext(config, context);
    const secret = secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: context.secrets, redactor: context.redactor });
    return {
      issueTracking: createLinearIssueTracking(ctx),
      webhooks: createLinearWebhooks({ secret, ctx }),
      rateLimit: () => ctx.rateLimit(),
    };
  },
});

/**
 * Creates a Linear provider instance.
 *
 * @example
 * const linear = createLinearProvider({
 *   auth: { type: 'apiKey', apiKey: { secretRef: { name: 'linear', key: 'api-key' } } },
 *   webhookSecret: { secretRef: { name: 'linear', key: 'webhook-secret' } },
 * }, { secrets });
 * const page = await linear.issueTracking!.listIssues('ENG');
 */
export function createLinearProvider(config: LinearConfigInput, context?: PluginContext): ProviderInstance {
  return linearPlugin.create(config, context);
}
