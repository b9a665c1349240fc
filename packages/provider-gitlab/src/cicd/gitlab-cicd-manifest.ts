import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['token', 'oauth'];
const READ = { authModes: AUTH_MODES, nativeScopes: ['read_api'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['api'] };

/**
 * The CI/CD part of the GitLab manifest: pipelines, jobs and bridges, logs, artifacts,
 * retry and cancel, project runners and commit statuses. Pipelines and jobs are addressed
 * by project path and global id.
 */
export const cicdManifest: InterfaceManifest = {
  supported: true,
  objects: ['Pipeline', 'Job', 'Bridge', 'JobArtifact', 'Runner', 'CommitStatus'],
  operations: [
    { operation: 'listPipelines', supported: true, write: false, requires: { permissions: ['cicd.pipelines.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/pipelines?order_by=updated_at&sort=asc&updated_after=<updatedSince>, 100 per page (offset: GitLab has no keyset for pipelines). Listing rows carry no user or start/finish times; getPipeline has them.' },
    { operation: 'getPipeline', supported: true, write: false, requires: { permissions: ['cicd.pipelines.read'], ...READ }, rateLimitCost: { restRequests: 1 } },
    { operation: 'listJobs', supported: true, write: false, requires: { permissions: ['cicd.pipelines.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/pipelines/:pipeline_id/jobs, then (includeBridges, default true) /bridges: trigger jobs are not in /jobs, so a full listing costs one request more. Child pipelines are pipelines of their own. updatedSince filters on the job\'s times.' },
    { operation: 'getJobLog', supported: true, write: false, requires: { permissions: ['cicd.logs.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/jobs/:job_id/trace (text/plain, unbounded): the last maxLogBytes are kept, then GitLab tokens and this instance\'s secrets are redacted (GitLab already shows masked variables as [MASKED]).' },
    { operation: 'listArtifacts', supported: true, write: false, requires: { permissions: ['cicd.artifacts.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GitLab keeps artifacts per job: a page of the pipeline\'s jobs gives their artifacts (archive and reports), so a page may hold more or fewer items than pageSize.' },
    { operation: 'rerunPipeline', supported: true, write: true, requires: { permissions: ['cicd.pipelines.write'], ...WRITE }, idempotency: { mode: 'none' }, rateLimitCost: { restRequests: 2 }, webhookConfirmation: { events: ['Pipeline Hook'] }, notes: 'failedOnly: POST .../pipelines/:id/retry (failed and canceled jobs again, same pipeline). Otherwise a new pipeline for the same ref (POST /projects/:id/pipeline), which runs the ref\'s current head, with a new id.' },
    { operation: 'cancelPipeline', supported: true, write: true, requires: { permissions: ['cicd.pipelines.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, webhookConfirmation: { events: ['Pipeline Hook'] }, notes: 'POST .../cancel; a running pipeline passes through canceling.' },
    { operation: 'listRunners', supported: true, write: false, requires: { permissions: ['cicd.runners.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/runners (project, group and allowed instance runners). The listing has no tag list (labels are empty) and GitLab does not tell whether a runner is busy. Runners carry no timestamps: updatedSince is ignored.' },
    { operation: 'registerRunner', supported: true, write: true, requires: { permissions: ['cicd.runners.write'], authModes: ['token'], nativeScopes: ['create_runner'] }, idempotency: { mode: 'none' }, rateLimitCost: { restRequests: 2 }, notes: 'POST /user/runners (runner_type project_type): the glrt- authentication token is returned once, never serialized or logged. Legacy registration tokens (POST /runners, 410 where disabled, the default since GitLab 17.0) are not used.' },
    { operation: 'createCheck', supported: true, write: true, requires: { permissions: ['cicd.checks.write'], ...WRITE }, idempotency: { mode: 'natural', key: 'sha+name' }, rateLimitCost: { restRequests: 1 }, webhookConfirmation: { events: ['Pipeline Hook'] }, notes: 'A commit status (POST /projects/:id/statuses/:sha); kind is always commit-status. States: queued pending, in_progress running, success, failure failed, cancelled canceled, skipped; neutral, timed_out, action_required and stale have no GitLab state (invalid_input). With an idempotencyKey or externalId the sha+name is read first and an identical status is not posted again. A status without a pipeline attaches to (or creates) an external pipeline for the sha.' },
    { operation: 'updateCheck', supported: true, write: true, requires: { permissions: ['cicd.checks.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, notes: 'A new POST under the same name. Posting the state the status already has answers 400 "Cannot transition status"; that is read back, never a failure.' },
  ],
  webhooks: ['Pipeline Hook', 'Job Hook', 'Deployment Hook'],
  ownershipModes: ['external-owned', 'read-only', 'write-through'],
  notes: {
    identity: 'Pipelines, jobs and runners by project path and global id; checks by "<sha>:<name>"; artifacts by "<job id>:<file type>".',
    bridges: 'Trigger jobs (bridges) come from /pipelines/:id/bridges and are listed after the jobs (nativeKind bridge).',
    checks: 'GitLab has no check runs: commit statuses only, without neutral/timed_out/action_required/stale.',
  },
};
