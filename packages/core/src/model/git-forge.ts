import { z } from 'zod';
import { ExternalRefSchema, ExternalUserSchema, IsoDateSchema, RichTextSchema, externalObject } from './common.js';

export const VisibilitySchema = z.enum(['public', 'private', 'internal']);

export const ExternalRepositorySchema = externalObject({
  owner: z.string(),
  name: z.string(),
  fullPath: z.string(),
  description: z.string().optional(),
  visibility: VisibilitySchema,
  defaultBranch: z.string(),
  archived: z.boolean(),
  cloneUrls: z.object({ https: z.string().optional(), ssh: z.string().optional() }),
  createdAt: IsoDateSchema.optional(),
  updatedAt: IsoDateSchema.optional(),
});
export type ExternalRepository = z.infer<typeof ExternalRepositorySchema>;

export const MergeStateSchema = z.enum(['mergeable', 'conflicting', 'blocked', 'behind', 'unstable', 'draft', 'merged', 'unknown']);
export type MergeState = z.infer<typeof MergeStateSchema>;

export const ExternalPullRequestSchema = externalObject({
  number: z.number().int(),
  title: z.string(),
  body: RichTextSchema,
  state: z.enum(['open', 'closed', 'merged']),
  draft: z.boolean(),
  headBranch: z.string(),
  baseBranch: z.string(),
  headSha: z.string(),
  mergeState: MergeStateSchema,
  mergeCommitSha: z.string().optional(),
  labels: z.array(z.string()),
  assignees: z.array(ExternalUserSchema),
  author: ExternalUserSchema.optional(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  mergedAt: IsoDateSchema.optional(),
  closedAt: IsoDateSchema.optional(),
});
export type ExternalPullRequest = z.infer<typeof ExternalPullRequestSchema>;

export const ExternalReviewSchema = externalObject({
  pullRequestRef: ExternalRefSchema,
  state: z.enum(['approved', 'changes_requested', 'commented', 'dismissed', 'pending']),
  body: RichTextSchema.optional(),
  author: ExternalUserSchema.optional(),
  commitSha: z.string().optional(),
  submittedAt: IsoDateSchema.optional(),
});
export type ExternalReview = z.infer<typeof ExternalReviewSchema>;

export const ExternalGitRefSchema = externalObject({
  name: z.string(),
  kind: z.enum(['branch', 'tag', 'other']),
  sha: z.string(),
});
export type ExternalGitRef = z.infer<typeof ExternalGitRefSchema>;

export const ExternalCommitSchema = externalObject({
  sha: z.string(),
  message: z.string(),
  author: z.object({ name: z.string().optional(), email: z.string().optional(), date: IsoDateSchema.optional() }),
  committer: z.object({ name: z.string().optional(), email: z.string().optional(), date: IsoDateSchema.optional() }).optional(),
  parents: z.array(z.string()),
});
export type ExternalCommit = z.infer<typeof ExternalCommitSchema>;

export const ExternalDeployKeySchema = externalObject({
  title: z.string(),
  key: z.string(),
  readOnly: z.boolean(),
  createdAt: IsoDateSchema.optional(),
});
export type ExternalDeployKey = z.infer<typeof ExternalDeployKeySchema>;

export const ExternalCollaboratorSchema = externalObject({
  login: z.string(),
  permission: z.enum(['read', 'triage', 'write', 'maintain', 'admin']),
});
export type ExternalCollaborator = z.infer<typeof ExternalCollaboratorSchema>;

export const BranchProtectionRuleSchema = z.object({
  branch: z.string().min(1),
  requiredApprovingReviews: z.number().int().min(0).max(6).optional(),
  requireCodeOwnerReviews: z.boolean().optional(),
  dismissStaleReviews: z.boolean().optional(),
  requiredStatusChecks: z.array(z.string()).optional(),
  strictStatusChecks: z.boolean().optional(),
  enforceAdmins: z.boolean().optional(),
  allowForcePushes: z.boolean().optional(),
  allowDeletions: z.boolean().optional(),
  requireLinearHistory: z.boolean().optional(),
});
export type BranchProtectionRule = z.infer<typeof BranchProtectionRuleSchema>;

export const BranchProtectionSchema = externalObject({
  rules: z.array(BranchProtectionRuleSchema),
});
export type BranchProtection = z.infer<typeof BranchProtectionSchema>;

/** What a `sync*` operation did: created, updated, deleted, unchanged, and drift it found. */
export const SyncResultSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  unchanged: z.array(z.string()),
  drift: z.array(z.object({ name: z.string(), field: z.string(), expected: z.unknown(), actual: z.unknown() })),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;

export const RepositoryInputSchema = z.object({
  owner: z.string().optional(),
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/),
  description: z.string().optional(),
  visibility: VisibilitySchema.optional(),
  autoInit: z.boolean().optional(),
});
export type RepositoryInput = z.infer<typeof RepositoryInputSchema>;

export const RepositoryPatchSchema = z.object({
  description: z.string().optional(),
  visibility: VisibilitySchema.optional(),
  defaultBranch: z.string().optional(),
  archived: z.boolean().optional(),
});
export type RepositoryPatch = z.infer<typeof RepositoryPatchSchema>;

export const PullRequestInputSchema = z.object({
  scope: z.string().min(1),
  title: z.string().min(1),
  body: z.string().optional(),
  headBranch: z.string().min(1),
  baseBranch: z.string().min(1),
  draft: z.boolean().optional(),
  idempotencyKey: z.string().optional(),
});
export type PullRequestInput = z.infer<typeof PullRequestInputSchema>;

export const PullRequestPatchSchema = z.object({
  title: z.string().min(1).optional(),
  body: z.string().optional(),
  state: z.enum(['open', 'closed']).optional(),
  baseBranch: z.string().optional(),
});
export type PullRequestPatch = z.infer<typeof PullRequestPatchSchema>;

export const MergeOptionsSchema = z.object({
  method: z.enum(['merge', 'squash', 'rebase']).optional(),
  /** Refuse the merge unless the head is still this sha. */
  expectedHeadSha: z.string().optional(),
  commitTitle: z.string().optional(),
  commitMessage: z.string().optional(),
});
export type MergeOptions = z.infer<typeof MergeOptionsSchema>;

export const DesiredDeployKeySchema = z.object({
  title: z.string().min(1),
  key: z.string().regex(/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+/),
  readOnly: z.boolean().default(true),
});
export type DesiredDeployKey = z.input<typeof DesiredDeployKeySchema>;
