import type { FormattedResponse, RequesterType, ResourceOptions } from '@gitbeaker/requester-utils';
import {
  ProviderError, createSecretRedactor, createTransport, decodeCursor, encodeCursor, parseLinkHeader, secretAccessor, transportOptionsFromConfig,
  type PluginContext, type ProviderErrorCode, type RateLimitSnapshot, type SecretRedactor, type Transport,
} from '@krate/core';
import { gitlabRequester } from './auth/gitlab-auth.js';
import type { GitLabConfig } from './gitlab-config.js';
import {
  GITLAB_SECRET_PATTERNS, PROVIDER, classifyGitLabResponse, gitlabError, malformedResponseError, readGitLabRateLimit,
} from './gitlab-errors.js';

/** Query parameters; arrays become `name[]=a&name[]=b` as GitLab reads them. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  query?: Query | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Status -> error code and message, where a status means something precise here (405 on merge). */
  errors?: Partial<Record<number, { code: ProviderErrorCode; message: string; hint?: string }>> | undefined;
  /** The answer is text (job logs), not JSON. */
  text?: boolean | undefined;
}

export interface CallResult<T> {
  data: T;
  headers: Headers;
  status: number;
  url: string;
}

/** What the provider's request function receives from gitbeaker's requester. */
interface KrateRequestOptions {
  searchParams?: Query | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  krate?: { operation: string; errors?: CallOptions['errors']; text?: boolean | undefined; url?: string | undefined };
}

/** The largest page GitLab serves. */
export const GITLAB_MAX_PAGE_SIZE = 100;

/** Encodes a project (or group) path or id for a URL segment: `group/sub/project` -> `group%2Fsub%2Fproject`. */
export function encodePath(path: string | number): string {
  return encodeURIComponent(String(path));
}

function formatQuery(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(`${name}[]`, String(item));
    else params.set(name, String(value));
  }
  return params.toString();
}

/**
 * gitbeaker's requester, replaced: every request goes through Krate's transport
 * (timeouts, retries honouring `Retry-After`, cancellation by the caller's signal,
 * rate-limit state). gitbeaker keeps composing the API URL (`host/api/v4`) and the
 * auth header (`PRIVATE-TOKEN` or `Authorization: Bearer`); its own retry loop,
 * client-side rate limiter and query-string serialization of `signal` are bypassed.
 */
export function createGitLabRequesterFn(transport: Transport): (serviceOptions: ResourceOptions) => RequesterType {
  return (serviceOptions) => {
    const send = async (method: HttpMethod, endpoint: string, options: KrateRequestOptions = {}): Promise<FormattedResponse> => {
      const krate = options.krate ?? { operation: 'request' };
      const headers: Record<string, string> = { ...serviceOptions.headers, accept: 'application/json', 'user-agent': 'krate-provider-gitlab' };
      for (const [name, value] of Object.entries(serviceOptions.authHeaders)) headers[name] = await value();
      const query = formatQuery(options.searchParams);
      const url = krate.url ?? `${serviceOptions.url.replace(/\/+$/, '')}/${endpoint}${query ? `?${query}` : ''}`;
      const init: RequestInit = { method, headers };
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(options.body);
      }
      if (options.signal) init.signal = options.signal;
      const response = await transport.fetch(url, init);
      const responseHeaders = Object.fromEntries(response.headers.entries());
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw new ProviderError({
          code: 'upstream_unavailable', provider: PROVIDER, operation: krate.operation, status: response.status,
          message: `${method} answer body could not be read`, cause: error,
        });
      }
      if (response.status < 200 || response.status > 299) {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: quote the text.
        }
        const special = krate.errors?.[response.status];
        throw gitlabError(response.status, response.headers, body, {
          operation: krate.operation, method, url, code: special?.code, message: special?.message, hint: special?.hint,
        });
      }
      if (krate.text) return { body: text, headers: responseHeaders, status: response.status };
      if (response.status === 204 || text.trim() === '') return { body: null as never, headers: responseHeaders, status: response.status };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw malformedResponseError({ operation: krate.operation, method, url, status: response.status });
      }
      if (body === null || typeof body !== 'object') throw malformedResponseError({ operation: krate.operation, method, url, status: response.status });
      return { body: body as never, headers: responseHeaders, status: response.status };
    };
    return {
      get: (endpoint, options) => send('GET', endpoint, options as KrateRequestOptions),
      post: (endpoint, options) => send('POST', endpoint, options as KrateRequestOptions),
      put: (endpoint, options) => send('PUT', endpoint, options as KrateRequestOptions),
      patch: (endpoint, options) => send('PATCH', endpoint, options as KrateRequestOptions),
      delete: (endpoint, options) => send('DELETE', endpoint, options as KrateRequestOptions),
    } as RequesterType;
  };
}

/**
 * `POST .../retry`, `POST .../pipeline` (a new pipeline), `POST .../statuses/:sha`,
 * `POST /user/runners` and every create are sent once; GET, PUT and DELETE are safe
 * to repeat, and so is `POST .../cancel`.
 */
export function isGitLabRequestRetryable(request: Request): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE') return true;
  if (method === 'POST') return /\/(cancel|archive|unarchive)\/?$/.test(new URL(request.url).pathname);
  return false;
}

/** One page of a listing and the cursor of the next one. */
export interface PageResult<T> {
  items: T[];
  nextCursor: string | null;
  headers: Headers;
}

/** What the interfaces of one GitLab instance share: the transport, the gitbeaker requester, URLs and secrets. */
export class GitLabContext {
  readonly config: GitLabConfig;
  readonly transport: Transport;
  /** The API root, `https://gitlab.com/api/v4`. */
  readonly apiUrl: string;
  /** The web root, `https://gitlab.com` or `https://git.example.com/gitlab`. */
  readonly webUrl: string;
  readonly requester: RequesterType;
  readonly #token: () => Promise<string>;
  /** This instance's secrets and GitLab's token shapes: errors, logs and job logs pass through it. */
  readonly redactor: SecretRedactor;
  readonly providerRef: string | undefined;
  readonly bindingRef: string | undefined;

  constructor(config: GitLabConfig, context: PluginContext = {}) {
    this.config = config;
    this.apiUrl = config.baseUrl;
    this.webUrl = config.baseUrl.replace(/\/api\/v4$/, '');
    this.providerRef = context.providerRef;
    this.bindingRef = context.bindingRef;
    this.redactor = context.redactor ?? createSecretRedactor({ patterns: GITLAB_SECRET_PATTERNS });
    this.#token = secretAccessor(config.auth.token, { provider: PROVIDER, setting: 'auth.token', resolver: context.secrets, redactor: this.redactor });
    for (const value of [config.webhookToken, ...(Array.isArray(config.webhookSigningToken) ? config.webhookSigningToken : [config.webhookSigningToken])]) {
      if (typeof value === 'string') this.redactor.add(value);
    }
    this.transport = createTransport({
      ...transportOptionsFromConfig(PROVIDER, config, context),
      classifyResponse: classifyGitLabResponse,
      readRateLimit: (headers) => readGitLabRateLimit(headers),
      isRetryable: isGitLabRequestRetryable,
    });
    this.requester = gitlabRequester(config.auth, this.webUrl, () => this.#token(), createGitLabRequesterFn(this.transport));
  }

  rateLimit(): RateLimitSnapshot | undefined {
    return this.transport.rateLimit();
  }

  /** Remembers a secret seen at run time (a runner token) so logs and errors never show it. */
  addSecret(value: string): void {
    this.redactor.add(value);
  }

  /** Redacts GitLab tokens and this instance's secrets from a text (the token is resolved first). */
  async redact(text: string): Promise<string> {
    try {
      await this.#token();
    } catch {
      // An unresolvable token never reached the API either.
    }
    return this.redactor.redact(text);
  }

  /** One request through gitbeaker's requester and Krate's transport. `endpoint` is below `/api/v4`, already encoded. */
  async call<T>(operation: string, method: HttpMethod, endpoint: string, options: CallOptions = {}, absoluteUrl?: string): Promise<CallResult<T>> {
    const query = formatQuery(options.query);
    const url = absoluteUrl ?? `${this.apiUrl}/${endpoint}${query ? `?${query}` : ''}`;
    const fn = this.requester[method.toLowerCase() as 'get'];
    const result = await fn<never>(endpoint, {
      searchParams: options.query,
      body: options.body,
      signal: options.signal,
      krate: { operation, errors: options.errors, text: options.text, url },
    } as never);
    return { data: result.body as T, headers: new Headers(result.headers), status: result.status, url };
  }

  async get<T>(operation: string, endpoint: string, options: CallOptions = {}): Promise<T> {
    return (await this.call<T>(operation, 'GET', endpoint, options)).data;
  }

  /**
   * One page of a listing: the first page from `endpoint` and `query` (`per_page` set),
   * later pages from the cursor, which holds the `Link: rel="next"` URL GitLab sent
   * (offset `page=` or keyset `id_after=`/`cursor=`) and is followed only when it points
   * at the same origin and path. A listing never fetches more than one page per call.
   */
  async page<T>(
    operation: string,
    endpoint: string,
    options: { query?: Query; pageSize?: number | undefined; cursor?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<PageResult<T>> {
    const perPage = clampPageSize(options.pageSize);
    const first = `${this.apiUrl}/${endpoint}`;
    let url: string | undefined;
    if (options.cursor !== undefined) {
      const state = decodeCursor<{ u?: unknown; e?: unknown }>(options.cursor, { provider: PROVIDER, operation });
      if (typeof state.u !== 'string' || state.e !== endpoint) throw invalidCursor(operation);
      try {
        url = this.checkSameListing(operation, state.u, first);
      } catch {
        throw invalidCursor(operation);
      }
    }
    const result = await this.call<unknown>(operation, 'GET', endpoint, { query: url ? undefined : { ...options.query, per_page: perPage }, signal: options.signal }, url);
    if (!Array.isArray(result.data)) throw malformedResponseError({ operation, method: 'GET', url: result.url, status: result.status });
    const links = parseLinkHeader(result.headers.get('link'), { requestUrl: result.url, provider: PROVIDER });
    const next = links.next ? this.checkSameListing(operation, links.next, first) : undefined;
    return { items: result.data as T[], nextCursor: next ? encodeCursor({ e: endpoint, u: next }) : null, headers: result.headers };
  }

  /** The endpoint a cursor of {@link page} continues (for listings that chain two endpoints). */
  cursorEndpoint(operation: string, cursor: string): string {
    const state = decodeCursor<{ e?: unknown }>(cursor, { provider: PROVIDER, operation });
    if (typeof state.e !== 'string') throw invalidCursor(operation);
    return state.e;
  }

  /** A cursor that starts `endpoint` at its first page (to chain a second endpoint after a first one). */
  firstPageCursor(endpoint: string, query: Query, pageSize: number | undefined): string {
    const q = formatQuery({ ...query, per_page: clampPageSize(pageSize) });
    return encodeCursor({ e: endpoint, u: `${this.apiUrl}/${endpoint}?${q}` });
  }

  /** A next-page URL must stay on the API's origin and on the listing's path. */
  checkSameListing(operation: string, link: string, expected: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw invalidCursor(operation);
    }
    const want = new URL(expected);
    if (url.origin !== want.origin || url.pathname !== want.pathname) {
      throw new ProviderError({
        code: 'upstream_unavailable', provider: PROVIDER, operation, retryable: false,
        message: `refusing a pagination link to ${url.origin}${url.pathname}; the listing is ${want.origin}${want.pathname}`,
      });
    }
    return url.toString();
  }
}

function invalidCursor(operation: string): ProviderError {
  return new ProviderError({ code: 'invalid_input', provider: PROVIDER, operation, message: 'cursor is not one this provider issued for this listing' });
}

/** A page size clamped to GitLab's 1..100; the maximum by default. */
export function clampPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize)) return GITLAB_MAX_PAGE_SIZE;
  return Math.max(1, Math.min(GITLAB_MAX_PAGE_SIZE, Math.floor(pageSize)));
}
