import {
  InvalidConfigError,
  ProviderError,
  WebhookMalformedError,
  getHeader,
  parseWebhookJson,
  webhookDedupeKey,
  type WebhookDelivery,
  type WebhookReceiveOptions,
  type WebhookReceiver,
  type WebhookRequest,
} from '@krate/core';
import type { GitHubMappingContext } from './github-webhook-payload.js';
import { normalizeGitHubEvent } from './github-webhook-events.js';
import { verifyGitHubSignature } from './github-webhook-verify.js';

export interface GitHubWebhooksOptions {
  /**
   * Resolves the webhook secret: the value set in the GitHub App's or the
   * repository/organization webhook's settings. Required; an empty value refuses
   * every delivery with an `invalid_config` error (verification never skips).
   */
  secret: () => Promise<string>;
  /** Builds envelopes and URLs for the normalized objects (the instance's mapping context). */
  ctx: GitHubMappingContext;
}

const OPERATION = 'webhooks.receive';

/**
 * The verified body as text. Bytes are decoded with Buffer#toString (a view, no copy),
 * which is markedly faster than TextDecoder for the 5-50 KB bodies GitHub sends; both
 * replace invalid UTF-8 the same way.
 */
function bodyText(rawBody: string | Uint8Array): string {
  if (typeof rawBody === 'string') return rawBody;
  return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8');
}

/**
 * The webhook receiver of the GitHub provider.
 *
 * `receive({ headers, rawBody })` verifies `X-Hub-Signature-256` over the raw body
 * before parsing it, records `X-GitHub-Delivery` and `X-GitHub-Event`, builds a
 * dedupe key from provider, delivery id, event and installation id (a redelivery
 * keeps its delivery id, so it gets the same key) and normalizes the payload to
 * `ExternalSyncEvent`s. Events the provider does not normalize (`ping`, `star`, ...)
 * give a delivery with `events: []`.
 */
export function createGitHubWebhooks(options: GitHubWebhooksOptions): WebhookReceiver {
  const { ctx } = options;
  return {
    /** GitHub caps a delivery's payload at 25 MB; a larger body is refused before it is hashed. */
    maxBodyBytes: 25 * 1024 * 1024,
    async receive(request: WebhookRequest, _receiveOptions?: WebhookReceiveOptions): Promise<WebhookDelivery> {
      if (request === null || typeof request !== 'object') {
        throw new WebhookMalformedError({ provider: 'github', operation: OPERATION, message: 'webhook request must be { headers, rawBody }' });
      }
      const { headers, rawBody } = request;
      if (headers === null || typeof headers !== 'object') {
        throw new WebhookMalformedError({ provider: 'github', operation: OPERATION, message: 'webhook request has no headers' });
      }
      if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
        throw new WebhookMalformedError({
          provider: 'github',
          operation: OPERATION,
          message: 'webhook body must be the raw string or bytes as received (signatures cover those bytes)',
        });
      }

      let secret: string;
      try {
        secret = await options.secret();
      } catch (error) {
        if (ProviderError.isInstance(error)) throw error.withContext('github', OPERATION);
        throw new InvalidConfigError({
          provider: 'github',
          operation: OPERATION,
          message: 'the webhook secret could not be resolved',
          cause: error,
        });
      }
      verifyGitHubSignature(request, secret);

      const deliveryId = getHeader(headers, 'x-github-delivery')?.trim();
      const nativeEvent = getHeader(headers, 'x-github-event')?.trim();
      if (!deliveryId) {
        throw new WebhookMalformedError({ provider: 'github', operation: OPERATION, message: 'webhook delivery has no X-GitHub-Delivery header' });
      }
      if (!nativeEvent) {
        throw new WebhookMalformedError({ provider: 'github', operation: OPERATION, message: 'webhook delivery has no X-GitHub-Event header' });
      }

      const payload = parseWebhookJson(bodyText(rawBody), 'github') as Record<string, unknown>;
      const action = typeof payload.action === 'string' ? payload.action : undefined;
      const installation = payload.installation as { id?: unknown } | null | undefined;
      const installationId =
        installation && (typeof installation.id === 'number' || typeof installation.id === 'string') ? String(installation.id) : undefined;

      let events;
      try {
        events = normalizeGitHubEvent(ctx, nativeEvent, payload);
      } catch (error) {
        if (ProviderError.isInstance(error) && error.code === 'webhook_malformed') throw error.withContext('github', OPERATION);
        const reason = error instanceof Error ? error.message.replace(/^\[krate\](?: \[[^\]]+\])?(?: [A-Za-z.]+:)? /, '') : '';
        throw new WebhookMalformedError({
          provider: 'github',
          operation: OPERATION,
          message: `webhook payload of event "${nativeEvent}" does not have the shape GitHub documents${reason ? ` (${reason})` : ''}`,
          cause: error,
        });
      }

      const delivery: WebhookDelivery = {
        provider: 'github',
        deliveryId,
        nativeEvent,
        dedupeKey: webhookDedupeKey({ provider: 'github', deliveryId, event: nativeEvent, installationId }),
        events,
      };
      if (action !== undefined) delivery.action = action;
      if (installationId !== undefined) delivery.installationId = installationId;
      return delivery;
    },
  };
}
