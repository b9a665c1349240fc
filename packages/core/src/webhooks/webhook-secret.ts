import { InvalidConfigError } from '../errors.js';

/**
 * Returns the webhook secret, or throws `InvalidConfigError` when it is missing or
 * empty: deliveries are never accepted unverified. The secret is registered for
 * redaction.
 */
export function requireWebhookSecret(secret: string | undefined, provider: string): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidConfigError({
      provider,
      message: 'no webhook secret is configured; deliveries cannot be verified and are refused',
      hint: 'set the webhook secret in the provider config (the same value as in the vendor webhook settings)',
    });
  }
  return secret;
}
