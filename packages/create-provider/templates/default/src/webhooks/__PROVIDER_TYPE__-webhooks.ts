import {
  InvalidConfigError,
  WebhookMalformedError,
  getHeader,
  parseWebhookJson,
  rawBodyText,
  secretAccessor,
  webhookDedupeKey,
  type PluginContext,
  type WebhookReceiver,
} from '@krate/core';
import type { __PASCAL__Config } from '../__PROVIDER_TYPE__-config.js';
import { PROVIDER } from '../__PROVIDER_TYPE__-errors.js';
import { normalize__PASCAL__Event } from './__PROVIDER_TYPE__-webhook-events.js';
import { DELIVERY_HEADER, EVENT_HEADER, verify__PASCAL__Delivery } from './__PROVIDER_TYPE__-webhook-verify.js';

/** The webhook receiver: verify the signature and its age, parse, normalize. Fails closed without a secret. */
export function create__PASCAL__Webhooks(config: __PASCAL__Config, context: PluginContext = {}): WebhookReceiver {
  const secret = config.webhookSecret
    ? secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: context.secrets, redactor: context.redactor })
    : undefined;
  const apiBaseUrl = config.baseUrl.replace(/\/+$/, '');
  return {
    async receive(request, options = {}) {
      if (!secret) {
        // Fail closed: without a secret there is nothing to verify against.
        throw new InvalidConfigError({ provider: PROVIDER, message: 'webhookSecret is not configured; deliveries cannot be verified' });
      }
      const body = rawBodyText(request.rawBody);
      verify__PASCAL__Delivery(request, body, { secret: await secret(), toleranceSeconds: config.webhookToleranceSeconds, now: options.now });

      const event = getHeader(request.headers, EVENT_HEADER);
      const deliveryId = getHeader(request.headers, DELIVERY_HEADER);
      if (!event || !deliveryId) {
        throw new WebhookMalformedError({ provider: PROVIDER, message: `missing ${EVENT_HEADER} or ${DELIVERY_HEADER} header` });
      }
      const events = normalize__PASCAL__Event(event, parseWebhookJson(request.rawBody, PROVIDER), apiBaseUrl);
      return {
        provider: PROVIDER,
        deliveryId,
        nativeEvent: event,
        dedupeKey: webhookDedupeKey({ provider: PROVIDER, deliveryId, event }),
        events,
      };
    },
  };
}
