import { z } from 'zod';

/** The three interfaces a provider can implement. */
export const InterfaceNameSchema = z.enum(['issueTracking', 'cicd', 'gitForge']);
export type InterfaceName = z.infer<typeof InterfaceNameSchema>;
export const INTERFACE_NAMES = InterfaceNameSchema.options;

/**
 * The address of an object in a provider. `scope` is the provider's own path
 * (`owner/repo`, `group/sub/project`, a Jira project key, a Linear team key,
 * `org/pipeline`); `id` is the addressable key (number, IID, `KRATE-7`, sha).
 */
export const ExternalRefSchema = z.object({
  scope: z.string().min(1),
  id: z.string().min(1),
});
export type ExternalRef = z.infer<typeof ExternalRefSchema>;

export const ExternalVersionSchema = z.object({
  etag: z.string().optional(),
  updatedAt: z.string().optional(),
  sha: z.string().optional(),
});
export type ExternalVersion = z.infer<typeof ExternalVersionSchema>;

export const ExternalExtensionsSchema = z.object({
  providerType: z.string().min(1),
  schemaVersion: z.string().min(1),
  fields: z.record(z.string(), z.unknown()),
});
export type ExternalExtensions = z.infer<typeof ExternalExtensionsSchema>;

/** The envelope every synced object carries: native identity, URLs, version, extensions. */
export const ExternalEnvelopeSchema = z.object({
  providerRef: z.string().optional(),
  bindingRef: z.string().optional(),
  interface: InterfaceNameSchema,
  nativeKind: z.string().min(1),
  nativeId: z.string().min(1),
  nativeNumber: z.number().int().optional(),
  nodeId: z.string().optional(),
  url: z.string().optional(),
  apiUrl: z.string().optional(),
  version: ExternalVersionSchema,
  extensions: ExternalExtensionsSchema,
});
export type ExternalEnvelope = z.infer<typeof ExternalEnvelopeSchema>;

/** Rich text kept as safe Markdown plus where it came from. */
export const RichTextSchema = z.object({
  markdown: z.string(),
  sourceFormat: z.enum(['markdown', 'gitlab-markdown', 'linear-markdown', 'adf', 'html', 'plain']),
  sourceDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  renderWarnings: z.array(z.string()),
});
export type RichText = z.infer<typeof RichTextSchema>;

export const ExternalUserSchema = z.object({
  id: z.string(),
  login: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  url: z.string().optional(),
});
export type ExternalUser = z.infer<typeof ExternalUserSchema>;

export const IsoDateSchema = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO-8601 date');

/** Builds the schema of a normalized object: `ref`, `external` and the given fields. */
export function externalObject<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ref: ExternalRefSchema, external: ExternalEnvelopeSchema, ...shape });
}
