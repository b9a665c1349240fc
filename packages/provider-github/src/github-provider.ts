import {
  definePlugin,
  secretAccessor,
  type PluginContext,
  type ProviderInstance,
  type ProviderPlugin,
} from '@krate/core';
import { createGitHubCicd } from './cicd/github-cicd.js';
import { GitHubConfigSchema, type GitHubConfig, type GitHubConfigInput } from './github-config.js';
import { createGitHubContext } from './github-context.js';
import { GITHUB_SECRET_PATTERNS, PROVIDER } from './github-errors.js';
import { githubManifest } from './github-manifest.js';
import { createGitHubGitForge } from './git-forge/github-git-forge.js';
import { listIssuesGraphql } from './issue-tracking/github-issue-tracking-graphql.js';
import { createGitHubIssueTracking } from './issue-tracking/github-issue-tracking.js';
import { createGitHubWebhooks } from './webhooks/github-webhooks.js';

/**
 * The GitHub provider plugin: issue tracking, CI/CD (GitHub Actions, checks,
 * statuses, runners) and git forge on the REST API through Octokit, with GitHub App
 * or token auth, webhooks and GitHub Enterprise Server support.
 */
export const githubPlugin: ProviderPlugin<GitHubConfig> = definePlugin<GitHubConfig>({
  manifest: githubManifest,
  configSchema: GitHubConfigSchema,
  secretPatterns: GITHUB_SECRET_PATTERNS,
  create(config, context) {
    const ctx = createGitHubContext(config, context);
    const webhookSecret = secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: context.secrets, redactor: context.redactor });
    return {
      issueTracking: createGitHubIssueTracking(ctx, { useGraphql: config.useGraphql, listIssuesGraphql }),
      cicd: createGitHubCicd(ctx, { fetch: ctx.transport.fetch }),
      gitForge: createGitHubGitForge(ctx),
      webhooks: createGitHubWebhooks({ secret: webhookSecret, ctx }),
      rateLimit: () => ctx.rateLimit(),
    };
  },
});

/**
 * Creates a GitHub provider instance.
 *
 * @example
 * const github = createGitHubProvider({
 *   auth: { type: 'app', appId: 123456, privateKey: { secretRef: { name: 'github-app', key: 'private-key.pem' } } },
 *   webhookSecret: { secretRef: { name: 'github-app', key: 'webhook-secret' } },
 * }, { secrets });
 * const page = await github.issueTracking!.listIssues('octo-org/hello-world');
 */
export function createGitHubProvider(config: GitHubConfigInput, context?: PluginContext): ProviderInstance {
  return githubPlugin.create(config, context);
}
