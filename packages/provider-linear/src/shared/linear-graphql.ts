import { ProviderError, type Transport } from '@krate/core';
import { LinearErrorAnswer, PROVIDER, readLinearBudgets, type LinearGraphqlErrorEntry } from '../linear-errors.js';

/** What one GraphQL request answered: `data`, the response headers and status (the SDK's `rawRequest` result). */
export interface LinearRawResult<T> {
  data: T;
  headers: Headers;
  status: number;
}

/** One GraphQL request as the provider records it for cost accounting (never variables or credentials). */
export interface LinearQueryCost {
  /** The operation name of the document (`KrateListIssues`). */
  operationName: string;
  /** `x-complexity` of the answer, when Linear sent it. */
  complexity?: number | undefined;
}

export interface LinearGraphqlOptions {
  /** The GraphQL endpoint. */
  apiUrl: string;
  transport: Transport;
  /** The `Authorization` header value (`lin_api_...` for an API key, `Bearer ...` for OAuth). */
  authorization(): Promise<string>;
  /** Called once per answered request with the complexity it cost. */
  onCost?(cost: LinearQueryCost): void;
}

/** Sends one GraphQL document. The caller's signal reaches the wire for this call only. */
export type LinearRawRequest = <T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal) => Promise<LinearRawResult<T>>;

function operationNameOf(query: string): string {
  return /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1] ?? 'anonymous';
}

/**
 * The raw request of `@linear/sdk`'s `LinearGraphQLClient` (`client.client.rawRequest`):
 * the same wire format (`POST {query, variables}`, JSON, `Authorization` as Linear wants
 * it) and the same result (`{ data, headers, status }`), sent through core's transport.
 * The SDK's client cannot take a fetch and spreads one signal into every request of a
 * client; here each call carries its own signal and every request goes through the
 * transport's timeouts, retries and rate-limit classifier.
 *
 * An answer with GraphQL `errors` (also with partial `data`) or a non-2xx status throws
 * a {@link LinearErrorAnswer}; a 2xx body that is not JSON throws `upstream_unavailable`.
 */
export function createLinearRawRequest(options: LinearGraphqlOptions): LinearRawRequest {
  return async function rawRequest<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<LinearRawResult<T>> {
    const authorization = await options.authorization();
    const response = await options.transport.fetch(options.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    options.onCost?.({ operationName: operationNameOf(query), complexity: readLinearBudgets(response.headers).queryComplexity });
    let body: { data?: T | null; errors?: LinearGraphqlErrorEntry[] } | undefined;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as typeof body);
    } catch {
      body = undefined;
    }
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    if (!response.ok || errors.length > 0) {
      throw new LinearErrorAnswer(response.status, errors, response.headers, body === undefined ? text : undefined);
    }
    if (!body || typeof body !== 'object' || body.data === undefined || body.data === null) {
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        status: response.status,
        message: `Linear answered ${response.status} with ${body === undefined ? `a body that is not JSON (${text.length} characters)` : 'no data'}`,
      });
    }
    return { data: body.data, headers: response.headers, status: response.status };
  };
}
