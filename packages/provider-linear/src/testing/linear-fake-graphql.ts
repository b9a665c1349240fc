import { json, type FakeRoute, type PendingFault } from '@krate/contract-tests/kit';
import {
  GraphQLError, execute, getNullableType, isEnumType, isListType, isNonNullType, isScalarType, parse, validate,
  type DocumentNode, type GraphQLFieldResolver, type GraphQLOutputType, type OperationDefinitionNode,
} from 'graphql';
import { LINEAR_MAX_COMPLEXITY, linearSchema, queryComplexity } from './linear-fake-schema.js';
import type { FakeResolverMap } from './linear-fake-resolvers.js';
import type { LinearFakeState } from './linear-fake-state.js';

/** One query the fake refused as invalid against Linear's schema (a test fails on any). */
export interface InvalidQuery {
  operationName: string | undefined;
  messages: string[];
}

/** What the fake measured of one answered request. */
export interface QueryCostRecord {
  operationName: string | undefined;
  complexity: number;
}

export interface LinearFakeBudgets {
  requestsLimit: number;
  complexityLimit: number;
  requestsRemaining: number;
  complexityRemaining: number;
}

/** Linear's two hourly budgets as headers, resets in epoch milliseconds (on the real clock: clients compare with Date.now()). */
export function budgetHeaders(budgets: LinearFakeBudgets, complexity?: number, resetInMs = 3_600_000): Record<string, string> {
  const reset = String(Date.now() + resetInMs);
  const headers: Record<string, string> = {
    'x-ratelimit-requests-limit': String(budgets.requestsLimit),
    'x-ratelimit-requests-remaining': String(Math.max(0, budgets.requestsRemaining)),
    'x-ratelimit-requests-reset': reset,
    'x-ratelimit-complexity-limit': String(budgets.complexityLimit),
    'x-ratelimit-complexity-remaining': String(Math.max(0, budgets.complexityRemaining)),
    'x-ratelimit-complexity-reset': reset,
  };
  if (complexity !== undefined) headers['x-complexity'] = String(complexity);
  return headers;
}

/**
 * Linear's answer to a rate-limited request: HTTP 400 with a GraphQL error whose
 * `extensions.code` is `RATELIMITED` (with `type: ratelimited` and `statusCode: 429`, or,
 * as Linear also answers, the code alone), the spent budget at 0 and its reset in epoch ms.
 */
export function renderRateLimit(fault: PendingFault, budgets: LinearFakeBudgets, withType: boolean): Response {
  const seconds = Math.max(0, fault.options.retryAfterSeconds ?? 1);
  const extensions: Record<string, unknown> = { code: 'RATELIMITED', statusCode: 429, userError: true, userPresentableMessage: 'Rate limit exceeded. Please try again later.' };
  if (withType) extensions.type = 'ratelimited';
  return json(
    { data: null, errors: [{ message: 'Rate limit exceeded', extensions }] },
    { status: 400, headers: budgetHeaders({ ...budgets, requestsRemaining: 0 }, undefined, seconds * 1000) },
  );
}

function graphqlErrorBody(errors: readonly GraphQLError[]): Array<Record<string, unknown>> {
  return errors.map((e) => e.toJSON() as unknown as Record<string, unknown>);
}

/**
 * The value of a field the fake does not model: null where the schema allows it, else
 * the type's zero value (`''`, `0`, `false`, `{}` for JSON and objects, `[]` for lists,
 * the first enum value), so that a query asking for every field (the SDK's) is answered.
 */
function zeroValue(type: GraphQLOutputType, source: Record<string, unknown> | null | undefined): unknown {
  if (!isNonNullType(type)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return [];
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'String': case 'ID': return '';
      case 'Int': case 'Float': return 0;
      case 'Boolean': return false;
      case 'DateTime': return (source?.createdAt as string | undefined) ?? '2026-01-01T00:00:00.000Z';
      case 'TimelessDate': return '2026-01-01';
      default: return {};
    }
  }
  return {};
}

export interface GraphqlRouteOptions {
  state: LinearFakeState;
  resolvers: FakeResolverMap;
  budgets: LinearFakeBudgets;
  invalidQueries: InvalidQuery[];
  costs: QueryCostRecord[];
}

const documents = new Map<string, DocumentNode>();

/**
 * `POST /graphql`: every query is parsed and validated against Linear's schema
 * (`graphql`'s `validate`: an unknown field, argument or type is refused with Linear's
 * `GRAPHQL_VALIDATION_FAILED` answer and recorded in `invalidQueries`), its complexity is
 * computed as Linear documents it (answered in `x-complexity`; above 10 000 refused), and
 * it is executed against the fake's state, so answers have Linear's shapes by construction.
 */
export function graphqlRoute(options: GraphqlRouteOptions): FakeRoute {
  const { state, resolvers, budgets } = options;
  const fieldResolver: GraphQLFieldResolver<any, LinearFakeState> = (source, args, context, info) => {
    const resolver = resolvers[info.parentType.name]?.[info.fieldName];
    if (resolver) return resolver(source, args, context);
    if (info.parentType.name === 'Query' || info.parentType.name === 'Mutation') {
      throw new GraphQLError(`the fake does not implement ${info.parentType.name}.${info.fieldName}`, { extensions: { type: 'other', code: 'NOT_IMPLEMENTED_BY_FAKE' } });
    }
    const value = source?.[info.fieldName];
    return value === undefined || value === null ? zeroValue(info.returnType, source) : value;
  };
  return {
    method: 'POST',
    path: '/graphql',
    // Reads and writes share the endpoint: a mutation is a write (drop-after-write applies to it).
    write: true,
    handle({ body }) {
      const headers = () => budgetHeaders(budgets);
      const { query, variables, operationName } = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
      if (typeof query !== 'string' || query.trim() === '') {
        return json({ errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST', type: 'graphql error' } }] }, { status: 400, headers: headers() });
      }
      let document = documents.get(query);
      if (!document) {
        try {
          document = parse(query);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          options.invalidQueries.push({ operationName: undefined, messages: [message] });
          return json({ errors: [{ message, extensions: { code: 'GRAPHQL_PARSE_FAILED', type: 'graphql error' } }] }, { status: 400, headers: headers() });
        }
      }
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && (typeof operationName !== 'string' || d.name?.value === operationName),
      );
      const name = operation?.name?.value;
      if (!documents.has(query)) {
        const errors = validate(linearSchema(), document);
        if (errors.length > 0) {
          options.invalidQueries.push({ operationName: name, messages: errors.map((e) => e.message) });
          return json(
            { errors: errors.map((e) => ({ ...(e.toJSON() as object), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', type: 'graphql error', userError: true } })) },
            { status: 400, headers: headers() },
          );
        }
        documents.set(query, document);
      }
      if (!operation) {
        return json({ errors: [{ message: 'Unknown operation named.', extensions: { code: 'BAD_REQUEST', type: 'graphql error' } }] }, { status: 400, headers: headers() });
      }
      const vars = variables && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {};
      const complexity = queryComplexity(linearSchema(), document, operation, vars);
      options.costs.push({ operationName: name, complexity });
      budgets.requestsRemaining -= 1;
      budgets.complexityRemaining -= complexity;
      if (complexity > LINEAR_MAX_COMPLEXITY) {
        return json(
          {
            errors: [
              {
                message: `Query too complex: ${complexity} points, the limit is ${LINEAR_MAX_COMPLEXITY}`,
                extensions: { code: 'QUERY_TOO_COMPLEX', type: 'invalid input', userError: true, userPresentableMessage: 'The query is too complex.' },
              },
            ],
          },
          { status: 400, headers: budgetHeaders(budgets, complexity) },
        );
      }
      const result = execute({
        schema: linearSchema(),
        document,
        operationName: name,
        variableValues: vars,
        contextValue: state,
        fieldResolver,
      }) as { data?: unknown; errors?: readonly GraphQLError[] };
      const out: Record<string, unknown> = { data: result.data ?? null };
      if (result.errors?.length) out.errors = graphqlErrorBody(result.errors);
      // Variable errors (a wrong type) never reach execution: Linear answers them 400.
      const status = result.data === undefined ? 400 : 200;
      return json(out, { status, headers: budgetHeaders(budgets, complexity) });
    },
  };
}
