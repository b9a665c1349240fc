import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['github-app', 'token'];

/**
 * The git forge part of the GitHub capability manifest. `requires.nativeScopes`
 * are GitHub App permissions (a fine-grained token needs the same ones).
 */
export const gitForgeManifest: InterfaceManifest = {
  supported: true,
  objects: ['Repository', 'PullRequest', 'Review', 'Ref', 'Commit', 'DeployKey', 'BranchProtection', 'Collaborator'],
  operations: [
    {
      operation: 'listRepositories',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.repositories.read'], authModes: AUTH_MODES, nativeScopes: ['metadata:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /orgs/{org}/repos; when the owner is not an organization (404), GET /users/{user}/repos, which lists the user\'s public repositories only ' +
        '(private repositories of a user account are visible through GET /installation/repositories with an installation token, or GET /user/repos with that user\'s token). ' +
        'The cursor remembers which route answered. updatedSince sorts by updated (desc), filters client-side and stops at the first older repository.',
    },
    {
      operation: 'getRepository',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.repositories.read'], authModes: AUTH_MODES, nativeScopes: ['metadata:read'] },
      rateLimitCost: { restRequests: 1 },
    },
    {
      operation: 'createRepository',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.repositories.write'], authModes: AUTH_MODES, nativeScopes: ['administration:write'] },
      idempotency: { mode: 'natural', key: 'owner/name' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['repository'] },
      notes:
        'owner is required. POST /orgs/{org}/repos; for a user account (404 from the org route) POST /user/repos after GET /user confirms the token belongs to that user ' +
        '(an app installation token cannot create user repositories: forbidden). A name taken on the owner is a conflict.',
    },
    {
      operation: 'updateRepository',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.repositories.write'], authModes: AUTH_MODES, nativeScopes: ['administration:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['repository'] },
    },
    {
      operation: 'listPullRequests',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.pullRequests.read'], authModes: AUTH_MODES, nativeScopes: ['pull_requests:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /repos/{owner}/{repo}/pulls?state=all. GitHub has no `since` here: updatedSince sorts by updated (desc), filters client-side and stops at the first older pull request. ' +
        'Listings carry no mergeable_state, so mergeState is `unknown` there (draft and merged are always known); getPullRequest reports it. ' +
        'Webhook events report it the same way, keeping the payload\'s value in extensions.fields.mergeableState, so webhooks and backfills agree.',
    },
    {
      operation: 'getPullRequest',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.pullRequests.read'], authModes: AUTH_MODES, nativeScopes: ['pull_requests:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'mergeState comes from mergeable_state (clean/has_hooks -> mergeable, dirty -> conflicting, blocked, behind, unstable, draft), which GitHub computes ' +
        'in the background: the first read after a push may say `unknown`. Single reads (get, create, update, merge) report it.',
    },
    {
      operation: 'createPullRequest',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.pullRequests.write'], authModes: AUTH_MODES, nativeScopes: ['pull_requests:write'] },
      idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['pull_request'] },
      notes:
        'With an idempotencyKey the key is stored as a hidden marker in the body; the open pull request of the same head and base is looked up first and returned when it carries the key. ' +
        'GitHub allows one open pull request per head and base: one without the key is a conflict. The pull request takes the next number of the issue/PR number space.',
    },
    {
      operation: 'updatePullRequest',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.pullRequests.write'], authModes: AUTH_MODES, nativeScopes: ['pull_requests:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['pull_request'] },
    },
    {
      operation: 'mergePullRequest',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.pullRequests.merge'], authModes: AUTH_MODES, nativeScopes: ['contents:write', 'pull_requests:write'] },
      idempotency: { mode: 'natural', key: 'expectedHeadSha' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['pull_request', 'push'] },
      notes:
        'PUT /repos/{owner}/{repo}/pulls/{number}/merge with sha = expectedHeadSha: a moved head (409) or an unmergeable pull request (405) is a conflict with a hint. ' +
        'A repeated merge of a pull request already merged at the expected head returns it unchanged.',
    },
    {
      operation: 'listReviews',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.pullRequests.read'], authModes: AUTH_MODES, nativeScopes: ['pull_requests:read'] },
      rateLimitCost: { restRequests: 1 },
      notes: 'updatedSince filters on submitted_at client-side (reviews are listed oldest first).',
    },
    {
      operation: 'listRefs',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.refs.read'], authModes: AUTH_MODES, nativeScopes: ['contents:read'] },
      rateLimitCost: { restRequests: 1 },
      notes:
        'Branches then tags, from GET /repos/{owner}/{repo}/git/matching-refs/ without a ref (every ref), which GitHub answers in one piece without pagination: ' +
        'each page costs one request and pageSize (at most 100) slices the answer. Other refs (pull/*, notes) are left out. An empty repository (409) has no refs.',
    },
    {
      operation: 'getCommit',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.refs.read'], authModes: AUTH_MODES, nativeScopes: ['contents:read'] },
      rateLimitCost: { restRequests: 1 },
    },
    {
      operation: 'listDeployKeys',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.deployKeys.read'], authModes: AUTH_MODES, nativeScopes: ['administration:read'] },
      rateLimitCost: { restRequests: 1 },
      notes: 'updatedSince filters on created_at client-side (deploy keys cannot change).',
    },
    {
      operation: 'syncDeployKeys',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.deployKeys.write'], authModes: AUTH_MODES, nativeScopes: ['administration:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['deploy_key'] },
      notes:
        'Keys are matched by key material, then by title. GitHub keys are immutable: a changed title, key or read-only flag is a delete followed by a create ' +
        '(reported as updated). prune defaults to true. dryRun reports the plan without writing. Only public keys are ever read or written.',
    },
    {
      operation: 'listCollaborators',
      supported: true,
      write: false,
      requires: { permissions: ['gitForge.collaborators.read'], authModes: AUTH_MODES, nativeScopes: ['metadata:read'] },
      rateLimitCost: { restRequests: 1 },
      notes: 'affiliation=all: direct and outside collaborators and organization members with access. updatedSince is ignored (collaborators carry no time).',
    },
    {
      operation: 'syncBranchProtection',
      supported: true,
      write: true,
      requires: { permissions: ['gitForge.branchProtection.write'], authModes: AUTH_MODES, nativeScopes: ['administration:write'] },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['branch_protection_rule'] },
      notes:
        'Per branch: GET .../branches/{branch}/protection, drift reported field by field (only the fields a rule sets), then PUT of the current protection with the desired fields ' +
        '(settings a rule does not name are kept). dryRun reports drift without writing. prune (default false) removes protection from other protected branches. ' +
        'GitHub answers 404 on these routes when the credentials lack administration permission.',
    },
  ],
  webhooks: [
    'repository',
    'pull_request',
    'pull_request_review',
    'pull_request_review_comment',
    'push',
    'create',
    'delete',
    'branch_protection_rule',
    'deploy_key',
  ],
  ownershipModes: ['external-owned', 'krate-owned', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    numberSpace:
      'GitHub issues and pull requests share one number space per repository. A pull request is listed by the forge; its issue row is not a second work item ' +
      '(issue tracking skips it in listings and links it with pullRequestRef).',
    audit: 'Deploy key and branch protection writes happen only in syncDeployKeys / syncBranchProtection, whose SyncResult lists every change and every drift found.',
  },
};
