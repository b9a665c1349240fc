import { connection, notFound, type ConnectionArgs } from './linear-fake-connections.js';
import type { FakeCycle, FakeState, FakeTeam, FakeUser } from './linear-fake-objects.js';
import type { FakeResolverMap } from './linear-fake-resolvers.js';
import { FAKE_ORGANIZATION, type LinearFakeState } from './linear-fake-state.js';

/** The names a `users` filter asks for (`email`, `displayName`, `name` with `eq` or `in`, under `or`/`and`). */
function namesAskedFor(filter: Record<string, unknown> | null | undefined): string[] {
  if (!filter) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if ((key === 'or' || key === 'and') && Array.isArray(value)) for (const f of value) out.push(...namesAskedFor(f as Record<string, unknown>));
    if (['email', 'displayName', 'name'].includes(key) && value && typeof value === 'object') {
      const c = value as { eq?: unknown; in?: unknown };
      if (typeof c.eq === 'string') out.push(c.eq);
      if (Array.isArray(c.in)) out.push(...c.in.filter((v): v is string => typeof v === 'string'));
    }
  }
  return out;
}

/** Teams, workflow states, users, cycles and the organization. */
export function teamResolvers(options: { members: 'any' | 'known' }): FakeResolverMap {
  const teamOf = (s: LinearFakeState, id: string): FakeTeam => {
    const team = s.teams.get(id) ?? s.teams.list((t) => t.key === id)[0];
    if (!team) throw notFound('Team');
    return team;
  };
  return {
    Query: {
      teams: (_p, args: ConnectionArgs, s) => connection('Team', s.teams.list(), args, s),
      team: (_p, args: { id: string }, s) => teamOf(s, args.id),
      workflowStates: (_p, args: ConnectionArgs, s) => connection('WorkflowState', s.states.list(), args, s),
      workflowState: (_p, args: { id: string }, s) => s.states.get(args.id) ?? (() => { throw notFound('WorkflowState'); })(),
      users(_p, args: ConnectionArgs, s) {
        if (options.members === 'any') for (const name of namesAskedFor(args.filter)) s.user(name);
        return connection('User', s.users.list(), args, s);
      },
      user: (_p, args: { id: string }, s) => s.users.get(args.id) ?? (() => { throw notFound('User'); })(),
      viewer: (_p, _a, s) => s.viewer,
      cycles: (_p, args: ConnectionArgs, s) => connection('Cycle', s.cycles.list(), args, s),
      cycle: (_p, args: { id: string }, s) => s.cycles.get(args.id) ?? (() => { throw notFound('Cycle'); })(),
      organization: () => ({ ...FAKE_ORGANIZATION, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' }),
    },
    Team: {
      states: (t: FakeTeam, args: ConnectionArgs, s) => connection('WorkflowState', s.states.list((w) => w.teamId === t.id), args, s),
      labels: (t: FakeTeam, args: ConnectionArgs, s) => connection('IssueLabel', s.labels.list((l) => l.teamId === t.id), args, s),
      cycles: (t: FakeTeam, args: ConnectionArgs, s) => connection('Cycle', s.cycles.list((c) => c.teamId === t.id), args, s),
    },
    WorkflowState: { team: (w: FakeState, _a, s) => s.teams.require(w.teamId) },
    User: {
      url: (u: FakeUser, _a, s) => s.userUrl(u),
      avatarUrl: (u: FakeUser) => u.avatarUrl,
    },
    Cycle: {
      team: (c: FakeCycle, _a, s) => s.teams.require(c.teamId),
      isActive: (c: FakeCycle, _a, s) => !c.completedAt && c.startsAt <= s.nowIso() && s.nowIso() < c.endsAt,
      progress: () => 0,
    },
  };
}
