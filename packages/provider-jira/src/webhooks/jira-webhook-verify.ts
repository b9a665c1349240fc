import { getHeader, verifyHmac, type WebhookRequest } from '@krate/core';
import { PROVIDER } from '../jira-errors.js';

/**
 * Verifies a Jira admin webhook: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`
 * (the WebSub form; not `-256`). Fails closed: no secret, no signature or a wrong one
 * throws. Jira signs no timestamp, so replays are caught by the delivery id instead.
 */
export function verifyJiraSignature(request: WebhookRequest, secret: string | undefined): void {
  verifyHmac({
    secret,
    payload: request.rawBody,
    signature: getHeader(request.headers, 'x-hub-signature'),
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'sha256=',
    provider: PROVIDER,
  });
}
