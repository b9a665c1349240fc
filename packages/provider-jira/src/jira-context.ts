import {
  InvalidInputError,
  ProviderError,
  createTransport,
  transportOptionsFromConfig,
  type ExternalEnvelope,
  type PluginContext,
  type RateLimitSnapshot,
  type Transport,
} from '@krate/core';
import { Version3Client } from 'jira.js';
import { createJiraAuth, type JiraAuth } from './auth/jira-auth.js';
import { jiraApiBaseUrl, type JiraConfig } from './jira-config.js';
import { JiraHttpFailure, PROVIDER, classifyJiraResponse, mapJiraError, type JiraErrorContext } from './jira-errors.js';

/** Jira's page size for issue search with fields, and the largest page the provider asks for anywhere. */
export const JIRA_MAX_PAGE_SIZE = 100;
/** The `extensions.schemaVersion` of every object: Jira Cloud REST v3. */
export const JIRA_SCHEMA_VERSION = 'jira-cloud-rest-3';

export type Query = Record<string, string | number | boolean | undefined>;

/** One request to Jira's REST API. */
export interface JiraRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base: `/rest/api/3/issue/KEY-1`. */
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** What every interface of a Jira instance stands on. Made once per instance. */
export interface JiraContext {
  readonly provider: 'jira';
  readonly config: JiraConfig;
  /** REST API base: the site, or `https://api.atlassian.com/ex/jira/{cloudId}`. */
  readonly apiBaseUrl: string;
  /** The site, for browse links (`<site>/browse/KEY`). Never the gateway. */
  readonly webBaseUrl: string;
  readonly transport: Transport;
  readonly auth: JiraAuth;
  /** The jira.js client every request goes through (axios' fetch adapter on the transport's fetch). */
  readonly client: Version3Client;
  /** Sends one request; a non-2xx answer throws {@link JiraHttpFailure}, an unreadable body `upstream_unavailable`. */
  request<T>(request: JiraRequest): Promise<{ data: T; status: number; headers: Headers }>;
  /** Runs one operation and maps whatever it throws to a ProviderError naming provider and operation. */
  call<T>(context: JiraErrorContext & { operation: string }, fn: () => Promise<T>): Promise<T>;
  /** The Sprint custom field's id (config, else `GET /rest/api/3/field`, once); undefined unless milestones are sprints. */
  sprintField(signal?: AbortSignal): Promise<string | undefined>;
  /** The searching user's time zone (config, else `GET /rest/api/3/myself`, once). */
  timeZone(signal?: AbortSignal): Promise<string>;
  /** Builds the `external` envelope of a Jira object. */
  envelope(nativeKind: string, raw: { id: string; url?: string; apiUrl?: string; updatedAt?: string; etag?: string; number?: number }, fields?: Record<string, unknown>): ExternalEnvelope;
  rateLimit(): RateLimitSnapshot | undefined;
}

function toHeaders(raw: unknown): Headers {
  const headers = new Headers();
  if (raw && typeof raw === 'object') {
    const source = typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON(): Record<string, unknown> }).toJSON() : (raw as Record<string, unknown>);
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined || value === null) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
  }
  return headers;
}

/**
 * Builds the context: core's transport (timeouts, retries with `Retry-After`, rate-limit
 * state), a jira.js `Version3Client` whose axios uses the fetch adapter with the
 * transport's fetch, the auth header, and Jira's error mapping.
 */
export function createJiraContext(config: JiraConfig, pluginContext: PluginContext = {}): JiraContext {
  const transport = createTransport({ ...transportOptionsFromConfig(PROVIDER, config, pluginContext), classifyResponse: classifyJiraResponse });
  const auth = createJiraAuth(config, pluginContext.secrets, pluginContext.redactor);
  const apiBaseUrl = jiraApiBaseUrl(config);
  const webBaseUrl = config.siteUrl;
  const client = new Version3Client({
    host: apiBaseUrl,
    baseRequestConfig: {
      adapter: 'fetch',
      env: { fetch: transport.fetch },
      // Bodies are read as text and parsed here: a truncated body is an error, never a string passed on as data.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      headers: { Accept: 'application/json', 'User-Agent': config.userAgent },
    },
  });
  let zone: Promise<string> | undefined;
  let sprint: Promise<string | undefined> | undefined;

  async function request<T>(req: JiraRequest): Promise<{ data: T; status: number; headers: Headers }> {
    const authorization = await auth.authorization();
    const query: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = v;
    const response = await client.sendRequestFullResponse<unknown>({
      url: req.path,
      method: req.method ?? 'GET',
      params: query,
      data: req.body,
      signal: req.signal,
      headers: { Authorization: authorization, ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    });
    const headers = toHeaders(response.headers);
    const text = typeof response.data === 'string' ? response.data : response.data === undefined || response.data === null ? '' : JSON.stringify(response.data);
    let data: unknown;
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        if (response.status >= 200 && response.status < 300) {
          throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, status: response.status, message: `Jira answered ${req.method ?? 'GET'} ${req.path} with a body that is not JSON` });
        }
        data = text;
      }
    }
    if (response.status < 200 || response.status >= 300) throw new JiraHttpFailure({ status: response.status, headers, data });
    return { data: data as T, status: response.status, headers };
  }

  return {
    provider: 'jira',
    config,
    apiBaseUrl,
    webBaseUrl,
    transport,
    auth,
    client,
    request,
    async call(context, fn) {
      try {
        return await fn();
      } catch (error) {
        throw mapJiraError(error, context);
      }
    },
    sprintField(signal) {
      if (config.milestones !== 'sprints') return Promise.resolve(undefined);
      if (config.sprintFieldId) return Promise.resolve(config.sprintFieldId);
      sprint ??= request<Array<{ id?: string; schema?: { custom?: string } }>>({ path: '/rest/api/3/field', signal })
        .then(({ data }) => {
          const field = Array.isArray(data) ? data.find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-sprint') : undefined;
          if (!field?.id) {
            throw new InvalidInputError({ provider: PROVIDER, message: 'this site has no Sprint field (Jira Software): set milestones to fixVersions' });
          }
          return field.id;
        })
        .catch((error: unknown) => {
          sprint = undefined;
          throw error;
        });
      return sprint;
    },
    timeZone(signal) {
      if (config.timeZone) return Promise.resolve(config.timeZone);
      zone ??= request<{ timeZone?: string }>({ path: '/rest/api/3/myself', signal })
        .then(({ data }) => {
          const tz = data?.timeZone;
          if (typeof tz !== 'string' || tz === '') {
            throw new InvalidInputError({ provider: PROVIDER, message: 'Jira did not tell the searching user\'s time zone: set timeZone in the config' });
          }
          return tz;
        })
        .catch((error: unknown) => {
          zone = undefined;
          throw error;
        });
      return zone;
    },
    envelope(nativeKind, raw, fields = {}) {
      const version: ExternalEnvelope['version'] = {};
      if (raw.updatedAt) version.updatedAt = raw.updatedAt;
      if (raw.etag) version.etag = raw.etag;
      const envelope: ExternalEnvelope = {
        interface: 'issueTracking',
        nativeKind,
        nativeId: raw.id,
        version,
        extensions: { providerType: PROVIDER, schemaVersion: JIRA_SCHEMA_VERSION, fields },
      };
      if (raw.number !== undefined) envelope.nativeNumber = raw.number;
      if (raw.url) envelope.url = raw.url;
      if (raw.apiUrl) envelope.apiUrl = raw.apiUrl;
      if (pluginContext.providerRef) envelope.providerRef = pluginContext.providerRef;
      if (pluginContext.bindingRef) envelope.bindingRef = pluginContext.bindingRef;
      return envelope;
    },
    rateLimit: () => transport.rateLimit(),
  };
}
