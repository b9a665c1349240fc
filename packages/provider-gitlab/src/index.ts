import { gitlabPlugin } from './gitlab-provider.js';

export { gitlabPlugin, createGitlabProvider } from './gitlab-provider.js';
export { gitlabManifest } from './gitlab-manifest.js';
export {
  GitlabConfigSchema, GitlabAuthSchema, GITLAB_DEFAULT_BASE_URL, GITLAB_DEFAULT_MAX_LOG_BYTES, GITLAB_DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type GitlabAuth, type GitlabConfig, type GitlabConfigInput,
} from './gitlab-config.js';
export { GITLAB_SECRET_PATTERNS, redactGitlabSecrets } from './gitlab-errors.js';
export { GITLAB_MAX_PAGE_SIZE } from './gitlab-context.js';

export default gitlabPlugin;
