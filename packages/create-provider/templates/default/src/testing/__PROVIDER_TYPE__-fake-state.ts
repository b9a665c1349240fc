import { FakeClock, FakeCollection, type SeedIssue } from '@krate/contract-tests/kit';
import type { __PASCAL__Issue } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking-mapping.js';
import { issueObject } from './__PROVIDER_TYPE__-fake-objects.js';

/** An issue as the fake keeps it: the vendor object and the project it belongs to. */
export type StoredIssue = __PASCAL__Issue & { _project: string };

/** What the fake remembers: issues per project, their numbers, Idempotency-Keys seen, the clock. */
export interface __PASCAL__FakeState {
  readonly webUrl: string;
  readonly clock: FakeClock;
  readonly issues: FakeCollection<StoredIssue>;
  /** Idempotency-Key -> the id of the issue the first request made. */
  readonly idempotency: Map<string, string>;
  insertIssue(project: string, input: SeedIssue & { close_reason?: StoredIssue['close_reason'] }): StoredIssue;
  findIssue(project: string, number: string): StoredIssue | undefined;
  /** The issues of a project in the order the vendor lists them: updated_at, then number. */
  ordered(project: string): StoredIssue[];
}

export function create__PASCAL__FakeState(webUrl: string): __PASCAL__FakeState {
  const clock = new FakeClock();
  const issues = new FakeCollection<StoredIssue>();
  const numbers = new Map<string, number>();
  const nextNumber = (project: string) => {
    const n = (numbers.get(project) ?? 0) + 1;
    numbers.set(project, n);
    return n;
  };
  return {
    webUrl,
    clock,
    issues,
    idempotency: new Map(),
    insertIssue(project, input) {
      const number = nextNumber(project);
      return issues.insert(issueObject({ project, number, webUrl, now: clock.tick(), input }));
    },
    findIssue: (project, number) => issues.list((i) => i._project === project && String(i.number) === number)[0],
    ordered: (project) =>
      issues.list((i) => i._project === project).sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.number - b.number),
  };
}
