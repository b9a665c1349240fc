import type { InterfaceManifest } from '@krate/core';

const AUTH_MODES = ['token', 'oauth'];
const READ = { authModes: AUTH_MODES, nativeScopes: ['read_api'] };
const WRITE = { authModes: AUTH_MODES, nativeScopes: ['api'] };

/**
 * The issue tracking part of the GitLab manifest: issues, notes, labels, milestones and the
 * system-note timeline. Scopes are project paths (`group/sub/project`), issues are `iid`s.
 */
export const issueTrackingManifest: InterfaceManifest = {
  supported: true,
  objects: ['Issue', 'Note', 'Label', 'Milestone', 'SystemNote'],
  operations: [
    {
      operation: 'listIssues', supported: true, write: false,
      requires: { permissions: ['issueTracking.issues.read'], ...READ }, rateLimitCost: { restRequests: 1 },
      notes:
        'GET /projects/:id/issues?scope=all&order_by=updated_at&sort=asc&pagination=keyset&updated_after=<updatedSince>, 100 per page; the Link rel="next" URL ' +
        'is followed (same origin and path only). Correct past 10,000 issues, where GitLab drops x-total. Before GitLab 18.3 (405 on keyset) offset pages are used.',
    },
    { operation: 'getIssue', supported: true, write: false, requires: { permissions: ['issueTracking.issues.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'A moved issue keeps its ref; external.extensions.fields.movedToId names the new global id.' },
    {
      operation: 'createIssue', supported: true, write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE },
      idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' }, rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['Issue Hook'] },
      notes:
        'POST /projects/:id/issues. With idempotencyKey the key is kept as a hidden comment in the description and searched for (in=description) before writing. ' +
        'Assignees are usernames (one GET /users each); GitLab Free keeps one assignee, Premium several. milestone is a title or iid.',
    },
    {
      operation: 'updateIssue', supported: true, write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['Issue Hook'] },
      notes: 'PUT /projects/:id/issues/:iid. GitLab has no If-Match: ifMatch (an updatedAt) costs one GET first and compares updated_at; a mismatch is a conflict.',
    },
    {
      operation: 'closeIssue', supported: true, write: true,
      requires: { permissions: ['issueTracking.issues.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 },
      webhookConfirmation: { events: ['Issue Hook'] },
      notes: 'state_event=close. GitLab has no close reason: only "completed" is accepted; "not_planned" and "duplicate" are invalid_input without a request. Reads report "duplicate" for issues closed as duplicates.',
    },
    { operation: 'listComments', supported: true, write: false, requires: { permissions: ['issueTracking.comments.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/issues/:iid/notes?sort=asc&order_by=updated_at; system notes are left out (listEvents has them), so a page may hold fewer items. No server-side since: updatedSince filters the page.' },
    {
      operation: 'createComment', supported: true, write: true,
      requires: { permissions: ['issueTracking.comments.write'], ...WRITE }, idempotency: { mode: 'synthetic-key', key: 'idempotencyKey' }, rateLimitCost: { restRequests: 2 },
      webhookConfirmation: { events: ['Note Hook'] },
      notes: 'With idempotencyKey the key is kept as a hidden comment and the 100 newest notes are checked before writing.',
    },
    { operation: 'updateComment', supported: true, write: true, requires: { permissions: ['issueTracking.comments.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 }, webhookConfirmation: { events: ['Note Hook'] } },
    { operation: 'listLabels', supported: true, write: false, requires: { permissions: ['issueTracking.labels.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/labels?include_ancestor_groups=true: inherited group labels are listed (extensions.fields.inherited). Labels carry no timestamps: updatedSince is ignored.' },
    {
      operation: 'syncLabels', supported: true, write: true,
      requires: { permissions: ['issueTracking.labels.write'], ...WRITE }, idempotency: { mode: 'idempotent' }, rateLimitCost: { restRequests: 1 },
      notes:
        'Creates, updates (colour, description) and, unless prune is false, deletes project labels; names compare exactly. Inherited group labels cannot be edited or deleted ' +
        'from a project: differences and prunes of them are reported as drift, never written.',
    },
    { operation: 'listEvents', supported: true, write: false, requires: { permissions: ['issueTracking.issues.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'The issue\'s system notes (GitLab\'s one timeline: labels, assignees, milestones, state, title), one request per page; the kind is read from the note text (system_note when unknown). updatedSince filters on the note time.' },
    { operation: 'listMilestones', supported: true, write: false, requires: { permissions: ['issueTracking.milestones.read'], ...READ }, rateLimitCost: { restRequests: 1 }, notes: 'GET /projects/:id/milestones?updated_after=<updatedSince>.' },
  ],
  webhooks: ['Issue Hook', 'Note Hook', 'Milestone Hook'],
  ownershipModes: ['external-owned', 'bidirectional', 'read-only', 'write-through', 'reviewed-write'],
  notes: {
    bodyFormat: 'gitlab-markdown',
    closeReason: 'GitLab has no close reason; only duplicates leave a trace (closed_as_duplicate_of). not_planned cannot be written.',
    assignees: 'GitLab Free allows one assignee per issue; several need Premium (assignee_ids).',
    inheritedLabels: 'Project label lists include the ancestor groups\' labels, which a project cannot edit or delete; syncLabels reports them as drift.',
    phases: 'GitLab issues are opened or closed; in_progress has no native form (use a label or a work item status).',
    workItems: 'Tasks, epics and other work items arrive as Issue Hook deliveries with object_kind work_item; they are normalized like issues.',
  },
};
