import {
  InvalidInputError,
  ProviderError,
  collect,
  createSecretRedactor,
  createTransport,
  decodeCursor,
  encodeCursor,
  parseLinkHeader,
  stateKeyDigest,
  transportOptionsFromConfig,
  type ExternalEnvelope,
  type InterfaceName,
  type ListOptions,
  type Page,
  type PluginContext,
  type RateLimitSnapshot,
  type SecretRedactor,
  type SecretResolver,
  type Transport,
} from '@krate/core';
import type { Octokit } from '@octokit/rest';
import { createGitHubAuth, type GitHubAuth } from './auth/github-auth.js';
import { GITHUB_API_VERSION, deriveWebBaseUrl, type GitHubConfig } from './github-config.js';
import { isStringRecord, parseJson } from './shared/github-json.js';
import { Lru } from './shared/github-lru.js';
import { GITHUB_SECRET_PATTERNS, PROVIDER, classifyGitHubResponse, mapGitHubError, statusOf } from './github-errors.js';
import { createGitHubSharedState } from './shared/github-shared-state.js';

/** GitHub's maximum `per_page`. */
export const GITHUB_MAX_PAGE_SIZE = 100;
const SCHEMA_VERSION = `github-rest-${GITHUB_API_VERSION}`;

/**
 * What each interface implementation of the GitHub provider is built on. Made once
 * per instance by {@link createGitHubContext}.
 */
export interface GitHubContext {
  readonly provider: 'github';
  /** REST API base, e.g. https://api.github.com or https://ghe.example.com/api/v3 (no trailing slash). */
  readonly apiBaseUrl: string;
  /** Web base for html URLs, e.g. https://github.com. */
  readonly webBaseUrl: string;
  /** What this instance knows to be secret (its credentials, GitHub's token shapes). */
  readonly redactor: SecretRedactor;
  /**
   * The Octokit to call for an owner (org or user). With GitHub App auth it carries
   * that owner's installation token (installation looked up once and cached).
   */
  octokitFor(owner: string): Promise<Octokit>;
  /**
   * Runs one operation: maps Octokit / transport errors to ProviderError (GitHub's
   * meanings: secondary rate limits, "Resource not accessible by integration", bad
   * credentials), with provider and operation set.
   */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  /** Lists one page of a REST collection with Link-header pagination and an opaque cursor. */
  listPage<Raw, Item>(
    operation: string,
    owner: string,
    request: { route: string; params: Record<string, unknown>; options: ListOptions; maxPageSize?: number; itemsKey?: string },
    map: (raw: Raw) => Item | undefined,
  ): Promise<Page<Item>>;
  /**
   * Reads every page of a REST collection (for lookups such as milestones or labels).
   * Each page goes through {@link GitHubContext.listPage}, so `signal` reaches every
   * request and an abort between pages stops the listing; Octokit's own `paginate`
   * drops `request.signal` and is not used.
   */
  listAll<Raw>(
    operation: string,
    owner: string,
    request: { route: string; params: Record<string, unknown>; signal?: AbortSignal | undefined },
  ): Promise<Raw[]>;
  /** Builds the `external` envelope of a GitHub object. */
  envelope(
    iface: InterfaceName,
    nativeKind: string,
    raw: { id?: number | string; node_id?: string; html_url?: string | null; url?: string; updated_at?: string | null; number?: number; sha?: string },
    extra?: { etag?: string; sha?: string; fields?: Record<string, unknown> },
  ): ExternalEnvelope;
}

/** `owner/repo` -> { owner, repo }; anything else is an invalid_input error. */
export type RepoScope = { owner: string; repo: string };

/** What the mapping functions need from the context: envelopes and URL bases (no network). */
export type GitHubMappingContext = Pick<GitHubContext, 'envelope' | 'apiBaseUrl' | 'webBaseUrl'>;

/** What the instance keeps besides the {@link GitHubContext} its interfaces use. */
export interface GitHubContextImpl extends GitHubContext {
  readonly config: GitHubConfig;
  readonly transport: Transport;
  readonly auth: GitHubAuth;
  readonly secrets: SecretResolver | undefined;
  /** The last rate-limit state the transport saw. */
  rateLimit(): RateLimitSnapshot | undefined;
  /** List pages answered from the ETag cache after a 304 since the instance was made. */
  etagStats(): { hits: number; entries: number };
}

/**
 * A list page kept for conditional requests: its ETag, its Link header and the body as
 * GitHub sent it. The body is kept as text, not as parsed objects: one flat string per
 * page costs the garbage collector next to nothing, is immutable (nothing a caller does
 * with the items of one listing can change what a later 304 answers) and a hit parses
 * and maps it again with the options of that request.
 */
interface CachedPage {
  etag: string;
  body: string;
  link: string | undefined;
}

/** The text of a response body Octokit left unparsed (a web ReadableStream, or nothing). */
async function readBody(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body === null || body === undefined) return '';
  return new Response(body as ReadableStream<Uint8Array>).text();
}

/**
 * Builds what every interface of a GitHub instance stands on: the shared transport
 * (timeouts, retries, GitHub's 403 rate limits told apart from "forbidden", rate-limit
 * state), Octokit per owner with app or token auth, error mapping, Link-header
 * pagination with opaque cursors and conditional list requests with ETags.
 */
export function createGitHubContext(config: GitHubConfig, pluginContext: PluginContext = {}): GitHubContextImpl {
  // With a store from the host, replicas share budgets (per installation and resource), pages, lookups and token mints.
  const shared = pluginContext.state
    ? createGitHubSharedState(pluginContext.state, { apiBaseUrl: config.baseUrl, identity: credentialIdentity(config) })
    : undefined;
  const transport = createTransport({
    ...transportOptionsFromConfig(PROVIDER, config, pluginContext),
    ...(shared ? { rateLimitBudget: { store: shared.store, bucket: shared.budgetBucket } } : {}),
    classifyResponse: classifyGitHubResponse,
  });
  const redactor = pluginContext.redactor ?? createSecretRedactor({ patterns: GITHUB_SECRET_PATTERNS });
  const auth = createGitHubAuth(config, { fetch: transport.fetch, secrets: pluginContext.secrets, redactor, shared });
  const apiBaseUrl = config.baseUrl.replace(/\/+$/, '');
  const webBaseUrl = (config.webBaseUrl ?? deriveWebBaseUrl(apiBaseUrl)).replace(/\/+$/, '');
  const etags = new Lru<CachedPage>(config.etagCacheSize);
  let etagHits = 0;

  async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapGitHubError(error, { operation, authType: auth.type });
    }
  }

  /** Whether a URL is below the API base URL (same origin, same base path). */
  function isApiUrl(url: string): boolean {
    try {
      const target = new URL(url);
      const base = new URL(apiBaseUrl);
      return target.origin === base.origin && `${target.pathname}/`.startsWith(`${base.pathname.replace(/\/+$/, '')}/`);
    } catch {
      return false;
    }
  }

  /** The next page a cursor names: the `Link` URL GitHub gave (`u`), or a query on the route (`q`, older cursors). */
  function readCursor(cursor: string, route: string, operation: string): { url: string } | { query: Record<string, string> } {
    const state = decodeCursor<{ r?: unknown; q?: unknown; u?: unknown }>(cursor, { provider: PROVIDER, operation });
    if (state.r === route && typeof state.u === 'string' && isApiUrl(state.u)) return { url: state.u };
    if (state.r !== route || !isStringRecord(state.q)) {
      throw new InvalidInputError({ provider: PROVIDER, operation, message: 'cursor is not one this provider issued for this listing' });
    }
    return { query: state.q };
  }

  const context: GitHubContextImpl = {
    provider: 'github',
    apiBaseUrl,
    webBaseUrl,
    config,
    transport,
    auth,
    secrets: pluginContext.secrets,
    redactor,
    octokitFor: (owner: string) => auth.octokitFor(owner),
    call,
    rateLimit: () => transport.rateLimit(),
    etagStats: () => ({ hits: etagHits, entries: etags.size }),

    listPage<Raw, Item>(
      operation: string,
      owner: string,
      request: { route: string; params: Record<string, unknown>; options: ListOptions; maxPageSize?: number; itemsKey?: string },
      map: (raw: Raw) => Item | undefined,
    ): Promise<Page<Item>> {
      return call(operation, async () => {
        const { route, params, options } = request;
        const maxPageSize = Math.min(request.maxPageSize ?? GITHUB_MAX_PAGE_SIZE, GITHUB_MAX_PAGE_SIZE);
        const perPage = Math.max(1, Math.min(options.pageSize ?? maxPageSize, maxPageSize));
        const next = options.cursor ? readCursor(options.cursor, route, operation) : undefined;
        // GitHub's Link URL is followed as given (renamed repositories answer with /repositories/{id} links).
        const query: Record<string, unknown> = next
          ? 'url' in next
            ? {}
            : { ...params, ...next.query }
          : { per_page: perPage, ...params };
        const sendRoute = next && 'url' in next ? `GET ${next.url}` : route;
        const octokit: Octokit = await auth.octokitFor(owner);
        const requestUrl = next && 'url' in next ? next.url : octokit.request.endpoint(route, query).url;
        const key = `${owner.toLowerCase()} ${requestUrl}`;
        const cached = etags.capacity <= 0 ? undefined : shared ? await shared.getPage(key).catch(() => undefined) : etags.get(key);
        let body: string;
        let link: string | undefined;
        let etag: string | undefined;
        try {
          // Octokit leaves the body unparsed: it is read as text here so that the text can be kept for a 304.
          const response = await octokit.request(sendRoute, {
            ...query,
            headers: cached ? { 'if-none-match': cached.etag } : {},
            request: { signal: options.signal, parseSuccessResponseBody: false },
          });
          body = await readBody(response.data);
          link = response.headers.link;
          etag = response.headers.etag;
        } catch (error) {
          if (statusOf(error) !== 304 || !cached) throw error;
          etagHits += 1;
          body = cached.body;
          link = cached.link;
        }
        const data = parseJson(body);
        const rawItems = request.itemsKey ? (data as Record<string, unknown> | null)?.[request.itemsKey] : data;
        if (!Array.isArray(rawItems)) {
          throw new ProviderError({
            code: 'upstream_unavailable',
            provider: PROVIDER,
            operation,
            message: `GitHub answered ${route} with something that is not a list`,
          });
        }
        if (etag && etags.capacity > 0) {
          if (shared) await shared.setPage(key, { etag, body, link }).catch(() => undefined);
          else etags.set(key, { etag, body, link });
        }
        const items: Item[] = [];
        for (const raw of rawItems as Raw[]) {
          const item = map(raw);
          if (item !== undefined) items.push(item);
        }
        const nextLink = parseLinkHeader(link, { requestUrl, provider: PROVIDER }).next;
        if (!nextLink) return { items, nextCursor: null };
        return { items, nextCursor: encodeCursor({ r: route, u: nextLink }) };
      });
    },

    listAll<Raw>(
      operation: string,
      owner: string,
      request: { route: string; params: Record<string, unknown>; signal?: AbortSignal | undefined },
    ): Promise<Raw[]> {
      const { route, params, signal } = request;
      return collect<Raw>((options) => context.listPage<Raw, Raw>(operation, owner, { route, params, options }, (raw) => raw), { signal });
    },

    envelope(iface: InterfaceName, nativeKind: string, raw, extra = {}): ExternalEnvelope {
      const nativeId = raw.id !== undefined && raw.id !== null ? String(raw.id) : (raw.sha ?? '');
      const version: ExternalEnvelope['version'] = {};
      if (extra.etag) version.etag = extra.etag;
      if (raw.updated_at) version.updatedAt = raw.updated_at;
      const sha = extra.sha ?? raw.sha;
      if (sha) version.sha = sha;
      const envelope: ExternalEnvelope = {
        interface: iface,
        nativeKind,
        nativeId,
        version,
        extensions: { providerType: 'github', schemaVersion: SCHEMA_VERSION, fields: extra.fields ?? {} },
      };
      if (pluginContext.providerRef) envelope.providerRef = pluginContext.providerRef;
      if (pluginContext.bindingRef) envelope.bindingRef = pluginContext.bindingRef;
      if (typeof raw.number === 'number') envelope.nativeNumber = raw.number;
      if (raw.node_id) envelope.nodeId = raw.node_id;
      // Objects without a web page (artifacts, runners, events) are addressed by their API URL.
      const url = raw.html_url ?? raw.url;
      if (url) envelope.url = url;
      if (raw.url) envelope.apiUrl = raw.url;
      return envelope;
    },
  };
  return context;
}

/**
 * Names the credential of an instance in shared-state keys without holding it: the app id
 * (app auth) or a digest of the token setting (token auth; a `{ secretRef }` by its name).
 */
function credentialIdentity(config: GitHubConfig): string {
  if (config.auth.type === 'app') return `app-${stateKeyDigest(JSON.stringify(config.auth.appId))}`;
  return `token-${stateKeyDigest(JSON.stringify(config.auth.token))}`;
}
