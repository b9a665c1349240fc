import { z } from 'zod';
import { operationsOf } from '../contracts/catalog.js';
import { INTERFACE_NAMES, type InterfaceName } from '../model/common.js';
import { OwnershipModeSchema } from '../model/lifecycle.js';

/** The only `apiVersion` a capability manifest may have. */
export const MANIFEST_API_VERSION = 'krate.a5c.ai/v1alpha1';
/** The only `kind` a capability manifest may have. */
export const MANIFEST_KIND = 'ExternalProviderCapabilityManifest';

/**
 * How repeating a write is made safe.
 * - `natural`: the object has a natural key (a label name, a deploy key title), so a repeat finds it.
 * - `synthetic-key`: Krate attaches its own key (a marker in the body or an idempotency header) and looks for it before repeating.
 * - `idempotent`: the vendor call itself can be repeated with the same result (a PUT of desired state, a cancel).
 * - `none`: not safe to repeat; a failed call is reported, never retried blindly.
 */
export const IdempotencyModeSchema = z
  .enum(['natural', 'synthetic-key', 'idempotent', 'none'])
  .describe(
    'How repeating the write is made safe: natural (a natural key finds the existing object), synthetic-key (Krate attaches and looks up its own key), idempotent (the vendor call can be repeated), none (never repeated blindly).',
  );
export type IdempotencyMode = z.infer<typeof IdempotencyModeSchema>;

const nonEmpty = (what: string) => z.string().min(1, `${what} must not be empty`);

function operationNameSchema(iface?: InterfaceName) {
  const base = nonEmpty('operation name');
  if (!iface) {
    return base.describe('A canonical operation name (a method of the interface contract).');
  }
  return base.meta({
    description: `A canonical ${iface} operation, declared supported with default settings. Use the object form to add requirements, idempotency or costs.`,
    enum: operationsOf(iface),
  });
}

/** What an operation needs from the caller's grant. */
export const OperationRequirementsSchema = z
  .object({
    permissions: z
      .array(nonEmpty('permission'))
      .describe('Krate permissions the caller needs, as interface.resource.verb (for example gitForge.pullRequests.write).')
      .optional(),
    authModes: z
      .array(nonEmpty('auth mode'))
      .describe('The auth modes (from spec.authModes) with which the operation works. Omitted: every declared auth mode.')
      .optional(),
    nativeScopes: z
      .array(nonEmpty('native scope'))
      .describe('Vendor scopes or permissions the credential needs (for example pull_requests:write, api, write:jira-work).')
      .optional(),
  })
  .strict()
  .describe('What the operation requires of the credential and the caller.');

/** How a write is made safe to repeat. */
export const OperationIdempotencySchema = z
  .object({
    mode: IdempotencyModeSchema,
    key: nonEmpty('idempotency key')
      .describe('For synthetic-key: where the key lives or how it is built (for example a body marker or a header name).')
      .optional(),
  })
  .strict()
  .describe('How a repeated call of this operation is kept from acting twice.');

/** What one call of the operation costs against the vendor's rate limit. */
export const OperationRateLimitCostSchema = z
  .object({
    restRequests: z.number().int().nonnegative().describe('REST requests one call sends (one page for a list).').optional(),
    graphqlPoints: z.number().nonnegative().describe('GraphQL points (or complexity) one call costs.').optional(),
  })
  .strict()
  .describe('The cost of one call against the rate limit.');

/** Webhook events that confirm a write took effect. */
export const OperationWebhookConfirmationSchema = z
  .object({
    events: z
      .array(nonEmpty('webhook event'))
      .min(1, 'list at least one webhook event')
      .describe('Native webhook events that confirm the write (they should also be listed in an interface\'s webhooks).'),
  })
  .strict()
  .describe('Webhook events that confirm the write reached the provider.');

function operationSpecSchema(iface?: InterfaceName) {
  return z
    .object({
      operation: operationNameSchema(iface),
      supported: z.boolean().default(true).describe('Whether the operation is supported. Default: true. An entry with false documents a known gap.'),
      write: z
        .boolean()
        .describe('Whether the operation changes provider state. Must agree with the contract: create, update, close, sync and action operations write.')
        .optional(),
      requires: OperationRequirementsSchema.optional(),
      idempotency: OperationIdempotencySchema.optional(),
      rateLimitCost: OperationRateLimitCostSchema.optional(),
      webhookConfirmation: OperationWebhookConfirmationSchema.optional(),
      notes: z.string().describe('Free text about this operation (limits, quirks).').optional(),
    })
    .strict()
    .describe('The full shape of one operation.');
}

/** The full shape of one operation (the seed's "Operation shape"). */
export const OperationSpecSchema = operationSpecSchema();
export type OperationSpec = z.infer<typeof OperationSpecSchema>;
export type OperationSpecInput = z.input<typeof OperationSpecSchema>;

/** The per-interface schema of a full operation entry: `operation` is one of that interface's names. */
export function operationSpecSchemaFor(iface: InterfaceName) {
  return operationSpecSchema(iface);
}

function operationEntrySchema(iface?: InterfaceName) {
  return z
    .union([operationNameSchema(iface), operationSpecSchema(iface)])
    .describe('An operation: its canonical name, or an object with operation and its settings.');
}

/** One entry of an interface's `operations`: a canonical name or a full operation object. */
export const OperationEntrySchema = operationEntrySchema();
export type OperationEntry = z.infer<typeof OperationEntrySchema>;

function interfaceManifestSchema(iface?: InterfaceName) {
  return z
    .object({
      supported: z.boolean().describe('Whether the provider implements this interface.'),
      objects: z
        .array(nonEmpty('object kind'))
        .describe('Native object kinds the interface covers, in the vendor\'s words (Issue, MergeRequest, Build).')
        .optional(),
      operations: z
        .array(operationEntrySchema(iface))
        .describe('The operations the provider implements. An operation not listed here is refused without a request.')
        .optional(),
      webhooks: z
        .array(nonEmpty('webhook event'))
        .describe('Native webhook event names the provider receives and normalizes for this interface.')
        .optional(),
      ownershipModes: z
        .array(OwnershipModeSchema.describe('An ownership mode: who is the source of truth and how changes flow.'))
        .describe('Ownership modes this interface offers.')
        .optional(),
      notes: z.record(z.string(), z.unknown()).describe('Free-form notes about this interface.').optional(),
    })
    .strict()
    .describe(iface ? `The ${iface} interface.` : 'One interface the provider may implement.');
}

/** The declaration of one interface (generic: any operation name). */
export const InterfaceManifestSchema = interfaceManifestSchema();
export type InterfaceManifest = z.infer<typeof InterfaceManifestSchema>;

export const ApiSurfaceSchema = z
  .object({
    rest: z.boolean().describe('The provider has a REST API.').optional(),
    graphql: z.boolean().describe('The provider has a GraphQL API.').optional(),
    webhook: z.boolean().describe('The provider sends webhooks.').optional(),
  })
  .strict()
  .describe('The API surfaces the provider offers.');

export const IdentityFieldsSchema = z
  .object({
    nativeIdFields: z.array(nonEmpty('field')).describe('Native fields that identify an object (for example id, number, iid, key).').optional(),
    globalIdField: nonEmpty('field').describe('A native field holding a globally unique id (for example node_id).').optional(),
    urlField: nonEmpty('field').describe('The native field holding the web URL (for example html_url, web_url).').optional(),
    versionFields: z
      .array(nonEmpty('field'))
      .describe('Native fields or headers that change with every update (etag, updated_at, head_sha).')
      .optional(),
  })
  .strict()
  .describe('Where native identity and version live in the vendor\'s objects.');

export const AdapterRefSchema = z
  .object({
    package: nonEmpty('package').describe('The npm package implementing the provider (for example @krate/provider-github).'),
    version: nonEmpty('version').describe('A version or semver range of that package (quote values like "1.10" so YAML keeps them text).'),
  })
  .strict()
  .describe('The package that implements this provider.');

export const RateLimitModelObjectSchema = z
  .object({
    kind: z
      .enum(['points', 'requests', 'complexity', 'none'])
      .describe('What the limit counts: points, requests, query complexity, or none.')
      .optional(),
    headers: z.array(nonEmpty('header')).describe('Response headers carrying the limit state (x-ratelimit-remaining, RateLimit-Reset).').optional(),
    limit: z.number().nonnegative().describe('The limit per window.').optional(),
    windowSeconds: z.number().positive().describe('The window length in seconds.').optional(),
    secondaryLimits: z.boolean().describe('Whether the vendor also enforces secondary (abuse) limits.').optional(),
    notes: z.string().describe('Free text about the rate limits.').optional(),
  })
  .strict();

export const RateLimitModelSchema = z
  .union([nonEmpty('rate limit model').describe('A named rate-limit model (for example provider-specific).'), RateLimitModelObjectSchema])
  .describe('How the vendor limits request rates: a name, or an object with kind, headers, limit and window.');
export type RateLimitModel = z.infer<typeof RateLimitModelSchema>;

const interfacesShape = Object.fromEntries(
  INTERFACE_NAMES.map((iface) => [iface, interfaceManifestSchema(iface).optional()]),
) as { [K in InterfaceName]: z.ZodOptional<ReturnType<typeof interfaceManifestSchema>> };

export const CapabilityManifestSpecSchema = z
  .object({
    providerType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'providerType is lower-case letters, digits and dashes, starting with a letter')
      .describe('The provider\'s type name (github, gitlab, jira, buildkite, or a custom name).'),
    displayName: nonEmpty('displayName').describe('The name people see (GitHub, GitLab, Jira).'),
    hosting: z
      .array(nonEmpty('hosting'))
      .describe('Where the service runs: saas, self-managed, github-enterprise-server, cloud, data-center.')
      .optional(),
    authModes: z
      .array(nonEmpty('auth mode'))
      .min(1, 'list at least one auth mode')
      .describe('How users authenticate (github-app, oauth-user, personal-access-token, project-token, api-token).'),
    api: ApiSurfaceSchema.optional(),
    identity: IdentityFieldsSchema.optional(),
    adapterRef: AdapterRefSchema.optional(),
    interfaces: z
      .object(interfacesShape)
      .strict()
      .describe('The three interfaces (issueTracking, cicd, gitForge): which are supported and with which operations and webhooks.'),
    rateLimitModel: RateLimitModelSchema.optional(),
    notes: z.record(z.string(), z.unknown()).describe('Free-form notes (for example bodyFormat: atlassian-document-format).').optional(),
  })
  .strict()
  .describe('What the provider supports.');

export const ManifestMetadataSchema = z
  .object({
    name: nonEmpty('metadata.name').describe('The manifest name, conventionally <providerType>-v<major> (github-v1).'),
    labels: z.record(z.string(), z.string()).describe('Labels, as string pairs.').optional(),
    annotations: z.record(z.string(), z.string()).describe('Annotations, as string pairs.').optional(),
  })
  .strict()
  .describe('Name and labels of the manifest.');

export const CapabilityManifestSchema = z
  .object({
    $schema: z.string().describe('The JSON Schema this file follows (for editors); ignored by Krate.').optional(),
    apiVersion: z.literal(MANIFEST_API_VERSION).describe(`Always ${MANIFEST_API_VERSION}.`),
    kind: z.literal(MANIFEST_KIND).describe(`Always ${MANIFEST_KIND}.`),
    metadata: ManifestMetadataSchema,
    spec: CapabilityManifestSpecSchema,
  })
  .strict()
  .describe(
    'A Krate provider capability manifest: the interfaces, operations, auth modes, webhook events, rate-limit model and identity fields a provider declares.',
  );

export type CapabilityManifest = z.infer<typeof CapabilityManifestSchema>;
export type CapabilityManifestInput = z.input<typeof CapabilityManifestSchema>;
