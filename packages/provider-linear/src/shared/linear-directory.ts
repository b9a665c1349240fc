import { InvalidInputError, NotFoundError } from '@krate/core';
import { PROVIDER } from '../linear-errors.js';
import type { LinearRawRequest } from './linear-graphql.js';

/** A team as the directory keeps it. */
export interface LinearTeamEntry {
  id: string;
  key: string;
  name: string;
}

/** A workflow state of a team. `type` is one of triage, backlog, unstarted, started, completed, canceled, duplicate. */
export interface LinearStateEntry {
  id: string;
  name: string;
  type: string;
  position: number;
}

/** A label: the team's own or a workspace label (`teamId` null). */
export interface LinearLabelEntry {
  id: string;
  name: string;
  color: string;
  description: string | null;
  isGroup: boolean;
  teamId: string | null;
  parentId: string | null;
}

export interface LinearUserEntry {
  id: string;
  name: string;
  displayName: string;
  email: string;
}

export interface LinearCycleEntry {
  id: string;
  number: number;
  name: string | null;
}

const TEAM_QUERY = `query KrateDirectoryTeam($key: String!) {
  teams(filter: { key: { eq: $key } }, first: 1) { nodes { id key name } }
}`;

const TEAM_BY_ID_QUERY = `query KrateDirectoryTeamById($id: String!) {
  team(id: $id) { id key name }
}`;

const STATES_QUERY = `query KrateDirectoryStates($teamId: ID!) {
  workflowStates(filter: { team: { id: { eq: $teamId } } }, first: 250) { nodes { id name type position } }
}`;

const TEAM_LABELS_QUERY = `query KrateDirectoryLabels($teamId: ID!, $after: String) {
  issueLabels(filter: { or: [{ team: { id: { eq: $teamId } } }, { team: { null: true } }] }, first: 250, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name color description isGroup team { id } parent { id } }
  }
}`;

const LABELS_BY_ID_QUERY = `query KrateDirectoryLabelsById($ids: [ID!]!) {
  issueLabels(filter: { id: { in: $ids } }, first: 250, includeArchived: true) {
    nodes { id name color description isGroup team { id } parent { id } }
  }
}`;

const USERS_QUERY = `query KrateDirectoryUsers($names: [String!]!) {
  users(filter: { or: [{ email: { in: $names } }, { displayName: { in: $names } }, { name: { in: $names } }] }, first: 50) {
    nodes { id name displayName email }
  }
}`;

const CYCLES_QUERY = `query KrateDirectoryCycles($teamId: ID!) {
  cycles(filter: { team: { id: { eq: $teamId } } }, first: 250, includeArchived: true) { nodes { id number name } }
}`;

interface Timed<T> {
  at: number;
  value: T;
}

type RawLabel = { id: string; name: string; color: string; description: string | null; isGroup: boolean; team: { id: string } | null; parent: { id: string } | null };

function toLabel(raw: RawLabel): LinearLabelEntry {
  return {
    id: raw.id,
    name: raw.name,
    color: raw.color,
    description: raw.description ?? null,
    isGroup: raw.isGroup === true,
    teamId: raw.team?.id ?? null,
    parentId: raw.parent?.id ?? null,
  };
}

/**
 * The per-instance directory writes resolve through: team keys, workflow states,
 * label names and user names to Linear's UUIDs (Linear's inputs take UUIDs only).
 * Entries are kept for `ttlMs`; a name the directory does not know is looked up again
 * at once (a label created in Linear since is found). Label names by id serve reads,
 * which select `labelIds` (0.1 point each) instead of a labels connection per issue.
 */
export class LinearDirectory {
  readonly #request: LinearRawRequest;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #teams = new Map<string, Timed<LinearTeamEntry>>();
  readonly #teamKeys = new Map<string, string>();
  readonly #states = new Map<string, Timed<LinearStateEntry[]>>();
  readonly #teamLabels = new Map<string, Timed<LinearLabelEntry[]>>();
  readonly #labels = new Map<string, LinearLabelEntry>();
  readonly #users = new Map<string, Timed<LinearUserEntry>>();
  readonly #cycles = new Map<string, Timed<LinearCycleEntry[]>>();
  /** Lookups sent since the instance was made (for tests and the README's cost table). */
  lookups = 0;

  constructor(request: LinearRawRequest, options: { ttlMs: number; now?: () => number }) {
    this.#request = request;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  #fresh<T>(entry: Timed<T> | undefined): T | undefined {
    if (!entry) return undefined;
    return this.#now() - entry.at <= this.#ttlMs ? entry.value : undefined;
  }

  async #query<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    this.lookups += 1;
    return (await this.#request<T>(query, variables, signal)).data;
  }

  /** The team with this key; `not_found` when the credential sees no such team. */
  async team(key: string, operation: string, signal?: AbortSignal): Promise<LinearTeamEntry> {
    const cached = this.#fresh(this.#teams.get(key));
    if (cached) return cached;
    const data = await this.#query<{ teams: { nodes: LinearTeamEntry[] } }>(TEAM_QUERY, { key }, signal);
    const team = data.teams.nodes[0];
    if (!team) throw new NotFoundError({ provider: PROVIDER, operation, message: `Linear has no team with key "${key}" that this credential can see` });
    this.rememberTeam(team);
    return team;
  }

  /** A team the directory holds, without a lookup. */
  knownTeam(key: string): LinearTeamEntry | undefined {
    return this.#teams.get(key)?.value;
  }

  /** Remembers a team seen in an answer (an issue's `team { id key }`). */
  rememberTeam(team: { id: string; key: string; name?: string }): void {
    const value = { id: team.id, key: team.key, name: team.name ?? team.key };
    this.#teams.set(team.key, { at: this.#now(), value });
    this.#teamKeys.set(team.id, value.key);
  }

  /**
   * A team's key by its UUID (webhook payloads of labels and cycles carry `teamId` only):
   * from what the directory has seen, else one lookup. A team key can change, so a
   * stale entry is looked up again.
   */
  async teamKey(id: string, operation: string, signal?: AbortSignal): Promise<string> {
    const known = this.#teamKeys.get(id);
    if (known && this.#fresh(this.#teams.get(known))?.id === id) return known;
    const data = await this.#query<{ team: LinearTeamEntry | null }>(TEAM_BY_ID_QUERY, { id }, signal);
    if (!data.team) throw new NotFoundError({ provider: PROVIDER, operation, message: `Linear has no team ${id}` });
    this.rememberTeam(data.team);
    return data.team.key;
  }

  /** The team's workflow states, lowest position first. */
  async states(teamId: string, signal?: AbortSignal): Promise<LinearStateEntry[]> {
    const cached = this.#fresh(this.#states.get(teamId));
    if (cached) return cached;
    const data = await this.#query<{ workflowStates: { nodes: LinearStateEntry[] } }>(STATES_QUERY, { teamId }, signal);
    const states = [...data.workflowStates.nodes].sort((a, b) => a.position - b.position);
    this.#states.set(teamId, { at: this.#now(), value: states });
    return states;
  }

  /** The labels a team can put on its issues: its own and the workspace's. */
  async teamLabels(teamId: string, signal?: AbortSignal, refresh = false): Promise<LinearLabelEntry[]> {
    const cached = refresh ? undefined : this.#fresh(this.#teamLabels.get(teamId));
    if (cached) return cached;
    const labels: LinearLabelEntry[] = [];
    let after: string | null = null;
    do {
      const data: { issueLabels: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: RawLabel[] } } = await this.#query(
        TEAM_LABELS_QUERY,
        { teamId, after },
        signal,
      );
      for (const raw of data.issueLabels.nodes) labels.push(toLabel(raw));
      after = data.issueLabels.pageInfo.hasNextPage ? data.issueLabels.pageInfo.endCursor : null;
    } while (after);
    for (const label of labels) this.#labels.set(label.id, label);
    this.#teamLabels.set(teamId, { at: this.#now(), value: labels });
    return labels;
  }

  /** Forgets a team's label list (after a label write). */
  forgetTeamLabels(teamId: string): void {
    this.#teamLabels.delete(teamId);
  }

  /** Remembers a label seen in an answer. */
  rememberLabel(label: LinearLabelEntry): void {
    this.#labels.set(label.id, label);
  }

  /** The names of labels by id; unknown ids are looked up in one request. */
  async labelNames(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const missing = [...new Set(ids.filter((id) => !this.#labels.has(id)))];
    if (missing.length > 0) {
      const data = await this.#query<{ issueLabels: { nodes: RawLabel[] } }>(LABELS_BY_ID_QUERY, { ids: missing }, signal);
      for (const raw of data.issueLabels.nodes) this.#labels.set(raw.id, toLabel(raw));
    }
    const out = new Map<string, string>();
    for (const id of ids) {
      const label = this.#labels.get(id);
      if (label) out.set(id, label.name);
    }
    return out;
  }

  /** Label names known without a request (webhook normalization never sends one). */
  knownLabelName(id: string): string | undefined {
    return this.#labels.get(id)?.name;
  }

  /** Users by email, display name or name, each looked up at most once per TTL. `invalid_input` for a name nobody has. */
  async users(names: readonly string[], operation: string, signal?: AbortSignal): Promise<LinearUserEntry[]> {
    const wanted = [...new Set(names)];
    const missing = wanted.filter((n) => !this.#fresh(this.#users.get(n.toLowerCase())));
    if (missing.length > 0) {
      const data = await this.#query<{ users: { nodes: LinearUserEntry[] } }>(USERS_QUERY, { names: missing }, signal);
      const at = this.#now();
      for (const user of data.users.nodes) {
        for (const key of [user.email, user.displayName, user.name]) if (key) this.#users.set(key.toLowerCase(), { at, value: user });
      }
    }
    return wanted.map((name) => {
      const user = this.#fresh(this.#users.get(name.toLowerCase()));
      if (!user) throw new InvalidInputError({ provider: PROVIDER, operation, message: `Linear has no user "${name}" (match by email, display name or name)` });
      return user;
    });
  }

  /** The team's cycle named by number (`12`, `Cycle 12`) or name. `invalid_input` when none matches. */
  async cycle(teamId: string, milestone: string, operation: string, signal?: AbortSignal): Promise<LinearCycleEntry> {
    const find = (cycles: LinearCycleEntry[]) => {
      const text = milestone.trim();
      const number = /^(?:cycle\s*)?(\d+)$/i.exec(text)?.[1];
      return cycles.find((c) => (number !== undefined && c.number === Number(number)) || (c.name !== null && c.name.toLowerCase() === text.toLowerCase()));
    };
    const cached = this.#fresh(this.#cycles.get(teamId));
    let found = cached ? find(cached) : undefined;
    if (!found) {
      const data = await this.#query<{ cycles: { nodes: LinearCycleEntry[] } }>(CYCLES_QUERY, { teamId }, signal);
      this.#cycles.set(teamId, { at: this.#now(), value: data.cycles.nodes });
      found = find(data.cycles.nodes);
    }
    if (!found) throw new InvalidInputError({ provider: PROVIDER, operation, message: `the team has no cycle "${milestone}" (name it by number or name)` });
    return found;
  }
}
