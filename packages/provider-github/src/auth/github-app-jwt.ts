import { createPrivateKey } from 'node:crypto';
import { InvalidConfigError, type SecretRedactor } from '@krate/core';
import { createAppAuth } from '@octokit/auth-app';
import { PROVIDER } from '../github-errors.js';
import { singleFlight, type GitHubTokenSource } from './github-token-source.js';

/** A JWT is reused until this long before it expires (GitHub allows at most 10 minutes). */
const JWT_REUSE_MARGIN_MS = 60_000;

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Checks that a private key is a PEM RSA key without ever putting the key in an
 * error. Keys set through environment variables often carry `\n` escapes: those are
 * turned into line breaks.
 */
export function normalizePrivateKey(value: string): string {
  const pem = value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new InvalidConfigError({
      provider: PROVIDER,
      message: 'auth.privateKey is not a valid PEM private key',
      hint: 'use the .pem file downloaded from the GitHub App settings ("-----BEGIN RSA PRIVATE KEY-----" ...), with its line breaks',
    });
  }
  if (type !== 'rsa') {
    throw new InvalidConfigError({
      provider: PROVIDER,
      message: `auth.privateKey is a ${type ?? 'non-RSA'} key; GitHub App JWTs are signed with RS256 and need the app's RSA key`,
    });
  }
  return pem;
}

/**
 * The GitHub App's JWT (RS256, `iss` = App ID, `iat` 30 s in the past, `exp` 10 minutes
 * later), signed by `@octokit/auth-app`. Reused until a minute before it expires;
 * `refresh` re-signs once when GitHub refused it.
 */
export function createAppJwtSource(options: {
  appId: () => Promise<string>;
  privateKey: () => Promise<string>;
  /** The instance's redactor: the key and every JWT are added to it. */
  redactor: SecretRedactor;
  now?: () => number;
}): GitHubTokenSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let signer: ReturnType<typeof createAppAuth> | undefined;

  const mint = singleFlight(async () => {
    if (!signer) {
      const [appId, rawKey] = await Promise.all([options.appId(), options.privateKey()]);
      if (!/^\d+$/.test(appId)) {
        throw new InvalidConfigError({ provider: PROVIDER, message: 'auth.appId must be the numeric App ID of the GitHub App' });
      }
      const privateKey = normalizePrivateKey(rawKey);
      options.redactor.add(privateKey);
      signer = createAppAuth({ appId, privateKey, log: silentLog });
    }
    let token: string;
    let expiresAt: number;
    try {
      const result = await signer({ type: 'app' });
      token = result.token;
      expiresAt = Date.parse(result.expiresAt);
    } catch (error) {
      throw new InvalidConfigError({
        provider: PROVIDER,
        message: 'could not sign the GitHub App JWT with auth.privateKey',
        hint: 'check that the private key belongs to the app and is complete',
        cause: error,
      });
    }
    options.redactor.add(token);
    cached = { token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : now() + 9 * 60_000 };
    return token;
  });

  return {
    scheme: 'bearer',
    async get() {
      if (cached && cached.expiresAt - JWT_REUSE_MARGIN_MS > now()) return cached.token;
      return mint();
    },
    async refresh(stale) {
      if (cached && cached.token !== stale && cached.expiresAt - JWT_REUSE_MARGIN_MS > now()) return cached.token;
      cached = undefined;
      return mint();
    },
  };
}
