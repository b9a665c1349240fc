import { z } from 'zod';

export const PipelinePhaseSchema = z.enum([
  'pending', 'queued', 'running', 'waiting', 'blocked', 'succeeded', 'failed', 'canceling', 'canceled', 'skipped', 'unknown',
]);
export type PipelinePhase = z.infer<typeof PipelinePhaseSchema>;

/** The phases of a job: the same as a pipeline's. @alias */
export const JobPhaseSchema = PipelinePhaseSchema;
export type JobPhase = PipelinePhase;

export const ConclusionSchema = z.enum(['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale']);
export type Conclusion = z.infer<typeof ConclusionSchema>;

export const IssuePhaseSchema = z.enum(['open', 'in_progress', 'closed']);
export type IssuePhase = z.infer<typeof IssuePhaseSchema>;

export const IssueCloseReasonSchema = z.enum(['completed', 'not_planned', 'duplicate']);
export type IssueCloseReason = z.infer<typeof IssueCloseReasonSchema>;

/** Webhook delivery lifecycle: received -> verified -> queued -> processed | duplicate | rejected | failed. */
export const DeliveryPhaseSchema = z.enum(['received', 'verified', 'queued', 'processed', 'duplicate', 'rejected', 'failed']);
export type DeliveryPhase = z.infer<typeof DeliveryPhaseSchema>;

/** Backfill lifecycle: pending -> running -> completed | rate-limited (resumes from cursor) | failed. */
export const BackfillPhaseSchema = z.enum(['pending', 'running', 'completed', 'rate-limited', 'failed']);
export type BackfillPhase = z.infer<typeof BackfillPhaseSchema>;

/** Write intent lifecycle: proposed -> approved | rejected -> applying -> confirmed | failed. */
export const WriteIntentPhaseSchema = z.enum(['proposed', 'approved', 'rejected', 'applying', 'confirmed', 'failed']);
export type WriteIntentPhase = z.infer<typeof WriteIntentPhaseSchema>;

/** Conflict lifecycle: open -> resolved (local | external | merged) | dismissed. */
export const ConflictPhaseSchema = z.enum(['open', 'resolved', 'dismissed']);
export type ConflictPhase = z.infer<typeof ConflictPhaseSchema>;
export const ConflictResolutionSchema = z.enum(['local', 'external', 'merged']);
export type ConflictResolution = z.infer<typeof ConflictResolutionSchema>;

export const ProviderPhaseSchema = z.enum(['pending', 'ready', 'degraded', 'failed']);
export type ProviderPhase = z.infer<typeof ProviderPhaseSchema>;
export const BindingPhaseSchema = z.enum(['pending', 'bound', 'degraded', 'rejected']);
export type BindingPhase = z.infer<typeof BindingPhaseSchema>;

/** Ownership modes a binding can choose per interface or resource type. */
export const OwnershipModeSchema = z.enum(['external-owned', 'krate-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write']);
export type OwnershipMode = z.infer<typeof OwnershipModeSchema>;
