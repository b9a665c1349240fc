import { ConflictError, InvalidInputError, type IssueCloseReason } from '@krate/core';
import type { JiraConfig } from '../jira-config.js';
import type { JiraContext } from '../jira-context.js';
import { PROVIDER } from '../jira-errors.js';

type Raw = Record<string, any>;

/** One transition as `GET /issue/{key}/transitions?expand=transitions.fields` gives it. */
export interface JiraTransition {
  id: string;
  name: string;
  to: { id?: string; name: string; statusCategory?: { key?: string } };
  hasScreen?: boolean;
  fields?: Record<string, { required?: boolean; name?: string; allowedValues?: Raw[] }>;
}

/** Phase words `transitionIssue({ to })` also accepts, as status categories. */
const PHASE_CATEGORIES: Record<string, string> = { open: 'new', in_progress: 'indeterminate', 'in progress': 'indeterminate', closed: 'done', done: 'done' };

/** The transitions the account may take on an issue now, with their screen fields. */
export async function listTransitions(ctx: JiraContext, key: string, signal?: AbortSignal): Promise<JiraTransition[]> {
  const { data } = await ctx.request<{ transitions?: JiraTransition[] }>({
    path: `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`,
    query: { expand: 'transitions.fields' },
    signal,
  });
  return Array.isArray(data?.transitions) ? data.transitions : [];
}

function describe(t: JiraTransition): string {
  return `"${t.name}" (id ${t.id}, to "${t.to?.name}")`;
}

function ambiguous(operation: string, key: string, what: string, matches: JiraTransition[]): never {
  throw new ConflictError({
    provider: PROVIDER,
    operation,
    message: `${matches.length} transitions of ${key} match ${what}: ${matches.map(describe).join(', ')}`,
    hint: 'name the target status or the transition exactly (transitionIssue({ to }) matches the status name first, then the transition name)',
  });
}

/**
 * Picks the transition for `transitionIssue({ to })`: by target status name, then by
 * transition name (case-insensitive), then a phase word (`open`, `in_progress`,
 * `closed`) by status category. Several matches are a `conflict` naming them; none is
 * `invalid_input` naming what is available.
 */
export function pickTransition(transitions: JiraTransition[], to: string, key: string, operation: string, closeStatus: string): JiraTransition {
  const wanted = to.trim().toLowerCase();
  const byStatus = transitions.filter((t) => String(t.to?.name ?? '').toLowerCase() === wanted);
  if (byStatus.length === 1) return byStatus[0]!;
  if (byStatus.length > 1) {
    const byBoth = byStatus.filter((t) => t.name.toLowerCase() === wanted);
    if (byBoth.length === 1) return byBoth[0]!;
    ambiguous(operation, key, `status "${to}"`, byStatus);
  }
  const byName = transitions.filter((t) => t.name.toLowerCase() === wanted);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) ambiguous(operation, key, `transition name "${to}"`, byName);
  const category = PHASE_CATEGORIES[wanted];
  if (category) return pickByCategory(transitions, category, key, operation, category === 'done' ? closeStatus : undefined, `phase "${to}"`);
  throw new InvalidInputError({
    provider: PROVIDER,
    operation,
    message: `no transition of ${key} leads to "${to}"; available: ${transitions.map(describe).join(', ') || 'none'}`,
  });
}

/** A transition into a status category; several are narrowed by a preferred status name, else a conflict. */
export function pickByCategory(transitions: JiraTransition[], category: string, key: string, operation: string, preferredStatus: string | undefined, what: string): JiraTransition {
  const matches = transitions.filter((t) => t.to?.statusCategory?.key === category);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new InvalidInputError({ provider: PROVIDER, operation, message: `no transition of ${key} leads to ${what}; available: ${transitions.map(describe).join(', ') || 'none'}` });
  }
  if (preferredStatus) {
    const folded = preferredStatus.toLowerCase();
    const byStatus = matches.filter((t) => String(t.to?.name ?? '').toLowerCase() === folded);
    if (byStatus.length === 1) return byStatus[0]!;
    const byName = matches.filter((t) => t.name.toLowerCase() === folded);
    if (byName.length === 1) return byName[0]!;
  }
  // Several transitions into the same status are one choice.
  const targets = new Set(matches.map((t) => t.to?.id ?? t.to?.name));
  if (targets.size === 1) return matches[0]!;
  return ambiguous(operation, key, what, matches);
}

/**
 * The `fields` of a transition request. `resolution` is set from the close reason when
 * the screen has it (the first configured name the site offers); any other required
 * field is an `invalid_input` naming it: the provider never guesses a value.
 */
export function transitionFields(
  transition: JiraTransition,
  key: string,
  operation: string,
  reason: IssueCloseReason | undefined,
  resolutions: JiraConfig['resolutions'],
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const screen = transition.fields ?? {};
  if (screen.resolution && (reason || screen.resolution.required)) {
    const offered = (screen.resolution.allowedValues ?? []).map((v) => String(v.name ?? ''));
    const names = resolutions[reason ?? 'completed'];
    const match = offered.length === 0 ? names[0] : names.find((n) => offered.some((o) => o.toLowerCase() === n.toLowerCase()));
    if (match) fields.resolution = { name: offered.find((o) => o.toLowerCase() === match.toLowerCase()) ?? match };
    else if (screen.resolution.required) {
      throw new InvalidInputError({
        provider: PROVIDER,
        operation,
        message: `transition ${describe(transition)} of ${key} requires a resolution, and none of ${names.map((n) => `"${n}"`).join(', ')} is offered (${offered.join(', ')})`,
        hint: 'set resolutions in the provider config to this site\'s names',
      });
    }
  }
  const missing = Object.entries(screen)
    .filter(([id, f]) => f?.required && !(id in fields))
    .map(([id, f]) => (f?.name ? `${f.name} (${id})` : id));
  if (missing.length > 0) {
    throw new InvalidInputError({
      provider: PROVIDER,
      operation,
      message: `transition ${describe(transition)} of ${key} requires field(s) the provider cannot fill: ${missing.join(', ')}`,
      hint: 'make the fields optional on the transition screen, give them defaults, or transition the issue in Jira',
    });
  }
  return fields;
}

/** Takes a transition (`POST /issue/{key}/transitions`, 204). */
export async function doTransition(ctx: JiraContext, key: string, transition: JiraTransition, fields: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  const body: Raw = { transition: { id: transition.id } };
  if (Object.keys(fields).length > 0) body.fields = fields;
  await ctx.request({ method: 'POST', path: `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`, body, signal });
}
