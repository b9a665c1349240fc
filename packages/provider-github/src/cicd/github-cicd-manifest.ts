import type { InterfaceManifest } from '@krate/core';

/**
 * The CI/CD part of the GitHub manifest: GitHub Actions workflow runs as pipelines,
 * workflow jobs as jobs, Actions artifacts, self-hosted runners, check runs and
 * commit statuses.
 *
 * `requires.nativeScopes` are GitHub App permissions (`<permission>:<read|write>`);
 * a personal access token needs the matching fine-grained permission or the classic
 * `repo` / `admin:org` scope.
 */
export const cicdManifest: InterfaceManifest = {
  supported: true,
  objects: ['WorkflowRun', 'WorkflowJob', 'CheckRun', 'CheckSuite', 'CommitStatus', 'Runner', 'Artifact'],
  operations: [
    {
      operation: 'listPipelines',
      supported: true,
      requires: { nativeScopes: ['actions:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /repos/{owner}/{repo}/actions/runs, newest first, 100 per page. The runs API filters by creation time only (`created`), ' +
        'and an old run changes again when it is re-run, so updatedSince is applied client-side on updated_at: every page is still ' +
        'read and a page may come back empty with a next cursor.',
    },
    {
      operation: 'getPipeline',
      supported: true,
      requires: { nativeScopes: ['actions:read'] },
      rateLimitCost: { restRequests: 1 },
    },
    {
      operation: 'listJobs',
      supported: true,
      requires: { nativeScopes: ['actions:read'] },
      rateLimitCost: { restRequests: 1 },
      notes: 'Jobs of the latest attempt (filter=latest), 100 per page. updatedSince is applied client-side on completed_at / started_at.',
    },
    {
      operation: 'getJobLog',
      supported: true,
      requires: { nativeScopes: ['actions:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs answers 302 with a pre-signed URL that expires after a minute; the log ' +
        'is downloaded from it on demand without GitHub credentials. Content is capped (10 MiB by default; truncated: true past it) ' +
        'and redacted: registered credentials, credential-shaped strings and every value the log masked with ::add-mask:: become ' +
        '[REDACTED]; redacted tells whether anything was replaced. url is the API endpoint, never the pre-signed URL.',
    },
    {
      operation: 'listArtifacts',
      supported: true,
      requires: { nativeScopes: ['actions:read'] },
      rateLimitCost: { restRequests: 1 },
      notes: 'downloadUrl is archive_download_url (an API URL that needs credentials and redirects to a short-lived zip URL).',
    },
    {
      operation: 'rerunPipeline',
      supported: true,
      write: true,
      requires: { permissions: ['cicd.pipelines.write'], nativeScopes: ['actions:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['workflow_run'] },
      notes:
        'POST .../actions/runs/{run_id}/rerun (failedOnly: .../rerun-failed-jobs), then GET the run. GitHub refuses a re-run while an ' +
        'attempt is live (403 "This workflow is already running"); that refusal returns the live attempt instead of an error, so a ' +
        'repeated call never starts a second attempt while the first runs. Runs older than 30 days or re-run 50 times cannot be re-run (forbidden).',
    },
    {
      operation: 'cancelPipeline',
      supported: true,
      write: true,
      requires: { permissions: ['cicd.pipelines.write'], nativeScopes: ['actions:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['workflow_run'] },
      notes:
        'POST .../actions/runs/{run_id}/cancel (202), then GET the run: a run GitHub has not finished cancelling yet has phase ' +
        'canceling. A run that is already completed answers 409 "Cannot cancel a workflow run that is completed."; that answer ' +
        'returns the run as it is instead of an error.',
    },
    {
      operation: 'listRunners',
      supported: true,
      requires: { nativeScopes: ['organization_self_hosted_runners:read', 'administration:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'Scope "org" lists /orgs/{org}/actions/runners (GitHub App permission organization_self_hosted_runners:read); scope ' +
        '"owner/repo" lists /repos/{owner}/{repo}/actions/runners (administration:read). updatedSince does not apply (runners have no update time).',
    },
    {
      operation: 'registerRunner',
      supported: true,
      write: true,
      requires: {
        permissions: ['cicd.runners.write'],
        nativeScopes: ['organization_self_hosted_runners:write', 'administration:write'],
      },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      notes:
        'POST .../actions/runners/registration-token (org: organization_self_hosted_runners:write; repo: administration:write). Each call ' +
        'returns a fresh token valid for one hour (earlier tokens stay valid until they expire). The token is non-enumerable, prints ' +
        'as [REDACTED] in JSON and is registered for redaction everywhere. GitHub takes the runner name and labels from ' +
        'config.sh (--name, --labels), not from the token request, so those options are not sent.',
    },
    {
      operation: 'createCheck',
      supported: true,
      write: true,
      requires: { permissions: ['cicd.checks.write'], nativeScopes: ['checks:write', 'statuses:write'] },
      idempotency: { mode: 'natural', key: 'externalId' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['check_run', 'status'] },
      notes:
        'kind check-run: POST /repos/{owner}/{repo}/check-runs (checks:write; GitHub App auth only, GitHub refuses OAuth and personal ' +
        'tokens); ref id check-run:<id>. With externalId the check runs of the commit with that name are looked up first (one more ' +
        'request) and a check run with the same external_id is returned instead of creating another; without it each call creates a ' +
        'check run (GitHub keeps several runs of one name per commit). kind commit-status: POST /repos/{owner}/{repo}/statuses/{sha} ' +
        '(statuses:write); ref id status:<sha>:<context>; GitHub keeps the latest status per context, so a repeat converges. ' +
        'Statuses map queued/in_progress to pending; success, neutral and skipped to success; cancelled to error; other conclusions ' +
        'to failure. A status description is cut to GitHub\'s 140 characters.',
    },
    {
      operation: 'updateCheck',
      supported: true,
      write: true,
      requires: { permissions: ['cicd.checks.write'], nativeScopes: ['checks:write', 'statuses:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['check_run', 'status'] },
      notes:
        'check-run:<id>: PATCH /repos/{owner}/{repo}/check-runs/{id} (a new summary also reads the check run for its output title). ' +
        'status:<sha>:<context>: statuses cannot be edited, so the latest status of the context is read from the combined status ' +
        'and a new one posted with the patch applied.',
    },
  ],
  webhooks: ['workflow_run', 'workflow_job', 'check_run', 'check_suite', 'status'],
  ownershipModes: ['external-owned', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    pipeline: 'A workflow run; ref { scope: "owner/repo", id: "<run id>" }. number is run_number, attempt is run_attempt.',
    job: 'A workflow job of the latest attempt; ref { scope: "owner/repo", id: "<job id>" }.',
    runnerScope: 'An organization login ("octo-org") or "owner/repo".',
    phases:
      'status requested/pending -> pending, queued -> queued, waiting -> waiting, in_progress -> running; completed with success or ' +
      'neutral -> succeeded, failure, timed_out or startup_failure -> failed, cancelled -> canceled, skipped -> skipped, ' +
      'action_required -> blocked, stale -> unknown. Commit status: pending -> pending, success -> succeeded, failure and error -> failed.',
    finishedAt: 'GitHub has no completion time on a workflow run: a completed run\'s updated_at is used.',
  },
};
