import { secretAccessor, type SecretRedactor, type SecretResolver } from '@krate/core';
import type { LinearConfig } from '../linear-config.js';
import { PROVIDER } from '../linear-errors.js';

/** The auth modes of the manifest: a personal API key, or an OAuth application's access token. */
export type LinearAuthMode = 'api-key' | 'oauth';

export interface LinearAuthorization {
  readonly mode: LinearAuthMode;
  /**
   * The `Authorization` header value: the API key as it is (Linear does not want a
   * scheme for keys), or `Bearer <token>` for an OAuth access token. Secret references are
   * resolved once; every resolved value is added to the instance's redactor.
   */
  header(): Promise<string>;
}

export function createLinearAuthorization(
  auth: LinearConfig['auth'],
  resolver: SecretResolver | undefined,
  redactor: SecretRedactor | undefined,
): LinearAuthorization {
  if (auth.type === 'apiKey') {
    const key = secretAccessor(auth.apiKey, { provider: PROVIDER, setting: 'auth.apiKey', resolver, redactor });
    return { mode: 'api-key', header: () => key() };
  }
  const token = secretAccessor(auth.accessToken, { provider: PROVIDER, setting: 'auth.accessToken', resolver, redactor });
  return { mode: 'oauth', header: async () => `Bearer ${await token()}` };
}
