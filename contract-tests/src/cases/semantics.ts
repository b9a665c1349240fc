import type { ExternalRef } from '@krate/core';
import { check, fail, show } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { FakeObjectState } from '../kit/types.js';
import { shaFor } from '../suite/object-kinds.js';

type Obj = Record<string, any>;

/** Exact instants the suite seeds and expects back (different minutes, seconds and days, so a shift shows). */
export const SEEDED_CREATED_AT = '2024-03-05T10:11:12Z';
export const SEEDED_UPDATED_AT = '2024-03-06T13:14:15Z';

/** A body with structure a mapper can lose: heading, list, code, link, non-ASCII. */
export const RICH_BODY = '## Contract body\n\n- first item with `inline code`\n- second item: [a link](https://example.com/contract)\n\nÜnïcödé ✓ and a tab\there.';
export const LABELS = ['contract-bug', 'contract-priority-high'];
export const ASSIGNEE = 'contract-assignee';

/** The text of a normalized body (rich text or string). */
export function bodyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Obj).markdown === 'string') return (value as Obj).markdown as string;
  return undefined;
}

const norm = (text: string) => text.replace(/\r\n/g, '\n').trim();

/** Problems of a body that should carry `expected` (compared after trimming). */
export function bodyProblem(value: unknown, expected: string, what: string): string | undefined {
  const text = bodyText(value);
  if (text === undefined) return `${what} has no body (${show(value, 80)})`;
  return norm(text).includes(norm(expected)) ? undefined : `${what} body is ${show(text, 160)}, expected ${show(expected, 160)}`;
}

export function sameSet(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && [...a].map(String).sort().join('\n') === [...b].sort().join('\n');
}

export function labelsProblem(value: unknown, expected: readonly string[], what: string): string | undefined {
  return sameSet(value, expected) ? undefined : `${what} labels are ${show(value)}, expected ${show(expected)}`;
}

export function assigneesProblem(value: unknown, expected: readonly string[], what: string): string | undefined {
  const users = Array.isArray(value) ? (value as Obj[]) : [];
  const missing = expected.filter((e) => !users.some((u) => u?.login === e || u?.id === e));
  if (missing.length || users.length !== expected.length) return `${what} assignees are ${show(value)}, expected ${show(expected)}`;
  return undefined;
}

/** Problem when `value` is not the same instant as `expected` (any ISO form of it is fine). */
export function instantProblem(value: unknown, expected: string, what: string): string | undefined {
  if (typeof value !== 'string') return `${what} is ${show(value)}, expected ${expected}`;
  const a = Date.parse(value);
  const b = Date.parse(expected);
  return a === b ? undefined : `${what} is ${value}, expected the seeded instant ${expected} (off by ${((a - b) / 60_000).toFixed(1)} min)`;
}

/** The first problem of a list, or undefined. */
export function firstProblem(...problems: Array<string | undefined>): string | undefined {
  return problems.find((p) => p !== undefined);
}

/** What the suite seeds for a `<get>.fields` case, and how it checks the result. */
export interface FieldSeed {
  input(ctx: CaseContext): Record<string, unknown>;
  check(object: Obj, input: Record<string, unknown>): string | undefined;
}

export const FIELD_SEEDS: Record<string, FieldSeed> = {
  issue: {
    input: (ctx) => ({
      title: 'Contract fields: ünïcode title', body: RICH_BODY, labels: LABELS, assignees: [ASSIGNEE], state: 'open',
      ...(typeof ctx.fake.seed.milestone === 'function' ? { milestone: 'Contract fields milestone' } : {}),
      createdAt: SEEDED_CREATED_AT, updatedAt: SEEDED_UPDATED_AT,
    }),
    check: (o, input) => firstProblem(
      o.title === input.title ? undefined : `title is ${show(o.title)}, expected ${show(input.title)}`,
      bodyProblem(o.body, RICH_BODY, 'the issue'),
      labelsProblem(o.labels, LABELS, 'the issue'),
      assigneesProblem(o.assignees, [ASSIGNEE], 'the issue'),
      input.milestone === undefined || o.milestone === input.milestone ? undefined : `milestone is ${show(o.milestone)}, expected ${show(input.milestone)}`,
      o.phase === 'open' ? undefined : `phase is ${show(o.phase)}, expected open`,
      instantProblem(o.createdAt, SEEDED_CREATED_AT, 'createdAt'),
      instantProblem(o.updatedAt, SEEDED_UPDATED_AT, 'updatedAt'),
    ),
  },
  pipeline: {
    input: () => ({ name: 'contract-fields', branch: 'contract-fields-branch', sha: shaFor(4242), status: 'failed', createdAt: SEEDED_CREATED_AT, updatedAt: SEEDED_UPDATED_AT }),
    check: (o) => firstProblem(
      o.branch === 'contract-fields-branch' ? undefined : `branch is ${show(o.branch)}, expected "contract-fields-branch"`,
      o.sha === shaFor(4242) ? undefined : `sha is ${show(o.sha)}, expected ${shaFor(4242)}`,
      o.phase === 'failed' ? undefined : `phase is ${show(o.phase)}, expected failed`,
      instantProblem(o.createdAt, SEEDED_CREATED_AT, 'createdAt'),
    ),
  },
  pullRequest: {
    input: () => ({ title: 'Contract fields pull request', body: RICH_BODY, headBranch: 'contract-fields-head', baseBranch: 'main', createdAt: SEEDED_CREATED_AT, updatedAt: SEEDED_UPDATED_AT }),
    check: (o) => firstProblem(
      o.title === 'Contract fields pull request' ? undefined : `title is ${show(o.title)}`,
      bodyProblem(o.body, RICH_BODY, 'the pull request'),
      o.headBranch === 'contract-fields-head' ? undefined : `headBranch is ${show(o.headBranch)}, expected "contract-fields-head"`,
      o.baseBranch === 'main' ? undefined : `baseBranch is ${show(o.baseBranch)}, expected "main"`,
      instantProblem(o.createdAt, SEEDED_CREATED_AT, 'createdAt'),
      instantProblem(o.updatedAt, SEEDED_UPDATED_AT, 'updatedAt'),
    ),
  },
  repository: {
    input: () => ({ name: 'contract-fields-repo', description: 'Contract fields: ünïcode description', visibility: 'private', defaultBranch: 'trunk', createdAt: SEEDED_CREATED_AT, updatedAt: SEEDED_UPDATED_AT }),
    check: (o) => firstProblem(
      o.description === 'Contract fields: ünïcode description' ? undefined : `description is ${show(o.description)}`,
      o.visibility === 'private' ? undefined : `visibility is ${show(o.visibility)}, expected private`,
      o.defaultBranch === 'trunk' ? undefined : `defaultBranch is ${show(o.defaultBranch)}, expected "trunk"`,
      o.createdAt === undefined ? undefined : instantProblem(o.createdAt, SEEDED_CREATED_AT, 'createdAt'),
    ),
  },
};

/** The fake's state of an object, or a failure naming the hook to implement. */
export function inspectOrFail(ctx: CaseContext, kind: string, ref: ExternalRef, why: string): FakeObjectState {
  const inspect = ctx.fake.inspect;
  if (typeof inspect !== 'function') fail(`fake lacks inspect(kind, ref), which ${why} needs (return the fake's own state of the object: see FakeObjectState)`);
  const state = inspect.call(ctx.fake, kind, ref);
  if (!state) fail(`fake.inspect('${kind}', ${show(ref)}) returned nothing for an object the case just used`);
  return state;
}

/** The field of an inspected state, or a failure naming it. */
export function stateField<K extends keyof FakeObjectState>(state: FakeObjectState, field: K, kind: string): NonNullable<FakeObjectState[K]> {
  const value = state[field];
  if (value === undefined || value === null) fail(`fake.inspect('${kind}', ref) has no ${String(field)}, which the case needs`);
  return value as NonNullable<FakeObjectState[K]>;
}

/** Writes (non-GET/HEAD requests) since a mark. */
export function writesSince(ctx: CaseContext, mark: number): Array<{ method: string; path: string }> {
  return ctx.requestsSince(mark).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

/** Fails unless exactly `n` write requests were sent since `mark`. */
export function checkWrites(ctx: CaseContext, mark: number, n: number, what: string): void {
  const writes = writesSince(ctx, mark);
  check(writes.length === n, `${what} sent ${writes.length} write request(s), expected ${n}: ${writes.map((w) => `${w.method} ${w.path}`).join(', ') || 'none'}`);
}
