import type { BuildkiteClient } from './buildkite-client.js';
import type { BuildkiteConfig } from './buildkite-config.js';
import type { ScopeRules } from './buildkite-scope.js';
import type { BuildkiteNormalizer } from './cicd/buildkite-normalize.js';

/** What the interface implementations of one Buildkite instance share. */
export interface BuildkiteContext {
  readonly config: BuildkiteConfig;
  readonly client: BuildkiteClient;
  readonly normalize: BuildkiteNormalizer;
  readonly rules: ScopeRules;
  /** The credentials of this instance that are resolved so far (for redaction of logs). */
  knownSecrets(): Promise<string[]>;
}
