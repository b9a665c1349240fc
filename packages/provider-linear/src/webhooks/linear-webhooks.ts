import {
  WebhookMalformedError,
  getHeader,
  parseWebhookJson,
  webhookDedupeKey,
  type WebhookDelivery,
  type WebhookReceiveOptions,
  type WebhookReceiver,
  type WebhookRequest,
} from '@krate/core';
import type { LinearContext } from '../linear-context.js';
import { PROVIDER, mapLinearError } from '../linear-errors.js';
import { linearWebhookEvents, type LinearWebhookBody } from './linear-webhook-events.js';
import { LINEAR_DELIVERY_HEADER, LINEAR_EVENT_HEADER, verifyLinearSignature, verifyLinearTimestamp } from './linear-webhook-verify.js';

export interface LinearWebhooksOptions {
  /** The webhook signing secret (resolved lazily; missing is invalid_config on receive). */
  secret: () => Promise<string>;
  ctx: LinearContext;
}

/**
 * Receives Linear deliveries: the signature is verified over the raw body first, then
 * the body is parsed, then its signed `webhookTimestamp` is checked (±60 s by default),
 * then the change is normalized. `deliveryId` is the `Linear-Delivery` header (the
 * dedupe key, the same for a redelivery).
 */
export function createLinearWebhooks(options: LinearWebhooksOptions): WebhookReceiver {
  const { ctx } = options;
  return {
    async receive(request: WebhookRequest, receiveOptions: WebhookReceiveOptions = {}): Promise<WebhookDelivery> {
      if (!request || typeof request !== 'object' || request.headers === undefined || request.headers === null) {
        throw new WebhookMalformedError({ provider: PROVIDER, message: 'a webhook request needs headers and rawBody' });
      }
      const secret = await options.secret();
      verifyLinearSignature(secret, request);
      const body = parseWebhookJson(request.rawBody, PROVIDER) as LinearWebhookBody;
      verifyLinearTimestamp(body.webhookTimestamp, ctx.config.webhookToleranceMs, receiveOptions.now);
      const nativeEvent = typeof body.type === 'string' && body.type !== '' ? body.type : (getHeader(request.headers, LINEAR_EVENT_HEADER) ?? 'unknown');
      const deliveryId =
        getHeader(request.headers, LINEAR_DELIVERY_HEADER) ?? `${String(body.webhookId ?? 'webhook')}:${String(body.webhookTimestamp)}`;
      let events;
      try {
        events = await linearWebhookEvents(ctx, body);
      } catch (error) {
        throw mapLinearError(error, { operation: 'webhooks.receive' });
      }
      const delivery: WebhookDelivery = {
        provider: PROVIDER,
        deliveryId,
        nativeEvent,
        dedupeKey: webhookDedupeKey({ provider: PROVIDER, deliveryId, event: nativeEvent }),
        events,
      };
      if (typeof body.action === 'string') delivery.action = body.action;
      if (typeof body.organizationId === 'string') delivery.installationId = body.organizationId;
      return delivery;
    },
  };
}
