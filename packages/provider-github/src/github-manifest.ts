import { MANIFEST_API_VERSION, MANIFEST_KIND, validateManifest, type CapabilityManifest } from '@krate/core';
import { cicdManifest } from './cicd/github-cicd-manifest.js';
import { gitForgeManifest } from './git-forge/github-git-forge-manifest.js';
import { issueTrackingManifest } from './issue-tracking/github-issue-tracking-manifest.js';

/**
 * The capability manifest of the GitHub provider: all three interfaces, GitHub App
 * and token auth, GitHub.com and GitHub Enterprise Server. Each interface's part
 * lives beside its implementation; this file combines them.
 */
export const githubManifest: CapabilityManifest = validateManifest({
  apiVersion: MANIFEST_API_VERSION,
  kind: MANIFEST_KIND,
  metadata: { name: 'github-v1' },
  spec: {
    providerType: 'github',
    displayName: 'GitHub',
    hosting: ['saas', 'github-enterprise-cloud', 'github-enterprise-server'],
    authModes: ['github-app', 'token'],
    api: { rest: true, graphql: true, webhook: true },
    identity: {
      nativeIdFields: ['id', 'number'],
      globalIdField: 'node_id',
      urlField: 'html_url',
      versionFields: ['etag', 'updated_at', 'head_sha'],
    },
    adapterRef: { package: '@krate/provider-github', version: '0.x' },
    interfaces: {
      issueTracking: issueTrackingManifest,
      cicd: cicdManifest,
      gitForge: gitForgeManifest,
    },
    rateLimitModel: {
      kind: 'requests',
      headers: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-resource', 'retry-after'],
      limit: 5000,
      windowSeconds: 3600,
      secondaryLimits: true,
      notes:
        'Primary limit: 5000 requests/hour per installation (more on large orgs and Enterprise Cloud), 403 or 429 with x-ratelimit-remaining 0 until x-ratelimit-reset. ' +
        'Secondary limits (concurrency, content creation): 403 or 429 with retry-after and a "secondary rate limit" message. Both are rate_limited with retryAfterMs. ' +
        'Conditional requests answered 304 do not count.',
    },
    notes: {
      lifecycleWebhooks: ['installation', 'installation_repositories', 'ping'],
      apiVersion: '2022-11-28',
    },
  },
});
