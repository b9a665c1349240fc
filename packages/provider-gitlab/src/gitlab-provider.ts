import { definePlugin, type PluginContext, type ProviderInstance, type ProviderPlugin } from '@krate/core';
import { GitLabConfigSchema, type GitLabConfig, type GitLabConfigInput } from './gitlab-config.js';
import { GitLabContext } from './gitlab-context.js';
import { GITLAB_SECRET_PATTERNS } from './gitlab-errors.js';
import { createGitLabCicd } from './cicd/gitlab-cicd.js';
import { createGitLabGitForge } from './git-forge/gitlab-git-forge.js';
import { gitlabManifest } from './gitlab-manifest.js';
import { createGitLabIssueTracking } from './issue-tracking/gitlab-issue-tracking.js';
import type { GitLabMapContext } from './shared/gitlab-envelope.js';
import { createGitLabWebhooks } from './webhooks/gitlab-webhooks.js';

/**
 * The GitLab provider plugin: issue tracking, CI/CD and git forge on GitLab.com and
 * self-managed GitLab. Register it with a registry, or create an instance with
 * {@link createGitLabProvider}.
 */
export const gitlabPlugin: ProviderPlugin<GitLabConfig> = definePlugin<GitLabConfig>({
  manifest: gitlabManifest,
  configSchema: GitLabConfigSchema,
  secretPatterns: GITLAB_SECRET_PATTERNS,
  create(config, context) {
    const ctx = new GitLabContext(config, context);
    const map: GitLabMapContext = { apiUrl: ctx.apiUrl, webUrl: ctx.webUrl, providerRef: context.providerRef, bindingRef: context.bindingRef };
    return {
      issueTracking: createGitLabIssueTracking(ctx, map),
      cicd: createGitLabCicd(ctx, map),
      gitForge: createGitLabGitForge(ctx, map),
      webhooks: createGitLabWebhooks({ config, map, context: { ...context, redactor: ctx.redactor } }),
      rateLimit: () => ctx.rateLimit(),
    };
  },
});

/**
 * Creates a GitLab provider instance.
 *
 * @example
 * const gitlab = createGitLabProvider({ auth: { type: 'token', token: process.env.GITLAB_TOKEN! } });
 * const { items } = await gitlab.issueTracking!.listIssues('my-group/my-project');
 */
export function createGitLabProvider(config: GitLabConfigInput, context?: PluginContext): ProviderInstance {
  return gitlabPlugin.create(config, context);
}
