import { WebhookSignatureInvalidError, getHeader, requireWebhookSecret, verifyHmac, type WebhookRequest } from '@krate/core';

/** The header GitHub signs deliveries with: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';
/** The legacy SHA-1 header GitHub still sends beside the SHA-256 one. Never accepted on its own. */
export const GITHUB_SHA1_SIGNATURE_HEADER = 'x-hub-signature';

/**
 * Verifies the `X-Hub-Signature-256` header of a delivery over the raw body, in
 * constant time, before a byte of the body is parsed.
 *
 * - An empty or missing secret is an `invalid_config` error (fail closed).
 * - A missing, garbled or wrong signature is `webhook_signature_invalid`.
 * - A delivery that carries only the legacy SHA-1 `X-Hub-Signature` is refused:
 *   SHA-1 is not accepted as proof.
 */
export function verifyGitHubSignature(request: WebhookRequest, secret: string | undefined): void {
  const checkedSecret = requireWebhookSecret(secret, 'github');
  const signature = getHeader(request.headers, GITHUB_SIGNATURE_HEADER);
  if (signature === undefined || signature.trim() === '') {
    const sha1 = getHeader(request.headers, GITHUB_SHA1_SIGNATURE_HEADER);
    throw new WebhookSignatureInvalidError({
      provider: 'github',
      operation: 'webhooks.receive',
      message:
        sha1 !== undefined && sha1.trim() !== ''
          ? 'webhook delivery carries only a SHA-1 X-Hub-Signature; X-Hub-Signature-256 is required'
          : 'webhook delivery has no X-Hub-Signature-256 header',
    });
  }
  verifyHmac({
    secret: checkedSecret,
    payload: request.rawBody,
    signature,
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'sha256=',
    provider: 'github',
  });
}
