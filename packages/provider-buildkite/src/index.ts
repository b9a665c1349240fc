/**
 * @krate/provider-buildkite: the Buildkite provider for Krate (CI/CD).
 *
 * The fake and its types are at `@krate/provider-buildkite/testing`.
 */
import { buildkitePlugin } from './buildkite-provider.js';

export default buildkitePlugin;
export { buildkitePlugin, createBuildkiteProvider } from './buildkite-provider.js';
export type { BuildkiteConfig, BuildkiteConfigInput } from './buildkite-config.js';
export { buildkiteManifest } from './buildkite-manifest.js';
