import type { z } from 'zod';
import type { ListOptions, Page } from '../pagination.js';
import type { ExternalRef } from '../model/common.js';
import type {
  CommentInput, CommentPatch, DesiredLabel, ExternalComment, ExternalIssue, ExternalIssueEvent, ExternalLabel,
  ExternalMilestone, IssueInput, IssuePatch,
} from '../model/issue-tracking.js';
import type { IssueCloseReason } from '../model/lifecycle.js';
import type {
  CheckInput, CheckPatch, ExternalArtifact, ExternalCheck, ExternalJob, ExternalLogRef, ExternalPipeline, ExternalRunner,
  RegisterRunnerOptions, RerunOptions, RunnerRegistration,
} from '../model/cicd.js';
import type {
  BranchProtectionRule, DesiredDeployKey, ExternalCollaborator, ExternalCommit, ExternalDeployKey, ExternalGitRef,
  ExternalPullRequest, ExternalRepository, ExternalReview, MergeOptions, PullRequestInput, PullRequestPatch,
  RepositoryInput, RepositoryPatch, SyncResult,
} from '../model/git-forge.js';

export type SpecificationVersion = 'v1';

/** Options of operations that read or write a single object. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Issue tracking, v1. Method names are the canonical operation ids used in manifests. */
export interface IssueTrackingProvider {
  readonly specificationVersion: 'v1';
  listIssues(scope: string, options?: ListOptions): Promise<Page<ExternalIssue>>;
  getIssue(ref: ExternalRef, options?: CallOptions): Promise<ExternalIssue>;
  createIssue(input: IssueInput, options?: CallOptions): Promise<ExternalIssue>;
  updateIssue(ref: ExternalRef, patch: IssuePatch, options?: CallOptions): Promise<ExternalIssue>;
  closeIssue(ref: ExternalRef, reason?: IssueCloseReason, options?: CallOptions): Promise<ExternalIssue>;
  listComments(issueRef: ExternalRef, options?: ListOptions): Promise<Page<ExternalComment>>;
  createComment(issueRef: ExternalRef, input: CommentInput, options?: CallOptions): Promise<ExternalComment>;
  updateComment(commentRef: ExternalRef, patch: CommentPatch, options?: CallOptions): Promise<ExternalComment>;
  listLabels(scope: string, options?: ListOptions): Promise<Page<ExternalLabel>>;
  syncLabels(scope: string, desired: DesiredLabel[], options?: SyncOptions): Promise<SyncResult>;
  listEvents(issueRef: ExternalRef, options?: ListOptions): Promise<Page<ExternalIssueEvent>>;
  /** Milestones, sprints or cycles. */
  listMilestones?(scope: string, options?: ListOptions): Promise<Page<ExternalMilestone>>;
  /** Workflow transition (Jira): state changes that are not a plain patch. */
  transitionIssue?(ref: ExternalRef, transition: { to: string }, options?: CallOptions): Promise<ExternalIssue>;
}

/** CI/CD, v1. */
export interface CicdProvider {
  readonly specificationVersion: 'v1';
  listPipelines(scope: string, options?: ListOptions): Promise<Page<ExternalPipeline>>;
  getPipeline(ref: ExternalRef, options?: CallOptions): Promise<ExternalPipeline>;
  listJobs(pipelineRef: ExternalRef, options?: ListOptions): Promise<Page<ExternalJob>>;
  /** Fetches the job log on demand; credentials in it are redacted. */
  getJobLog(jobRef: ExternalRef, options?: CallOptions): Promise<ExternalLogRef>;
  listArtifacts(pipelineRef: ExternalRef, options?: ListOptions): Promise<Page<ExternalArtifact>>;
  rerunPipeline(ref: ExternalRef, options?: RerunOptions & CallOptions): Promise<ExternalPipeline>;
  cancelPipeline(ref: ExternalRef, options?: CallOptions): Promise<ExternalPipeline>;
  listRunners(scope: string, options?: ListOptions): Promise<Page<ExternalRunner>>;
  /** A short-lived registration token; never logged or serialized in plain form. */
  registerRunner(scope: string, options?: RegisterRunnerOptions & CallOptions): Promise<RunnerRegistration>;
  createCheck(input: CheckInput, options?: CallOptions): Promise<ExternalCheck>;
  updateCheck(ref: ExternalRef, patch: CheckPatch, options?: CallOptions): Promise<ExternalCheck>;
}

export interface SyncOptions extends CallOptions {
  /** Report what would change without writing. */
  dryRun?: boolean | undefined;
  /** Delete what is not desired (default true for labels and deploy keys). */
  prune?: boolean | undefined;
}

/** Git forge, v1. A repository's ref is `{ scope: owner, id: name }`; `repoScope` is `owner/name`. */
export interface GitForgeProvider {
  readonly specificationVersion: 'v1';
  listRepositories(scope: string, options?: ListOptions): Promise<Page<ExternalRepository>>;
  getRepository(ref: ExternalRef, options?: CallOptions): Promise<ExternalRepository>;
  createRepository(input: RepositoryInput, options?: CallOptions): Promise<ExternalRepository>;
  updateRepository(ref: ExternalRef, patch: RepositoryPatch, options?: CallOptions): Promise<ExternalRepository>;
  listPullRequests(repoScope: string, options?: ListOptions): Promise<Page<ExternalPullRequest>>;
  getPullRequest(ref: ExternalRef, options?: CallOptions): Promise<ExternalPullRequest>;
  createPullRequest(input: PullRequestInput, options?: CallOptions): Promise<ExternalPullRequest>;
  updatePullRequest(ref: ExternalRef, patch: PullRequestPatch, options?: CallOptions): Promise<ExternalPullRequest>;
  mergePullRequest(ref: ExternalRef, options?: MergeOptions & CallOptions): Promise<ExternalPullRequest>;
  listReviews?(pullRequestRef: ExternalRef, options?: ListOptions): Promise<Page<ExternalReview>>;
  listRefs(repoScope: string, options?: ListOptions): Promise<Page<ExternalGitRef>>;
  getCommit(repoScope: string, sha: string, options?: CallOptions): Promise<ExternalCommit>;
  listDeployKeys(repoScope: string, options?: ListOptions): Promise<Page<ExternalDeployKey>>;
  syncDeployKeys(repoScope: string, desired: DesiredDeployKey[], options?: SyncOptions): Promise<SyncResult>;
  listCollaborators(repoScope: string, options?: ListOptions): Promise<Page<ExternalCollaborator>>;
  syncBranchProtection(repoScope: string, desired: BranchProtectionRule[], options?: SyncOptions): Promise<SyncResult>;
}

export interface InterfaceContracts {
  issueTracking: IssueTrackingProvider;
  cicd: CicdProvider;
  gitForge: GitForgeProvider;
}

/** Any operation of any interface. */
export type OperationName<I extends keyof InterfaceContracts = keyof InterfaceContracts> = {
  [K in I]: Exclude<keyof InterfaceContracts[K], 'specificationVersion'>;
}[I];
