import { GraphQLError } from 'graphql';
import type { LinearFakeState } from './linear-fake-state.js';

/** Linear's largest `first`. */
export const FAKE_MAX_FIRST = 250;
const DEFAULT_FIRST = 50;

/** An error in Linear's shape (`extensions.type` and `code`, `userPresentableMessage`). */
export function linearError(message: string, type: string, code: string, userPresentableMessage?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { type, code, userError: true, ...(userPresentableMessage ? { userPresentableMessage } : {}) },
  });
}

export const notFound = (entity: string): GraphQLError =>
  linearError(`Entity not found: ${entity}`, 'invalid input', 'INPUT_ERROR', `Could not find referenced ${entity}.`);

const COMPARATORS = new Set(['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'null', 'eqIgnoreCase', 'containsIgnoreCase', 'contains', 'startsWith']);

type Relation = (item: Record<string, unknown>, state: LinearFakeState) => { type: string; item: Record<string, unknown> | null | undefined };

/** The relations a filter may walk, per entity type. */
const RELATIONS: Record<string, Record<string, Relation>> = {
  Issue: {
    team: (i, s) => ({ type: 'Team', item: s.teams.get(String(i.teamId)) as never }),
    state: (i, s) => ({ type: 'WorkflowState', item: s.states.get(String(i.stateId)) as never }),
    assignee: (i, s) => ({ type: 'User', item: i.assigneeId ? (s.users.get(String(i.assigneeId)) as never) : null }),
    cycle: (i, s) => ({ type: 'Cycle', item: i.cycleId ? (s.cycles.get(String(i.cycleId)) as never) : null }),
  },
  IssueLabel: {
    team: (l, s) => ({ type: 'Team', item: l.teamId ? (s.teams.get(String(l.teamId)) as never) : null }),
    parent: (l, s) => ({ type: 'IssueLabel', item: l.parentId ? (s.labels.get(String(l.parentId)) as never) : null }),
  },
  WorkflowState: { team: (w, s) => ({ type: 'Team', item: s.teams.get(String(w.teamId)) as never }) },
  Cycle: { team: (c, s) => ({ type: 'Team', item: s.teams.get(String(c.teamId)) as never }) },
  Comment: {
    issue: (c, s) => ({ type: 'Issue', item: s.issues.get(String(c.issueId)) as never }),
    user: (c, s) => ({ type: 'User', item: c.userId ? (s.users.get(String(c.userId)) as never) : null }),
  },
};

function isComparator(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0 && Object.keys(value).every((k) => COMPARATORS.has(k));
}

function compare(actual: unknown, comparator: Record<string, unknown>): boolean {
  const asTime = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : v);
  const a = asTime(actual) as number | null | undefined;
  for (const [op, raw] of Object.entries(comparator)) {
    const v = (Array.isArray(raw) ? raw.map(asTime) : asTime(raw)) as number | number[];
    switch (op) {
      case 'eq': if (a !== v) return false; break;
      case 'neq': if (a === v) return false; break;
      case 'in': if (!(v as unknown[]).includes(a)) return false; break;
      case 'nin': if ((v as unknown[]).includes(a)) return false; break;
      case 'gt': if (a === null || a === undefined || !(a > (v as number))) return false; break;
      case 'gte': if (a === null || a === undefined || !(a >= (v as number))) return false; break;
      case 'lt': if (a === null || a === undefined || !(a < (v as number))) return false; break;
      case 'lte': if (a === null || a === undefined || !(a <= (v as number))) return false; break;
      case 'null': if ((a === null || a === undefined) !== raw) return false; break;
      case 'eqIgnoreCase': if (String(a).toLowerCase() !== String(raw).toLowerCase()) return false; break;
      default: throw linearError(`the fake does not implement the ${op} comparator`, 'invalid input', 'INPUT_ERROR');
    }
  }
  return true;
}

/** Whether an item matches a Linear filter (`and`, `or`, comparators, relation filters with `null`). */
export function matchesFilter(type: string, item: Record<string, unknown>, filter: Record<string, unknown> | null | undefined, state: LinearFakeState): boolean {
  if (!filter) return true;
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and') {
      if (!(value as Record<string, unknown>[]).every((f) => matchesFilter(type, item, f, state))) return false;
      continue;
    }
    if (key === 'or') {
      if (!(value as Record<string, unknown>[]).some((f) => matchesFilter(type, item, f, state))) return false;
      continue;
    }
    const relation = RELATIONS[type]?.[key];
    if (relation) {
      const related = relation(item, state);
      const { null: wantNull, ...rest } = value as Record<string, unknown>;
      if (wantNull !== undefined && (related.item === null || related.item === undefined) !== wantNull) return false;
      if (Object.keys(rest).length > 0) {
        if (!related.item || !matchesFilter(related.type, related.item, rest, state)) return false;
      }
      continue;
    }
    if (!isComparator(value)) throw linearError(`the fake does not implement the filter ${type}.${key}`, 'invalid input', 'INPUT_ERROR');
    if (!compare(item[key], value)) return false;
  }
  return true;
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  includeArchived?: boolean | null;
  orderBy?: 'createdAt' | 'updatedAt' | null;
  filter?: Record<string, unknown> | null;
}

/**
 * One page of a connection, as Linear pages: archived items left out unless
 * `includeArchived`, ordered by `createdAt` (default) or `updatedAt`, newest first, the
 * cursor the item's id, `first` at most 250 (default 50). An unknown cursor is an error.
 */
export function connection<T extends { id: string; createdAt: string; updatedAt: string; archivedAt?: string | null }>(
  type: string,
  items: T[],
  args: ConnectionArgs,
  state: LinearFakeState,
): { nodes: T[]; edges: Array<{ node: T; cursor: string }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } } {
  if (args.last !== undefined && args.last !== null) throw linearError('the fake pages forward only (first/after)', 'invalid input', 'INPUT_ERROR');
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 0 || first > FAKE_MAX_FIRST) {
    throw linearError(`first must be between 0 and ${FAKE_MAX_FIRST}`, 'invalid input', 'INPUT_ERROR', `Pagination argument first must be ${FAKE_MAX_FIRST} or less.`);
  }
  const key = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
  const visible = items
    .filter((i) => args.includeArchived === true || !i.archivedAt)
    .filter((i) => matchesFilter(type, i as unknown as Record<string, unknown>, args.filter, state))
    .sort((a, b) => (a[key] === b[key] ? (a.id < b.id ? 1 : -1) : a[key] < b[key] ? 1 : -1));
  let start = 0;
  if (args.after) {
    const index = visible.findIndex((i) => i.id === args.after);
    if (index < 0) throw linearError(`Invalid cursor: ${String(args.after).slice(0, 40)}`, 'invalid input', 'INPUT_ERROR', 'The pagination cursor is not valid.');
    start = index + 1;
  }
  const nodes = visible.slice(start, start + first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    edges: nodes.map((node) => ({ node, cursor: node.id })),
    pageInfo: {
      hasNextPage: start + first < visible.length,
      hasPreviousPage: start > 0,
      startCursor: nodes[0]?.id ?? null,
      endCursor: last?.id ?? null,
    },
  };
}
