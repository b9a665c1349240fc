import { defineManifest, type CapabilityManifest } from '@krate/core';

/**
 * The Buildkite provider's capability manifest: CI/CD only, on the REST API v2.
 *
 * Not declared (core refuses them before any request):
 * - `registerRunner`: Buildkite agents register with cluster agent tokens, which are a
 *   different API (clusters) and long-lived, not a short-lived registration token.
 * - `createCheck` / `updateCheck`: Buildkite has no check runs or commit statuses of
 *   its own; it publishes statuses to the git forge itself.
 */
export const buildkiteManifest: CapabilityManifest = defineManifest({
  apiVersion: 'krate.a5c.ai/v1alpha1',
  kind: 'ExternalProviderCapabilityManifest',
  metadata: { name: 'buildkite-v1', labels: { 'krate.a5c.ai/provider': 'buildkite' } },
  spec: {
    providerType: 'buildkite',
    displayName: 'Buildkite',
    hosting: ['saas'],
    authModes: ['api-access-token'],
    api: { rest: true, graphql: false, webhook: true },
    identity: {
      nativeIdFields: ['id', 'number'],
      globalIdField: 'graphql_id',
      urlField: 'web_url',
      versionFields: ['state', 'finished_at', 'commit'],
    },
    adapterRef: { package: '@krate/provider-buildkite', version: '0.x' },
    interfaces: {
      issueTracking: { supported: false },
      gitForge: { supported: false },
      cicd: {
        supported: true,
        objects: ['Build', 'Job', 'JobLog', 'Artifact', 'Agent'],
        ownershipModes: ['external-owned', 'read-only', 'write-through', 'reviewed-write'],
        operations: [
          {
            operation: 'listPipelines',
            requires: { nativeScopes: ['read_builds'] },
            rateLimitCost: { restRequests: 1 },
            notes:
              'Builds of `org/pipeline` or of the organization `org`, newest first, 100 per request. ' +
              'updatedSince lists builds created, finished or (still active and) started or failing at or after the instant.',
          },
          { operation: 'getPipeline', requires: { nativeScopes: ['read_builds'] }, rateLimitCost: { restRequests: 1 } },
          {
            operation: 'listJobs',
            requires: { nativeScopes: ['read_builds'] },
            rateLimitCost: { restRequests: 1 },
            notes: 'Command (script), block (manual) and trigger jobs; wait steps (waiter jobs) are left out.',
          },
          {
            operation: 'getJobLog',
            requires: { nativeScopes: ['read_build_logs'] },
            rateLimitCost: { restRequests: 1 },
            notes: 'Fetched on demand; credentials redacted; logs above maxLogBytes keep their tail and are marked truncated.',
          },
          { operation: 'listArtifacts', requires: { nativeScopes: ['read_artifacts'] }, rateLimitCost: { restRequests: 1 } },
          {
            operation: 'rerunPipeline',
            write: true,
            requires: { nativeScopes: ['write_builds'] },
            idempotency: { mode: 'none' },
            rateLimitCost: { restRequests: 1 },
            webhookConfirmation: { events: ['build.scheduled'] },
            notes: 'PUT .../rebuild makes a new build (never retried automatically); failedOnly uses PUT .../retry_failed_jobs on the same build.',
          },
          {
            operation: 'cancelPipeline',
            write: true,
            requires: { nativeScopes: ['write_builds'] },
            idempotency: { mode: 'idempotent' },
            rateLimitCost: { restRequests: 1 },
            webhookConfirmation: { events: ['build.finished'] },
            notes: 'A build that is no longer scheduled, running or failing is returned as it is (one extra read) instead of an error.',
          },
          {
            operation: 'listRunners',
            requires: { nativeScopes: ['read_agents'] },
            rateLimitCost: { restRequests: 1 },
            notes: 'Connected agents of the organization (Buildkite does not list disconnected agents).',
          },
        ],
        webhooks: [
          'build.scheduled',
          'build.running',
          'build.failing',
          'build.finished',
          'job.scheduled',
          'job.started',
          'job.finished',
          'job.activated',
          'agent.connected',
          'agent.disconnected',
          'agent.lost',
          'agent.stopping',
          'agent.stopped',
        ],
        notes: {
          registerRunner: 'not supported: agents register with cluster agent tokens (clusters API)',
          checks: 'not supported: Buildkite has no check runs; it publishes commit statuses to the forge itself',
        },
      },
    },
    rateLimitModel: {
      kind: 'requests',
      headers: ['RateLimit-Remaining', 'RateLimit-Limit', 'RateLimit-Reset', 'RateLimit-User-Remaining', 'RateLimit-User-Reset'],
      limit: 200,
      windowSeconds: 60,
      notes: '200 requests per minute per organization and a per-user limit (50 by default); 429 when either is exceeded.',
    },
    notes: {
      webhookSchemes: 'X-Buildkite-Token (plain token) or X-Buildkite-Signature (HMAC-SHA256 over "timestamp.body")',
    },
  },
});
