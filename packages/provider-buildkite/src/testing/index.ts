/**
 * The Buildkite provider's testing kit: an MSW fake of the Buildkite REST API v2 and
 * webhook deliveries signed as Buildkite signs them. Used by the contract suite
 * (`describeProviderContract({ plugin, createFake })`) and by tests of code built on
 * the provider.
 */
export { createFake, type BuildkiteFake, type BuildkiteFakeOptions } from './buildkite-fake.js';
export {
  BuildkiteFakeState, type FakeAgent, type FakeArtifact, type FakeBuild, type FakeJob, type FakePipeline,
} from './buildkite-fake-state.js';
export type { FakeUrls } from './buildkite-fake-objects.js';
export { type FakeWebhookScheme } from './buildkite-fake-webhooks.js';
export { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './buildkite-fake-route-kit.js';

/** Base URLs the contract suite runs again with (behind a proxy path); `krate-contract run` reads this export. */
export const alternateBaseUrls: string[] = ['https://buildkite.example.com/proxy/v2'];
