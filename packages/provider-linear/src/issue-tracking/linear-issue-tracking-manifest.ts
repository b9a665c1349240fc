import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['api-key', 'oauth'];
const READ = { authModes: AUTH_MODES, nativeScopes: ['read'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['write'] };
const CREATE_ISSUES = { authModes: AUTH_MODES, nativeScopes: ['issues:create'] };
const COMMENT = { authModes: AUTH_MODES, nativeScopes: ['comments:create'] };

/**
 * The issue tracking part of the Linear manifest. `requires.nativeScopes` are OAuth
 * scopes (`write` covers `issues:create` and `comments:create`); an API key acts as its
 * user. Costs are Linear complexity points per call as the fake computes them (0.1 per
 * scalar, 1 per object, connections times `first`), measured by bench/run.mjs.
 */
export const issueTrackingManifest: InterfaceManifest = {
  supported: true,
  objects: ['Issue', 'Comment', 'IssueLabel', 'Cycle', 'IssueHistory'],
  operations: [
    {
      operation: 'listIssues',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { graphqlPoints: 2233 },
      notes:
        'One `issues` query per page (up to 100, filter team key and updatedAt gte, orderBy createdAt, includeArchived by default); label names ' +
        'come with each issue (10; more through one lookup). Trashed issues are left out unless includeTrashed. 2 233 points for a full page.',
    },
    {
      operation: 'getIssue',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { graphqlPoints: 23 },
      notes: 'issue(id:) takes the identifier (also one the issue had before it moved team) or the UUID; the answer carries the current identifier.',
    },
    {
      operation: 'createIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...CREATE_ISSUES },
      idempotency: { mode: 'synthetic-key', key: 'IssueCreateInput.id: a UUID derived from idempotencyKey and the team' },
      rateLimitCost: { graphqlPoints: 24 },
      webhookConfirmation: { events: ['Issue'] },
      notes:
        'Costs 24 points plus, once per instance and TTL, the team, label, user and cycle lookups. Sends a client-supplied id; a repeated create meets Linear\'s conflict and returns the issue the first call made. Team, label, user and cycle ' +
        'names resolve to UUIDs through a per-instance directory (one lookup each, cached); a label Linear lacks is made on the team in the same request (an issueLabelCreate field before issueCreate in one mutation). One assignee.',
    },
    {
      operation: 'updateIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { graphqlPoints: 47 },
      webhookConfirmation: { events: ['Issue'] },
      notes: 'Reads the issue, then issueUpdate with absolute values (labelIds, assigneeId, stateId, cycleId). state open picks the team\'s unstarted (or backlog) state. ifMatch compares updatedAt.',
    },
    {
      operation: 'closeIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { graphqlPoints: 47 },
      webhookConfirmation: { events: ['Issue'] },
      notes: 'Moves to the team\'s state of type completed (reason completed), canceled (not_planned) or duplicate (else canceled), lowest position first.',
    },
    {
      operation: 'transitionIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { graphqlPoints: 47 },
      webhookConfirmation: { events: ['Issue'] },
      notes: 'to: a workflow state name or id of the issue\'s team, a state type (triage, backlog, unstarted, started, completed, canceled, duplicate) or a phase (open, in_progress, closed, not_planned).',
    },
    {
      operation: 'listComments',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.comments.read'], ...READ },
      rateLimitCost: { graphqlPoints: 554 },
      notes: 'issue(id:) { comments } per page (up to 100, filter updatedAt gte, orderBy createdAt).',
    },
    {
      operation: 'createComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...COMMENT },
      idempotency: { mode: 'synthetic-key', key: 'CommentCreateInput.id: a UUID derived from idempotencyKey and the issue' },
      rateLimitCost: { graphqlPoints: 30 },
      webhookConfirmation: { events: ['Comment'] },
      notes: 'Reads the issue (its UUID), then commentCreate with a client-supplied id; a repeat meets the conflict and returns the comment.',
    },
    {
      operation: 'updateComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { graphqlPoints: 7 },
      webhookConfirmation: { events: ['Comment'] },
      notes: 'A comment ref is { scope: team key, id: comment UUID }.',
    },
    {
      operation: 'listLabels',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.labels.read'], ...READ },
      rateLimitCost: { graphqlPoints: 424 },
      notes: 'The team\'s labels and the workspace\'s (marked workspaceLabel), up to 100 per page, filter updatedAt gte. A label ref id is its UUID.',
    },
    {
      operation: 'syncLabels',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.labels.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      webhookConfirmation: { events: ['IssueLabel'] },
      notes:
        'Creates (with an id derived from team and name), updates and, unless prune is false, deletes the team\'s own labels; workspace labels count as ' +
        'present but are never changed or pruned by a team\'s sync; label groups are left alone. Names compare case-insensitively. Colours without #.',
    },
    {
      operation: 'listEvents',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ },
      rateLimitCost: { graphqlPoints: 1585 },
      notes: 'issue(id:) { history } per page (up to 100). IssueHistory has no filter argument: updatedSince filters each page client-side.',
    },
    {
      operation: 'listMilestones',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.milestones.read'], ...READ },
      rateLimitCost: { graphqlPoints: 324 },
      notes: 'Milestones are the team\'s cycles (ref id: cycle number); projects span teams and are not milestones here.',
    },
  ],
  webhooks: ['Issue', 'Comment', 'IssueLabel', 'Cycle', 'Project'],
  ownershipModes: ['external-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    bodyFormat: 'linear-markdown',
    identity:
      'ref { scope: team key, id: identifier }; nativeId the UUID. An issue that moves team comes back under its new identifier with the old ones in ' +
      'extensions.fields.previousIdentifiers; a webhook that reports the move also deletes the old ref.',
    states: 'triage, backlog, unstarted -> open; started -> in_progress; completed, canceled, duplicate -> closed (completed, not_planned, duplicate).',
    projects: 'Project deliveries are verified and acknowledged with no events: projects span teams and have no object in the issue tracking model.',
    unsupported: 'Linear issues have a single assignee (more is invalid_input). Labels carry no web page: their URL is the label settings page.',
  },
};
