/**
 * @krate/provider-gitlab: the GitLab provider for Krate (issue tracking, CI/CD, git forge).
 *
 * The fake and its types are at `@krate/provider-gitlab/testing`.
 */
import { gitlabPlugin } from './gitlab-provider.js';

export default gitlabPlugin;
export { gitlabPlugin, createGitLabProvider } from './gitlab-provider.js';
export { gitlabManifest } from './gitlab-manifest.js';
export {
  GitLabConfigSchema, GitLabAuthSchema, GITLAB_DEFAULT_BASE_URL, GITLAB_DEFAULT_MAX_LOG_BYTES, GITLAB_DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type GitLabAuth, type GitLabConfig, type GitLabConfigInput,
} from './gitlab-config.js';
