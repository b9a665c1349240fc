import {
  BranchProtectionSchema, ExternalArtifactSchema, ExternalCheckSchema, ExternalCollaboratorSchema, ExternalCommentSchema,
  ExternalCommitSchema, ExternalDeployKeySchema, ExternalGitRefSchema, ExternalIssueEventSchema, ExternalIssueSchema,
  ExternalJobSchema, ExternalLabelSchema, ExternalLogRefSchema, ExternalMilestoneSchema, ExternalPipelineSchema,
  ExternalPullRequestSchema, ExternalRepositorySchema, ExternalReviewSchema, ExternalRunnerSchema, RunnerRegistrationSchema,
  SyncResultSchema,
} from '@krate/core';
import type { FakeScopes, FakeSeed } from '../kit/types.js';
import type { ParseSchema } from './assert.js';

/** A 40-hex commit id derived from a number, stable per run. */
export function shaFor(n: number): string {
  return (n.toString(16).padStart(8, '0') + 'c0ffee'.repeat(6)).slice(0, 40);
}

export interface KindInfo {
  schema: ParseSchema;
  /** Whether objects of this kind carry the `ref` + `external` envelope. */
  envelope: boolean;
  /** The seed function that makes one. */
  seed?: keyof FakeSeed;
  /** Seeded under a parent object of this kind (its ref is the seed's first argument). */
  parent?: string;
  /** Seeded under this scope (the seed's first argument) when there is no parent. */
  scope?: keyof FakeScopes;
  /** The n-th seed input; `overrides` are merged in. */
  input?(n: number): Record<string, unknown>;
  /** Whether the seed input takes `updatedAt` (for the updatedSince case). */
  updatedAt?: boolean;
  /** The field that names an object (the marker the suite finds created objects by). */
  nameField?: string;
}

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKrateContractSuiteTestKeyOnly0000000000000';

export const KINDS: Record<string, KindInfo> = {
  issue: {
    schema: ExternalIssueSchema, envelope: true, seed: 'issue', scope: 'issueTracking', updatedAt: true, nameField: 'title',
    input: (n) => ({ title: `Contract issue ${n}`, body: `Body of contract issue ${n}`, labels: [] }),
  },
  comment: {
    schema: ExternalCommentSchema, envelope: true, seed: 'comment', parent: 'issue', updatedAt: true,
    input: (n) => ({ body: `Contract comment ${n}` }),
  },
  label: {
    schema: ExternalLabelSchema, envelope: true, seed: 'label', scope: 'issueTracking', nameField: 'name',
    input: (n) => ({ name: `contract-label-${n}`, color: 'a1b2c3', description: `Label ${n}` }),
  },
  milestone: {
    schema: ExternalMilestoneSchema, envelope: true, seed: 'milestone', scope: 'issueTracking', nameField: 'title',
    input: (n) => ({ title: `Contract milestone ${n}`, state: 'open' }),
  },
  issueEvent: {
    schema: ExternalIssueEventSchema, envelope: true, seed: 'issueEvent', parent: 'issue',
    input: (n) => ({ kind: n % 2 ? 'labeled' : 'assigned', actor: 'contract-bot' }),
  },
  pipeline: {
    schema: ExternalPipelineSchema, envelope: true, seed: 'pipeline', scope: 'cicd', updatedAt: true,
    input: (n) => ({ name: `contract-pipeline`, branch: 'main', sha: shaFor(n), status: 'succeeded' }),
  },
  job: {
    schema: ExternalJobSchema, envelope: true, seed: 'job', parent: 'pipeline', nameField: 'name',
    input: (n) => ({ name: `contract-job-${n}`, status: 'succeeded', log: `log line of job ${n}\nsecond line` }),
  },
  logRef: { schema: ExternalLogRefSchema, envelope: true },
  artifact: {
    schema: ExternalArtifactSchema, envelope: true, seed: 'artifact', parent: 'pipeline', nameField: 'name',
    input: (n) => ({ name: `contract-artifact-${n}.zip`, sizeBytes: 1000 + n }),
  },
  runner: {
    schema: ExternalRunnerSchema, envelope: true, seed: 'runner', scope: 'runners', nameField: 'name',
    input: (n) => ({ name: `contract-runner-${n}`, status: 'online', busy: false, labels: ['linux'] }),
  },
  runnerRegistration: { schema: RunnerRegistrationSchema, envelope: false },
  check: { schema: ExternalCheckSchema, envelope: true, nameField: 'name' },
  repository: {
    schema: ExternalRepositorySchema, envelope: true, seed: 'repository', scope: 'repositoryOwner', updatedAt: true, nameField: 'name',
    input: (n) => ({ name: `contract-repo-${n}`, description: `Repository ${n}`, visibility: 'private', defaultBranch: 'main' }),
  },
  pullRequest: {
    schema: ExternalPullRequestSchema, envelope: true, seed: 'pullRequest', scope: 'repository', updatedAt: true, nameField: 'title',
    input: (n) => ({ title: `Contract pull request ${n}`, body: `Body ${n}`, headBranch: `contract-branch-${n}`, baseBranch: 'main' }),
  },
  review: {
    schema: ExternalReviewSchema, envelope: true, seed: 'review', parent: 'pullRequest',
    input: (n) => ({ state: n % 2 ? 'approved' : 'commented', body: `Review ${n}`, author: `reviewer-${n}` }),
  },
  gitRef: {
    schema: ExternalGitRefSchema, envelope: true, seed: 'gitRef', scope: 'repository', nameField: 'name',
    input: (n) => ({ name: `contract-ref-${n}`, kind: 'branch', sha: shaFor(n) }),
  },
  commit: {
    schema: ExternalCommitSchema, envelope: true, seed: 'commit', scope: 'repository',
    input: (n) => ({ message: `Contract commit ${n}`, sha: shaFor(1000 + n), parents: [], authorName: 'Contract', authorEmail: 'contract@example.com' }),
  },
  deployKey: {
    schema: ExternalDeployKeySchema, envelope: true, seed: 'deployKey', scope: 'repository', nameField: 'title',
    input: (n) => ({ title: `contract-key-${n}`, key: `${SSH_KEY.slice(0, -4)}${String(n).padStart(4, '0')}`, readOnly: true }),
  },
  collaborator: {
    schema: ExternalCollaboratorSchema, envelope: true, seed: 'collaborator', scope: 'repository', nameField: 'login',
    input: (n) => ({ login: `contract-user-${n}`, permission: 'write' }),
  },
  branchProtection: { schema: BranchProtectionSchema, envelope: true },
  syncResult: { schema: SyncResultSchema, envelope: false },
};

export function kindInfo(kind: string): KindInfo {
  const info = KINDS[kind];
  if (!info) throw new Error(`unknown object kind "${kind}"`);
  return info;
}

