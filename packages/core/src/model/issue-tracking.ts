import { z } from 'zod';
import { ExternalRefSchema, ExternalUserSchema, IsoDateSchema, RichTextSchema, externalObject } from './common.js';
import { IssueCloseReasonSchema, IssuePhaseSchema } from './lifecycle.js';

export const ExternalLabelSchema = externalObject({
  name: z.string().min(1),
  color: z.string().optional(),
  description: z.string().optional(),
});
export type ExternalLabel = z.infer<typeof ExternalLabelSchema>;

export const ExternalMilestoneSchema = externalObject({
  title: z.string(),
  description: z.string().optional(),
  state: z.enum(['open', 'closed']),
  dueOn: IsoDateSchema.optional(),
});
export type ExternalMilestone = z.infer<typeof ExternalMilestoneSchema>;

export const ExternalIssueSchema = externalObject({
  title: z.string(),
  body: RichTextSchema,
  phase: IssuePhaseSchema,
  /** The provider's own state or status name (`open`, `In Progress`, `Done`). */
  state: z.string(),
  closeReason: IssueCloseReasonSchema.optional(),
  labels: z.array(z.string()),
  assignees: z.array(ExternalUserSchema),
  author: ExternalUserSchema.optional(),
  milestone: z.string().optional(),
  /** Set when the provider backs this issue with a pull request (GitHub shares one number space). */
  pullRequestRef: ExternalRefSchema.optional(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  closedAt: IsoDateSchema.optional(),
});
export type ExternalIssue = z.infer<typeof ExternalIssueSchema>;

export const ExternalCommentSchema = externalObject({
  issueRef: ExternalRefSchema,
  body: RichTextSchema,
  author: ExternalUserSchema.optional(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type ExternalComment = z.infer<typeof ExternalCommentSchema>;

export const ExternalIssueEventSchema = externalObject({
  issueRef: ExternalRefSchema,
  /** The provider's event name (`labeled`, `closed`, `transitioned`). */
  kind: z.string(),
  actor: ExternalUserSchema.optional(),
  createdAt: IsoDateSchema,
  details: z.record(z.string(), z.unknown()),
});
export type ExternalIssueEvent = z.infer<typeof ExternalIssueEventSchema>;

export const IssueInputSchema = z.object({
  /** Where the issue is created: `owner/repo`, a project key, a team key. */
  scope: z.string().min(1),
  title: z.string().min(1),
  body: z.string().optional(),
  labels: z.array(z.string()).optional(),
  assignees: z.array(z.string()).optional(),
  milestone: z.string().optional(),
  /** A caller-chosen key that makes a retried create return the first result. */
  idempotencyKey: z.string().optional(),
});
export type IssueInput = z.infer<typeof IssueInputSchema>;

export const IssuePatchSchema = z.object({
  title: z.string().min(1).optional(),
  body: z.string().optional(),
  state: z.enum(['open', 'closed']).optional(),
  labels: z.array(z.string()).optional(),
  assignees: z.array(z.string()).optional(),
  milestone: z.string().nullable().optional(),
  /** Optimistic concurrency: the version the caller last saw. */
  ifMatch: z.string().optional(),
});
export type IssuePatch = z.infer<typeof IssuePatchSchema>;

export const CommentInputSchema = z.object({ body: z.string().min(1), idempotencyKey: z.string().optional() });
export type CommentInput = z.infer<typeof CommentInputSchema>;
export const CommentPatchSchema = z.object({ body: z.string().min(1) });
export type CommentPatch = z.infer<typeof CommentPatchSchema>;

export const DesiredLabelSchema = z.object({
  name: z.string().min(1),
  color: z.string().regex(/^[0-9a-fA-F]{6}$/).optional(),
  description: z.string().optional(),
});
export type DesiredLabel = z.infer<typeof DesiredLabelSchema>;

export { IssueCloseReasonSchema };
