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

/** Whether the request asks for JSON (Octokit's default `application/vnd.github.v3+json` does). */
function wantsJson(endpoint: EndpointOptions): boolean {
  const accept = endpoint.headers.accept ?? endpoint.headers.Accept;
  return accept === undefined || /json/i.test(accept);
}

/** The path of a URL, for messages (no query: it may carry anything). */
function pathOf(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? fallback;
  }
}

const BODYLESS_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that remembers the URL it was called with and the error that ended reading a
 * response body: Octokit swallows that error (a body cut by the transport's timeout reads
 * as an empty or unparseable body), so the hook rethrows it.
 */
function watchedFetch(fetchImpl: typeof fetch): { fetch: typeof fetch; seen: { url?: string; bodyError?: unknown } } {
  const seen: { url?: string; bodyError?: unknown } = {};
  const watched = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    seen.url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await fetchImpl(input, init);
    if (!response.body || BODYLESS_STATUSES.has(response.status)) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          seen.bodyError = error;
          controller.error(error);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    for (const key of ['url', 'redirected', 'type'] as const) {
      Object.defineProperty(copy, key, { value: response[key], enumerable: true, configurable: true });
    }
    return copy;
  };
  return { fetch: watched as typeof fetch, seen };
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
    const settings = (endpoint.request ?? {}) as { fetch?: typeof fetch; parseSuccessResponseBody?: boolean; trailingSlash?: boolean };
    const base = settings.fetch ?? globalThis.fetch;
    // Octokit drops a trailing slash; GitHub documents `git/matching-refs/` (with it) for "every ref".
    const sender: typeof fetch = settings.trailingSlash
      ? (input, init) => {
          const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
          if (!url.pathname.endsWith('/')) url.pathname += '/';
          return base(url.href, init);
        }
      : base;
    const watch = watchedFetch(sender);
    let response: OctokitResponse;
    try {
      response = await request({ ...endpoint, request: { ...settings, fetch: watch.fetch } });
    } catch (error) {
      // A body cut by the transport's timeout: Octokit read it as empty; the timeout is the answer.
      if (ProviderError.isInstance(watch.seen.bodyError)) throw watch.seen.bodyError;
      throw error;
    }
    if (ProviderError.isInstance(watch.seen.bodyError)) throw watch.seen.bodyError;
    const method = endpoint.method.toUpperCase();
    const path = pathOf(watch.seen.url, endpoint.url);
    const malformed = (what: string) =>
      new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        status: response.status,
        message: `GitHub answered ${method} ${path} (${response.status}) with ${what}`,
        request: { method },
      });
    if (watch.seen.bodyError !== undefined) throw malformed('a body that could not be read');
    const checked = response.status >= 200 && response.status < 300 && !BODYLESS_STATUSES.has(response.status);
    if (!checked || settings.parseSuccessResponseBody === false || method === 'HEAD') return response;
    const data = response.data;
    if (typeof data === 'string' && isJson(response.headers)) throw malformed('a malformed JSON body (truncated or not JSON)');
    if (wantsJson(endpoint) && (data instanceof ArrayBuffer || (typeof data === 'string' && (data !== '' || method === 'GET')))) {
      const type = response.headers['content-type'] ?? 'no content type';
      throw malformed(`a ${type.split(';')[0]} body where JSON was expected (not the JSON GitHub documents)`);
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
