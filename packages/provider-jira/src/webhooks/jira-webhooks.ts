import { createHash } from 'node:crypto';
import {
  WebhookMalformedError, getHeader, parseWebhookJson, rawBodyText, webhookDedupeKey,
  type WebhookDelivery, type WebhookReceiver, type WebhookRequest,
} from '@krate/core';
import type { JiraContext } from '../jira-context.js';
import { PROVIDER } from '../jira-errors.js';
import { normalizeJiraEvent } from './jira-webhook-events.js';
import { verifyJiraSignature } from './jira-webhook-verify.js';

export interface JiraWebhooksOptions {
  /** The webhook secret (resolved lazily); none refuses every delivery. */
  secret: () => Promise<string | undefined>;
  ctx: JiraContext;
}

/**
 * Receives Jira admin webhooks: verifies `X-Hub-Signature` over the raw body (fails
 * closed), parses, dedupes on `X-Atlassian-Webhook-Identifier` (the same across
 * retries) and normalizes issue and comment events through the REST mappers.
 */
export function createJiraWebhooks(options: JiraWebhooksOptions): WebhookReceiver {
  return {
    async receive(request: WebhookRequest): Promise<WebhookDelivery> {
      verifyJiraSignature(request, await options.secret());
      const body = parseWebhookJson(request.rawBody, PROVIDER) as Record<string, unknown>;
      const event = typeof body.webhookEvent === 'string' ? body.webhookEvent : undefined;
      if (!event) throw new WebhookMalformedError({ provider: PROVIDER, message: 'Jira webhook body has no webhookEvent' });
      const deliveryId = getHeader(request.headers, 'x-atlassian-webhook-identifier') ?? `sha256:${createHash('sha256').update(rawBodyText(request.rawBody), 'utf8').digest('hex')}`;
      const events = await options.ctx.call({ operation: 'webhooks.receive' }, () => normalizeJiraEvent(options.ctx, event, body));
      const delivery: WebhookDelivery = {
        provider: PROVIDER,
        deliveryId,
        nativeEvent: event,
        dedupeKey: webhookDedupeKey({ provider: PROVIDER, deliveryId, event }),
        events,
      };
      if (typeof body.issue_event_type_name === 'string') delivery.action = body.issue_event_type_name;
      return delivery;
    },
  };
}
