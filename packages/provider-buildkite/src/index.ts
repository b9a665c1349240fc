import { buildkitePlugin } from './buildkite-provider.js';

export { buildkitePlugin, createBuildkiteProvider } from './buildkite-provider.js';
export { buildkiteManifest } from './buildkite-manifest.js';
export {
  BuildkiteConfigSchema, BUILDKITE_DEFAULT_BASE_URL, BUILDKITE_DEFAULT_MAX_LOG_BYTES, BUILDKITE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type BuildkiteConfig, type BuildkiteConfigInput,
} from './buildkite-config.js';
export {
  ACTIVE_BUILD_STATES, BUILD_STATE_PHASES, CANCELABLE_BUILD_STATES, JOB_STATE_PHASES, agentStatus, buildPhase, jobPhase,
  type PhaseMapping,
} from './shared/buildkite-states.js';
export { readBuildkiteRateLimit, buildkiteRetryAfterMs } from './buildkite-errors.js';
export { UPDATED_SINCE_PASSES } from './cicd/buildkite-cicd-builds.js';
export { BUILDKITE_MAX_PAGE_SIZE } from './cicd/buildkite-cicd-cursor.js';
export { BUILDKITE_SCHEMA_VERSION } from './cicd/buildkite-cicd-mapping.js';
export { redactLog } from './cicd/buildkite-cicd-logs.js';
export { parseSignatureHeader, verifyBuildkiteDelivery, type BuildkiteWebhookCredentials } from './webhooks/buildkite-webhook-verify.js';
export type * from './shared/buildkite-types.js';

export default buildkitePlugin;
