import type { ExternalSyncEvent } from '@krate/core';
import { normalizeInstallation, normalizeInstallationRepositories } from './github-webhook-app-events.js';
import {
  normalizeCheckRun,
  normalizeCheckSuite,
  normalizeStatus,
  normalizeWorkflowJob,
  normalizeWorkflowRun,
} from './github-webhook-cicd-events.js';
import {
  normalizeBranchProtectionRule,
  normalizeCreate,
  normalizeDelete,
  normalizeDeployKey,
  normalizePullRequest,
  normalizePullRequestReview,
  normalizePullRequestReviewComment,
  normalizePush,
  normalizeRepository,
} from './github-webhook-forge-events.js';
import { normalizeIssueComment, normalizeIssues, normalizeLabel, normalizeMilestone } from './github-webhook-issue-events.js';
import type { GhPayload, GitHubEventNormalizer, GitHubMappingContext } from './github-webhook-payload.js';

/** The normalizer of every GitHub event the provider turns into sync events. */
const NORMALIZERS: Readonly<Record<string, GitHubEventNormalizer>> = Object.freeze({
  issues: normalizeIssues,
  issue_comment: normalizeIssueComment,
  label: normalizeLabel,
  milestone: normalizeMilestone,
  workflow_run: normalizeWorkflowRun,
  workflow_job: normalizeWorkflowJob,
  check_run: normalizeCheckRun,
  check_suite: normalizeCheckSuite,
  status: normalizeStatus,
  push: normalizePush,
  repository: normalizeRepository,
  pull_request: normalizePullRequest,
  pull_request_review: normalizePullRequestReview,
  pull_request_review_comment: normalizePullRequestReviewComment,
  create: normalizeCreate,
  delete: normalizeDelete,
  branch_protection_rule: normalizeBranchProtectionRule,
  deploy_key: normalizeDeployKey,
  installation: normalizeInstallation,
  installation_repositories: normalizeInstallationRepositories,
});

/** The native events the provider normalizes (X-GitHub-Event values). */
export const GITHUB_NORMALIZED_EVENTS: readonly string[] = Object.freeze(Object.keys(NORMALIZERS));

/**
 * The sync events of one verified delivery. An event the provider does not
 * normalize gives `[]`.
 */
export function normalizeGitHubEvent(m: GitHubMappingContext, event: string, payload: GhPayload): ExternalSyncEvent[] {
  const normalize = Object.prototype.hasOwnProperty.call(NORMALIZERS, event) ? NORMALIZERS[event] : undefined;
  return normalize ? normalize(m, payload) : [];
}
