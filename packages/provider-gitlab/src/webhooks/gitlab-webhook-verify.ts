import {
  InvalidConfigError, WebhookSignatureInvalidError, getHeader, resolveSecret, safeEqual, verifyStandardWebhook, type SecretInput,
  type SecretRedactor, type SecretResolver, type WebhookRequest,
} from '@krate/core';
import type { GitLabConfig } from '../gitlab-config.js';
import { PROVIDER } from '../gitlab-errors.js';

/** Which scheme verified a delivery. */
export type GitLabWebhookScheme = 'signing-token' | 'secret-token';

async function resolveAll(input: SecretInput | SecretInput[] | undefined, setting: string, resolver?: SecretResolver, redactor?: SecretRedactor): Promise<string[]> {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  return Promise.all(list.map((item, i) => resolveSecret(item, { provider: PROVIDER, setting: Array.isArray(input) ? `${setting}[${i}]` : setting, resolver, redactor })));
}

/**
 * Verifies a GitLab delivery by the scheme it carries:
 *
 * - with a `webhook-signature` header (a hook with a signing token, GitLab 19): Standard
 *   Webhooks over `webhook-id.webhook-timestamp.body` with the configured `whsec_` token(s),
 *   the timestamp within `webhookToleranceSeconds`;
 * - otherwise the legacy `X-Gitlab-Token`, compared in constant time with `webhookToken`
 *   (GitLab sends `webhook-id` and `webhook-timestamp` on every delivery, so only the
 *   signature header tells the schemes apart).
 *
 * Both may be configured at once while hooks migrate. A delivery whose scheme has no
 * configured secret is refused: `invalid_config` when nothing is configured at all,
 * `webhook_signature_invalid` otherwise.
 */
export async function verifyGitLabDelivery(
  request: WebhookRequest,
  config: Pick<GitLabConfig, 'webhookToken' | 'webhookSigningToken' | 'webhookToleranceSeconds'>,
  options: { resolver?: SecretResolver | undefined; redactor?: SecretRedactor | undefined; now?: Date | number | undefined } = {},
): Promise<GitLabWebhookScheme> {
  const signingTokens = await resolveAll(config.webhookSigningToken, 'webhookSigningToken', options.resolver, options.redactor);
  const legacyTokens = await resolveAll(config.webhookToken, 'webhookToken', options.resolver, options.redactor);
  if (signingTokens.length === 0 && legacyTokens.length === 0) {
    throw new InvalidConfigError({
      provider: PROVIDER,
      message: 'no webhook secret is configured (webhookSigningToken or webhookToken); deliveries cannot be verified and are refused',
      hint: 'set webhookSigningToken to the hook\'s signing token (whsec_...) or webhookToken to its secret token',
    });
  }
  const signature = getHeader(request.headers, 'webhook-signature');
  if (signature !== undefined && signingTokens.length > 0) {
    verifyStandardWebhook({
      secret: signingTokens,
      payload: request.rawBody,
      id: getHeader(request.headers, 'webhook-id'),
      timestamp: getHeader(request.headers, 'webhook-timestamp'),
      signature,
      now: options.now,
      toleranceSeconds: config.webhookToleranceSeconds,
      provider: PROVIDER,
    });
    return 'signing-token';
  }
  const given = getHeader(request.headers, 'x-gitlab-token');
  if (legacyTokens.length === 0) {
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'webhook delivery has no webhook-signature header (the hook has no signing token, or it was stripped)' });
  }
  if (given === undefined || given === '') {
    throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'webhook delivery has neither webhook-signature nor X-Gitlab-Token' });
  }
  let matched = false;
  for (const token of legacyTokens) if (safeEqual(given, token)) matched = true;
  if (!matched) throw new WebhookSignatureInvalidError({ provider: PROVIDER, message: 'X-Gitlab-Token does not match the configured webhookToken' });
  return 'secret-token';
}
