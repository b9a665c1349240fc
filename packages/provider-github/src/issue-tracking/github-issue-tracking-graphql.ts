import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ProviderError,
  RateLimitedError,
  UpstreamUnavailableError,
  decodeCursor,
  encodeCursor,
  type ExternalIssue,
  type ListOptions,
  type Page,
} from '@krate/core';
import type { GitHubContext } from '../github-context.js';
import { parseRepoScope } from '../shared/github-scope.js';
import { mapIssue } from './github-issue-tracking-mapping.js';

/** The GraphQL operation name the listing sends (the fake answers this operation only). */
export const LIST_ISSUES_OPERATION = 'KrateListIssues';

/** GitHub's maximum `first` on a connection. */
export const GRAPHQL_MAX_PAGE_SIZE = 100;

/** GitHub allows at most 10 assignees per issue; labels are asked for up to 100. */
const LABELS_PER_ISSUE = 100;
const ASSIGNEES_PER_ISSUE = 10;

/**
 * One query lists a page of issues with their labels, assignees, author and
 * milestone, oldest change first (`UPDATED_AT ASC`), so a resumed listing and an
 * `updatedSince` listing see every change exactly once per update. Pull requests
 * are not issues in GraphQL: a PR never shows up as a second work item.
 */
export const LIST_ISSUES_QUERY = `query ${LIST_ISSUES_OPERATION}($owner: String!, $name: String!, $first: Int!, $after: String, $since: DateTime) {
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        number
        title
        body
        state
        stateReason
        url
        locked
        createdAt
        updatedAt
        closedAt
        author { login ... on User { databaseId } ... on Bot { databaseId } }
        labels(first: ${LABELS_PER_ISSUE}) { nodes { id name color description } }
        assignees(first: ${ASSIGNEES_PER_ISSUE}) { nodes { id databaseId login } }
        milestone { id number title state dueOn }
      }
    }
  }
}`;

/** Variables of {@link LIST_ISSUES_QUERY}. */
export interface ListIssuesVariables {
  owner: string;
  name: string;
  first: number;
  after: string | null;
  since: string | null;
}

/** An issue node as GitHub's GraphQL API answers the listing query. */
export interface GraphqlIssueNode {
  id: string;
  databaseId: number | null;
  number: number;
  title: string;
  body: string | null;
  state: 'OPEN' | 'CLOSED';
  stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | 'DUPLICATE' | null;
  url: string;
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  author: { login: string; databaseId?: number | null } | null;
  labels: { nodes: Array<{ id: string; name: string; color: string; description: string | null }> } | null;
  assignees: { nodes: Array<{ id: string; databaseId: number | null; login: string }> };
  milestone: { id: string; number: number; title: string; state: 'OPEN' | 'CLOSED'; dueOn: string | null } | null;
}

/** The `data` of the listing query's answer. */
export interface ListIssuesData {
  repository: {
    issues: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<GraphqlIssueNode | null> };
  } | null;
}

type GraphqlCursorState = {
  /** `owner/repo` the cursor belongs to. */
  s: string;
  /** GitHub's end cursor. */
  a: string;
  /** The `since` filter of the listing. */
  u?: string;
};

/**
 * Converts a GraphQL issue node to the REST issue shape (the one `mapIssue` reads),
 * so both listings normalize through the same mapper.
 */
export function graphqlIssueToRest(
  node: GraphqlIssueNode,
  where: { owner: string; repo: string; apiBaseUrl: string; webBaseUrl: string },
): Record<string, unknown> {
  const repoApi = `${where.apiBaseUrl}/repos/${where.owner}/${where.repo}`;
  const user = (login: string, id: number | null | undefined) => ({
    login,
    id: id ?? undefined,
    html_url: `${where.webBaseUrl}/${login}`,
    url: `${where.apiBaseUrl}/users/${login}`,
  });
  const assignees = (node.assignees?.nodes ?? []).map((a) => ({ ...user(a.login, a.databaseId), node_id: a.id }));
  return {
    id: node.databaseId ?? undefined,
    node_id: node.id,
    number: node.number,
    title: node.title,
    body: node.body,
    state: node.state === 'CLOSED' ? 'closed' : 'open',
    state_reason: node.stateReason ? node.stateReason.toLowerCase() : null,
    html_url: node.url,
    url: `${repoApi}/issues/${node.number}`,
    repository_url: repoApi,
    locked: node.locked,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    closed_at: node.closedAt,
    user: node.author ? user(node.author.login, node.author.databaseId) : null,
    labels: (node.labels?.nodes ?? []).map((l) => ({ node_id: l.id, name: l.name, color: l.color, description: l.description })),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: node.milestone
      ? {
          node_id: node.milestone.id,
          number: node.milestone.number,
          title: node.milestone.title,
          state: node.milestone.state === 'CLOSED' ? 'closed' : 'open',
          due_on: node.milestone.dueOn,
          url: `${repoApi}/milestones/${node.milestone.number}`,
        }
      : null,
  };
}

/** GraphQL error types that mean the query or its variables were wrong ('' = a validation error without a type). */
const INVALID_INPUT_TYPES = new Set([
  '',
  'ARGUMENT_ERROR',
  'EXCESSIVE_PAGINATION',
  'INVALID_CURSOR_ARGUMENTS',
  'MAX_NODE_LIMIT_EXCEEDED',
  'MISSING_PAGINATION_BOUNDARIES',
]);

/** A GraphQL error as GitHub sends it in `errors`. */
interface GraphqlError {
  type?: string;
  code?: string;
  message?: string;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Milliseconds until GitHub's rate-limit window resets, from `retry-after` or `x-ratelimit-reset`. */
function retryAfterMsOf(headers: Record<string, unknown> | undefined): number | undefined {
  const retryAfter = headerOf(headers, 'retry-after');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const reset = headerOf(headers, 'x-ratelimit-reset');
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - Date.now());
  return undefined;
}

/**
 * Maps the errors of a GraphQL answer (HTTP 200 with `errors`) to a ProviderError:
 * `RATE_LIMITED` -> rate_limited (with the reset time), `NOT_FOUND` -> not_found,
 * `FORBIDDEN` -> forbidden, anything else -> invalid_input / upstream_unavailable.
 * Anything that is not a GraphQL answer error is returned unchanged.
 */
export function mapGraphqlError(error: unknown, operation: string): unknown {
  if (ProviderError.isInstance(error)) return error;
  const candidate = error as { name?: string; errors?: GraphqlError[]; headers?: Record<string, unknown> } | null;
  if (!candidate || candidate.name !== 'GraphqlResponseError' || !Array.isArray(candidate.errors)) return error;
  const first = candidate.errors[0] ?? {};
  const type = first.type ?? '';
  const message = `GitHub GraphQL answered ${type || 'an error'}: ${first.message ?? 'no message'}`;
  const base = { provider: 'github', operation, message, cause: error };
  if (type === 'RATE_LIMITED' || type === 'RATE_LIMIT' || first.code === 'graphql_rate_limit') {
    return new RateLimitedError({ ...base, retryAfterMs: retryAfterMsOf(candidate.headers), status: 200 });
  }
  if (type === 'NOT_FOUND') return new NotFoundError(base);
  if (type === 'FORBIDDEN' || type === 'INSUFFICIENT_SCOPES') return new ForbiddenError(base);
  if (INVALID_INPUT_TYPES.has(type)) return new InvalidInputError(base);
  return new UpstreamUnavailableError(base);
}

/**
 * Lists the issues of a repository with one GraphQL query per page: labels,
 * assignees, author and milestone come with each issue, so a page of 100 costs one
 * request (and about two points of GraphQL rate limit). Cursors are opaque (they wrap
 * GitHub's end cursor with the scope and the `updatedSince` filter); a cursor of
 * another listing or a garbage one is an `invalid_input` error.
 *
 * @param ctx the instance's GitHub context (`octokitFor(owner).graphql`)
 * @param scope `owner/repo`
 * @param options cursor, pageSize (default and maximum 100), updatedSince (GitHub's `filterBy.since`)
 */
export async function listIssuesGraphql(ctx: GitHubContext, scope: string, options: ListOptions = {}): Promise<Page<ExternalIssue>> {
  const operation = 'listIssues';
  const { owner, repo } = parseRepoScope(scope, operation);
  const listing = `${owner}/${repo}`.toLowerCase();
  let after: string | null = null;
  let since: string | null = options.updatedSince ?? null;
  if (options.cursor !== undefined && options.cursor !== null && options.cursor !== '') {
    const state = decodeCursor<GraphqlCursorState & { v: 1 } & Record<string, unknown>>(options.cursor, { provider: 'github', operation });
    if (state.s !== listing || typeof state.a !== 'string' || state.a.length === 0) {
      throw new InvalidInputError({ provider: 'github', operation, message: 'cursor belongs to another listing' });
    }
    after = state.a;
    since = typeof state.u === 'string' ? state.u : null;
  }
  if (since !== null) {
    if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) {
      throw new InvalidInputError({ provider: 'github', operation, message: `updatedSince must be an ISO-8601 time, got "${String(since)}"` });
    }
    since = new Date(since).toISOString();
  }
  const requested = options.pageSize ?? GRAPHQL_MAX_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new InvalidInputError({ provider: 'github', operation, message: `pageSize must be a positive integer, got ${String(options.pageSize)}` });
  }
  const variables: ListIssuesVariables = { owner, name: repo, first: Math.min(requested, GRAPHQL_MAX_PAGE_SIZE), after, since };

  return ctx.call(operation, async () => {
    const octokit = await ctx.octokitFor(owner);
    let data: ListIssuesData;
    try {
      data = await octokit.graphql<ListIssuesData>(LIST_ISSUES_QUERY, {
        ...variables,
        ...(options.signal ? { request: { signal: options.signal } } : {}),
      });
    } catch (error) {
      throw mapGraphqlError(error, operation);
    }
    const connection = data?.repository?.issues;
    if (!data || data.repository === null) {
      throw new NotFoundError({ provider: 'github', operation, message: `repository ${scope} was not found` });
    }
    if (!connection || !Array.isArray(connection.nodes) || typeof connection.pageInfo !== 'object' || connection.pageInfo === null) {
      throw new UpstreamUnavailableError({ provider: 'github', operation, retryable: false, message: 'GraphQL answer has no issues connection' });
    }
    const where = { owner, repo, apiBaseUrl: ctx.apiBaseUrl, webBaseUrl: ctx.webBaseUrl };
    const items: ExternalIssue[] = [];
    for (const node of connection.nodes) {
      if (!node) continue;
      const issue = mapIssue(ctx, graphqlIssueToRest(node, where), { scope: `${owner}/${repo}` });
      if (issue) items.push(issue);
    }
    const { hasNextPage, endCursor } = connection.pageInfo;
    const nextCursor =
      hasNextPage && typeof endCursor === 'string' && endCursor.length > 0
        ? encodeCursor({ s: listing, a: endCursor, ...(since !== null ? { u: since } : {}) })
        : null;
    return { items, nextCursor };
  });
}
