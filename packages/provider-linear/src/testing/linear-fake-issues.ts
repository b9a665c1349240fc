import { connection, linearError, notFound, type ConnectionArgs } from './linear-fake-connections.js';
import { newId, type FakeHistory, type FakeIssue } from './linear-fake-objects.js';
import type { FakeResolverMap } from './linear-fake-resolvers.js';
import type { LinearFakeState } from './linear-fake-state.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireIssue(s: LinearFakeState, id: string): FakeIssue {
  const issue = s.findIssue(id);
  if (!issue) throw notFound('Issue');
  return issue;
}

/** The timestamps Linear keeps per state type, set when an issue enters a state. */
function stateTimes(s: LinearFakeState, stateId: string, at: string): Pick<FakeIssue, 'startedAt' | 'completedAt' | 'canceledAt'> {
  const type = s.states.require(stateId).type;
  return {
    startedAt: type === 'started' ? at : null,
    completedAt: type === 'completed' ? at : null,
    canceledAt: type === 'canceled' || type === 'duplicate' ? at : null,
  };
}

/** Creates an issue record as `issueCreate` does (also used by the seeds). */
export function insertIssue(
  s: LinearFakeState,
  input: { id?: string; teamId: string; title: string; description?: string | null; stateId?: string; labelIds?: string[]; assigneeId?: string | null; cycleId?: string | null; priority?: number; createdAt?: string; updatedAt?: string },
): FakeIssue {
  const at = input.createdAt ?? s.tick();
  const stateId = input.stateId ?? s.stateOfType(input.teamId, ['unstarted']).id;
  const number = s.nextNumber(input.teamId);
  const team = s.teams.require(input.teamId);
  return s.issues.insert({
    id: input.id ?? newId(), number, identifier: `${team.key}-${number}`, title: input.title, description: input.description ?? null,
    priority: input.priority ?? 0, teamId: input.teamId, stateId, assigneeId: input.assigneeId ?? null, creatorId: s.viewer.id,
    cycleId: input.cycleId ?? null, labelIds: input.labelIds ?? [], previousIdentifiers: [], createdAt: at, updatedAt: input.updatedAt ?? at,
    archivedAt: null, trashed: null, sortOrder: -number, ...stateTimes(s, stateId, at),
  });
}

/** Issues: listing, lookup (UUID, identifier or previous identifier), create with a client id, update, archive and trash; history. */
export function issueResolvers(): FakeResolverMap {
  return {
    Query: {
      issues: (_p, args: ConnectionArgs, s) => connection('Issue', s.issues.list(), args, s),
      issue: (_p, args: { id: string }, s) => requireIssue(s, args.id),
    },
    Mutation: {
      issueCreate(_p, args: { input: Record<string, any> }, s) {
        const input = args.input;
        if (input.id !== undefined && input.id !== null) {
          if (!UUID.test(input.id)) throw linearError('id must be a UUID', 'invalid input', 'INPUT_ERROR', 'The id must be a UUID v4.');
          // Linear refuses a second create with the same client-supplied id.
          if (s.issues.get(input.id)) {
            throw linearError('duplicate key value violates unique constraint "issue_pkey"', 'invalid input', 'INPUT_ERROR', 'An issue with this id already exists.');
          }
        }
        if (!s.teams.get(input.teamId)) throw notFound('Team');
        if (input.stateId && s.states.get(input.stateId)?.teamId !== input.teamId) throw notFound('WorkflowState');
        for (const id of input.labelIds ?? []) if (!s.labels.get(id)) throw notFound('IssueLabel');
        if (input.assigneeId && !s.users.get(input.assigneeId)) throw notFound('User');
        if (input.cycleId && !s.cycles.get(input.cycleId)) throw notFound('Cycle');
        const issue = insertIssue(s, {
          id: input.id, teamId: input.teamId, title: input.title ?? '', description: input.description, stateId: input.stateId,
          labelIds: input.labelIds, assigneeId: input.assigneeId, cycleId: input.cycleId, priority: input.priority,
        });
        return { success: true, lastSyncId: 1, issue };
      },
      issueUpdate(_p, args: { id: string; input: Record<string, any> }, s) {
        const issue = requireIssue(s, args.id);
        const input = args.input;
        const at = s.tick();
        const patch: Partial<FakeIssue> = { updatedAt: at };
        const history: Partial<FakeHistory> = {};
        if (input.title !== undefined && input.title !== issue.title) {
          patch.title = input.title;
          history.fromTitle = issue.title;
          history.toTitle = input.title;
        }
        if (input.description !== undefined) patch.description = input.description;
        if (input.stateId !== undefined && input.stateId !== issue.stateId) {
          if (s.states.get(input.stateId)?.teamId !== issue.teamId) throw notFound('WorkflowState');
          Object.assign(patch, { stateId: input.stateId, ...stateTimes(s, input.stateId, at) });
          history.fromStateId = issue.stateId;
          history.toStateId = input.stateId;
        }
        if (input.labelIds !== undefined) {
          for (const id of input.labelIds) if (!s.labels.get(id)) throw notFound('IssueLabel');
          patch.labelIds = [...new Set<string>(input.labelIds)];
          const added = patch.labelIds.filter((id) => !issue.labelIds.includes(id));
          const removed = issue.labelIds.filter((id) => !patch.labelIds!.includes(id));
          if (added.length) history.addedLabelIds = added;
          if (removed.length) history.removedLabelIds = removed;
        }
        if (input.assigneeId !== undefined && input.assigneeId !== issue.assigneeId) {
          if (input.assigneeId !== null && !s.users.get(input.assigneeId)) throw notFound('User');
          patch.assigneeId = input.assigneeId;
          history.fromAssigneeId = issue.assigneeId;
          history.toAssigneeId = input.assigneeId;
        }
        if (input.cycleId !== undefined && input.cycleId !== issue.cycleId) {
          if (input.cycleId !== null && !s.cycles.get(input.cycleId)) throw notFound('Cycle');
          patch.cycleId = input.cycleId;
          history.fromCycleId = issue.cycleId;
          history.toCycleId = input.cycleId;
        }
        if (input.priority !== undefined) patch.priority = input.priority;
        if (input.trashed !== undefined) patch.trashed = input.trashed;
        let updated = s.issues.update(issue.id, patch);
        if (Object.keys(history).length > 0) s.history.insert({ id: newId(), issueId: issue.id, createdAt: at, updatedAt: at, actorId: s.viewer.id, ...history });
        if (input.teamId !== undefined && input.teamId !== issue.teamId) {
          const team = s.teams.get(input.teamId);
          if (!team) throw notFound('Team');
          updated = s.moveIssue(updated, team);
        }
        return { success: true, lastSyncId: 1, issue: updated };
      },
      issueArchive(_p, args: { id: string; trash?: boolean | null }, s) {
        const issue = requireIssue(s, args.id);
        const at = s.tick();
        s.history.insert({ id: newId(), issueId: issue.id, createdAt: at, updatedAt: at, actorId: s.viewer.id, archived: true, trashed: args.trash === true ? true : null });
        return { success: true, lastSyncId: 1, entity: s.issues.update(issue.id, { archivedAt: at, updatedAt: at, trashed: args.trash === true ? true : issue.trashed }) };
      },
      issueDelete(_p, args: { id: string }, s) {
        const issue = requireIssue(s, args.id);
        const at = s.tick();
        s.history.insert({ id: newId(), issueId: issue.id, createdAt: at, updatedAt: at, actorId: s.viewer.id, trashed: true });
        return { success: true, lastSyncId: 1, entity: s.issues.update(issue.id, { archivedAt: at, updatedAt: at, trashed: true }) };
      },
    },
    Issue: {
      team: (i: FakeIssue, _a, s) => s.teams.require(i.teamId),
      state: (i: FakeIssue, _a, s) => s.states.require(i.stateId),
      assignee: (i: FakeIssue, _a, s) => (i.assigneeId ? s.users.get(i.assigneeId) : null),
      creator: (i: FakeIssue, _a, s) => (i.creatorId ? s.users.get(i.creatorId) : null),
      cycle: (i: FakeIssue, _a, s) => (i.cycleId ? s.cycles.get(i.cycleId) : null),
      url: (i: FakeIssue, _a, s) => s.issueUrl(i),
      branchName: (i: FakeIssue) => `krate/${i.identifier.toLowerCase()}`,
      priorityLabel: (i: FakeIssue) => ['No priority', 'Urgent', 'High', 'Medium', 'Low'][i.priority] ?? 'No priority',
      labels: (i: FakeIssue, args: ConnectionArgs, s) =>
        connection('IssueLabel', i.labelIds.map((id) => s.labels.get(id)).filter((l) => l !== undefined), { ...args, includeArchived: true }, s),
      comments: (i: FakeIssue, args: ConnectionArgs, s) => connection('Comment', s.comments.list((c) => c.issueId === i.id), args, s),
      history: (i: FakeIssue, args: ConnectionArgs, s) => connection('IssueHistory', s.history.list((h) => h.issueId === i.id), args, s),
    },
    IssueHistory: {
      issue: (h: FakeHistory, _a, s) => s.issues.require(h.issueId),
      actor: (h: FakeHistory, _a, s) => (h.actorId ? s.users.get(h.actorId) : null),
      fromState: (h: FakeHistory, _a, s) => (h.fromStateId ? s.states.get(h.fromStateId) : null),
      toState: (h: FakeHistory, _a, s) => (h.toStateId ? s.states.get(h.toStateId) : null),
      fromAssignee: (h: FakeHistory, _a, s) => (h.fromAssigneeId ? s.users.get(h.fromAssigneeId) : null),
      toAssignee: (h: FakeHistory, _a, s) => (h.toAssigneeId ? s.users.get(h.toAssigneeId) : null),
      fromTeam: (h: FakeHistory, _a, s) => (h.fromTeamId ? s.teams.get(h.fromTeamId) : null),
      toTeam: (h: FakeHistory, _a, s) => (h.toTeamId ? s.teams.get(h.toTeamId) : null),
      fromCycle: (h: FakeHistory, _a, s) => (h.fromCycleId ? s.cycles.get(h.fromCycleId) : null),
      toCycle: (h: FakeHistory, _a, s) => (h.toCycleId ? s.cycles.get(h.toCycleId) : null),
      addedLabelIds: (h: FakeHistory) => h.addedLabelIds ?? null,
      removedLabelIds: (h: FakeHistory) => h.removedLabelIds ?? null,
      addedLabels: (h: FakeHistory, _a, s) => (h.addedLabelIds ? h.addedLabelIds.map((id) => s.labels.get(id)).filter((l) => l !== undefined) : null),
      removedLabels: (h: FakeHistory, _a, s) => (h.removedLabelIds ? h.removedLabelIds.map((id) => s.labels.get(id)).filter((l) => l !== undefined) : null),
      fromTitle: (h: FakeHistory) => h.fromTitle ?? null,
      toTitle: (h: FakeHistory) => h.toTitle ?? null,
      archived: (h: FakeHistory) => h.archived ?? null,
      trashed: (h: FakeHistory) => h.trashed ?? null,
      autoArchived: () => null,
      autoClosed: () => null,
    },
  };
}
