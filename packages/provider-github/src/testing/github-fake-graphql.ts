import { json, type FakeRoute, type PendingFault } from '@krate/contract-tests/kit';
import type { GhObject, GitHubFakeCore, GitHubFakeModule } from './github-fake-state.js';

/**
 * The GraphQL endpoint of the fake: `POST /graphql`. It answers the one query the
 * provider sends (`KrateListIssues`, recognised by its operation name) from the
 * fake's `state.issues`, in GitHub's GraphQL shape: `pageInfo { hasNextPage,
 * endCursor }`, at most 100 nodes a page, pull requests left out (they are not
 * issues in GraphQL), errors as `{ data, errors: [{ type, path, locations, message }] }`
 * with HTTP 200, and GitHub's rate-limit answer. It is not a GraphQL engine.
 *
 * Where the endpoint lives: GitHub.com serves GraphQL at `https://api.github.com/graphql`
 * (below the REST base), GitHub Enterprise Server at `https://HOST/api/graphql` (beside
 * `/api/v3`). {@link githubGraphqlBaseUrl} gives the base to mount these routes under.
 */

/** The operation name of the only query the fake answers. */
export const FAKE_GRAPHQL_OPERATION = 'KrateListIssues';

/** GitHub's limit on `first` / `last` of a connection. */
const MAX_FIRST = 100;
const GRAPHQL_RATE_LIMIT = 5000;

/**
 * The base URL the GraphQL route (`/graphql`) is served under for a REST API base:
 * `https://api.github.com` -> `https://api.github.com`; `https://ghe.example.com/api/v3`
 * -> `https://ghe.example.com/api` (Octokit sends GraphQL there).
 */
export function githubGraphqlBaseUrl(apiBaseUrl: string): string {
  const trimmed = apiBaseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(trimmed) ? trimmed.replace(/\/api\/v3$/, '/api') : trimmed;
}

interface GraphqlErrorEntry {
  type?: string;
  code?: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  message: string;
}

/** Rate-limit windows run on the real clock, as the REST routes' do (clients compare them with Date.now()). */
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function rateHeaders(_core: GitHubFakeCore, remaining = GRAPHQL_RATE_LIMIT - 1): Record<string, string> {
  const reset = nowSeconds() + 3600;
  return {
    'x-ratelimit-limit': String(GRAPHQL_RATE_LIMIT),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(GRAPHQL_RATE_LIMIT - remaining),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-resource': 'graphql',
  };
}

/** A GraphQL answer with errors: GitHub sends these with HTTP 200. */
function graphqlErrors(core: GitHubFakeCore, errors: GraphqlErrorEntry[], data?: unknown): Response {
  return json(data === undefined ? { errors } : { data, errors }, { status: 200, headers: rateHeaders(core) });
}

/**
 * GitHub's answer when the GraphQL rate limit is spent: HTTP 200 (GitHub does not
 * use 403/429 here), `errors[0].type: RATE_LIMITED`, `x-ratelimit-remaining: 0`
 * and the reset time. `retryAfterSeconds` of the fault sets the reset.
 */
export function renderGraphqlRateLimit(_core: GitHubFakeCore, retryAfterSeconds = 1): Response {
  const reset = nowSeconds() + retryAfterSeconds;
  return json(
    {
      errors: [
        {
          type: 'RATE_LIMITED',
          code: 'graphql_rate_limit',
          message: 'API rate limit already exceeded for installation ID 1.',
        },
      ],
    },
    {
      status: 200,
      headers: {
        'x-ratelimit-limit': String(GRAPHQL_RATE_LIMIT),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(GRAPHQL_RATE_LIMIT),
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'graphql',
      },
    },
  );
}

/**
 * Renders a kit fault for a GraphQL request the way GitHub answers it: rate limits
 * in the GraphQL shape above; every other kind (5xx, status, malformed) is left to
 * the REST renderer (returns undefined), since GitHub answers those the same way on
 * both APIs. The fake's `renderFault` calls this first for `/graphql` paths.
 */
export function renderGraphqlFault(core: GitHubFakeCore, fault: PendingFault, request: Request): Response | undefined {
  if (fault.kind !== 'rateLimit') return undefined;
  if (!new URL(request.url).pathname.endsWith('/graphql')) return undefined;
  return renderGraphqlRateLimit(core, fault.options.retryAfterSeconds ?? 1);
}

function encodeGraphqlCursor(issue: GhObject): string {
  return Buffer.from(`cursor:v2:${JSON.stringify([issue.updated_at, issue.number])}`, 'utf8').toString('base64');
}

function decodeGraphqlCursor(cursor: string): [string, number] | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('cursor:v2:')) return undefined;
  try {
    const value = JSON.parse(text.slice('cursor:v2:'.length)) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number') return [value[0], value[1]];
  } catch {
    return undefined;
  }
  return undefined;
}

function compareIssues(a: GhObject, b: GhObject): number {
  const au = String(a.updated_at);
  const bu = String(b.updated_at);
  if (au !== bu) return au < bu ? -1 : 1;
  return Number(a.number) - Number(b.number);
}

function afterCursor(issue: GhObject, cursor: [string, number]): boolean {
  const updated = String(issue.updated_at);
  if (updated !== cursor[0]) return updated > cursor[0];
  return Number(issue.number) > cursor[1];
}

/** The milestone row an issue points at, as it is now (titles and states change after the issue was made). */
function currentMilestone(core: GitHubFakeCore, issue: GhObject): Record<string, unknown> | null {
  const stored = issue.milestone as { number?: unknown } | null | undefined;
  if (!stored || typeof stored.number !== 'number') return null;
  const repo = String(issue._repo).toLowerCase();
  return core.state.milestones.list((m) => String(m._repo).toLowerCase() === repo && m.number === stored.number)[0] ?? (stored as Record<string, unknown>);
}

/** GitHub's GraphQL node for a stored REST issue (`milestone`: the current milestone row, default the stored one). */
export function issueToGraphqlNode(issue: GhObject, milestoneRow?: Record<string, unknown> | null): Record<string, unknown> {
  const user = issue.user as { login?: string; id?: number; type?: string } | null | undefined;
  const labels = (Array.isArray(issue.labels) ? issue.labels : []) as Array<Record<string, unknown>>;
  const assignees = (Array.isArray(issue.assignees) ? issue.assignees : []) as Array<Record<string, unknown>>;
  const milestone = milestoneRow === undefined ? (issue.milestone as Record<string, unknown> | null | undefined) : milestoneRow;
  const stateReason = typeof issue.state_reason === 'string' ? issue.state_reason.toUpperCase() : null;
  return {
    id: issue.node_id,
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: typeof issue.body === 'string' ? issue.body : '',
    state: issue.state === 'closed' ? 'CLOSED' : 'OPEN',
    stateReason,
    url: issue.html_url,
    locked: issue.locked === true,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at ?? null,
    author: user && typeof user.login === 'string' ? { login: user.login, databaseId: user.id ?? null } : null,
    labels: {
      nodes: labels.slice(0, 100).map((l) => ({
        id: l.node_id ?? `LA_${String(l.id ?? l.name)}`,
        name: l.name,
        color: l.color ?? 'ededed',
        description: l.description ?? null,
      })),
    },
    assignees: {
      nodes: assignees.slice(0, 10).map((a) => ({ id: a.node_id ?? `U_${String(a.id ?? a.login)}`, databaseId: a.id ?? null, login: a.login })),
    },
    milestone: milestone
      ? {
          id: milestone.node_id ?? `MI_${String(milestone.id ?? milestone.number)}`,
          number: milestone.number,
          title: milestone.title,
          state: milestone.state === 'closed' ? 'CLOSED' : 'OPEN',
          dueOn: milestone.due_on ?? null,
        }
      : null,
  };
}

/** Where the listing query's `issues` connection is in the query text (for error locations). */
const ISSUES_PATH = ['repository', 'issues'];

function listIssues(core: GitHubFakeCore, variables: Record<string, unknown>): Response {
  const owner = variables.owner;
  const name = variables.name;
  if (typeof owner !== 'string' || typeof name !== 'string') {
    return graphqlErrors(core, [
      { message: 'Variable $owner of type String! was provided invalid value', locations: [{ line: 1, column: 24 }] },
    ]);
  }
  const first = variables.first;
  if (first === undefined || first === null) {
    return graphqlErrors(core, [
      {
        type: 'MISSING_PAGINATION_BOUNDARIES',
        path: ISSUES_PATH,
        locations: [{ line: 3, column: 5 }],
        message: 'You must provide a `first` or `last` value to properly paginate the `issues` connection.',
      },
    ], { repository: null });
  }
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0) {
    return graphqlErrors(core, [{ message: 'Variable $first of type Int! was provided invalid value', locations: [{ line: 1, column: 59 }] }]);
  }
  if (first > MAX_FIRST) {
    return graphqlErrors(core, [
      {
        type: 'EXCESSIVE_PAGINATION',
        path: ISSUES_PATH,
        locations: [{ line: 3, column: 5 }],
        message: `Requesting ${first} records on the \`issues\` connection exceeds the \`first\` limit of ${MAX_FIRST} records.`,
      },
    ], { repository: null });
  }
  const repo = core.findRepo(owner, name);
  if (!repo) {
    return graphqlErrors(core, [
      {
        type: 'NOT_FOUND',
        path: ['repository'],
        locations: [{ line: 2, column: 3 }],
        message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
      },
    ], { repository: null });
  }
  let cursor: [string, number] | undefined;
  const after = variables.after;
  if (after !== undefined && after !== null) {
    cursor = typeof after === 'string' ? decodeGraphqlCursor(after) : undefined;
    if (!cursor) {
      return graphqlErrors(core, [
        {
          type: 'INVALID_CURSOR_ARGUMENTS',
          path: ISSUES_PATH,
          locations: [{ line: 3, column: 5 }],
          message: `\`${String(after)}\` does not appear to be a valid cursor.`,
        },
      ], { repository: null });
    }
  }
  const since = variables.since;
  if (since !== undefined && since !== null && (typeof since !== 'string' || Number.isNaN(Date.parse(since)))) {
    return graphqlErrors(core, [{ message: 'Variable $since of type DateTime was provided invalid value', locations: [{ line: 1, column: 85 }] }]);
  }
  const sinceMs = typeof since === 'string' ? Date.parse(since) : undefined;
  const fullName = String(repo.full_name ?? `${owner}/${name}`).toLowerCase();
  const matching = core.state.issues.list(
    (issue) =>
      String(issue._repo).toLowerCase() === fullName &&
      issue.pull_request === undefined &&
      (sinceMs === undefined || Date.parse(String(issue.updated_at)) >= sinceMs) &&
      (cursor === undefined || afterCursor(issue, cursor)),
  );
  matching.sort(compareIssues);
  const page = matching.slice(0, first);
  const last = page[page.length - 1];
  return json(
    {
      data: {
        repository: {
          issues: {
            pageInfo: { hasNextPage: matching.length > page.length, endCursor: last ? encodeGraphqlCursor(last) : null },
            nodes: page.map((issue) => issueToGraphqlNode(issue, currentMilestone(core, issue))),
          },
        },
      },
    },
    { status: 200, headers: rateHeaders(core) },
  );
}

/** The operation name of a query document (`query Name(...) {`), or undefined for an anonymous one. */
function operationOf(query: string): { type: string; name: string | undefined } | undefined {
  const match = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription)\b\s*([A-Za-z_][A-Za-z0-9_]*)?/.exec(query);
  if (match) return { type: match[1]!, name: match[2] };
  if (/^\s*\{/.test(query)) return { type: 'query', name: undefined };
  return undefined;
}

/** The `POST /graphql` route. */
export function graphqlRoutes(core: GitHubFakeCore): FakeRoute[] {
  return [
    {
      method: 'POST',
      path: '/graphql',
      write: false,
      handle({ body }) {
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          return json({ message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' }, { status: 400 });
        }
        const { query, variables, operationName } = body as { query?: unknown; variables?: unknown; operationName?: unknown };
        if (typeof query !== 'string' || query.trim() === '') {
          return graphqlErrors(core, [{ message: 'A query attribute must be specified and must be a string.' }]);
        }
        const operation = operationOf(query);
        if (!operation) {
          return graphqlErrors(core, [{ message: 'Parse error on the query document', locations: [{ line: 1, column: 1 }] }]);
        }
        const wanted = typeof operationName === 'string' ? operationName : operation.name;
        if (operation.type !== 'query' || wanted !== FAKE_GRAPHQL_OPERATION || operation.name !== FAKE_GRAPHQL_OPERATION) {
          return graphqlErrors(core, [
            {
              type: 'UNSUPPORTED_BY_FAKE',
              message: `the fake answers only the ${FAKE_GRAPHQL_OPERATION} query, not ${operation.type} ${operation.name ?? '(anonymous)'}`,
            },
          ]);
        }
        const vars = variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {};
        return listIssues(core, vars);
      },
    },
  ];
}

/** The GraphQL module of the fake (no seeds or webhooks of its own: it reads `state.issues`). */
export const githubFakeGraphql: GitHubFakeModule = {
  routes: graphqlRoutes,
  seeds: () => ({}),
  webhooks: () => ({}),
};
