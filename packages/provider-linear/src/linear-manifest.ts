import { MANIFEST_API_VERSION, MANIFEST_KIND, validateManifest, type CapabilityManifest } from '@krate/core';
import { issueTrackingManifest } from './issue-tracking/linear-issue-tracking-manifest.js';

/** The capability manifest of the Linear provider: issue tracking, API key and OAuth auth. */
export const linearManifest: CapabilityManifest = validateManifest({
  apiVersion: MANIFEST_API_VERSION,
  kind: MANIFEST_KIND,
  metadata: { name: 'linear-v1' },
  spec: {
    providerType: 'linear',
    displayName: 'Linear',
    hosting: ['saas'],
    authModes: ['api-key', 'oauth'],
    api: { rest: false, graphql: true, webhook: true },
    identity: {
      nativeIdFields: ['id', 'identifier'],
      globalIdField: 'id',
      urlField: 'url',
      versionFields: ['updatedAt'],
    },
    adapterRef: { package: '@krate/provider-linear', version: '0.x' },
    interfaces: {
      issueTracking: issueTrackingManifest,
      cicd: { supported: false, notes: { reason: 'Linear is an issue tracker; it runs no pipelines.' } },
      gitForge: { supported: false, notes: { reason: 'Linear hosts no repositories; it links to GitHub and GitLab ones.' } },
    },
    rateLimitModel: {
      kind: 'complexity',
      headers: [
        'x-ratelimit-requests-limit', 'x-ratelimit-requests-remaining', 'x-ratelimit-requests-reset',
        'x-ratelimit-complexity-limit', 'x-ratelimit-complexity-remaining', 'x-ratelimit-complexity-reset', 'x-complexity', 'retry-after',
      ],
      windowSeconds: 3600,
      secondaryLimits: false,
      notes:
        'Two hourly budgets: requests and complexity points (limits vary by key and plan: trust the headers; resets are epoch milliseconds). ' +
        'A single query may cost at most 10 000 points. A refused request is HTTP 400 with errors[0].extensions.code RATELIMITED ' +
        '(with or without extensions.type ratelimited): rate_limited with retryAfterMs.',
    },
    notes: { endpoint: 'POST https://api.linear.app/graphql', sdk: '@linear/sdk 98' },
  },
});
