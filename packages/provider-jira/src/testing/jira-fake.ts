import type { ExternalRef } from '@krate/core';
import {
  createFakeHandlers, createFaultQueue, createRequestRecorder, json, truncateJson,
  type CreateFakeOptions, type FakeBackend, type FakeObjectState, type FakeSeed, type FakeVariant, type FakeWebhookAction,
  type PendingFault, type RecordedRequest, type SeedIssue, type WireRequest,
} from '@krate/contract-tests/kit';
import { closeReasonOf, IDEMPOTENCY_LABEL_PREFIX } from '../issue-tracking/jira-issue-tracking-mapping.js';
import { adfToMarkdown } from '../shared/jira-adf-to-markdown.js';
import type { JiraConfig } from '../jira-config.js';
import { markdownToAdf } from '../shared/jira-markdown-to-adf.js';
import { commentRoutes } from './jira-fake-comments.js';
import { issueRoutes } from './jira-fake-issues.js';
import { createJiraFakeObjects } from './jira-fake-objects.js';
import { projectRoutes } from './jira-fake-projects.js';
import { searchRoutes } from './jira-fake-search.js';
import { JiraFakeState, type FakeIssue, type JiraFakeEnv } from './jira-fake-state.js';
import { createJiraFakeWebhooks, type JiraWebhookOptions } from './jira-fake-webhooks.js';

/** The fake site. */
export const JIRA_FAKE_SITE = 'https://krate-fake.atlassian.net';
/** The fake site's cloud id (the gateway base is `https://api.atlassian.com/ex/jira/<cloudId>`). */
export const JIRA_FAKE_CLOUD_ID = '7c2f9a44-1b3e-4d5f-8a6b-0c1d2e3f4a5b';
/** The gateway base of the fake site. */
export const JIRA_FAKE_GATEWAY = `https://api.atlassian.com/ex/jira/${JIRA_FAKE_CLOUD_ID}`;
/** The project every case works in. */
export const JIRA_FAKE_PROJECT = 'KRATE';

/**
 * The configuration variants the contract suite runs again: the two gateway auth modes
 * (a scoped API token and OAuth 2.0, both through api.atlassian.com). Sprints as
 * milestones are tested on their own: the Agile API pages by 50, not 100.
 */
export const JIRA_FAKE_VARIANTS: readonly FakeVariant[] = [
  { name: 'scoped API token through the gateway', affects: ['auth', 'baseUrl'], options: { baseUrl: JIRA_FAKE_GATEWAY, auth: 'scoped' } as CreateFakeOptions },
  { name: 'OAuth 2.0 (3LO) through the gateway', affects: ['auth', 'baseUrl'], options: { baseUrl: JIRA_FAKE_GATEWAY, auth: 'oauth2' } as CreateFakeOptions },
];

/** The fake options of a variant name. */
function variantOptions(name: string | undefined): Partial<JiraFakeOptions> {
  const variant = JIRA_FAKE_VARIANTS.find((v) => v.name === name);
  return (variant?.options ?? {}) as Partial<JiraFakeOptions>;
}

const RESOLUTIONS = { completed: ['Done', 'Fixed'], not_planned: ["Won't Do", "Won't Fix", 'Cannot Reproduce'], duplicate: ['Duplicate'] };

/** Options of the Jira fake beyond the kit's. */
export interface JiraFakeOptions extends CreateFakeOptions {
  /**
   * How the fake authenticates the caller: `basic` (API token + email, the default),
   * `scoped` (a scoped API token: basic auth that works only through the gateway, 401 on
   * the site URL, as Atlassian does) or `oauth2` (a bearer token, gateway only).
   */
  auth?: 'basic' | 'scoped' | 'oauth2';
  /** Milestones as fix versions (default) or as the sprints of board 1 (the config says `milestones: 'sprints'`). */
  milestones?: 'fixVersions' | 'sprints';
}

/** The Jira fake: a FakeBackend plus its state and Jira-specific controls. */
export interface JiraFake extends FakeBackend<JiraConfig> {
  readonly state: JiraFakeState;
  /** A delivery with Jira-specific options (thin bodies, changelogs). */
  webhook(event: string, options?: JiraWebhookOptions): import('@krate/core').WebhookRequest;
  /** Moves an issue to another project: it gets a new key, the old one still resolves. */
  moveIssue(ref: ExternalRef, projectKey: string): ExternalRef;
}

function toJiraTime(iso: string | undefined, fallback: string): string {
  if (!iso) return fallback;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * A stateful MSW model of the Jira Cloud REST v3 API the provider calls: issue search on
 * `/search/jql` (bounded JQL, tokens, no total, fields default `id`, reconcileIssues and
 * an optional indexing lag; the removed `/search` answers 410), issues, workflow
 * transitions with screens, changelog, comments, global labels, fix versions; the
 * `/myself` time zone (JQL dates are read in it: `Australia/Sydney`); Jira's error bodies,
 * 429s with `Retry-After` and an ISO `X-RateLimit-Reset`, per-issue write limits; admin
 * webhook deliveries signed with `X-Hub-Signature`.
 */
export function createFake(given: JiraFakeOptions = {}): JiraFake {
  const options: JiraFakeOptions = { ...variantOptions(given.variant), ...given };
  const apiBaseUrl = (options.baseUrl ?? JIRA_FAKE_SITE).replace(/\/+$/, '');
  const viaGateway = apiBaseUrl.startsWith('https://api.atlassian.com/ex/jira/');
  const mode = options.auth ?? 'basic';
  const email = 'bot@krate.example';
  const apiToken = mode === 'scoped' ? 'ATATT3xScopedFakeToken0123456789abcdefABCDEF=1A2B3C4D' : 'ATATT3xFakeApiToken0123456789abcdefABCDEF=9F8E7D6C';
  const accessToken = 'eyJraWQiOiJmYWtlLW9hdXRoIiwiYWxnIjoiUlMyNTYifQ.fake-3lo-access-token.c2lnbmF0dXJl';
  const basic = Buffer.from(`${email}:${apiToken}`, 'utf8').toString('base64');
  const webhookSecret = 'jira-webhook-secret-6d1f0c9a8b7e';
  const state = new JiraFakeState();
  state.project(JIRA_FAKE_PROJECT);
  const objects = createJiraFakeObjects(state, () => JIRA_FAKE_SITE);
  const env: JiraFakeEnv = {
    state,
    objects,
    apiBaseUrl,
    siteUrl: JIRA_FAKE_SITE,
    writeLimited(issue: FakeIssue) {
      const n = (state.writesPerIssue.get(issue.id) ?? 0) + 1;
      state.writesPerIssue.set(issue.id, n);
      return n > state.perIssueWriteLimit;
    },
  };
  const secrets = [apiToken, basic, webhookSecret, ...(mode === 'oauth2' ? [accessToken] : [])];
  const recorder = createRequestRecorder({ secrets: () => secrets, origin: new URL(apiBaseUrl).origin });
  const faults = createFaultQueue();

  const renderFault = (fault: PendingFault): Response => {
    switch (fault.kind) {
      case 'rateLimit': {
        const seconds = fault.options.retryAfterSeconds ?? 1;
        const reset = new Date(Date.now() + seconds * 1000).toISOString().slice(0, 16) + 'Z';
        return json(objects.errorBody(429, 'Rate limit exceeded.'), {
          status: fault.options.status ?? 429,
          headers: {
            'retry-after': String(seconds),
            'x-ratelimit-limit': '350',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
            'x-ratelimit-nearlimit': 'true',
            'ratelimit-reason': 'jira-burst-based',
          },
        });
      }
      case 'serverError':
        return json(objects.errorBody(fault.options.status ?? 502, 'Internal server error'), { status: fault.options.status ?? 502 });
      case 'malformed':
        return new Response(truncateJson(JSON.stringify({ issues: [{ id: '10001', key: 'KRATE-1' }], isLast: true })), { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' } });
      default: {
        const status = fault.options.status ?? 500;
        return json(objects.errorBody(status), { status });
      }
    }
  };

  const authorize = (request: Request): Response | undefined => {
    const header = request.headers.get('authorization') ?? '';
    const refuse = () => json({ errorMessages: [], message: 'Client must be authenticated to access this resource.' }, { status: 401 });
    if (mode === 'oauth2') return header === `Bearer ${accessToken}` && viaGateway ? undefined : refuse();
    if (header !== `Basic ${basic}`) return refuse();
    // Scoped API tokens work only through api.atlassian.com/ex/jira/{cloudId}: the site answers 401.
    if (mode === 'scoped' && !viaGateway) return refuse();
    return undefined;
  };

  const handlers = createFakeHandlers({
    baseUrl: apiBaseUrl,
    routes: [...searchRoutes(env), ...issueRoutes(env), ...commentRoutes(env), ...projectRoutes(env)],
    recorder,
    faults,
    renderFault,
    authorize,
    notFound: () => json(objects.errorBody(404), { status: 404 }),
    invalidCursor: () => json(objects.errorBody(400, 'The provided next page token is invalid or expired.'), { status: 400 }),
  });

  const seedIssue = (scope: string, input: SeedIssue = { title: 'A seeded issue' }): ExternalRef => {
    const now = state.tick();
    const created = toJiraTime(input.createdAt, now);
    const updated = toJiraTime(input.updatedAt, input.createdAt ? created : now);
    const closed = input.state === 'closed';
    const assignee = input.assignees?.[0];
    if (assignee && !state.users.has(assignee)) state.addUser({ accountId: assignee, displayName: assignee, timeZone: 'UTC' });
    // The milestone by title, made when the project has none of that name.
    let fixVersionIds: string[] = [];
    let sprintIds: number[] | undefined;
    if (input.milestone) {
      if (options.milestones === 'sprints') {
        const sprint = [...state.sprints.values()].find((x) => x.name === input.milestone) ?? state.addSprint({ boardId: 1, name: input.milestone, state: 'active' });
        sprintIds = [sprint.id];
      } else {
        const version = [...state.versions.values()].find((v) => v.projectKey === scope && v.name === input.milestone) ?? state.addVersion(scope, { name: input.milestone, released: false, archived: false });
        fixVersionIds = [String(version.id)];
      }
    }
    const issue = state.addIssue({
      projectKey: scope,
      summary: input.title,
      description: input.body === undefined ? null : markdownToAdf(input.body),
      statusId: state.statusByCategory(closed ? 'done' : 'new').id,
      resolution: closed ? 'Done' : null,
      resolutiondate: closed ? updated : null,
      labels: [...(input.labels ?? [])],
      assignee: assignee ?? null,
      reporter: state.me.accountId,
      fixVersionIds,
      ...(sprintIds ? { sprintIds } : {}),
      issueType: 'Task',
      created,
      updated,
      unindexedSearches: 0,
    });
    return { scope: issue.projectKey, id: issue.key };
  };

  const seed: FakeSeed = {
    issue: seedIssue,
    comment(issueRef, input) {
      const issue = state.findIssue(issueRef.id);
      if (!issue) throw new Error(`fake: no issue ${issueRef.id}`);
      const now = state.tick();
      const created = toJiraTime(input.createdAt, now);
      const author = input.author && state.users.has(input.author) ? input.author : state.me.accountId;
      const comment = state.addComment(issue, markdownToAdf(input.body), author, created, toJiraTime(input.updatedAt, created));
      return { scope: issue.key, id: String(comment.id) };
    },
    label(scope, input) {
      state.labels.add(input.name);
      return { scope, id: input.name };
    },
    milestone(scope, input) {
      if (options.milestones === 'sprints') {
        const sprint = state.addSprint({
          boardId: 1,
          name: input.title,
          state: input.state === 'closed' ? 'closed' : 'future',
          ...(input.dueOn ? { endDate: toJiraTime(input.dueOn, state.now()) } : {}),
        });
        return { scope, id: String(sprint.id) };
      }
      const version = state.addVersion(scope, {
        name: input.title,
        released: input.state === 'closed',
        archived: false,
        ...(input.dueOn ? { releaseDate: input.dueOn.slice(0, 10) } : {}),
      });
      return { scope, id: String(version.id) };
    },
    issueEvent(issueRef, input) {
      const issue = state.findIssue(issueRef.id);
      if (!issue) throw new Error(`fake: no issue ${issueRef.id}`);
      const created = toJiraTime(input.createdAt, state.tick());
      const items =
        input.kind === 'assigned'
          ? [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: state.me.accountId, toString: state.me.displayName }]
          : input.kind === 'labeled'
            ? [{ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: 'seeded' }]
            : [{ field: input.kind, fieldtype: 'custom', from: null, fromString: null, to: null, toString: input.kind }];
      const history = state.addHistory(issue, state.me.accountId, items, created);
      return { scope: issue.key, id: String(history.id) };
    },
  };

  const deliver = createJiraFakeWebhooks(env, webhookSecret, (scope) => seedIssue(scope, { title: 'An issue from a webhook', body: 'Reported by *webhook*.' }));
  const config: JiraConfig = {
    auth: mode === 'oauth2' ? { type: 'oauth2', accessToken } : { type: 'basic', email, apiToken },
    siteUrl: JIRA_FAKE_SITE,
    ...(viaGateway ? { cloudId: apiBaseUrl.split('/').pop()! } : {}),
    ...(viaGateway && apiBaseUrl !== JIRA_FAKE_GATEWAY ? { apiBaseUrl } : {}),
    ...(!viaGateway && apiBaseUrl !== JIRA_FAKE_SITE ? { apiBaseUrl } : {}),
    webhookSecret,
    milestones: options.milestones ?? 'fixVersions',
    ...(options.milestones === 'sprints' ? { boardId: 1 } : {}),
    closeStatus: 'Done',
    resolutions: RESOLUTIONS,
    issueType: 'Task',
    timeoutMs: options.timeoutMs ?? 1000,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 50 },
    userAgent: 'krate-provider-jira/0.1.0 (fake)',
  };

  const fake: JiraFake = {
    providerType: 'jira',
    handlers,
    state,
    config,
    secrets,
    scopes: { issueTracking: JIRA_FAKE_PROJECT },
    maxPageSize: 100,
    seed,
    faults: faults.injector,
    get requests(): readonly RecordedRequest[] {
      return recorder.requests;
    },
    get wire(): readonly WireRequest[] {
      return recorder.wire;
    },
    credentialHeaders: ['authorization'],
    humanUrl(kind, ref) {
      switch (kind) {
        case 'issue':
          return `${JIRA_FAKE_SITE}/browse/${state.findIssue(ref.id)?.key ?? ref.id}`;
        case 'comment':
          return `${JIRA_FAKE_SITE}/browse/${ref.scope}?focusedCommentId=${ref.id}`;
        case 'issueEvent':
          return `${JIRA_FAKE_SITE}/browse/${ref.scope}?page=com.atlassian.jira.plugin.system.issuetabpanels:changehistory-tabpanel`;
        case 'label':
          return `${JIRA_FAKE_SITE}/issues/?jql=${encodeURIComponent(`labels = "${ref.id}"`)}`;
        case 'milestone':
          return options.milestones === 'sprints'
            ? `${JIRA_FAKE_SITE}/jira/software/projects/${ref.scope}/boards/1`
            : `${JIRA_FAKE_SITE}/projects/${ref.scope}/versions/${ref.id}`;
        default:
          return undefined;
      }
    },
    inspect(kind, ref): FakeObjectState | undefined {
      if (kind === 'issue') {
        const issue = state.findIssue(ref.id);
        if (!issue) return undefined;
        const closed = state.status(issue.statusId).category === 'done';
        const result: FakeObjectState = {
          status: closed ? 'closed' : 'open',
          title: issue.summary,
          body: adfToMarkdown(issue.description).markdown,
          labels: issue.labels.filter((l) => !l.startsWith(IDEMPOTENCY_LABEL_PREFIX)),
          assignees: issue.assignee ? [issue.assignee] : [],
        };
        if (closed) result.closeReason = closeReasonOf(issue.resolution ?? undefined, RESOLUTIONS) ?? 'completed';
        const sprint = (issue.sprintIds ?? []).map((id) => state.sprints.get(id)).filter((x) => x !== undefined).pop();
        const version = issue.fixVersionIds.map((id) => state.versions.get(Number(id))).find((v) => v !== undefined);
        const milestone = options.milestones === 'sprints' ? sprint?.name : version?.name;
        if (milestone) result.milestone = milestone;
        return result;
      }
      if (kind === 'comment') {
        const comment = state.comments.get(Number(ref.id));
        return comment ? { body: adfToMarkdown(comment.body).markdown } : undefined;
      }
      return undefined;
    },
    webhookActions(event): readonly FakeWebhookAction[] {
      switch (event) {
        case 'jira:issue_created':
          return [{ action: 'issue_created', change: 'upserted', kind: 'issue' }];
        case 'jira:issue_updated':
          return ['issue_updated', 'issue_generic', 'issue_assigned', 'issue_resolved', 'issue_closed', 'issue_reopened', 'issue_moved'].map((action) => ({ action, change: 'upserted' as const, kind: 'issue' }));
        case 'jira:issue_deleted':
          return [{ action: 'issue_deleted', change: 'deleted', kind: 'issue' }];
        case 'comment_created':
        case 'comment_updated':
          return [{ change: 'upserted', kind: 'comment' }];
        case 'comment_deleted':
          return [{ change: 'deleted', kind: 'comment' }];
        default:
          return [{ change: 'upserted' }];
      }
    },
    variants: JIRA_FAKE_VARIANTS,
    webhook: (event, webhookOptions) => deliver(event, webhookOptions, JIRA_FAKE_PROJECT),
    webhookEventFor: (kind) => (kind === 'issue' ? { event: 'jira:issue_updated' } : kind === 'comment' ? { event: 'comment_updated' } : undefined),
    moveIssue(ref, projectKey) {
      const issue = state.findIssue(ref.id);
      if (!issue) throw new Error(`fake: no issue ${ref.id}`);
      state.moveIssue(issue, projectKey);
      return { scope: issue.projectKey, id: issue.key };
    },
    reset() {
      recorder.reset();
      faults.clear();
    },
    signsTimestamp: false,
  };
  return fake;
}
