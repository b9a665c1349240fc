import { z } from 'zod';

export const MANIFEST_API_VERSION = 'krate.a5c.ai/v1alpha1';
export const MANIFEST_KIND = 'ExternalProviderCapabilityManifest';

export const IdempotencyModeSchema = z.enum(['natural', 'synthetic-key', 'idempotent', 'none']);

/** The full shape of one operation (the seed's "Operation shape"). */
export const OperationSpecSchema = z
  .object({
    operation: z.string().min(1),
    supported: z.boolean().default(true),
    write: z.boolean().optional(),
    requires: z
      .object({
        permissions: z.array(z.string()).optional(),
        authModes: z.array(z.string()).optional(),
        nativeScopes: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    idempotency: z.object({ mode: IdempotencyModeSchema, key: z.string().optional() }).strict().optional(),
    rateLimitCost: z
      .object({ restRequests: z.number().int().nonnegative().optional(), graphqlPoints: z.number().nonnegative().optional() })
      .strict()
      .optional(),
    webhookConfirmation: z.object({ events: z.array(z.string()) }).strict().optional(),
    notes: z.string().optional(),
  })
  .strict();
export type OperationSpec = z.infer<typeof OperationSpecSchema>;

export const InterfaceManifestSchema = z
  .object({
    supported: z.boolean(),
    objects: z.array(z.string()).optional(),
    operations: z.array(z.union([z.string().min(1), OperationSpecSchema])).optional(),
    webhooks: z.array(z.string().min(1)).optional(),
    ownershipModes: z
      .array(z.enum(['external-owned', 'krate-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write']))
      .optional(),
    notes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type InterfaceManifest = z.infer<typeof InterfaceManifestSchema>;

export const CapabilityManifestSpecSchema = z
  .object({
    providerType: z.string().regex(/^[a-z][a-z0-9-]*$/, 'providerType is lower-case letters, digits and dashes'),
    displayName: z.string().min(1),
    hosting: z.array(z.string().min(1)).optional(),
    authModes: z.array(z.string().min(1)).min(1),
    api: z.object({ rest: z.boolean().optional(), graphql: z.boolean().optional(), webhook: z.boolean().optional() }).strict().optional(),
    identity: z
      .object({
        nativeIdFields: z.array(z.string()).optional(),
        globalIdField: z.string().optional(),
        urlField: z.string().optional(),
        versionFields: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    adapterRef: z.object({ package: z.string().min(1), version: z.string().min(1) }).strict().optional(),
    interfaces: z
      .object({
        issueTracking: InterfaceManifestSchema.optional(),
        cicd: InterfaceManifestSchema.optional(),
        gitForge: InterfaceManifestSchema.optional(),
      })
      .strict(),
    rateLimitModel: z
      .object({
        kind: z.enum(['points', 'requests', 'complexity', 'none']).optional(),
        headers: z.array(z.string()).optional(),
        limit: z.number().optional(),
        windowSeconds: z.number().optional(),
        secondaryLimits: z.boolean().optional(),
        notes: z.string().optional(),
      })
      .strict()
      .optional(),
    notes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const CapabilityManifestSchema = z
  .object({
    apiVersion: z.literal(MANIFEST_API_VERSION),
    kind: z.literal(MANIFEST_KIND),
    metadata: z.object({ name: z.string().min(1), labels: z.record(z.string(), z.string()).optional() }).strict(),
    spec: CapabilityManifestSpecSchema,
  })
  .strict();

export type CapabilityManifest = z.infer<typeof CapabilityManifestSchema>;
export type CapabilityManifestInput = z.input<typeof CapabilityManifestSchema>;
