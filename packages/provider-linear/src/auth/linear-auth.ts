import { secretAccessor, type SecretResolver } from '@krate/core';
import type { LinearConfig } from '../linear-config.js';
import { PROVIDER } from '../linear-errors.js';

/** The auth modes of the manifest: a personal API key, or an OAuth application's access token. */
export type LinearAuthMode = 'api-key' | 'oauth';

export interface LinearAuthorization {
  readonly mode: LinearAuthMode;
  /**
   * The `Authorization` header value: the API key as it is (Linear does not want a
   * scheme for keys), or `Bearer <token>` for an OAuth access token. Secret references are
   * resolved once; every resolved value is registered for redaction.
   */
  header(): Promise<string>;
}

export function createLinearAuthorization(auth: LinearConfig['auth'], resolver: SecretResolver | undefined): LinearAuthorization {
  if (auth.type === 'apiKey') {
    const key = secretAccessor(auth.apiKey, { provider: PROVIDER, setting: 'auth.apiKey', resolver });
    return { mode: 'api-key', header: () => key() };
  }
  const token = secretAccessor(auth.accessToken, { provider: PROVIDER, setting: 'auth.accessToken', resolver });
  return { mode: 'oauth', header: async () => `Bearer ${await token()}` };
}
