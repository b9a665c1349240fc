import { createHash } from 'node:crypto';
import {
  WebhookMalformedError, getHeader, parseWebhookJson, rawBodyText, secretAccessor, webhookDedupeKey, type SecretRedactor, type SecretResolver,
  type WebhookDelivery, type WebhookReceiveOptions, type WebhookReceiver, type WebhookRequest,
} from '@krate/core';
import type { BuildkiteConfig } from '../buildkite-config.js';
import { PROVIDER } from '../buildkite-errors.js';
import type { BuildkiteMappingContext } from '../cicd/buildkite-cicd-mapping.js';
import { normalizeBuildkitePayload } from './buildkite-webhook-events.js';
import { verifyBuildkiteDelivery } from './buildkite-webhook-verify.js';

/** The event name header. */
export const EVENT_HEADER = 'x-buildkite-event';
/**
 * A per-request id Buildkite sends with deliveries (`X-Buildkite-Request: <uuid>`). It
 * is not in Buildkite's documentation, so it is only used as the delivery id when
 * present; deduplication never depends on it.
 */
export const REQUEST_ID_HEADER = 'x-buildkite-request';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface BuildkiteWebhooksOptions {
  config: BuildkiteConfig;
  mapping: BuildkiteMappingContext;
  secrets?: SecretResolver | undefined;
  /** The instance's redactor: resolved webhook credentials are added to it. */
  redactor?: SecretRedactor | undefined;
}

/**
 * Receives Buildkite webhook deliveries: verify (signature or token, see
 * {@link verifyBuildkiteDelivery}), then parse, then normalize.
 *
 * Buildkite sends no documented delivery id, so the `dedupeKey` is derived from what the
 * delivery reports: the event name, the object's id, its state and its latest
 * timestamp (`build.finished` of build X in state `passed` finished at T). A redelivery
 * of the same change has the same key; a later change of the same object has another.
 * `deliveryId` is the `X-Buildkite-Request` header when present, else a digest of the
 * same parts.
 */
export function createBuildkiteWebhooks(options: BuildkiteWebhooksOptions): WebhookReceiver {
  const { config, mapping } = options;
  const secret = config.webhookSecret === undefined
    ? undefined
    : secretAccessor(config.webhookSecret, { provider: PROVIDER, setting: 'webhookSecret', resolver: options.secrets, redactor: options.redactor });
  const token = config.webhookToken === undefined
    ? undefined
    : secretAccessor(config.webhookToken, { provider: PROVIDER, setting: 'webhookToken', resolver: options.secrets, redactor: options.redactor });

  return {
    async receive(request: WebhookRequest, receiveOptions: WebhookReceiveOptions = {}): Promise<WebhookDelivery> {
      if (typeof request !== 'object' || request === null || (typeof request.rawBody !== 'string' && !(request.rawBody instanceof Uint8Array))) {
        throw new WebhookMalformedError({ provider: PROVIDER, message: 'a delivery needs its headers and its raw body (string or bytes) as received' });
      }
      const credentials = { secret: secret ? await secret() : undefined, token: token ? await token() : undefined };
      verifyBuildkiteDelivery(request, credentials, { now: receiveOptions.now, toleranceSeconds: config.webhookToleranceSeconds });

      const payload = parseWebhookJson(request.rawBody, PROVIDER) as Record<string, unknown>;
      const headerEvent = getHeader(request.headers ?? {}, EVENT_HEADER)?.trim() || undefined;
      const bodyEvent = typeof payload.event === 'string' && payload.event.trim() !== '' ? payload.event.trim() : undefined;
      if (headerEvent && bodyEvent && headerEvent !== bodyEvent) {
        throw new WebhookMalformedError({
          provider: PROVIDER,
          message: `X-Buildkite-Event "${headerEvent.slice(0, 64)}" does not match the payload's event "${bodyEvent.slice(0, 64)}"`,
        });
      }
      const event = bodyEvent ?? headerEvent;
      if (event === undefined) {
        throw new WebhookMalformedError({ provider: PROVIDER, message: 'delivery names no event (no X-Buildkite-Event header and no "event" in the body)' });
      }

      const normalized = normalizeBuildkitePayload(event, payload, mapping, config.organization);
      const identity = normalized.identity ?? `body:${sha256(rawBodyText(request.rawBody))}`;
      const requestId = getHeader(request.headers ?? {}, REQUEST_ID_HEADER)?.trim();
      const deliveryId = requestId && REQUEST_ID.test(requestId) ? requestId : `derived-${sha256(`${event}\n${identity}`).slice(0, 32)}`;
      return {
        provider: PROVIDER,
        deliveryId,
        nativeEvent: event,
        dedupeKey: webhookDedupeKey({ provider: PROVIDER, deliveryId: identity, event }),
        events: normalized.events,
      };
    },
  };
}
