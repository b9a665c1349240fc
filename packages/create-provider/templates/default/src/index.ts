import { definePlugin } from '@krate/core';
import { __PASCAL__ConfigSchema, type __PASCAL__Config, type __PASCAL__ConfigInput } from './__PROVIDER_TYPE__-config.js';
import { create__PASCAL__Client } from './__PROVIDER_TYPE__-client.js';
import { create__PASCAL__IssueTracking } from './__PROVIDER_TYPE__-issue-tracking.js';
import { __CAMEL__Manifest } from './__PROVIDER_TYPE__-manifest.js';
import { create__PASCAL__Webhooks } from './__PROVIDER_TYPE__-webhooks.js';
import type { PluginContext } from '@krate/core';

/** The __DISPLAY_NAME__ provider plugin. */
export const __CAMEL__Plugin = definePlugin<__PASCAL__Config>({
  manifest: __CAMEL__Manifest,
  configSchema: __PASCAL__ConfigSchema,
  create(config, context) {
    const client = create__PASCAL__Client(config, context);
    return {
      issueTracking: create__PASCAL__IssueTracking(client),
      webhooks: create__PASCAL__Webhooks(config, context),
      rateLimit: () => client.transport.rateLimit(),
    };
  },
});

/** Creates a __DISPLAY_NAME__ provider instance. */
export function create__PASCAL__Provider(config: __PASCAL__ConfigInput, context?: PluginContext) {
  return __CAMEL__Plugin.create(config, context);
}

export { __CAMEL__Manifest, __PASCAL__ConfigSchema, type __PASCAL__Config, type __PASCAL__ConfigInput };
export default __CAMEL__Plugin;
