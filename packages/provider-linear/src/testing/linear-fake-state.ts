import { FakeClock, FakeCollection } from '@krate/contract-tests/kit';
import {
  DEFAULT_STATES, newId, slug,
  type FakeComment, type FakeCycle, type FakeHistory, type FakeIssue, type FakeLabel, type FakeProject, type FakeState, type FakeTeam, type FakeUser,
} from './linear-fake-objects.js';

/** The workspace the fake serves. */
export const FAKE_ORGANIZATION = { id: '6f1c2f8e-3a51-4d8e-9a7e-2c0d1b7e4a10', name: 'Acme', urlKey: 'acme' };

/** The fake's state: one workspace with teams, workflow states, users, labels, cycles, issues, comments and history. */
export class LinearFakeState {
  readonly clock = new FakeClock('2026-01-01T00:00:00Z');
  readonly teams = new FakeCollection<FakeTeam>({ name: 'team' });
  readonly states = new FakeCollection<FakeState>({ name: 'workflow state' });
  readonly users = new FakeCollection<FakeUser>({ name: 'user' });
  readonly labels = new FakeCollection<FakeLabel>({ name: 'label' });
  readonly cycles = new FakeCollection<FakeCycle>({ name: 'cycle' });
  readonly issues = new FakeCollection<FakeIssue>({ name: 'issue' });
  readonly comments = new FakeCollection<FakeComment>({ name: 'comment' });
  readonly history = new FakeCollection<FakeHistory>({ name: 'issue history' });
  readonly projects = new FakeCollection<FakeProject>({ name: 'project' });
  /** The user the credential acts as. */
  readonly viewer: FakeUser;
  readonly #counters = new Map<string, number>();

  constructor(readonly webBaseUrl: string) {
    this.viewer = this.user('krate-bot');
  }

  /** The current time, moved on by one second (every write gets its own instant). */
  tick(): string {
    return new Date(Date.parse(this.clock.tick(1000))).toISOString();
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  team(key: string): FakeTeam {
    const existing = this.teams.list((t) => t.key === key)[0];
    if (existing) return existing;
    const at = this.nowIso();
    const team = this.teams.insert({ id: newId(), key, name: `${key} team`, createdAt: at, updatedAt: at, archivedAt: null });
    DEFAULT_STATES.forEach((s, position) =>
      this.states.insert({ id: newId(), name: s.name, type: s.type, color: s.color, position, teamId: team.id, createdAt: at, updatedAt: at, archivedAt: null, description: null }),
    );
    return team;
  }

  teamById(id: string): FakeTeam | undefined {
    return this.teams.get(id);
  }

  /** The user with this name (email, display name or name), made on first use. */
  user(name: string): FakeUser {
    const lower = name.toLowerCase();
    const existing = this.users.list((u) => [u.name, u.displayName, u.email].some((v) => v.toLowerCase() === lower))[0];
    if (existing) return existing;
    const at = this.nowIso();
    // The display name is Linear's @handle: the name as given (the local part of an email).
    const handle = name.includes('@') ? name.replace(/@.*$/, '') : name;
    const mailbox = handle.toLowerCase().replace(/[^a-z0-9._-]+/g, '.');
    return this.users.insert({
      id: newId(), name, displayName: handle, email: name.includes('@') ? name : `${mailbox}@acme.test`, active: true, avatarUrl: null,
      createdAt: at, updatedAt: at, archivedAt: null,
    });
  }

  /** The team's state of a type (lowest position). */
  stateOfType(teamId: string, types: string[]): FakeState {
    for (const type of types) {
      const state = this.states.list((s) => s.teamId === teamId && s.type === type).sort((a, b) => a.position - b.position)[0];
      if (state) return state;
    }
    throw new Error(`fake: team ${teamId} has no state of type ${types.join('/')}`);
  }

  /** A label of the team (or the workspace) by name, made on first use. */
  label(teamId: string | null, name: string, color?: string, description?: string): FakeLabel {
    const existing = this.labels.list((l) => l.name.toLowerCase() === name.toLowerCase() && (l.teamId === teamId || l.teamId === null))[0];
    if (existing) return existing;
    const at = this.nowIso();
    return this.labels.insert({
      id: newId(), name, color: color ?? '#bec2c8', description: description ?? null, isGroup: false, teamId, parentId: null, creatorId: this.viewer.id,
      createdAt: at, updatedAt: at, archivedAt: null,
    });
  }

  nextNumber(teamId: string): number {
    const next = (this.#counters.get(teamId) ?? 0) + 1;
    this.#counters.set(teamId, next);
    return next;
  }

  /** An issue by UUID, current identifier or any previous identifier. */
  findIssue(id: string): FakeIssue | undefined {
    return this.issues.get(id) ?? this.issues.list((i) => i.identifier === id || i.previousIdentifiers.includes(id))[0];
  }

  issueUrl(issue: FakeIssue): string {
    return `${this.webBaseUrl}/${FAKE_ORGANIZATION.urlKey}/issue/${issue.identifier}/${slug(issue.title)}`;
  }

  commentUrl(comment: FakeComment): string {
    const issue = this.issues.get(comment.issueId);
    return `${issue ? this.issueUrl(issue) : `${this.webBaseUrl}/${FAKE_ORGANIZATION.urlKey}`}#comment-${comment.id.slice(0, 8)}`;
  }

  userUrl(user: FakeUser): string {
    return `${this.webBaseUrl}/${FAKE_ORGANIZATION.urlKey}/profiles/${encodeURIComponent(user.displayName)}`;
  }

  cycleUrl(cycle: { teamId: string; number: number }): string {
    return `${this.webBaseUrl}/${FAKE_ORGANIZATION.urlKey}/team/${this.teams.require(cycle.teamId).key}/cycle/${cycle.number}`;
  }

  /** A team's cycle by title (name or `Cycle <n>`), made on first use. */
  cycle(teamId: string, title: string): FakeCycle {
    const existing = this.cycles.list((c) => c.teamId === teamId && (c.name ?? `Cycle ${c.number}`) === title)[0];
    if (existing) return existing;
    const at = this.nowIso();
    const number = this.cycles.list((c) => c.teamId === teamId).length + 1;
    const endsAt = new Date(Date.parse(at) + 14 * 86_400_000).toISOString();
    return this.cycles.insert({
      id: newId(), number, name: title, description: null, startsAt: at, endsAt, completedAt: null, teamId, createdAt: at, updatedAt: at, archivedAt: null,
    });
  }

  /** Moves an issue to another team as Linear does: a new number and identifier, the old identifier kept in `previousIdentifiers`. */
  moveIssue(issue: FakeIssue, toTeam: FakeTeam): FakeIssue {
    const fromState = this.states.require(issue.stateId);
    const state = this.stateOfType(toTeam.id, [fromState.type]);
    const number = this.nextNumber(toTeam.id);
    const at = this.tick();
    this.history.insert({ id: newId(), issueId: issue.id, createdAt: at, updatedAt: at, actorId: this.viewer.id, fromTeamId: issue.teamId, toTeamId: toTeam.id });
    return this.issues.update(issue.id, {
      teamId: toTeam.id,
      stateId: state.id,
      number,
      identifier: `${toTeam.key}-${number}`,
      previousIdentifiers: [...issue.previousIdentifiers, issue.identifier],
      labelIds: issue.labelIds.filter((id) => this.labels.get(id)?.teamId !== issue.teamId),
      cycleId: null,
      updatedAt: at,
    });
  }
}
