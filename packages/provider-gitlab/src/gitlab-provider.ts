import { definePlugin, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { GitlabConfigSchema, type GitlabConfig, type GitlabConfigInput } from './gitlab-config.js';
import { GitlabContext } from './gitlab-context.js';
import { GITLAB_SECRET_PATTERNS } from './gitlab-errors.js';
import { createGitlabCicd } from './cicd/gitlab-cicd.js';
import { createGitlabGitForge } from './git-forge/gitlab-git-forge.js';
import { gitlabManifest } from './gitlab-manifest.js';
import { createGitlabIssueTracking } from './issue-tracking/gitlab-issue-tracking.js';
import type { GitlabMapContext } from './shared/gitlab-envelope.js';
import { createGitlabWebhooks } from './webhooks/gitlab-webhooks.js';

/**
 * The GitLab provider plugin: issue tracking, CI/CD and git forge on GitLab.com and
 * self-managed GitLab. Register it with a registry, or create an instance with
 * {@link createGitlabProvider}.
 */
export const gitlabPlugin: ProviderPlugin<GitlabConfig> = definePlugin<GitlabConfig>({
  manifest: gitlabManifest,
  configSchema: GitlabConfigSchema,
  secretPatterns: GITLAB_SECRET_PATTERNS,
  create(config, context) {
    const ctx = new GitlabContext(config, context);
    const map: GitlabMapContext = { apiUrl: ctx.apiUrl, webUrl: ctx.webUrl, providerRef: context.providerRef, bindingRef: context.bindingRef };
    return {
      issueTracking: createGitlabIssueTracking(ctx, map),
      cicd: createGitlabCicd(ctx, map),
      gitForge: createGitlabGitForge(ctx, map),
      webhooks: createGitlabWebhooks({ config, map, context: { ...context, redactor: ctx.redactor } }),
      rateLimit: () => ctx.rateLimit(),
    };
  },
});

/**
 * Creates a GitLab provider instance.
 *
 * @example
 * const gitlab = createGitlabProvider({ auth: { type: 'token', token: process.env.GITLAB_TOKEN! } });
 * const { items } = await gitlab.issueTracking!.listIssues('my-group/my-project');
 */
export function createGitlabProvider(config: GitlabConfigInput, context?: PluginContext): ProviderInstance {
  return gitlabPlugin.create(config, context);
}
