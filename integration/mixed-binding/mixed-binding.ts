/**
 * One repository, two providers: its git forge on GitHub, its CI/CD on Buildkite.
 *
 * A registry binding puts `@krate/provider-github` behind `gitForge` and this package
 * behind `cicd` for the repository `acme/web`. A Buildkite build links to the pull
 * request it built in two ways: the build's commit SHA equals the pull request's head
 * SHA, and a pull request build names the pull request (`pull_request.id`).
 *
 * See `mixed-binding-github.ts` for the binding with the real GitHub plugin.
 */
import {
  createRegistry, paginate, type ExternalPipeline, type ExternalPullRequest, type ExternalRef, type PluginContext,
  type ProviderBinding, type ProviderPlugin,
} from '@krate/core';
import buildkite, { type BuildkiteConfigInput } from '@krate/provider-buildkite';

export interface MixedBindingOptions {
  /** The repository on the forge: `owner/repo`. */
  repository: string;
  /** The git forge provider: its plugin (GitHub) and config. */
  forge: { plugin: ProviderPlugin<any>; config: unknown; context?: PluginContext };
  /** The Buildkite config and the pipeline that builds the repository (`org/pipeline`). */
  buildkite: { config: BuildkiteConfigInput; pipeline: string; context?: PluginContext };
  /** Allow a Buildkite organization slug other than the repository owner. Default false. */
  allowCrossOrg?: boolean;
}

/** Binds the repository: gitForge from the forge plugin, cicd from Buildkite. */
export function bindRepository(options: MixedBindingOptions): ProviderBinding {
  const registry = createRegistry([options.forge.plugin, buildkite]);
  return registry.bind({
    scope: options.repository,
    gitForge: { provider: options.forge.plugin.providerType, config: options.forge.config, context: options.forge.context },
    cicd: { provider: 'buildkite', config: options.buildkite.config, scope: options.buildkite.pipeline, context: options.buildkite.context },
    ...(options.allowCrossOrg ? { sharingPolicy: { allowCrossOrg: true } } : {}),
  });
}

/**
 * The Buildkite builds of a pull request's head commit, newest first. Scans at most
 * `maxBuilds` recent builds of the bound pipeline (Buildkite lists newest first).
 */
export async function buildsForPullRequest(
  binding: ProviderBinding,
  pullRequestRef: ExternalRef,
  options: { maxBuilds?: number } = {},
): Promise<{ pullRequest: ExternalPullRequest; builds: ExternalPipeline[] }> {
  const pullRequest = await binding.gitForge!.getPullRequest(pullRequestRef);
  const pipeline = binding.scopeFor('cicd')!;
  const head = pullRequest.headSha.toLowerCase();
  const builds: ExternalPipeline[] = [];
  const listing = paginate((o) => binding.cicd!.listPipelines(pipeline, o), { maxItems: options.maxBuilds ?? 300, onCap: 'stop' });
  for await (const build of listing) if (build.sha === head) builds.push(build);
  return { pullRequest, builds };
}

/**
 * The pull request a build belongs to: the one the build names (`pull_request.id`), and
 * whether the build ran its current head (`headMatches`; false for a build of an older
 * push). Undefined for a build that is not a pull request build.
 */
export async function pullRequestForBuild(
  binding: ProviderBinding,
  build: ExternalPipeline,
): Promise<{ pullRequest: ExternalPullRequest; headMatches: boolean } | undefined> {
  const link = build.external.extensions.fields.pullRequest as { id?: string } | undefined;
  if (!link?.id) return undefined;
  const pullRequest = await binding.gitForge!.getPullRequest({ scope: binding.scope, id: String(link.id) });
  return { pullRequest, headMatches: build.sha !== undefined && pullRequest.headSha.toLowerCase() === build.sha };
}
