import { createHash, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

/** The fake GitHub App's identity: one RSA key pair per process (generating one costs ~50 ms). */
export interface GitHubFakeAppKeys {
  /** PKCS#1 PEM, as GitHub lets you download it (`-----BEGIN RSA PRIVATE KEY-----`). */
  privateKeyPem: string;
  publicKey: KeyObject;
}

let keys: GitHubFakeAppKeys | undefined;

/** The process-wide RSA key pair of the fake app. */
export function fakeAppKeys(): GitHubFakeAppKeys {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKey: pair.publicKey,
    };
  }
  return keys;
}

/** Why a JWT was refused, in GitHub's words. */
export type JwtVerdict = { ok: true; appId: string } | { ok: false; message: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a GitHub App JWT the way GitHub does: RS256 signature by the app's key,
 * `iss` naming the app, `exp` in the future and at most 10 minutes after `iat`, `iat`
 * not in the future (60 s of clock drift allowed). `nowSeconds` is real time.
 */
export function verifyAppJwt(token: string, options: { appId: number; publicKey: KeyObject; nowSeconds: number }): JwtVerdict {
  const parts = token.split('.');
  const undecodable: JwtVerdict = { ok: false, message: 'A JSON web token could not be decoded' };
  if (parts.length !== 3) return undecodable;
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || header.alg !== 'RS256') return undecodable;
  let valid = false;
  try {
    valid = verify('sha256', Buffer.from(`${h}.${p}`), options.publicKey, Buffer.from(s, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return undecodable;
  const { iss, iat, exp } = payload;
  if (String(iss) !== String(options.appId)) return { ok: false, message: 'Integration not found' };
  if (typeof exp !== 'number' || exp <= options.nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." };
  }
  if (typeof iat !== 'number' || iat > options.nowSeconds + 60) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  }
  if (exp - iat > 600) return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future." };
  return { ok: true, appId: String(iss) };
}

/** A fresh installation access token in GitHub's format (`ghs_` + 36 characters). */
export function newInstallationToken(): string {
  return `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
}
