import { definePlugin, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { __PASCAL__ConfigSchema, type __PASCAL__Config, type __PASCAL__ConfigInput } from './__PROVIDER_TYPE__-config.js';
import { create__PASCAL__Context } from './__PROVIDER_TYPE__-context.js';
import { SECRET_PATTERNS } from './__PROVIDER_TYPE__-errors.js';
import { __CAMEL__Manifest } from './__PROVIDER_TYPE__-manifest.js';
import { create__PASCAL__IssueTracking } from './issue-tracking/__PROVIDER_TYPE__-issue-tracking.js';
import { create__PASCAL__Webhooks } from './webhooks/__PROVIDER_TYPE__-webhooks.js';

/** The __DISPLAY_NAME__ provider plugin. Register it with a registry, or create an instance with {@link create__PASCAL__Provider}. */
export const __CAMEL__Plugin: ProviderPlugin<__PASCAL__Config> = definePlugin<__PASCAL__Config>({
  manifest: __CAMEL__Manifest,
  configSchema: __PASCAL__ConfigSchema,
  secretPatterns: SECRET_PATTERNS,
  create(config, context) {
    const ctx = create__PASCAL__Context(config, context);
    return {
      issueTracking: create__PASCAL__IssueTracking(ctx),
      webhooks: create__PASCAL__Webhooks(config, context),
      rateLimit: () => ctx.transport.rateLimit(),
    };
  },
});

/**
 * Creates a __DISPLAY_NAME__ provider instance.
 *
 * @example
 * const provider = create__PASCAL__Provider({ token: { secretRef: { name: '__PROVIDER_TYPE__', key: 'token' } } }, { secrets });
 * const page = await provider.issueTracking!.listIssues('KRATE');
 */
export function create__PASCAL__Provider(config: __PASCAL__ConfigInput, context?: PluginContext): ProviderInstance {
  return __CAMEL__Plugin.create(config, context);
}
