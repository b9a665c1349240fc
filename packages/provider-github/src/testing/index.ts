export { createFake, GITHUB_FAKE_MODULES, GITHUB_FAKE_OWNER, GITHUB_FAKE_REPOSITORY, type GitHubFake } from './github-fake.js';
export { createGitHubFakeCore, DEFAULT_INSTALLATION_PERMISSIONS, type GitHubFakeCoreImpl, type FakeTokenInfo } from './github-fake-api.js';
export type { GhObject, GitHubFakeCore, GitHubFakeModule, GitHubFakeState } from './github-fake-state.js';
export { githubFakeIssues } from './github-fake-issues.js';
export { fakeAppKeys, verifyAppJwt } from './github-fake-app.js';
export { githubFakeCicd, GITHUB_FAKE_LOG_HOST, githubFakeLogBase } from './github-fake-cicd.js';
export { githubFakeGitForge } from './github-fake-git-forge.js';
export { githubFakeGraphql, githubGraphqlBaseUrl } from './github-fake-graphql.js';

/**
 * Base URLs the contract suite runs again with (a GitHub Enterprise Server API);
 * `krate-contract run` reads this export.
 */
export const alternateBaseUrls: string[] = ['https://ghe.example.com/api/v3'];
