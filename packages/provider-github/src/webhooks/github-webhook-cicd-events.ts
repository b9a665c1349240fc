import { mapCheckRun, mapCommitStatus, mapWorkflowJob, mapWorkflowRun } from '../cicd/github-cicd-mapping.js';
import {
  objectField,
  occurredAtOf,
  refEvent,
  repoScopeOf,
  requireId,
  upserted,
  type GitHubEventNormalizer,
} from './github-webhook-payload.js';

/** `workflow_run` (requested, in_progress, completed): the pipeline upserted. */
export const normalizeWorkflowRun: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'workflow_run');
  const run = objectField(payload, 'workflow_run', 'workflow_run');
  return [upserted('cicd', 'pipeline', mapWorkflowRun(m, run, { scope }), occurredAtOf(run))];
};

/** `workflow_job` (queued, waiting, in_progress, completed): the job upserted. */
export const normalizeWorkflowJob: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'workflow_job');
  const job = objectField(payload, 'workflow_job', 'workflow_job');
  return [upserted('cicd', 'job', mapWorkflowJob(m, job, { scope }), occurredAtOf(job))];
};

/** `check_run` (created, completed, rerequested, requested_action): the check upserted (`check-run:<id>`). */
export const normalizeCheckRun: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'check_run');
  const run = objectField(payload, 'check_run', 'check_run');
  return [upserted('cicd', 'check', mapCheckRun(m, run, { scope }), occurredAtOf(run))];
};

/**
 * `check_suite` (requested, rerequested, completed): a suite groups the check runs of
 * one app on one commit, and has no normalized object of its own. It is reported as a
 * `check` ref `check-suite:<id>` without an object; its runs arrive as `check_run`
 * deliveries.
 */
export const normalizeCheckSuite: GitHubEventNormalizer = (_m, payload) => {
  const scope = repoScopeOf(payload, 'check_suite');
  const suite = objectField(payload, 'check_suite', 'check_suite');
  const id = requireId(suite.id, 'check suite id', 'check_suite');
  return [refEvent('cicd', 'check', { scope, id: `check-suite:${id}` }, 'upserted', occurredAtOf(suite))];
};

/** `status`: the commit status upserted (`status:<sha>:<context>`; the payload is the status itself). */
export const normalizeStatus: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'status');
  const sha = requireId(payload.sha, 'commit sha', 'status');
  return [upserted('cicd', 'check', mapCommitStatus(m, payload, { scope, sha }), occurredAtOf(payload))];
};
