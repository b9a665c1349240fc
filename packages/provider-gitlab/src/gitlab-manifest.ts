import { MANIFEST_API_VERSION, MANIFEST_KIND, validateManifest, type CapabilityManifest } from '@krate/core';
import { cicdManifest } from './cicd/gitlab-cicd-manifest.js';
import { gitForgeManifest } from './git-forge/gitlab-git-forge-manifest.js';
import { issueTrackingManifest } from './issue-tracking/gitlab-issue-tracking-manifest.js';

/**
 * The capability manifest of the GitLab provider: GitLab.com and self-managed instances
 * (any base URL, also under a relative URL root), access tokens and OAuth tokens. Each
 * interface's part lives beside its implementation; this file combines them.
 */
export const gitlabManifest: CapabilityManifest = validateManifest({
  apiVersion: MANIFEST_API_VERSION,
  kind: MANIFEST_KIND,
  metadata: { name: 'gitlab-v1' },
  spec: {
    providerType: 'gitlab',
    displayName: 'GitLab',
    hosting: ['saas', 'self-managed', 'dedicated'],
    authModes: ['token', 'oauth'],
    api: { rest: true, graphql: false, webhook: true },
    identity: {
      nativeIdFields: ['id', 'iid'],
      urlField: 'web_url',
      versionFields: ['updated_at', 'sha'],
    },
    adapterRef: { package: '@krate/provider-gitlab', version: '0.x' },
    interfaces: {
      issueTracking: issueTrackingManifest,
      cicd: cicdManifest,
      gitForge: gitForgeManifest,
    },
    rateLimitModel: {
      kind: 'requests',
      headers: ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-name', 'retry-after'],
      limit: 2000,
      windowSeconds: 60,
      notes:
        'GitLab.com: about 2000 authenticated API requests per minute per user, lower on some endpoints; self-managed instances set their own. ' +
        '429 answers carry Retry-After and RateLimit-Reset (epoch seconds); both are rate_limited with retryAfterMs.',
    },
    notes: {
      sdk: '@gitbeaker/rest 43.8 with its requester replaced: every request goes through Krate\'s transport (retries, timeouts, cancellation, rate limits).',
      identity: 'Issues and merge requests: { scope: project path (group/sub/project), id: iid }, nativeId the global id. Pipelines, jobs and runners: global ids.',
      webhooks: 'Signing tokens (Standard Webhooks, GitLab 19+) and legacy secret tokens (X-Gitlab-Token), both on one instance; deduplicated on Idempotency-Key.',
    },
  },
});
