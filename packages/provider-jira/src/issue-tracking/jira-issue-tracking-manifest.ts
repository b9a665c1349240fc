import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['api-token', 'oauth2'];
const BROWSE = { authModes: AUTH_MODES, nativeScopes: ['read:jira-work'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['read:jira-work', 'write:jira-work'] };
const EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'];

/**
 * The issue tracking part of the Jira manifest. `requires.nativeScopes` are the OAuth
 * 2.0 (classic) scopes; an API token acts with the account's project permissions
 * (Browse projects, Create/Edit/Transition issues, Add/Edit comments).
 */
export const issueTrackingManifest: InterfaceManifest = {
  supported: true,
  objects: ['Issue', 'Comment', 'Label', 'Version', 'ChangelogHistory', 'Transition'],
  operations: [
    {
      operation: 'listIssues',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes:
        'GET /rest/api/3/search/jql with bounded JQL (project = KEY ORDER BY updated, key), explicit fields and nextPageToken; no total. ' +
        'updatedSince becomes updated >= "yyyy-MM-dd HH:mm" in the searching user\'s time zone (minute precision), one minute early; ' +
        'what the overlap brings back is dropped by its exact updated time. Issues this instance created lately are passed as reconcileIssues ' +
        '(search is eventually consistent). 100 per page. The removed /rest/api/3/search (410) is never called.',
    },
    {
      operation: 'getIssue',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /rest/api/3/issue/{key}. A key from before a move still resolves: the issue comes back under its new ref, with extensions.fields.movedFrom.',
    },
    {
      operation: 'createIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'synthetic-key', key: 'label krate-idem-<sha256(idempotencyKey)>' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['jira:issue_created'] },
      notes:
        'POST /rest/api/3/issue (Markdown body as ADF; issue type from config; one assignee; milestone is a fix version name), then GET. ' +
        'With idempotencyKey a hidden label carries its digest and a search (with reconcileIssues) runs before writing and after a dropped answer.',
    },
    {
      operation: 'updateIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['jira:issue_updated'] },
      notes: 'PUT /rest/api/3/issue/{key} (204), then GET. state goes through a workflow transition. ifMatch compares updatedAt (Jira has no ETags).',
    },
    {
      operation: 'closeIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 4 },
      webhookConfirmation: { events: ['jira:issue_updated'] },
      notes:
        'Takes the transition into the "done" status category (closeStatus when several); the close reason sets the resolution when the screen has it ' +
        '(names from config.resolutions). A required screen field the provider cannot fill is invalid_input naming it; several candidate statuses are a conflict naming them.',
    },
    {
      operation: 'transitionIssue',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      rateLimitCost: { restRequests: 3 },
      webhookConfirmation: { events: ['jira:issue_updated'] },
      notes: 'to is matched against the target status name, then the transition name (case-insensitive), then a phase word (open, in_progress, closed). Ambiguity is a conflict naming the matches.',
    },
    {
      operation: 'listComments',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.comments.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /rest/api/3/issue/{key}/comment (startAt, total). Jira has no since filter here: updatedSince filters on updated.',
    },
    {
      operation: 'createComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE },
      idempotency: { mode: 'synthetic-key', key: 'comment property krate.idempotency' },
      rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['comment_created'] },
    },
    {
      operation: 'updateComment',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['comment_updated'] },
    },
    {
      operation: 'listLabels',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.labels.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /rest/api/3/label: labels are global to the site (the scope only names the listing), without colour, description or time.',
    },
    {
      operation: 'syncLabels',
      supported: true,
      write: true,
      requires: { permissions: ['issueTracking.labels.read'], ...BROWSE },
      idempotency: { mode: 'idempotent' },
      rateLimitCost: { restRequests: 1 },
      notes:
        'Report only: Jira has no API to create, recolour or delete a label (a label exists while an issue carries it). Missing labels, colours, ' +
        'descriptions and (with prune: true) labels to delete are reported as drift; nothing is written.',
    },
    {
      operation: 'listEvents',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes: 'GET /rest/api/3/issue/{key}/changelog (offset pages): one event per history entry, its items in details.',
    },
    {
      operation: 'listMilestones',
      supported: true,
      write: false,
      requires: { permissions: ['issueTracking.milestones.read'], ...BROWSE },
      rateLimitCost: { restRequests: 1 },
      notes:
        'Fix versions: GET /rest/api/3/project/{key}/version (released or archived -> closed; releaseDate -> dueOn). With milestones: sprints, ' +
        'the sprints of the configured Scrum board: GET /rest/agile/1.0/board/{boardId}/sprint (closed -> closed; endDate -> dueOn), and an issue\'s milestone is its Sprint field.',
    },
  ],
  webhooks: EVENTS,
  ownershipModes: ['external-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    bodyFormat: 'adf',
    unsupported: {
      labelColor: 'Jira labels have no colour: syncLabels reports a desired colour as drift.',
      labelDescription: 'Jira labels have no description: syncLabels reports a desired description as drift.',
      labelCreate: 'Jira has no API to create a label: it exists once an issue carries it. syncLabels reports a missing label as drift.',
      labelDelete: 'Jira has no API to delete a label: syncLabels with prune: true reports labels to delete as drift.',
      multipleAssignees: 'A Jira issue has one assignee: more than one is invalid_input.',
    },
  },
};
