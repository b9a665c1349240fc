import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookRequest } from '@krate/core';
import { truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';

/** How the fake's webhook signs its deliveries. */
export type GitLabWebhookScheme = 'signing-token' | 'secret-token' | 'both';

export interface GitLabDeliveryOptions extends WebhookOptions {
  scheme: GitLabWebhookScheme;
  /** The legacy secret token (`X-Gitlab-Token`). */
  secretToken: string;
  /** The signing token, `whsec_<base64>`. */
  signingToken: string;
  /** Another signing token, for `wrong` signatures and rotations. */
  otherSigningToken: string;
  webUrl: string;
}

function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * A delivery as GitLab sends it: `X-Gitlab-Event`, `X-Gitlab-Event-UUID`,
 * `X-Gitlab-Webhook-UUID`, `X-Gitlab-Instance`, `Idempotency-Key` (= `webhook-id`, the same
 * on retries), `webhook-timestamp` on every delivery, plus `webhook-signature`
 * (`v1,<base64>` over `id.timestamp.body`, GitLab 19 signing tokens) and/or
 * `X-Gitlab-Token` (the legacy secret token), per `scheme`.
 */
export function gitlabDelivery(event: string, payload: Record<string, unknown>, options: GitLabDeliveryOptions): WebhookRequest {
  const body = JSON.stringify(payload);
  const signed = options.malformed ? truncateJson(body) : body;
  const id = options.deliveryId ?? randomUUID();
  const nowMs = options.now ? options.now.getTime() : Date.now();
  const mode = options.signature ?? 'valid';
  const timestamp = Math.floor((mode === 'stale' ? nowMs - 10 * 60 * 1000 : nowMs) / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitLab/19.0.0-ee',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': randomUUID(),
    'x-gitlab-webhook-uuid': '2f4d1d2e-7c7a-4c87-a0b1-5b9f2f8e2c11',
    'x-gitlab-instance': options.webUrl,
    'idempotency-key': id,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
  };
  let rawBody = signed;
  if (options.scheme !== 'secret-token' && mode !== 'missing') {
    headers['webhook-signature'] = sign(mode === 'wrong' ? options.otherSigningToken : options.signingToken, id, timestamp, signed);
  }
  if (options.scheme !== 'signing-token' && mode !== 'missing') {
    headers['x-gitlab-token'] = mode === 'wrong' ? `${options.secretToken}-wrong` : options.secretToken;
  }
  if (mode === 'tampered') rawBody = signed.replace(/^\{/, '{"tampered":true,');
  return { headers, rawBody };
}
