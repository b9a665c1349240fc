import type { ExternalSyncEvent } from '@krate/core';
import { mapComment, mapIssue, mapLabel, mapMilestone } from '../issue-tracking/github-issue-tracking-mapping.js';
import {
  actionOf,
  objectField,
  occurredAtOf,
  optionalObject,
  refEvent,
  repoScopeOf,
  requireId,
  upserted,
  type GhPayload,
  type GitHubEventNormalizer,
} from './github-webhook-payload.js';

/**
 * `issues`: the issue upserted (opened, edited, labeled, assigned, milestoned,
 * closed, reopened, locked, pinned, ...) or deleted; `transferred` deletes it here and
 * upserts it in its new repository. An issue row that backs a pull request is
 * reported as the pull request, never as a second work item.
 */
export const normalizeIssues: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'issues');
  const issue = objectField(payload, 'issue', 'issues');
  const number = requireId(issue.number, 'issue number', 'issues');
  const ref = { scope, id: number };
  const action = actionOf(payload);
  if (optionalObject(issue, 'pull_request')) {
    return [refEvent('gitForge', 'pullRequest', ref, action === 'deleted' ? 'deleted' : 'upserted', occurredAtOf(issue))];
  }
  if (action === 'deleted') return [refEvent('issueTracking', 'issue', ref, 'deleted', occurredAtOf(issue))];
  if (action === 'transferred') {
    const events: ExternalSyncEvent[] = [refEvent('issueTracking', 'issue', ref, 'deleted', occurredAtOf(issue))];
    const changes = optionalObject(payload, 'changes');
    const newIssue = changes && optionalObject(changes, 'new_issue');
    const newRepo = changes && optionalObject(changes, 'new_repository');
    if (newIssue && newRepo && typeof newRepo.full_name === 'string') {
      events.push(upserted('issueTracking', 'issue', mapIssue(m, newIssue, { scope: newRepo.full_name }), occurredAtOf(newIssue)));
    }
    return events;
  }
  return [upserted('issueTracking', 'issue', mapIssue(m, issue, { scope }), occurredAtOf(issue))];
};

/**
 * `issue_comment`: the comment upserted or deleted. Comments on a pull request come
 * through here too (GitHub shares the number space): their `issueRef` is the pull
 * request's number.
 */
export const normalizeIssueComment: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'issue_comment');
  const comment = objectField(payload, 'comment', 'issue_comment');
  const issue = objectField(payload, 'issue', 'issue_comment');
  const id = requireId(comment.id, 'comment id', 'issue_comment');
  if (actionOf(payload) === 'deleted') {
    return [refEvent('issueTracking', 'comment', { scope, id }, 'deleted', occurredAtOf(comment))];
  }
  const issueNumber = typeof issue.number === 'number' ? issue.number : undefined;
  return [upserted('issueTracking', 'comment', mapComment(m, comment, { scope, issueNumber }), occurredAtOf(comment))];
};

/** `label`: the label upserted or deleted; a rename deletes the old name (labels are addressed by name). */
export const normalizeLabel: GitHubEventNormalizer = (m, payload) => {
  const scope = repoScopeOf(payload, 'label');
  const label = objectField(payload, 'label', 'label');
  const name = requireId(label.name, 'label name', 'label');
  const action = actionOf(payload);
  if (action === 'deleted') return [refEvent('issueTracking', 'label', { scope, id: name }, 'deleted', occurredAtOf(label))];
  const events: ExternalSyncEvent[] = [];
  const renamedFrom = optionalObject(optionalObject(payload, 'changes') ?? {}, 'name')?.from;
  if (action === 'edited' && typeof renamedFrom === 'string' && renamedFrom !== '' && renamedFrom !== name) {
    events.push(refEvent('issueTracking', 'label', { scope, id: renamedFrom }, 'deleted', occurredAtOf(label)));
  }
  events.push(upserted('issueTracking', 'label', mapLabel(m, label, { scope }), occurredAtOf(label)));
  return events;
};

/** `milestone`: the milestone upserted (created, edited, opened, closed) or deleted. */
export const normalizeMilestone: GitHubEventNormalizer = (m, payload: GhPayload) => {
  const scope = repoScopeOf(payload, 'milestone');
  const milestone = objectField(payload, 'milestone', 'milestone');
  const number = requireId(milestone.number, 'milestone number', 'milestone');
  if (actionOf(payload) === 'deleted') {
    return [refEvent('issueTracking', 'milestone', { scope, id: number }, 'deleted', occurredAtOf(milestone))];
  }
  return [upserted('issueTracking', 'milestone', mapMilestone(m, milestone, { scope }), occurredAtOf(milestone))];
};
