export { createGitHubWebhooks, type GitHubWebhooksOptions } from './github-webhooks.js';
export { verifyGitHubSignature, GITHUB_SIGNATURE_HEADER, GITHUB_SHA1_SIGNATURE_HEADER } from './github-webhook-signature.js';
export { normalizeGitHubEvent, GITHUB_NORMALIZED_EVENTS, GITHUB_IGNORED_EVENTS } from './github-webhook-normalizers.js';
export type { GitHubEventNormalizer, GhPayload } from './github-webhook-payload.js';
