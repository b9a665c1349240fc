export { computeHmac, safeEqual, verifyHmac, type HmacAlgorithm, type SignatureEncoding, type VerifyHmacOptions } from './webhook-hmac.js';
export { verifyTimestamp, type VerifyTimestampOptions } from './webhook-timestamp.js';
export { requireWebhookSecret } from './webhook-secret.js';
export {
  webhookDedupeKey,
  getHeader,
  rawBodyText,
  parseWebhookJson,
  assertWebhookBodySize,
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
} from './webhook-payload.js';
