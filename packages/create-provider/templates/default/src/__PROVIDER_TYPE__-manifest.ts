import { MANIFEST_API_VERSION, MANIFEST_KIND, defineManifest } from '@krate/core';

/**
 * What this provider supports. The contract suite runs a case for every operation
 * and webhook event declared here, and checks that everything else is refused.
 * Add an operation here only together with its implementation and its fake route.
 */
export const __CAMEL__Manifest = defineManifest({
  apiVersion: MANIFEST_API_VERSION,
  kind: MANIFEST_KIND,
  metadata: { name: '__PROVIDER_TYPE__-v1' },
  spec: {
    providerType: '__PROVIDER_TYPE__',
    displayName: '__DISPLAY_NAME__',
    hosting: ['saas'],
    authModes: ['api-token'],
    api: { rest: true, graphql: false, webhook: true },
    identity: { nativeIdFields: ['id', 'number'], urlField: 'url', versionFields: ['updated_at'] },
    interfaces: {
      issueTracking: {
        supported: true,
        objects: ['Issue'],
        operations: [
          'listIssues',
          'getIssue',
          {
            operation: 'createIssue',
            supported: true,
            write: true,
            requires: { nativeScopes: ['issues:write'] },
            idempotency: { mode: 'natural', key: 'Idempotency-Key' },
            webhookConfirmation: { events: ['issue.created'] },
          },
          { operation: 'updateIssue', supported: true, write: true, idempotency: { mode: 'idempotent' } },
          { operation: 'closeIssue', supported: true, write: true, idempotency: { mode: 'idempotent' } },
        ],
        webhooks: ['issue.created', 'issue.updated', 'issue.deleted'],
      },
      cicd: { supported: false },
      gitForge: { supported: false },
    },
    rateLimitModel: { kind: 'requests', headers: ['Retry-After'] },
  },
});
