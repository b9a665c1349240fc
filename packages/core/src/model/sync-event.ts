import { z } from 'zod';
import { ExternalRefSchema, InterfaceNameSchema } from './common.js';

export const ObjectKindSchema = z.enum([
  'issue', 'comment', 'label', 'milestone', 'issueEvent',
  'pipeline', 'job', 'artifact', 'runner', 'check',
  'repository', 'pullRequest', 'review', 'gitRef', 'commit', 'deployKey', 'collaborator', 'branchProtection',
  'installation',
]);
export type ObjectKind = z.infer<typeof ObjectKindSchema>;

/** What one webhook delivery changed, normalized. */
export const ExternalSyncEventSchema = z.object({
  interface: InterfaceNameSchema,
  kind: ObjectKindSchema,
  ref: ExternalRefSchema,
  change: z.enum(['upserted', 'deleted']),
  /** The normalized object, where the payload carries enough of it. */
  object: z.unknown().optional(),
  occurredAt: z.string().optional(),
});
export type ExternalSyncEvent = z.infer<typeof ExternalSyncEventSchema>;

export const WebhookDeliverySchema = z.object({
  provider: z.string(),
  deliveryId: z.string(),
  nativeEvent: z.string(),
  action: z.string().optional(),
  dedupeKey: z.string(),
  installationId: z.string().optional(),
  events: z.array(ExternalSyncEventSchema),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
