import {
  ProviderError,
  createTransport,
  findProviderError,
  secretAccessor,
  transportOptionsFromConfig,
  type PluginContext,
  type Transport,
} from '@krate/core';
import type { __PASCAL__Config } from './__PROVIDER_TYPE__-config.js';
import { PROVIDER, errorFromResponse } from './__PROVIDER_TYPE__-errors.js';

/** What every interface of one instance is built on: the base URL, core's transport and one request function. */
export interface __PASCAL__Context {
  readonly baseUrl: string;
  readonly transport: Transport;
  /** Sends one JSON request; a non-2xx answer becomes a typed ProviderError. */
  request<T>(
    operation: string,
    method: string,
    path: string,
    options?: { query?: Record<string, string | number | undefined>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<T>;
}

/** Builds the per-instance context: the token accessor, the transport (timeouts, retries, rate limits) and requests. */
export function create__PASCAL__Context(config: __PASCAL__Config, context: PluginContext = {}): __PASCAL__Context {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const token = secretAccessor(config.token, { provider: PROVIDER, setting: 'token', resolver: context.secrets, redactor: context.redactor });
  const transport = createTransport(transportOptionsFromConfig(PROVIDER, config, context));

  return {
    baseUrl,
    transport,
    async request<T>(operation: string, method: string, path: string, options: Parameters<__PASCAL__Context['request']>[3] = {}) {
      const url = new URL(baseUrl + path);
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${await token()}`,
        ...options.headers,
      };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await transport.fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (error) {
        throw findProviderError(error) ?? error;
      }
      if (!response.ok) throw await errorFromResponse(response, operation);
      try {
        return (await response.json()) as T;
      } catch (error) {
        throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation, message: 'the API answered with a body that is not JSON', cause: error });
      }
    },
  };
}
