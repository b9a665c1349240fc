import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['github-app', 'token'];
const READ = { authModes: AUTH_MODES, nativeScopes: ['issues:read'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['issues:write'] };

/**
 * The issue tracking part of the GitHub manifest: issues, comments, labels,
 * milestones and issue events. `requires.nativeScopes` are GitHub App permissions
 * (a fine-grained token needs the same ones; a classic token needs `repo`).
 */
export const issueTrackingManifest: InterfaceManifest = {
  supported: true,
  objects: ['Issue', 'IssueComment', 'Label', 'Milestone', 'IssueEvent'],
  operations: [
    {
      operation: 'listIssues',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /repos/{owner}/{repo}/issues?state=all&sort=updated&direction=asc&since=<updatedSince>, 100 per page; an unchanged page is answered 304 ' +
        '(ETag), which costs no rate limit. Pull requests share the issue number space: their rows are skipped (a page may hold fewer items), ' +
        'list them with gitForge.listPullRequests. With useGraphql, one GraphQL query per page instead.',
    },
    {
      operation: 'getIssue',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes: 'On a pull request number it returns the pull request\'s issue row with pullRequestRef set.',
    },
    {
      operation: 'createIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['issues'] },
      notes:
        'POST /repos/{owner}/{repo}/issues. With idempotencyKey the key is kept as a hidden comment in the body and the 50 most recently created ' +
        'issues are checked before writing and after a dropped connection. milestone is a title or a number.',
    },
    {
      operation: 'updateIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['issues'] },
      notes: 'PATCH /repos/{owner}/{repo}/issues/{number}. ifMatch (an ETag or updatedAt) costs one GET first; a mismatch is a conflict.',
    },
    {
      operation: 'closeIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['issues'] },
      notes: 'state=closed with state_reason completed (default), not_planned or duplicate.',
    },
    {
      operation: 'listComments',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.comments.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /repos/{owner}/{repo}/issues/{number}/comments?since=<updatedSince>, 100 per page, conditional (ETag).',
    },
    {
      operation: 'createComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE },
      idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['issue_comment'] },
      notes: 'With idempotencyKey the key is kept as a hidden comment in the body and the newest comments (last page) are checked before writing.',
    },
    {
      operation: 'updateComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['issue_comment'] },
    },
    {
      operation: 'listLabels',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.labels.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /repos/{owner}/{repo}/labels, 100 per page, conditional (ETag). Labels carry no timestamps: updatedSince is ignored.',
    },
    {
      operation: 'syncLabels',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.labels.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['label'] },
      notes:
        'Lists the labels, then creates, updates (color, description, name case) and, unless prune is false, deletes to match; one request per change. ' +
        'Names compare case-insensitively, as on GitHub. dryRun reports without writing.',
    },
    {
      operation: 'listEvents',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /repos/{owner}/{repo}/issues/{number}/events. GitHub has no since here: updatedSince filters client-side on created_at.',
    },
    {
      operation: 'listMilestones',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.milestones.read'], ...READ },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /repos/{owner}/{repo}/milestones?state=all. GitHub has no since here: updatedSince filters client-side on updated_at.',
    },
  ],
  webhooks: ['issues', 'issue_comment', 'label', 'milestone'],
  ownershipModes: ['external-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    pullRequests: 'Issues and pull requests share one number space. A pull request is never a separate work item: listIssues skips it, getIssue sets pullRequestRef.',
    bodyFormat: 'markdown',
  },
};
