import { ProviderError } from '@krate/core';
import { GITHUB_API_VERSION } from '../github-config.js';
import { PROVIDER, statusOf } from '../github-errors.js';
import type { GitHubTokenSource } from './github-token-source.js';

type EndpointOptions = { method: string; url: string; headers: Record<string, string | undefined> } & Record<string, unknown>;
type OctokitResponse = { status: number; headers: Record<string, string | undefined>; data: unknown; url: string };
interface RequestFn {
  (options: EndpointOptions): Promise<OctokitResponse>;
  endpoint: { merge(route: unknown, parameters?: unknown): EndpointOptions };
}

function isJson(headers: Record<string, string | undefined>): boolean {
  return /application\/(?:[\w.+-]*\+)?json/i.test(headers['content-type'] ?? '');
}

/**
 * The Octokit `authStrategy` of the provider. Its request hook:
 * - sets `Authorization` from the token source and `X-GitHub-Api-Version`;
 * - on a 401 asks the source for a fresh token once (an installation token that was
 *   revoked or expired early) and sends the request again; a second 401 is final;
 * - refuses a JSON answer that does not parse (Octokit would hand back the raw text).
 * The token never leaves the hook: `octokit.auth()` reports only the scheme.
 */
export function gitHubAuthStrategy(options: { source: GitHubTokenSource }) {
  const { source } = options;
  const prefix = source.scheme === 'bearer' ? 'bearer' : 'token';

  async function send(request: RequestFn, endpoint: EndpointOptions, token: string): Promise<OctokitResponse> {
    endpoint.headers = { ...endpoint.headers, authorization: `${prefix} ${token}` };
    const response = await request(endpoint);
    if (typeof response.data === 'string' && isJson(response.headers)) {
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        status: response.status,
        message: `GitHub sent a malformed JSON body for ${endpoint.method} ${new URL(endpoint.url).pathname}`,
      });
    }
    return response;
  }

  async function hook(request: RequestFn, route: unknown, parameters?: unknown): Promise<OctokitResponse> {
    const endpoint = request.endpoint.merge(route, parameters);
    endpoint.headers = { 'x-github-api-version': GITHUB_API_VERSION, ...endpoint.headers };
    const token = await source.get();
    try {
      return await send(request, endpoint, token);
    } catch (error) {
      if (statusOf(error) !== 401 || !source.refresh) throw error;
      const fresh = await source.refresh(token);
      return send(request, endpoint, fresh);
    }
  }

  const auth = async () => ({ type: source.scheme === 'bearer' ? 'app' : 'token' });
  return Object.assign(auth, { hook });
}
