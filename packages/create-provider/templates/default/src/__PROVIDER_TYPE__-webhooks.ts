import {
  InvalidConfigError,
  WebhookMalformedError,
  WebhookSignatureInvalidError,
  getHeader,
  parseWebhookJson,
  rawBodyText,
  secretAccessor,
  verifyHmac,
  verifyTimestamp,
  webhookDedupeKey,
  type ExternalSyncEvent,
  type PluginContext,
  type WebhookReceiver,
} from '@krate/core';
import type { __PASCAL__Config } from './__PROVIDER_TYPE__-config.js';
import { PROVIDER } from './__PROVIDER_TYPE__-client.js';
import { map__PASCAL__Issue, type __PASCAL__Issue } from './__PROVIDER_TYPE__-issue-tracking.js';

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = '__PROVIDER_TYPE__-signature';
export const EVENT_HEADER = '__PROVIDER_TYPE__-event';
export const DELIVERY_HEADER = '__PROVIDER_TYPE__-delivery';

function parseSignatureHeader(value: string | undefined): { timestamp: string; signature: string } {
  const parts = Object.fromEntries((value ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  if (!parts.t || !parts.v1) {
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: `missing or malformed ${SIGNATURE_HEADER} header` });
  }
  return { timestamp: parts.t, signature: parts.v1 };
}

export function create__PASCAL__Webhooks(config: __PASCAL__Config, context: PluginContext = {}): WebhookReceiver {
  const secret = config.webhookSecret
    ? secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: context.secrets })
    : undefined;
  return {
    async receive(request, options = {}) {
      if (!secret) {
        // Fail closed: without a secret there is nothing to verify against.
        throw new InvalidConfigError({ provider: PROVIDER, message: 'webhookSecret is not configured; deliveries cannot be verified' });
      }
      const { timestamp, signature } = parseSignatureHeader(getHeader(request.headers, SIGNATURE_HEADER));
      const body = rawBodyText(request.rawBody);
      verifyHmac({ secret: await secret(), payload: `${timestamp}.${body}`, signature, provider: PROVIDER });
      verifyTimestamp(timestamp, { now: options.now, toleranceSeconds: config.webhookToleranceSeconds, provider: PROVIDER });

      const event = getHeader(request.headers, EVENT_HEADER);
      const deliveryId = getHeader(request.headers, DELIVERY_HEADER);
      if (!event || !deliveryId) {
        throw new WebhookMalformedError({ provider: PROVIDER, message: `missing ${EVENT_HEADER} or ${DELIVERY_HEADER} header` });
      }
      const payload = parseWebhookJson(request.rawBody, PROVIDER) as { project?: string; issue?: __PASCAL__Issue };
      const events: ExternalSyncEvent[] = [];
      if (event.startsWith('issue.')) {
        if (typeof payload.project !== 'string' || typeof payload.issue?.number !== 'number') {
          throw new WebhookMalformedError({ provider: PROVIDER, message: `${event} delivery has no project or issue` });
        }
        const issue = map__PASCAL__Issue(payload.project, payload.issue, config.baseUrl.replace(/\/+$/, ''));
        events.push({
          interface: 'issueTracking',
          kind: 'issue',
          ref: issue.ref,
          change: event === 'issue.deleted' ? 'deleted' : 'upserted',
          ...(event === 'issue.deleted' ? {} : { object: issue }),
          occurredAt: issue.updatedAt,
        });
      }
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
