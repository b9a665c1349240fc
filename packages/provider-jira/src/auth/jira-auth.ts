import { registerSecret, secretAccessor, type SecretResolver } from '@krate/core';
import type { JiraConfig } from '../jira-config.js';
import { PROVIDER } from '../jira-errors.js';

/** Produces the `Authorization` header of every request (secrets resolved once, registered for redaction). */
export interface JiraAuth {
  readonly type: 'basic' | 'oauth2';
  authorization(): Promise<string>;
}

/**
 * API token + email as HTTP basic auth, or an OAuth 2.0 (3LO) access token as a bearer
 * token. Values or `{ secretRef }`s; the header value itself is registered for
 * redaction too (a base64 of the token is as secret as the token).
 */
export function createJiraAuth(config: JiraConfig, secrets: SecretResolver | undefined): JiraAuth {
  const auth = config.auth;
  if (auth.type === 'basic') {
    const token = secretAccessor(auth.apiToken, { provider: PROVIDER, setting: 'auth.apiToken', resolver: secrets });
    let header: string | undefined;
    return {
      type: 'basic',
      async authorization() {
        if (header === undefined) {
          const value = `Basic ${Buffer.from(`${auth.email}:${await token()}`, 'utf8').toString('base64')}`;
          registerSecret(value.slice('Basic '.length));
          header = value;
        }
        return header;
      },
    };
  }
  const accessToken = secretAccessor(auth.accessToken, { provider: PROVIDER, setting: 'auth.accessToken', resolver: secrets });
  return {
    type: 'oauth2',
    async authorization() {
      return `Bearer ${await accessToken()}`;
    },
  };
}
