import { connection, linearError, notFound, type ConnectionArgs } from './linear-fake-connections.js';
import { linearColor, newId, type FakeLabel } from './linear-fake-objects.js';
import type { FakeResolverMap } from './linear-fake-resolvers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Issue labels: listing, lookup, create (with a client id), update, delete. */
export function labelResolvers(): FakeResolverMap {
  return {
    Query: {
      issueLabels: (_p, args: ConnectionArgs, s) => connection('IssueLabel', s.labels.list(), args, s),
      issueLabel: (_p, args: { id: string }, s) => s.labels.get(args.id) ?? (() => { throw notFound('IssueLabel'); })(),
    },
    Mutation: {
      issueLabelCreate(_p, args: { input: Record<string, any> }, s) {
        const input = args.input;
        if (input.id !== undefined && input.id !== null) {
          if (!UUID.test(input.id)) throw linearError('id must be a UUID', 'invalid input', 'INPUT_ERROR', 'The id must be a UUID v4.');
          if (s.labels.get(input.id)) {
            throw linearError('duplicate key value violates unique constraint "issue_label_pkey"', 'invalid input', 'INPUT_ERROR', 'A label with this id already exists.');
          }
        }
        const teamId = input.teamId ?? null;
        if (teamId && !s.teams.get(teamId)) throw notFound('Team');
        const clash = s.labels.list((l) => !l.archivedAt && l.name.toLowerCase() === String(input.name).toLowerCase() && (l.teamId === teamId || l.teamId === null));
        if (clash.length > 0) throw linearError('Label name already exists', 'invalid input', 'INPUT_ERROR', `A label named "${input.name}" already exists.`);
        const at = s.tick();
        const label = s.labels.insert({
          id: input.id ?? newId(), name: input.name, color: linearColor(input.color), description: input.description ?? null, isGroup: input.isGroup === true,
          teamId, parentId: input.parentId ?? null, creatorId: s.viewer.id, createdAt: at, updatedAt: at, archivedAt: null,
        });
        return { success: true, lastSyncId: 1, issueLabel: label };
      },
      issueLabelUpdate(_p, args: { id: string; input: Record<string, any> }, s) {
        const label = s.labels.get(args.id);
        if (!label) throw notFound('IssueLabel');
        const patch: Partial<FakeLabel> = { updatedAt: s.tick() };
        if (args.input.name !== undefined) patch.name = args.input.name;
        if (args.input.color !== undefined) patch.color = linearColor(args.input.color);
        if (args.input.description !== undefined) patch.description = args.input.description;
        return { success: true, lastSyncId: 1, issueLabel: s.labels.update(label.id, patch) };
      },
      issueLabelDelete(_p, args: { id: string }, s) {
        if (!s.labels.get(args.id)) throw notFound('IssueLabel');
        s.labels.delete(args.id);
        for (const issue of s.issues.list((i) => i.labelIds.includes(args.id))) {
          s.issues.update(issue.id, { labelIds: issue.labelIds.filter((id) => id !== args.id) });
        }
        return { success: true, lastSyncId: 1, entityId: args.id };
      },
    },
    IssueLabel: {
      team: (l: FakeLabel, _a, s) => (l.teamId ? s.teams.get(l.teamId) : null),
      parent: (l: FakeLabel, _a, s) => (l.parentId ? s.labels.get(l.parentId) : null),
    },
  };
}
