import { z } from 'zod';
import { ExternalRefSchema, ExternalUserSchema, IsoDateSchema, externalObject } from './common.js';
import { ConclusionSchema, JobPhaseSchema, PipelinePhaseSchema } from './lifecycle.js';

export const ExternalPipelineSchema = externalObject({
  name: z.string(),
  number: z.number().int().optional(),
  phase: PipelinePhaseSchema,
  conclusion: ConclusionSchema.optional(),
  /** The provider's own status string, kept verbatim. */
  nativeStatus: z.string(),
  branch: z.string().optional(),
  sha: z.string().optional(),
  event: z.string().optional(),
  attempt: z.number().int().optional(),
  actor: ExternalUserSchema.optional(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  startedAt: IsoDateSchema.optional(),
  finishedAt: IsoDateSchema.optional(),
});
export type ExternalPipeline = z.infer<typeof ExternalPipelineSchema>;

export const ExternalJobSchema = externalObject({
  pipelineRef: ExternalRefSchema,
  name: z.string(),
  phase: JobPhaseSchema,
  conclusion: ConclusionSchema.optional(),
  nativeStatus: z.string(),
  runnerName: z.string().optional(),
  startedAt: IsoDateSchema.optional(),
  finishedAt: IsoDateSchema.optional(),
});
export type ExternalJob = z.infer<typeof ExternalJobSchema>;

/** A job log, fetched lazily and redacted. `content` is present once fetched. */
export const ExternalLogRefSchema = externalObject({
  jobRef: ExternalRefSchema,
  url: z.string().optional(),
  content: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  redacted: z.boolean(),
  truncated: z.boolean(),
});
export type ExternalLogRef = z.infer<typeof ExternalLogRefSchema>;

export const ExternalArtifactSchema = externalObject({
  pipelineRef: ExternalRefSchema,
  name: z.string(),
  sizeBytes: z.number().int().nonnegative().optional(),
  digest: z.string().optional(),
  downloadUrl: z.string().optional(),
  expired: z.boolean().optional(),
  createdAt: IsoDateSchema.optional(),
});
export type ExternalArtifact = z.infer<typeof ExternalArtifactSchema>;

export const ExternalRunnerSchema = externalObject({
  name: z.string(),
  status: z.enum(['online', 'offline', 'busy', 'unknown']),
  busy: z.boolean().optional(),
  labels: z.array(z.string()),
  os: z.string().optional(),
  version: z.string().optional(),
});
export type ExternalRunner = z.infer<typeof ExternalRunnerSchema>;

/**
 * A short-lived runner registration token. The token is non-enumerable at run time
 * (see `createRunnerRegistration`) so `JSON.stringify` and logs never show it.
 */
export const RunnerRegistrationSchema = z.object({
  scope: z.string(),
  token: z.string().min(1),
  expiresAt: IsoDateSchema.optional(),
  registrationUrl: z.string().optional(),
});
export type RunnerRegistration = z.infer<typeof RunnerRegistrationSchema>;

/** Makes a RunnerRegistration whose token never serializes. */
export function createRunnerRegistration(value: RunnerRegistration): RunnerRegistration {
  const out = { scope: value.scope } as RunnerRegistration;
  Object.defineProperty(out, 'token', { value: value.token, enumerable: false });
  if (value.expiresAt !== undefined) out.expiresAt = value.expiresAt;
  if (value.registrationUrl !== undefined) out.registrationUrl = value.registrationUrl;
  Object.defineProperty(out, 'toJSON', {
    value: () => ({ scope: out.scope, token: '[REDACTED]', expiresAt: out.expiresAt, registrationUrl: out.registrationUrl }),
    enumerable: false,
  });
  return out;
}

export const ExternalCheckSchema = externalObject({
  kind: z.enum(['check-run', 'commit-status']),
  name: z.string(),
  sha: z.string(),
  phase: PipelinePhaseSchema,
  conclusion: ConclusionSchema.optional(),
  nativeStatus: z.string(),
  detailsUrl: z.string().optional(),
  summary: z.string().optional(),
  startedAt: IsoDateSchema.optional(),
  completedAt: IsoDateSchema.optional(),
});
export type ExternalCheck = z.infer<typeof ExternalCheckSchema>;

export const CheckInputSchema = z.object({
  scope: z.string().min(1),
  kind: z.enum(['check-run', 'commit-status']).default('check-run'),
  name: z.string().min(1),
  sha: z.string().min(7),
  status: z.enum(['queued', 'in_progress', 'completed']).default('queued'),
  conclusion: ConclusionSchema.optional(),
  detailsUrl: z.string().url().optional(),
  summary: z.string().optional(),
  externalId: z.string().optional(),
});
export type CheckInput = z.input<typeof CheckInputSchema>;

export const CheckPatchSchema = z.object({
  status: z.enum(['queued', 'in_progress', 'completed']).optional(),
  conclusion: ConclusionSchema.optional(),
  detailsUrl: z.string().url().optional(),
  summary: z.string().optional(),
});
export type CheckPatch = z.infer<typeof CheckPatchSchema>;

export const RerunOptionsSchema = z.object({
  /** Only the failed jobs, where the provider can. */
  failedOnly: z.boolean().optional(),
  idempotencyKey: z.string().optional(),
});
export type RerunOptions = z.infer<typeof RerunOptionsSchema>;

export const RegisterRunnerOptionsSchema = z.object({
  labels: z.array(z.string()).optional(),
  name: z.string().optional(),
});
export type RegisterRunnerOptions = z.infer<typeof RegisterRunnerOptionsSchema>;
