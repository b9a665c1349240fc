/**
 * @krate/provider-github: the GitHub provider for Krate (issue tracking, CI/CD, git forge).
 *
 * The fake and its types are at `@krate/provider-github/testing`.
 */
import { githubPlugin } from './github-provider.js';

export default githubPlugin;
export { githubPlugin, createGitHubProvider } from './github-provider.js';
export type { GitHubConfig, GitHubConfigInput, GitHubAppAuth, GitHubTokenAuth } from './github-config.js';
export { githubManifest } from './github-manifest.js';
