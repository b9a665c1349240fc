import { definePlugin, secretAccessor, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { JiraConfigSchema, type JiraConfig, type JiraConfigInput } from './jira-config.js';
import { createJiraContext } from './jira-context.js';
import { JIRA_SECRET_PATTERNS, PROVIDER } from './jira-errors.js';
import { jiraManifest } from './jira-manifest.js';
import { createJiraIssueTracking } from './issue-tracking/jira-issue-tracking.js';
import { createJiraWebhooks } from './webhooks/jira-webhooks.js';

/**
 * The Jira Cloud provider plugin: issue tracking on REST v3 through jira.js, with
 * workflow transitions, ADF bodies, API token or OAuth 2.0 auth (site URL or the
 * api.atlassian.com gateway) and admin webhooks.
 */
export const jiraPlugin: ProviderPlugin<JiraConfig> = definePlugin<JiraConfig>({
  manifest: jiraManifest,
  configSchema: JiraConfigSchema,
  secretPatterns: JIRA_SECRET_PATTERNS,
  create(config, context) {
    const ctx = createJiraContext(config, context);
    const secret = config.webhookSecret
      ? secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: context.secrets, redactor: context.redactor })
      : async () => undefined;
    return {
      issueTracking: createJiraIssueTracking(ctx),
      webhooks: createJiraWebhooks({ secret, ctx }),
      rateLimit: () => ctx.rateLimit(),
    };
  },
});

/**
 * Creates a Jira Cloud provider instance.
 *
 * @example
 * const jira = createJiraProvider({
 *   siteUrl: 'https://acme.atlassian.net',
 *   auth: { type: 'basic', email: 'bot@acme.example', apiToken: { secretRef: { name: 'jira', key: 'api-token' } } },
 *   webhookSecret: { secretRef: { name: 'jira', key: 'webhook-secret' } },
 * }, { secrets });
 * const page = await jira.issueTracking!.listIssues('KRATE');
 */
export function createJiraProvider(config: JiraConfigInput, context?: PluginContext): ProviderInstance {
  return jiraPlugin.create(config, context);
}
