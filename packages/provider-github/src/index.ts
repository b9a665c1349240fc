import { githubPlugin } from './github-provider.js';

export default githubPlugin;
export { githubPlugin, createGitHubProvider } from './github-provider.js';
export { githubManifest } from './github-manifest.js';
export {
  GitHubConfigSchema,
  GitHubAppAuthSchema,
  GitHubTokenAuthSchema,
  GitHubAuthSchema,
  GITHUB_DEFAULT_BASE_URL,
  GITHUB_API_VERSION,
  deriveWebBaseUrl,
  type GitHubConfig,
  type GitHubConfigInput,
  type GitHubAppAuth,
  type GitHubTokenAuth,
} from './github-config.js';
export { createGitHubContext, type GitHubContextImpl } from './github-context-impl.js';
export type { GitHubContext, GitHubMappingContext, RepoScope } from './github-context.js';
export { mapGitHubError, classifyGitHubResponse, readGitHubRateLimit } from './github-errors.js';
export { issueTrackingManifest } from './issue-tracking/github-issue-tracking-manifest.js';
export { createGitHubIssueTracking } from './issue-tracking/github-issue-tracking.js';
export { mapIssue, mapComment, mapLabel, mapMilestone, mapIssueEvent } from './issue-tracking/github-issue-tracking-mapping.js';
