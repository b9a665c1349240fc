import { redactSecrets } from '../errors.js';

/** Query parameter names that carry credentials (matched case-insensitively, anywhere in the name). */
const SENSITIVE_PARAM = /token|secret|passw|signature|credential|api[-_]?key|private[-_]?key|session|^key$|^sig$|^code$|^auth$|^authorization$/i;

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * A URL fit for logs and errors: credential-like query parameters (`access_token`,
 * `private_token`, `X-Amz-Signature`, `sig`, ...) and `user:password@` become
 * `[REDACTED]`; everything else is kept as it was written.
 */
export function redactUrl(url: string): string {
  const text = String(url);
  const withoutUserinfo = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[REDACTED]@');
  const hashAt = withoutUserinfo.indexOf('#');
  const beforeHash = hashAt === -1 ? withoutUserinfo : withoutUserinfo.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : withoutUserinfo.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return redactSecrets(withoutUserinfo);
  const query = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      return SENSITIVE_PARAM.test(decodeName(name)) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return redactSecrets(`${beforeHash.slice(0, queryAt)}?${query}${hash}`);
}
