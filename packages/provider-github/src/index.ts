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
export { createGitHubContext, type GitHubContextImpl } from './github-context.js';
export type { GitHubContext, GitHubMappingContext, RepoScope } from './github-context.js';
export { mapGitHubError, classifyGitHubResponse, readGitHubRateLimit } from './github-errors.js';
export { issueTrackingManifest } from './issue-tracking/github-issue-tracking-manifest.js';
export { createGitHubIssueTracking } from './issue-tracking/github-issue-tracking.js';
export { mapIssue, mapComment, mapLabel, mapMilestone, mapIssueEvent } from './issue-tracking/github-issue-tracking-mapping.js';
export { cicdManifest } from './cicd/github-cicd-manifest.js';
export { createGitHubCicd, type GitHubCicd, type GitHubCicdOptions } from './cicd/github-cicd.js';
export {
  mapWorkflowRun, mapWorkflowJob, mapArtifact, mapRunner, mapCheckRun, mapCommitStatus, gitHubPhase, commitStatusPhase,
} from './cicd/github-cicd-mapping.js';
export { gitForgeManifest } from './git-forge/github-git-forge-manifest.js';
export { createGitHubGitForge, type GitHubGitForge } from './git-forge/github-git-forge.js';
export {
  mapRepository, mapPullRequest, mapMergeState, mapReview, mapGitRef, mapCommit, mapDeployKey, mapCollaborator, mapBranchProtection,
} from './git-forge/github-git-forge-mapping.js';
export { createGitHubWebhooks, type GitHubWebhooksOptions } from './webhooks/github-webhooks.js';
export { listIssuesGraphql, GRAPHQL_MAX_PAGE_SIZE } from './issue-tracking/github-issue-tracking-graphql.js';
export { GITHUB_NORMALIZED_EVENTS } from './webhooks/github-webhook-events.js';
