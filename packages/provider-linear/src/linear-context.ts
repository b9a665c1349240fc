import {
  createTransport,
  transportOptionsFromConfig,
  type ExternalEnvelope,
  type PluginContext,
  type RateLimitSnapshot,
  type Transport,
} from '@krate/core';
import { createLinearAuthorization, type LinearAuthorization } from './auth/linear-auth.js';
import type { LinearConfig } from './linear-config.js';
import { PROVIDER, classifyLinearResponse, linearCallError, readLinearRateLimit } from './linear-errors.js';
import { LinearDirectory } from './shared/linear-directory.js';
import { createLinearRawRequest, type LinearQueryCost, type LinearRawRequest } from './shared/linear-graphql.js';

/** The schema version named in every envelope's extensions. */
export const LINEAR_SCHEMA_VERSION = 'linear-graphql-2026';

/** What the interfaces of one Linear instance are built on. */
export interface LinearContext {
  readonly provider: 'linear';
  readonly config: LinearConfig;
  readonly transport: Transport;
  readonly auth: LinearAuthorization;
  /** Team, state, label, user and cycle UUIDs for writes, label names for reads. */
  readonly directory: LinearDirectory;
  /** The raw request (the SDK's `rawRequest` contract over core's transport). */
  readonly raw: LinearRawRequest;
  /**
   * Sends one GraphQL document and returns its `data`; every failure is a ProviderError naming the
   * operation (a call aborted through its signal: `timeout`, with the signal's reason as the cause).
   */
  request<T>(operation: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
  /** Builds the `external` envelope of a Linear object. */
  envelope(nativeKind: string, raw: { id: string; url?: string | null; updatedAt?: string | null; number?: number | null }, fields?: Record<string, unknown>): ExternalEnvelope;
  /** A page of the Linear web app for the workspace (`/team/ENG/cycle/3` -> `https://linear.app/acme/team/ENG/cycle/3`). */
  webUrl(path: string): string;
  /** Learns the workspace's URL key from an answer (`organization { urlKey }`) or a Linear web URL. */
  learnUrlKey(source: { urlKey?: string | null; url?: string | null }): void;
  /** The last rate-limit state the transport saw (the tighter of Linear's two budgets). */
  rateLimit(): RateLimitSnapshot | undefined;
  /** The cost (`x-complexity`) of the requests answered since the instance was made, oldest first (the last 1 000). */
  costs(): readonly LinearQueryCost[];
}

/**
 * Linear answers every request on one POST endpoint, and every request this provider
 * sends is safe to repeat: reads are reads, creates carry a client-supplied id (a repeat
 * meets Linear's conflict and the provider returns the object the first attempt made),
 * updates set absolute values, and deletes of labels end in the same state. So the
 * transport may retry any of them after a dropped connection, a 5xx or a rate limit.
 */
const everyRequestIsRepeatable = (): boolean => true;

export function createLinearContext(config: LinearConfig, pluginContext: PluginContext = {}): LinearContext {
  const transport = createTransport({
    ...transportOptionsFromConfig(PROVIDER, config, pluginContext),
    classifyResponse: classifyLinearResponse,
    readRateLimit: readLinearRateLimit,
    isRetryable: everyRequestIsRepeatable,
  });
  const auth = createLinearAuthorization(config.auth, pluginContext.secrets, pluginContext.redactor);
  const costs: LinearQueryCost[] = [];
  const raw = createLinearRawRequest({
    apiUrl: config.apiUrl,
    transport,
    authorization: () => auth.header(),
    onCost: (cost) => {
      costs.push(cost);
      if (costs.length > 1000) costs.shift();
    },
  });
  const directory = new LinearDirectory(raw, { ttlMs: config.directoryTtlMs });
  const webBase = config.webBaseUrl;
  let urlKey: string | undefined;

  return {
    provider: 'linear',
    config,
    transport,
    auth,
    directory,
    raw,
    async request<T>(operation: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
      try {
        return (await raw<T>(query, variables, signal)).data;
      } catch (error) {
        throw linearCallError(error, operation, signal);
      }
    },
    envelope(nativeKind, rawObject, fields = {}) {
      const envelope: ExternalEnvelope = {
        interface: 'issueTracking',
        nativeKind,
        nativeId: rawObject.id,
        version: rawObject.updatedAt ? { updatedAt: rawObject.updatedAt } : {},
        extensions: { providerType: 'linear', schemaVersion: LINEAR_SCHEMA_VERSION, fields },
      };
      if (pluginContext.providerRef) envelope.providerRef = pluginContext.providerRef;
      if (pluginContext.bindingRef) envelope.bindingRef = pluginContext.bindingRef;
      if (typeof rawObject.number === 'number') envelope.nativeNumber = rawObject.number;
      envelope.nodeId = rawObject.id;
      if (rawObject.url) envelope.url = rawObject.url;
      envelope.apiUrl = config.apiUrl;
      return envelope;
    },
    webUrl: (path) => `${webBase}${urlKey ? `/${urlKey}` : ''}${path}`,
    learnUrlKey(source) {
      if (urlKey) return;
      if (source.urlKey) {
        urlKey = source.urlKey;
        return;
      }
      if (source.url && source.url.startsWith(`${webBase}/`)) {
        const key = source.url.slice(webBase.length + 1).split('/')[0];
        if (key) urlKey = key;
      }
    },
    rateLimit: () => transport.rateLimit(),
    costs: () => costs,
  };
}

/** What the mappers need from the context (no network). */
export type LinearMappingContext = Pick<LinearContext, 'envelope' | 'webUrl'>;
