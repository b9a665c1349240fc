import { linearPlugin } from './linear-provider.js';

export default linearPlugin;
export { linearPlugin, createLinearProvider } from './linear-provider.js';
export { linearManifest } from './linear-manifest.js';
export {
  LinearConfigSchema,
  LinearAuthSchema,
  LinearApiKeyAuthSchema,
  LinearOAuthAuthSchema,
  LINEAR_DEFAULT_API_URL,
  LINEAR_DEFAULT_WEB_URL,
  type LinearConfig,
  type LinearConfigInput,
  type LinearApiKeyAuth,
  type LinearOAuthAuth,
} from './linear-config.js';
