import type { ExternalRef, PluginContext } from '@krate/core';
import {
  createFaultQueue, createRequestRecorder, json,
  type FakeBackend, type FakeObjectState, type FakeVariant, type PendingFault, type SeedComment, type SeedIssue, type SeedIssueEvent, type SeedLabel, type SeedMilestone, type WebhookOptions,
} from '@krate/contract-tests/kit';
import { LinearConfigSchema, type LinearConfig } from '../linear-config.js';
import { commentResolvers } from './linear-fake-comments.js';
import { graphqlRoute, renderRateLimit, budgetHeaders, type InvalidQuery, type LinearFakeBudgets, type QueryCostRecord } from './linear-fake-graphql.js';
import { insertIssue, issueResolvers } from './linear-fake-issues.js';
import { labelResolvers } from './linear-fake-labels.js';
import { linearColor, newId, type FakeIssue } from './linear-fake-objects.js';
import { mergeResolvers } from './linear-fake-resolvers.js';
import { LinearFakeState } from './linear-fake-state.js';
import { linearFakeHandlers, type LinearWireRequest } from './linear-fake-server.js';
import { teamResolvers } from './linear-fake-teams.js';
import { commentPayload, cyclePayload, issuePayload, labelPayload, linearDelivery, projectPayload } from './linear-fake-webhooks.js';

/** The fake's default GraphQL endpoint (Linear's). */
export const LINEAR_FAKE_API_URL = 'https://api.linear.app/graphql';
/** The team the contract suite works in, and a second one issues can move to. */
export const LINEAR_FAKE_TEAM = 'ENG';
export const LINEAR_FAKE_OTHER_TEAM = 'OPS';
/** The fake's credentials (shaped like Linear's). */
export const LINEAR_FAKE_API_KEY = 'lin_api_FakeKey0123456789abcdefghijklmnopqrstuv';
export const LINEAR_FAKE_OAUTH_TOKEN = 'lin_oauth_FakeToken0123456789abcdefghijklmnopqrstuv';
export const LINEAR_FAKE_WEBHOOK_SECRET = 'lin_wh_FakeSigningSecret0123456789abcdefghij';

export interface LinearFakeOptions {
  /** The GraphQL endpoint the fake serves (default `https://api.linear.app/graphql`). */
  baseUrl?: string;
  /** Authenticate with the OAuth access token instead of the API key. */
  auth?: 'apiKey' | 'oauth';
  /**
   * The shape of the rate-limit fault: `code-and-type` (`extensions.code: RATELIMITED` and
   * `type: ratelimited`, the default) or `code-only` (no `type`, as Linear also answers).
   */
  rateLimitShape?: 'code-and-type' | 'code-only';
  /**
   * Who belongs to the workspace. `any` (default): every user a request names by email,
   * display name or name is a member (made on first lookup), as the contract suite assumes
   * of any login it assigns. `known`: only users the fake holds (seeded or made through
   * `state.user`), as in a real workspace; assigning anyone else is refused.
   */
  members?: 'any' | 'known';
  /** A configuration variant of {@link LINEAR_FAKE_VARIANTS} by name (the contract suite passes it). */
  variant?: string;
  /** The request timeout the provider is configured with (the contract suite sets it for its timeout and abort cases). */
  timeoutMs?: number;
}

/** The configuration variants the contract suite also proves: OAuth access tokens besides API keys. */
export const LINEAR_FAKE_VARIANTS: FakeVariant[] = [{ name: 'oauth', affects: ['auth'] }];

/** The fake's own state of an object in neutral terms. */
export type LinearFakeObjectState = FakeObjectState;

/** The Linear fake, with hooks for what is particular to Linear. */
export interface LinearFake extends FakeBackend<LinearConfig> {
  readonly state: LinearFakeState;
  /** Queries refused by schema validation since the fake was made (a correct provider sends none). */
  readonly invalidQueries: readonly InvalidQuery[];
  /** Complexity of every executed query since the last reset, oldest first. */
  readonly costs: readonly QueryCostRecord[];
  /** Every request as sent, before redaction (for the wire scan). */
  readonly wire: readonly LinearWireRequest[];
  /** Linear's remaining budgets (they shrink with every request). */
  readonly budgets: LinearFakeBudgets;
  /** Moves an issue to another team (new identifier, the old one in `previousIdentifiers`); returns the new ref. */
  moveIssue(ref: ExternalRef, toTeamKey: string): ExternalRef;
  /** Archives an issue (as a team's auto-archive does), or moves it to the trash. */
  archiveIssue(ref: ExternalRef, options?: { trash?: boolean }): void;
  /** The issue record behind a ref (identifier, previous identifier or UUID). */
  issue(ref: ExternalRef): FakeIssue;
  /** The header Linear expects credentials in. */
  readonly credentialHeaders: readonly string[];
  /** The Linear web page of an object (issue, comment, milestone); undefined for kinds without one. */
  humanUrl(kind: string, ref: ExternalRef): string | undefined;
  /** The fake's state of an issue in neutral terms. */
  inspect(kind: string, ref: ExternalRef): LinearFakeObjectState | undefined;
  /** The actions the provider documents per delivery type, with the change each means. */
  webhookActions(event: string): ReadonlyArray<{ action?: string; change: 'upserted' | 'deleted' }>;
  readonly variants: readonly FakeVariant[];
}

/**
 * A stateful fake of Linear's GraphQL API served through MSW: one workspace with teams
 * (ENG, OPS) and their workflow states, users, labels, cycles, issues, comments and
 * issue history. Every query is validated against Linear's schema and executed against
 * this state; answers carry Linear's rate-limit headers and `x-complexity`. Faults come
 * in Linear's shapes (rate limits as HTTP 400 + RATELIMITED). Deliveries are signed as
 * Linear signs them.
 */
export function createFake(options: LinearFakeOptions = {}): LinearFake {
  const apiUrl = (options.baseUrl ?? LINEAR_FAKE_API_URL).replace(/\/+$/, '');
  const endpoint = apiUrl.endsWith('/graphql') ? apiUrl : `${apiUrl}/graphql`;
  const base = endpoint.slice(0, -'/graphql'.length);
  const useOauth = options.auth === 'oauth' || options.variant === 'oauth';
  const credential = useOauth ? LINEAR_FAKE_OAUTH_TOKEN : LINEAR_FAKE_API_KEY;
  const expectedAuthorization = useOauth ? `Bearer ${LINEAR_FAKE_OAUTH_TOKEN}` : LINEAR_FAKE_API_KEY;
  const state = new LinearFakeState('https://linear.app');
  const team = state.team(LINEAR_FAKE_TEAM);
  state.team(LINEAR_FAKE_OTHER_TEAM);
  const secrets = [credential, LINEAR_FAKE_WEBHOOK_SECRET];
  const recorder = createRequestRecorder({ secrets: () => secrets, origin: base });
  const faults = createFaultQueue();
  const budgets: LinearFakeBudgets = { requestsLimit: 1500, complexityLimit: 3_000_000, requestsRemaining: 1500, complexityRemaining: 3_000_000 };
  const invalidQueries: InvalidQuery[] = [];
  const wire: LinearWireRequest[] = [];
  const costs: QueryCostRecord[] = [];
  const resolvers = mergeResolvers(teamResolvers({ members: options.members ?? 'any' }), issueResolvers(), commentResolvers(), labelResolvers());

  const errorBody = (message: string, code: string, type: string, extra: Record<string, unknown> = {}) => ({
    data: null,
    errors: [{ message, extensions: { code, type, userError: true, userPresentableMessage: message, ...extra } }],
  });

  function renderFault(fault: PendingFault): Response {
    switch (fault.kind) {
      case 'rateLimit':
        return renderRateLimit(fault, budgets, options.rateLimitShape !== 'code-only');
      case 'serverError': {
        const status = fault.options.status ?? 502;
        return json(errorBody('Internal server error', 'INTERNAL_SERVER_ERROR', 'internal error'), { status, headers: budgetHeaders(budgets) });
      }
      case 'malformed':
        return new Response('{"data":{"issues":{"nodes":[{"id":"', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
      default: {
        const status = fault.options.status ?? 400;
        const h = { headers: budgetHeaders(budgets) };
        if (status === 401) return json(errorBody('Authentication required, not authenticated', 'AUTHENTICATION_ERROR', 'authentication error'), { status, ...h });
        if (status === 403) return json(errorBody('Forbidden: you do not have access to this resource', 'FORBIDDEN', 'forbidden'), { status, ...h });
        if (status === 404) return json(errorBody('Entity not found: Issue', 'INPUT_ERROR', 'invalid input'), { status, ...h });
        if (status === 409) return json(errorBody('duplicate key value violates unique constraint', 'CONFLICT', 'invalid input'), { status, ...h });
        if (status === 422 || status === 400) return json(errorBody('Argument Validation Error', 'INPUT_ERROR', 'invalid input'), { status, ...h });
        if (status === 429) return renderRateLimit(fault, budgets, true);
        return json(errorBody(`HTTP ${status}`, status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'INPUT_ERROR', status >= 500 ? 'internal error' : 'invalid input'), { status, ...h });
      }
    }
  }

  const handlers = linearFakeHandlers({
    endpoint,
    wire,
    recorder,
    faults,
    route: graphqlRoute({ state, resolvers, budgets, invalidQueries, costs }),
    renderFault,
    authorize(request) {
      if (request.headers.get('authorization') === expectedAuthorization) return undefined;
      return json(errorBody('Authentication required, not authenticated', 'AUTHENTICATION_ERROR', 'authentication error'), { status: 400 });
    },
  });

  const teamOf = (key: string) => {
    const found = state.teams.list((t) => t.key === key)[0];
    if (!found) throw new Error(`fake: no team ${key}`);
    return found;
  };
  const refOf = (issue: FakeIssue): ExternalRef => ({ scope: state.teams.require(issue.teamId).key, id: issue.identifier });
  const requireIssue = (ref: ExternalRef): FakeIssue => {
    const issue = state.findIssue(ref.id);
    if (!issue) throw new Error(`fake: no issue ${ref.id}`);
    return issue;
  };
  const iso = (value: string | undefined) => (value ? new Date(value).toISOString() : undefined);

  const seed = {
    issue(scope: string, input: SeedIssue): ExternalRef {
      const t = teamOf(scope);
      const labelIds = (input.labels ?? []).map((name) => state.label(t.id, name).id);
      const assignee = input.assignees?.[0] ? state.user(input.assignees[0]) : undefined;
      const milestone = (input as SeedIssue & { milestone?: string }).milestone;
      const cycleId = milestone ? state.cycle(t.id, milestone).id : null;
      const stateId = state.stateOfType(t.id, input.state === 'closed' ? ['completed'] : ['unstarted']).id;
      const createdAt = iso(input.createdAt) ?? state.tick();
      const issue = insertIssue(state, {
        teamId: t.id, title: input.title, description: input.body ?? '', stateId, labelIds, assigneeId: assignee?.id ?? null, cycleId,
        createdAt, updatedAt: iso(input.updatedAt) ?? createdAt,
      });
      return refOf(issue);
    },
    comment(issueRef: ExternalRef, input: SeedComment): ExternalRef {
      const issue = requireIssue(issueRef);
      const createdAt = iso(input.createdAt) ?? state.tick();
      const user = input.author ? state.user(input.author) : state.viewer;
      const comment = state.comments.insert({
        id: newId(), body: input.body, issueId: issue.id, userId: user.id, createdAt, updatedAt: iso(input.updatedAt) ?? createdAt, editedAt: null, archivedAt: null,
      });
      return { scope: state.teams.require(issue.teamId).key, id: comment.id };
    },
    label(scope: string, input: SeedLabel): ExternalRef {
      const t = teamOf(scope);
      const label = state.label(t.id, input.name, linearColor(input.color), input.description);
      return { scope: t.key, id: label.id };
    },
    milestone(scope: string, input: SeedMilestone): ExternalRef {
      const t = teamOf(scope);
      const at = state.tick();
      const cycle = state.cycle(t.id, input.title);
      const endsAt = iso(input.dueOn) ?? cycle.endsAt;
      state.cycles.update(cycle.id, {
        startsAt: new Date(Date.parse(endsAt) - 14 * 86_400_000).toISOString(), endsAt, completedAt: input.state === 'closed' ? at : null, updatedAt: at,
      });
      return { scope: t.key, id: String(cycle.number) };
    },
    issueEvent(issueRef: ExternalRef, input: SeedIssueEvent): ExternalRef {
      const issue = requireIssue(issueRef);
      const at = iso(input.createdAt) ?? state.tick();
      const actor = input.actor ? state.user(input.actor) : state.viewer;
      const change: Record<string, unknown> = {};
      const open = state.stateOfType(issue.teamId, ['unstarted']).id;
      const done = state.stateOfType(issue.teamId, ['completed']).id;
      switch (input.kind) {
        case 'closed': Object.assign(change, { fromStateId: open, toStateId: done }); break;
        case 'reopened': Object.assign(change, { fromStateId: done, toStateId: open }); break;
        case 'labeled': Object.assign(change, { addedLabelIds: [state.label(issue.teamId, 'seeded').id] }); break;
        case 'unlabeled': Object.assign(change, { removedLabelIds: [state.label(issue.teamId, 'seeded').id] }); break;
        case 'assigned': Object.assign(change, { toAssigneeId: actor.id }); break;
        case 'unassigned': Object.assign(change, { fromAssigneeId: actor.id }); break;
        case 'renamed': Object.assign(change, { fromTitle: 'before', toTitle: issue.title }); break;
        default: Object.assign(change, { fromStateId: open, toStateId: state.stateOfType(issue.teamId, ['started']).id });
      }
      const entry = state.history.insert({ id: newId(), issueId: issue.id, createdAt: at, updatedAt: at, actorId: actor.id, ...change });
      return { scope: state.teams.require(issue.teamId).key, id: entry.id };
    },
  };

  function describe(event: string, ref: ExternalRef | undefined, action: string) {
    switch (event) {
      case 'Issue': {
        let issue = ref ? requireIssue(ref) : requireIssue(seed.issue(team.key, { title: 'Delivered issue' }));
        // A remove reports an issue that left the workspace: archived (it stays listable) or,
        // for a live one, deleted, which in Linear moves it to the trash.
        if (action === 'remove' && !issue.archivedAt) {
          const at = state.tick();
          issue = state.issues.update(issue.id, { archivedAt: at, updatedAt: at, trashed: true });
        }
        const payload = issuePayload(state, issue);
        const updatedFrom = action === 'update' ? { updatedAt: new Date(Date.parse(issue.updatedAt) - 1000).toISOString() } : undefined;
        return { data: payload, url: String(payload.url), ...(updatedFrom ? { updatedFrom } : {}) };
      }
      case 'Comment': {
        const comment = ref ? state.comments.get(ref.id) : state.comments.get(seed.comment(seed.issue(team.key, { title: 'Commented issue' }), { body: 'Delivered comment' }).id);
        if (!comment) throw new Error(`fake: no comment ${ref?.id}`);
        return { data: commentPayload(state, comment), url: state.commentUrl(comment) };
      }
      case 'IssueLabel': {
        const label = ref ? state.labels.get(ref.id) : state.labels.get(seed.label(team.key, { name: `delivered-${state.labels.size + 1}` }).id);
        if (!label) throw new Error(`fake: no label ${ref?.id}`);
        return { data: labelPayload(label), url: null };
      }
      case 'Cycle': {
        const key = ref?.scope ?? team.key;
        const number = ref ? Number(ref.id) : Number(seed.milestone(team.key, { title: 'Delivered cycle' }).id);
        const cycle = state.cycles.list((c) => c.teamId === teamOf(key).id && c.number === number)[0];
        if (!cycle) throw new Error(`fake: no cycle ${key}/${number}`);
        return { data: cyclePayload(cycle), url: `${state.webBaseUrl}/acme/team/${key}/cycle/${number}` };
      }
      case 'Project': {
        const at = state.tick();
        const project = state.projects.insert({ id: newId(), name: 'Delivered project', description: '', teamIds: [team.id], createdAt: at, updatedAt: at, archivedAt: null, startDate: null, targetDate: null });
        const data = projectPayload(state, project);
        return { data, url: String(data.url) };
      }
      default:
        return { data: { id: newId(), createdAt: state.nowIso(), updatedAt: state.nowIso() }, url: null };
    }
  }

  const config: LinearConfig = LinearConfigSchema.parse({
    auth: useOauth ? { type: 'oauth', accessToken: LINEAR_FAKE_OAUTH_TOKEN } : { type: 'apiKey', apiKey: LINEAR_FAKE_API_KEY },
    apiUrl: endpoint,
    webhookSecret: LINEAR_FAKE_WEBHOOK_SECRET,
    timeoutMs: options.timeoutMs ?? 1500,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 100 },
  });
  const context: PluginContext = {};

  const cycleOf = (ref: ExternalRef) => state.cycles.list((c) => c.teamId === teamOf(ref.scope).id && String(c.number) === ref.id)[0];

  return {
    providerType: 'linear',
    credentialHeaders: ['authorization'],
    variants: LINEAR_FAKE_VARIANTS,
    humanUrl(kind: string, ref: ExternalRef): string | undefined {
      if (kind === 'issue') {
        const issue = state.findIssue(ref.id);
        return issue ? state.issueUrl(issue) : undefined;
      }
      if (kind === 'comment') {
        const comment = state.comments.get(ref.id);
        return comment ? state.commentUrl(comment) : undefined;
      }
      if (kind === 'milestone') {
        const cycle = cycleOf(ref);
        return cycle ? state.cycleUrl(cycle) : undefined;
      }
      return undefined;
    },
    inspect(kind: string, ref: ExternalRef): LinearFakeObjectState | undefined {
      if (kind !== 'issue') return undefined;
      const issue = state.findIssue(ref.id);
      if (!issue) return undefined;
      const type = state.states.require(issue.stateId).type;
      const closed = ['completed', 'canceled', 'duplicate'].includes(type);
      const out: LinearFakeObjectState = {
        status: closed ? 'closed' : 'open',
        title: issue.title,
        body: issue.description ?? '',
        labels: issue.labelIds.map((id) => state.labels.get(id)?.name).filter((n): n is string => n !== undefined),
        assignees: issue.assigneeId ? [state.users.require(issue.assigneeId).displayName] : [],
      };
      if (closed) out.closeReason = type === 'completed' ? 'completed' : type === 'canceled' ? 'not_planned' : 'duplicate';
      const cycle = issue.cycleId ? state.cycles.get(issue.cycleId) : undefined;
      if (cycle) out.milestone = cycle.name ?? `Cycle ${cycle.number}`;
      return out;
    },
    webhookActions(event: string) {
      if (!['Issue', 'Comment', 'IssueLabel', 'Cycle'].includes(event)) return [];
      return [
        { action: 'create', change: 'upserted' as const },
        { action: 'update', change: 'upserted' as const },
        { action: 'remove', change: 'deleted' as const },
      ];
    },
    handlers,
    config,
    context,
    secrets,
    scopes: { issueTracking: LINEAR_FAKE_TEAM },
    maxPageSize: 100,
    seed,
    faults: faults.injector,
    get requests() {
      return recorder.requests;
    },
    wire,
    state,
    invalidQueries,
    costs,
    budgets,
    signsTimestamp: true,
    ignoredWebhookEvents: ['Project'],
    webhook: (event: string, webhookOptions?: WebhookOptions) => linearDelivery({ state, secret: LINEAR_FAKE_WEBHOOK_SECRET, describe }, event, webhookOptions),
    webhookEventFor(kind: string) {
      if (kind === 'issue') return { event: 'Issue', action: 'update' };
      if (kind === 'comment') return { event: 'Comment', action: 'update' };
      if (kind === 'label') return { event: 'IssueLabel', action: 'update' };
      if (kind === 'milestone') return { event: 'Cycle', action: 'update' };
      return undefined;
    },
    reset() {
      recorder.reset();
      wire.length = 0;
      faults.clear();
      costs.length = 0;
    },
    moveIssue(ref: ExternalRef, toTeamKey: string): ExternalRef {
      return refOf(state.moveIssue(requireIssue(ref), teamOf(toTeamKey)));
    },
    archiveIssue(ref: ExternalRef, archiveOptions: { trash?: boolean } = {}): void {
      const issue = requireIssue(ref);
      const at = state.tick();
      state.issues.update(issue.id, { archivedAt: at, updatedAt: at, trashed: archiveOptions.trash === true ? true : issue.trashed });
    },
    issue: requireIssue,
  };
}
