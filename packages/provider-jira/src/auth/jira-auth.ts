import { secretAccessor, type SecretRedactor, type SecretResolver } from '@krate/core';
import type { JiraConfig } from '../jira-config.js';
import { PROVIDER } from '../jira-errors.js';

/** Produces the `Authorization` header of every request (secrets resolved once, registered for redaction). */
export interface JiraAuth {
  readonly type: 'basic' | 'oauth2';
  authorization(): Promise<string>;
}

/**
 * API token + email as HTTP basic auth, or an OAuth 2.0 (3LO) access token as a bearer
 * token. Values or `{ secretRef }`s, added to the instance's redactor; the header value
 * itself is added too (a base64 of the token is as secret as the token).
 */
export function createJiraAuth(config: JiraConfig, secrets: SecretResolver | undefined, redactor: SecretRedactor | undefined): JiraAuth {
  const auth = config.auth;
  if (auth.type === 'basic') {
    const token = secretAccessor(auth.apiToken, { provider: PROVIDER, setting: 'auth.apiToken', resolver: secrets, redactor });
    let header: string | undefined;
    return {
      type: 'basic',
      async authorization() {
        if (header === undefined) {
          const value = `Basic ${Buffer.from(`${auth.email}:${await token()}`, 'utf8').toString('base64')}`;
          redactor?.add(value.slice('Basic '.length));
          header = value;
        }
        return header;
      },
    };
  }
  const accessToken = secretAccessor(auth.accessToken, { provider: PROVIDER, setting: 'auth.accessToken', resolver: secrets, redactor });
  return {
    type: 'oauth2',
    async authorization() {
      return `Bearer ${await accessToken()}`;
    },
  };
}
