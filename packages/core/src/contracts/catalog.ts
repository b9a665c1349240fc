import { z } from 'zod';
import { ExternalRefSchema, type InterfaceName } from '../model/common.js';
import {
  CommentInputSchema, CommentPatchSchema, DesiredLabelSchema, IssueInputSchema, IssuePatchSchema,
} from '../model/issue-tracking.js';
import { IssueCloseReasonSchema } from '../model/lifecycle.js';
import { CheckInputSchema, CheckPatchSchema, RegisterRunnerOptionsSchema, RerunOptionsSchema } from '../model/cicd.js';
import {
  BranchProtectionRuleSchema, DesiredDeployKeySchema, MergeOptionsSchema, PullRequestInputSchema, PullRequestPatchSchema,
  RepositoryInputSchema, RepositoryPatchSchema,
} from '../model/git-forge.js';

/** What kind of call an operation is; the contract suite generates cases from it. */
export type OperationKind = 'list' | 'get' | 'create' | 'update' | 'close' | 'sync' | 'action';

export interface OperationInfo {
  interface: InterfaceName;
  name: string;
  kind: OperationKind;
  write: boolean;
  /** Optional operations may be absent from a contract implementation that does not declare them. */
  optional?: boolean;
  /** Validators for the positional arguments, checked before any request. */
  args: z.ZodType[];
  /** The normalized object kind it returns (for lists: the item kind). */
  returns: string;
}

const scope = z.string().trim().min(1, 'scope must be a non-empty string');
const ref = ExternalRefSchema;
const listOptions = z
  .object({
    cursor: z.string().min(1).optional(),
    pageSize: z.number().int().min(1).max(10_000).optional(),
    updatedSince: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'updatedSince must be an ISO-8601 date').optional(),
    signal: z.custom<AbortSignal>((v) => v === undefined || v instanceof AbortSignal).optional(),
  })
  .passthrough()
  .optional();
const callOptions = z.object({}).passthrough().optional();
const syncOptions = z.object({ dryRun: z.boolean().optional(), prune: z.boolean().optional() }).passthrough().optional();
const sha = z.string().regex(/^[0-9a-fA-F]{4,64}$/, 'sha must be a hex commit id');

function op(
  iface: InterfaceName, name: string, kind: OperationKind, args: z.ZodType[], returns: string, extra: Partial<OperationInfo> = {},
): OperationInfo {
  const write = kind !== 'list' && kind !== 'get';
  return { interface: iface, name, kind, write, args, returns, ...extra };
}

/** Every canonical operation of the v1 contracts, in contract order. */
export const OPERATIONS: readonly OperationInfo[] = [
  op('issueTracking', 'listIssues', 'list', [scope, listOptions], 'issue'),
  op('issueTracking', 'getIssue', 'get', [ref, callOptions], 'issue'),
  op('issueTracking', 'createIssue', 'create', [IssueInputSchema, callOptions], 'issue'),
  op('issueTracking', 'updateIssue', 'update', [ref, IssuePatchSchema, callOptions], 'issue'),
  op('issueTracking', 'closeIssue', 'close', [ref, IssueCloseReasonSchema.optional(), callOptions], 'issue'),
  op('issueTracking', 'listComments', 'list', [ref, listOptions], 'comment'),
  op('issueTracking', 'createComment', 'create', [ref, CommentInputSchema, callOptions], 'comment'),
  op('issueTracking', 'updateComment', 'update', [ref, CommentPatchSchema, callOptions], 'comment'),
  op('issueTracking', 'listLabels', 'list', [scope, listOptions], 'label'),
  op('issueTracking', 'syncLabels', 'sync', [scope, z.array(DesiredLabelSchema), syncOptions], 'syncResult'),
  op('issueTracking', 'listEvents', 'list', [ref, listOptions], 'issueEvent'),
  op('issueTracking', 'listMilestones', 'list', [scope, listOptions], 'milestone', { optional: true }),
  op('issueTracking', 'transitionIssue', 'action', [ref, z.object({ to: z.string().min(1) }), callOptions], 'issue', { optional: true }),

  op('cicd', 'listPipelines', 'list', [scope, listOptions], 'pipeline'),
  op('cicd', 'getPipeline', 'get', [ref, callOptions], 'pipeline'),
  op('cicd', 'listJobs', 'list', [ref, listOptions], 'job'),
  op('cicd', 'getJobLog', 'get', [ref, callOptions], 'logRef'),
  op('cicd', 'listArtifacts', 'list', [ref, listOptions], 'artifact'),
  op('cicd', 'rerunPipeline', 'action', [ref, RerunOptionsSchema.passthrough().optional()], 'pipeline'),
  op('cicd', 'cancelPipeline', 'action', [ref, callOptions], 'pipeline'),
  op('cicd', 'listRunners', 'list', [scope, listOptions], 'runner'),
  op('cicd', 'registerRunner', 'action', [scope, RegisterRunnerOptionsSchema.passthrough().optional()], 'runnerRegistration'),
  op('cicd', 'createCheck', 'create', [CheckInputSchema, callOptions], 'check'),
  op('cicd', 'updateCheck', 'update', [ref, CheckPatchSchema, callOptions], 'check'),

  op('gitForge', 'listRepositories', 'list', [scope, listOptions], 'repository'),
  op('gitForge', 'getRepository', 'get', [ref, callOptions], 'repository'),
  op('gitForge', 'createRepository', 'create', [RepositoryInputSchema, callOptions], 'repository'),
  op('gitForge', 'updateRepository', 'update', [ref, RepositoryPatchSchema, callOptions], 'repository'),
  op('gitForge', 'listPullRequests', 'list', [scope, listOptions], 'pullRequest'),
  op('gitForge', 'getPullRequest', 'get', [ref, callOptions], 'pullRequest'),
  op('gitForge', 'createPullRequest', 'create', [PullRequestInputSchema, callOptions], 'pullRequest'),
  op('gitForge', 'updatePullRequest', 'update', [ref, PullRequestPatchSchema, callOptions], 'pullRequest'),
  op('gitForge', 'mergePullRequest', 'action', [ref, MergeOptionsSchema.passthrough().optional()], 'pullRequest'),
  op('gitForge', 'listReviews', 'list', [ref, listOptions], 'review', { optional: true }),
  op('gitForge', 'listRefs', 'list', [scope, listOptions], 'gitRef'),
  op('gitForge', 'getCommit', 'get', [scope, sha, callOptions], 'commit'),
  op('gitForge', 'listDeployKeys', 'list', [scope, listOptions], 'deployKey'),
  op('gitForge', 'syncDeployKeys', 'sync', [scope, z.array(DesiredDeployKeySchema), syncOptions], 'syncResult'),
  op('gitForge', 'listCollaborators', 'list', [scope, listOptions], 'collaborator'),
  op('gitForge', 'syncBranchProtection', 'sync', [scope, z.array(BranchProtectionRuleSchema), syncOptions], 'syncResult'),
];

const byKey = new Map(OPERATIONS.map((o) => [`${o.interface}.${o.name}`, o]));

/** The catalog entry of an operation, or undefined for a name that is not canonical. */
export function getOperationInfo(iface: InterfaceName, name: string): OperationInfo | undefined {
  return byKey.get(`${iface}.${name}`);
}

/** Canonical operation names of one interface. */
export function operationsOf(iface: InterfaceName): string[] {
  return OPERATIONS.filter((o) => o.interface === iface).map((o) => o.name);
}
