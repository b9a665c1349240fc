import {
  ProviderError, createSecretRedactor, createTransport, secretAccessor, type SecretRedactor, parseLinkHeader, transportOptionsFromConfig, type PluginContext, type ProviderErrorCode,
  type RateLimitSnapshot, type Transport,
} from '@krate/core';
import type { BuildkiteConfig } from './buildkite-config.js';
import type { BuildkiteMappingContext } from './cicd/buildkite-cicd-mapping.js';
import type { ScopeRules } from './shared/buildkite-scope.js';
import {
  BUILDKITE_SECRET_PATTERNS, PROVIDER, classifyBuildkiteResponse, errorFromResponse, isBuildkiteRepeatable, malformedResponseError,
  readBuildkiteRateLimit,
} from './buildkite-errors.js';

/** Query parameters; an array becomes `name[]=a&name[]=b` (Rails array syntax, as Buildkite reads it). */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  query?: Query | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Maps a status to a code other than the default reading (e.g. 422 on cancel is a conflict). */
  statusCodes?: Partial<Record<number, ProviderErrorCode>> | undefined;
}

export interface JsonResponse<T> {
  data: T;
  response: Response;
  /** The URL requested (with its query). */
  url: string;
}

/**
 * `PUT .../rebuild` and `PUT .../retry_failed_jobs` create work; they are sent once.
 * Every other request this provider sends (GET, `PUT .../cancel`) is safe to repeat.
 */
export function isBuildkiteRequestRetryable(request: Request): boolean {
  return isBuildkiteRepeatable(request.method, request.url);
}


/** Sends Buildkite REST requests through the shared transport of @krate/core. */
export class BuildkiteClient {
  readonly baseUrl: string;
  readonly #transport: Transport;
  readonly #token: () => Promise<string>;

  constructor(config: BuildkiteConfig, token: () => Promise<string>, context: PluginContext = {}) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#transport = createTransport({
      ...transportOptionsFromConfig(PROVIDER, config, context),
      classifyResponse: classifyBuildkiteResponse,
      readRateLimit: (headers) => readBuildkiteRateLimit(headers),
      isRetryable: isBuildkiteRequestRetryable,
    });
  }

  rateLimit(): RateLimitSnapshot | undefined {
    return this.#transport.rateLimit();
  }

  stats(): { requests: number; retries: number } {
    return this.#transport.stats();
  }

  /** The absolute URL of a path below the base URL. */
  url(path: string, query?: Query): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(`${name}[]`, String(item));
      else url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Sends a request and returns the raw response of a 2xx answer; any other status is a ProviderError. */
  async send(operation: string, path: string, options: RequestOptions = {}): Promise<{ response: Response; url: string }> {
    const method = options.method ?? 'GET';
    const url = this.url(path, options.query);
    const token = await this.#token();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'user-agent': 'krate-provider-buildkite',
    };
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) init.signal = options.signal;
    const response = await this.#transport.fetch(url, init);
    if (response.status < 200 || response.status > 299) {
      throw await errorFromResponse(response, { operation, method, url, code: options.statusCodes?.[response.status] });
    }
    return { response, url };
  }

  /** Sends a request and parses the JSON answer. */
  async json<T>(operation: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    const method = options.method ?? 'GET';
    const { response, url } = await this.send(operation, path, options);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // A body cut by the transport's timeout is a timeout.
      if (ProviderError.isInstance(error)) throw error.withContext(PROVIDER, operation);
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        operation,
        status: response.status,
        message: `${method} answer body could not be read`,
        cause: error,
        request: { method, idempotent: isBuildkiteRepeatable(method, url) },
      });
    }
    let data: T;
    try {
      data = JSON.parse(text) as T;
    } catch {
      throw malformedResponseError({ operation, method, url, status: response.status });
    }
    if (data === null || typeof data !== 'object') throw malformedResponseError({ operation, method, url, status: response.status });
    return { data, response, url };
  }

  /**
   * One page of a numbered listing (`page`/`per_page`, `Link` header). Returns the
   * items and the next page number, read from `rel="next"`; a next link to another
   * host is refused.
   */
  async page<T>(
    operation: string,
    path: string,
    options: { query?: Query; page: number; perPage: number; signal?: AbortSignal | undefined },
  ): Promise<{ items: T[]; nextPage: number | null; response: Response }> {
    const { data, response, url } = await this.json<unknown>(operation, path, {
      query: { ...options.query, page: options.page, per_page: options.perPage },
      signal: options.signal,
    });
    if (!Array.isArray(data)) throw malformedResponseError({ operation, method: 'GET', url, status: response.status });
    const links = parseLinkHeader(response.headers.get('link'), { requestUrl: url, provider: PROVIDER });
    let nextPage: number | null = null;
    if (links.next) {
      const value = new URL(links.next).searchParams.get('page');
      if (value === null || !/^\d+$/.test(value) || Number(value) <= options.page) {
        throw new ProviderError({
          code: 'upstream_unavailable',
          provider: PROVIDER,
          operation,
          retryable: false,
          message: `the next-page link of ${path} does not name a later page`,
        });
      }
      nextPage = Number(value);
    }
    return { items: data as T[], nextPage, response };
  }

  /** Checks that a URL the API returned (a `links.next`) points at the API's own host. */
  assertSameHost(operation: string, link: string, requestUrl: string): URL {
    let url: URL;
    try {
      url = new URL(link, requestUrl);
    } catch {
      throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, retryable: false, message: 'the next-page link is not a URL' });
    }
    const base = new URL(requestUrl);
    if (url.host !== base.host || url.protocol !== base.protocol) {
      throw new ProviderError({
        code: 'upstream_unavailable',
        provider: PROVIDER,
        operation,
        retryable: false,
        message: `refusing a pagination link to another host (${url.host})`,
      });
    }
    return url;
  }
}

/** What the interface implementations of one Buildkite instance share. */
export interface BuildkiteContext {
  readonly config: BuildkiteConfig;
  readonly client: BuildkiteClient;
  /** The refs the mappers copy into every envelope. */
  readonly mapping: BuildkiteMappingContext;
  readonly rules: ScopeRules;
  /** What this instance knows to be secret (its credentials, Buildkite's token shapes). */
  readonly redactor: SecretRedactor;
  /** The credentials of this instance that are resolved so far (for redaction of logs). */
  knownSecrets(): Promise<string[]>;
}

/** Builds the per-instance context: the REST client on core's transport, the mapping refs, the scope rules. */
export function createBuildkiteContext(config: BuildkiteConfig, context: PluginContext = {}): BuildkiteContext {
  const redactor = context.redactor ?? createSecretRedactor({ patterns: BUILDKITE_SECRET_PATTERNS });
  const apiToken = secretAccessor(config.apiToken, { provider: PROVIDER, setting: 'apiToken', resolver: context.secrets, redactor });
  for (const value of [config.webhookToken, config.webhookSecret]) if (typeof value === 'string') redactor.add(value);
  const client = new BuildkiteClient(config, apiToken, context);
  const mapping: BuildkiteMappingContext = {};
  if (context.providerRef !== undefined) mapping.providerRef = context.providerRef;
  if (context.bindingRef !== undefined) mapping.bindingRef = context.bindingRef;
  return {
    config,
    client,
    mapping,
    rules: { organization: config.organization },
    redactor,
    async knownSecrets() {
      const out: string[] = [];
      try {
        out.push(await apiToken());
      } catch {
        // An unresolvable token never reached the API either: nothing to redact.
      }
      for (const value of [config.webhookToken, config.webhookSecret]) if (typeof value === 'string') out.push(value);
      return out;
    },
  };
}
