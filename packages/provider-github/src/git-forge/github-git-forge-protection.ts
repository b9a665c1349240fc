import { InvalidInputError, type BranchProtectionRule, type SyncResult } from '@krate/core';
import { protectionStatusChecks, ruleFromProtection } from './github-git-forge-mapping.js';

type Raw = Record<string, unknown>;

/** The rule fields, in the order drift is reported. */
export const PROTECTION_FIELDS = [
  'requiredApprovingReviews',
  'requireCodeOwnerReviews',
  'dismissStaleReviews',
  'requiredStatusChecks',
  'strictStatusChecks',
  'enforceAdmins',
  'allowForcePushes',
  'allowDeletions',
  'requireLinearHistory',
] as const satisfies ReadonlyArray<keyof BranchProtectionRule>;

const obj = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter((v): v is Raw => obj(v) !== undefined) : []);
const enabled = (value: unknown): boolean | undefined => {
  const flag = obj(value)?.enabled;
  return typeof flag === 'boolean' ? flag : undefined;
};

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = [...new Set(a.map(String))].sort();
    const y = [...new Set(b.map(String))].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** Checks that every desired rule names a distinct branch. */
export function assertDistinctBranches(desired: BranchProtectionRule[]): void {
  const seen = new Set<string>();
  for (const rule of desired) {
    if (seen.has(rule.branch)) {
      throw new InvalidInputError({ provider: 'github', operation: 'syncBranchProtection', message: `branch "${rule.branch}" is desired twice` });
    }
    seen.add(rule.branch);
  }
}

/**
 * Drift of one branch, field by field, for the fields the desired rule sets.
 * An unprotected branch (`current` null) reports `actual: null` for each of them.
 */
export function protectionDrift(current: Raw | null, desired: BranchProtectionRule): SyncResult['drift'] {
  const actual = current ? ruleFromProtection(current, desired.branch) : undefined;
  const drift: SyncResult['drift'] = [];
  for (const field of PROTECTION_FIELDS) {
    const expected = desired[field];
    if (expected === undefined) continue;
    const have = actual ? actual[field] : null;
    if (!actual || !sameValue(expected, have)) {
      drift.push({
        name: desired.branch,
        field,
        expected: Array.isArray(expected) ? [...new Set(expected)].sort() : expected,
        actual: have,
      });
    }
  }
  return drift;
}

const logins = (value: unknown, key: 'login' | 'slug'): string[] =>
  list(value).map((v) => v[key]).filter((v): v is string => typeof v === 'string');

/** `{ users: [user objects], teams: [team objects], apps: [app objects] }` -> the PUT form (logins and slugs). */
function actorsInput(value: unknown): { users: string[]; teams: string[]; apps?: string[] } | undefined {
  const actors = obj(value);
  if (!actors) return undefined;
  const apps = logins(actors.apps, 'slug');
  return { users: logins(actors.users, 'login'), teams: logins(actors.teams, 'slug'), ...(apps.length > 0 ? { apps } : {}) };
}

/**
 * The body of `PUT /repos/{owner}/{repo}/branches/{branch}/protection`: the current
 * protection (which the PUT replaces as a whole) with the desired fields applied,
 * so settings a rule does not name (restrictions, app-pinned checks, conversation
 * resolution, ...) are kept. Status checks are sent as `checks` (never together
 * with the deprecated `contexts`, which GitHub refuses).
 */
export function protectionRequestBody(current: Raw | null, desired: BranchProtectionRule): Record<string, unknown> {
  const cur = current ?? {};
  const curChecks = obj(cur.required_status_checks);
  let requiredStatusChecks: Record<string, unknown> | null = null;
  if (desired.requiredStatusChecks !== undefined || desired.strictStatusChecks !== undefined || curChecks) {
    const contexts = desired.requiredStatusChecks ? [...new Set(desired.requiredStatusChecks)] : protectionStatusChecks(cur);
    const appIds = new Map<string, number>();
    for (const check of list(curChecks?.checks)) {
      if (typeof check.context === 'string' && typeof check.app_id === 'number') appIds.set(check.context, check.app_id);
    }
    requiredStatusChecks = {
      strict: desired.strictStatusChecks ?? curChecks?.strict === true,
      checks: contexts.map((context) => (appIds.has(context) ? { context, app_id: appIds.get(context) } : { context })),
    };
  }

  const curReviews = obj(cur.required_pull_request_reviews);
  let requiredReviews: Record<string, unknown> | null = null;
  const reviewFieldsSet =
    desired.requiredApprovingReviews !== undefined || desired.requireCodeOwnerReviews !== undefined || desired.dismissStaleReviews !== undefined;
  if (curReviews || reviewFieldsSet) {
    const count = desired.requiredApprovingReviews ?? (typeof curReviews?.required_approving_review_count === 'number' ? curReviews.required_approving_review_count : 0);
    const codeOwners = desired.requireCodeOwnerReviews ?? curReviews?.require_code_owner_reviews === true;
    const dismissStale = desired.dismissStaleReviews ?? curReviews?.dismiss_stale_reviews === true;
    if (curReviews || count > 0 || codeOwners || dismissStale) {
      const dismissal = actorsInput(curReviews?.dismissal_restrictions);
      const bypass = actorsInput(curReviews?.bypass_pull_request_allowances);
      requiredReviews = {
        dismiss_stale_reviews: dismissStale,
        require_code_owner_reviews: codeOwners,
        required_approving_review_count: count,
        require_last_push_approval: curReviews?.require_last_push_approval === true,
        ...(dismissal && (dismissal.users.length > 0 || dismissal.teams.length > 0 || (dismissal.apps?.length ?? 0) > 0)
          ? { dismissal_restrictions: dismissal }
          : {}),
        ...(bypass && (bypass.users.length > 0 || bypass.teams.length > 0 || (bypass.apps?.length ?? 0) > 0)
          ? { bypass_pull_request_allowances: bypass }
          : {}),
      };
    }
  }

  const restrictions = actorsInput(cur.restrictions);
  const body: Record<string, unknown> = {
    required_status_checks: requiredStatusChecks,
    enforce_admins: desired.enforceAdmins ?? enabled(cur.enforce_admins) ?? false,
    required_pull_request_reviews: requiredReviews,
    restrictions: restrictions ? { ...restrictions, apps: restrictions.apps ?? [] } : null,
    required_linear_history: desired.requireLinearHistory ?? enabled(cur.required_linear_history) ?? false,
    allow_force_pushes: desired.allowForcePushes ?? enabled(cur.allow_force_pushes) ?? false,
    allow_deletions: desired.allowDeletions ?? enabled(cur.allow_deletions) ?? false,
  };
  for (const [key, field] of [
    ['block_creations', cur.block_creations],
    ['required_conversation_resolution', cur.required_conversation_resolution],
    ['lock_branch', cur.lock_branch],
    ['allow_fork_syncing', cur.allow_fork_syncing],
  ] as const) {
    const flag = enabled(field);
    if (flag !== undefined) body[key] = flag;
  }
  return body;
}
