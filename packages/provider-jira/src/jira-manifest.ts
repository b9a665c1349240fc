import { MANIFEST_API_VERSION, MANIFEST_KIND, validateManifest, type CapabilityManifest } from '@krate/core';
import { issueTrackingManifest } from './issue-tracking/jira-issue-tracking-manifest.js';

/** The capability manifest of the Jira Cloud provider: issue tracking, API token or OAuth 2.0, admin webhooks. */
export const jiraManifest: CapabilityManifest = validateManifest({
  apiVersion: MANIFEST_API_VERSION,
  kind: MANIFEST_KIND,
  metadata: { name: 'jira-v1' },
  spec: {
    providerType: 'jira',
    displayName: 'Jira Cloud',
    hosting: ['saas'],
    authModes: ['api-token', 'oauth2'],
    api: { rest: true, graphql: false, webhook: true },
    identity: {
      nativeIdFields: ['id', 'key'],
      urlField: 'self',
      versionFields: ['fields.updated'],
    },
    adapterRef: { package: '@krate/provider-jira', version: '0.x' },
    interfaces: {
      issueTracking: issueTrackingManifest,
      cicd: { supported: false },
      gitForge: { supported: false },
    },
    rateLimitModel: {
      kind: 'requests',
      headers: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-reason'],
      secondaryLimits: true,
      notes:
        'Burst limits per endpoint and method answer 429 (some 503s too) with Retry-After; X-RateLimit-Reset is an ISO-8601 instant. ' +
        'RateLimit-Reason jira-per-issue-on-write limits rapid writes to one issue: rate_limited naming that issue. ' +
        'Points-based hourly quotas apply to OAuth apps from March 2026; API-token traffic has burst limits only.',
    },
    notes: {
      apiVersion: 'REST v3',
      identity: 'ExternalRef { scope: project key, id: issue key }; nativeId is the numeric id, which survives a move between projects (the key does not).',
      webUrls: 'Browse links use siteUrl (https://<site>/browse/KEY), also when the API is reached through api.atlassian.com.',
    },
  },
});
