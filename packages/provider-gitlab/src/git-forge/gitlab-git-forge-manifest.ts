import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['token', 'oauth'];
const READ = { authModes: AUTH_MODES, nativeScopes: ['read_api'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['api'] };

/**
 * The git forge part of the GitLab manifest: projects, merge requests, branches and
 * tags, commits, deploy keys, members and protected branches. A repository ref is
 * `{ scope: namespace path (group/sub), id: project path }`; repoScope is the project path.
 */
export const gitForgeManifest: InterfaceManifest = {
  supported: true,
  objects: ['Project', 'MergeRequest', 'Branch', 'Tag', 'Commit', 'DeployKey', 'ProjectMember', 'ProtectedBranch'],
  operations: [
    { operation: 'listRepositories', supported: true, write: false, requires: { permissions: ['gitForge.repositories.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /groups/:id/projects (a user namespace: /users/:id/projects). With updatedSince the projects come newest first (order_by=updated_at&sort=desc) and the listing ends at the first older one.' },
    { operation: 'getRepository', supported: true, write: false, requires: { permissions: ['gitForge.repositories.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'A moved project answers with a redirect to its new path, which is followed.' },
    { operation: 'createRepository', supported: true, write: true, requires: { permissions: ['gitForge.repositories.write'], ...WRITE }, idempotency: { mode: 'natural', key: 'namespace+path' }, rateLimitCost: { restRequests: 2 }, notes: 'POST /projects with the namespace id (GET /namespaces/:path first). A second create of the same path answers 400 "has already been taken", which is a conflict.' },
    { operation: 'updateRepository', supported: true, write: true, requires: { permissions: ['gitForge.repositories.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, notes: 'PUT /projects/:id; archived uses POST /archive or /unarchive (not a field).' },
    { operation: 'listPullRequests', supported: true, write: false, requires: { permissions: ['gitForge.pullRequests.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/merge_requests?state=all&order_by=updated_at&sort=asc&updated_after=<updatedSince> (offset pages: no keyset for merge requests). Listings report detailed_merge_status as GitLab last computed it.' },
    { operation: 'getPullRequest', supported: true, write: false, requires: { permissions: ['gitForge.pullRequests.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'Polls (mergeStatusPollAttempts x mergeStatusPollDelayMs) while detailed_merge_status is unchecked, checking, preparing or approvals_syncing. draft from GitLab\'s flag or a Draft:/[Draft]/(Draft)/WIP: title prefix.' },
    { operation: 'createPullRequest', supported: true, write: true, requires: { permissions: ['gitForge.pullRequests.write'], ...WRITE }, idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' }, rateLimitCost: { restRequests: 2 }, webhookConfirmation: { events: ['Merge Request Hook'] }, notes: 'draft prefixes the title with "Draft: ". With idempotencyKey the key is kept as a hidden comment in the description and the open merge requests between the same branches are checked first; GitLab itself refuses a second open merge request between them (409, a conflict).' },
    { operation: 'updatePullRequest', supported: true, write: true, requires: { permissions: ['gitForge.pullRequests.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, webhookConfirmation: { events: ['Merge Request Hook'] } },
    { operation: 'mergePullRequest', supported: true, write: true, requires: { permissions: ['gitForge.pullRequests.merge'], ...WRITE }, idempotency: { mode: 'none' }, rateLimitCost: { restRequests: 1 }, webhookConfirmation: { events: ['Merge Request Hook'] }, notes: 'PUT .../merge with sha = expectedHeadSha. The merge method is a project setting: method merge uses it, squash sets squash=true, rebase is invalid_input. 405 (draft, closed, blocked, pipeline), 406 (conflicts) and 409 (head moved) are conflicts with distinct messages.' },
    { operation: 'listReviews', supported: true, write: false, requires: { permissions: ['gitForge.pullRequests.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'The merge request\'s reviewers and their states (GET .../merge_requests/:iid/reviewers): approved, requested_changes (changes_requested), reviewed (commented), unreviewed (pending), unapproved (dismissed). Approvals by users who are not reviewers are not listed. The endpoint is not paginated: each page reads it and takes its slice.' },
    { operation: 'listRefs', supported: true, write: false, requires: { permissions: ['gitForge.refs.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'Branches (GET .../repository/branches), then tags (.../repository/tags): two endpoints, so a full listing costs one request more than ceil(N / pageSize). Refs carry no timestamps.' },
    { operation: 'getCommit', supported: true, write: false, requires: { permissions: ['gitForge.refs.read'], ...READ }, rateLimitCost: { restRequests: 1 } },
    { operation: 'listDeployKeys', supported: true, write: false, requires: { permissions: ['gitForge.deployKeys.read'], ...READ }, rateLimitCost: { restRequests: 1 } },
    { operation: 'syncDeployKeys', supported: true, write: true, requires: { permissions: ['gitForge.deployKeys.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, notes: 'Matches by title (then by key); readOnly is the inverse of can_push. Key material cannot change: a different key is deleted and added again. Unless prune is false, keys not desired are removed from the project.' },
    { operation: 'listCollaborators', supported: true, write: false, requires: { permissions: ['gitForge.collaborators.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/members/all (inherited members included). Access levels: 10 guest read, 15 planner and 20 reporter triage, 30 developer write, 40 maintainer maintain, 50 owner admin.' },
    { operation: 'syncBranchProtection', supported: true, write: true, requires: { permissions: ['gitForge.branchProtection.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 2 }, notes: 'Protected branches (push and merge: Maintainers), allowForcePushes and requireCodeOwnerReviews per branch. enforceAdmins, requiredApprovingReviews, strict checks and allowDeletions have no per-branch form; requiredStatusChecks, dismissStaleReviews and requireLinearHistory are project-wide settings: all are reported as drift with the reason, never written.' },
  ],
  webhooks: ['Push Hook', 'Tag Push Hook', 'Merge Request Hook', 'Release Hook'],
  ownershipModes: ['external-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    mergeMethod: 'Set per project (merge, rebase_merge, ff); a merge can only choose squash.',
    requiredStatusChecks: 'Project-wide only (only_allow_merge_if_pipeline_succeeds); named external status checks need Ultimate.',
    enforceAdmins: 'No equivalent on GitLab.',
    reviews: 'Reviews are reviewer states (GitLab 16.x+); approvals by non-reviewers need the approvals endpoint and are not listed. Review bodies do not exist on GitLab (comments are notes).',
  },
};
