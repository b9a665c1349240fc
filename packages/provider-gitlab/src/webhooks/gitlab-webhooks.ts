import {
  getHeader, parseWebhookJson, webhookDedupeKey, type PluginContext, type WebhookDelivery, type WebhookReceiveOptions,
  type WebhookReceiver, type WebhookRequest,
} from '@krate/core';
import { createHash } from 'node:crypto';
import type { GitLabConfig } from '../gitlab-config.js';
import { PROVIDER } from '../gitlab-errors.js';
import type { GitLabMapContext } from '../shared/gitlab-envelope.js';
import { gitlabWebhookEvents } from './gitlab-webhook-events.js';
import { verifyGitLabDelivery } from './gitlab-webhook-verify.js';

/**
 * GitLab webhook deliveries: verified (signing token or secret token), parsed, and
 * normalized into ExternalSyncEvents through the same mappers as REST reads. The
 * delivery id is `Idempotency-Key` (the same on GitLab's retries and manual resends),
 * else `webhook-id`, else `X-Gitlab-Event-UUID`; the dedupe key is derived from it.
 */
export function createGitLabWebhooks(options: { config: GitLabConfig; map: GitLabMapContext; context: PluginContext }): WebhookReceiver {
  const { config, map, context } = options;
  return {
    async receive(request: WebhookRequest, receiveOptions: WebhookReceiveOptions = {}): Promise<WebhookDelivery> {
      await verifyGitLabDelivery(request, config, { resolver: context.secrets, redactor: context.redactor, now: receiveOptions.now });
      const payload = parseWebhookJson(request.rawBody, PROVIDER) as Record<string, unknown>;
      const nativeEvent = getHeader(request.headers, 'x-gitlab-event') ?? String(payload.object_kind ?? 'unknown');
      const deliveryId =
        getHeader(request.headers, 'idempotency-key') ?? getHeader(request.headers, 'webhook-id') ?? getHeader(request.headers, 'x-gitlab-event-uuid') ??
        `sha256:${createHash('sha256').update(request.rawBody).digest('hex')}`;
      const attributes = payload.object_attributes as Record<string, unknown> | undefined;
      const action = typeof attributes?.action === 'string' ? attributes.action : typeof payload.action === 'string' ? payload.action : typeof payload.event_name === 'string' ? payload.event_name : undefined;
      const delivery: WebhookDelivery = {
        provider: PROVIDER,
        deliveryId,
        nativeEvent,
        dedupeKey: webhookDedupeKey({ provider: PROVIDER, deliveryId, event: nativeEvent }),
        events: gitlabWebhookEvents(nativeEvent, payload, map),
      };
      if (action !== undefined) delivery.action = action;
      return delivery;
    },
  };
}
