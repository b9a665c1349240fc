import { describe, expect, it } from 'vitest';
import {
  InvalidConfigError, NotFoundError, definePlugin, defineManifest, toRichText, type ExternalPullRequest, type ExternalRef,
} from '@krate/core';
import { bindRepository, buildsForPullRequest, pullRequestForBuild } from '../examples/mixed-binding.js';
import { createFake } from '../src/testing/index.js';
import type { ExternalPipeline } from '@krate/core';
import { useServer } from './fake-server.js';

const server = useServer();

/**
 * A minimal git forge provider of type `github` (getPullRequest only, pull requests held
 * in memory), standing in for @krate/provider-github: the binding and the linking do
 * not depend on how the forge is reached.
 */
function forgePlugin(pulls: Map<string, ExternalPullRequest>) {
  return definePlugin<{ token: string }>({
    manifest: defineManifest({
      apiVersion: 'krate.a5c.ai/v1alpha1',
      kind: 'ExternalProviderCapabilityManifest',
      metadata: { name: 'github-forge-test' },
      spec: {
        providerType: 'github',
        displayName: 'GitHub (forge only, in memory)',
        authModes: ['token'],
        interfaces: { gitForge: { supported: true, operations: ['getPullRequest'] }, cicd: { supported: false }, issueTracking: { supported: false } },
      },
    }),
    configSchema: { safeParse: (value: unknown) => ({ success: true as const, data: value as { token: string } }) } as never,
    create: () => ({
      gitForge: {
        async getPullRequest(ref: ExternalRef) {
          const pull = pulls.get(`${ref.scope}#${ref.id}`);
          if (!pull) throw new NotFoundError({ message: `no pull request ${ref.scope}#${ref.id}` });
          return pull;
        },
      },
    }),
  });
}

function pullRequest(number: number, headSha: string): ExternalPullRequest {
  return {
    ref: { scope: 'acme/web', id: String(number) },
    external: {
      interface: 'gitForge', nativeKind: 'pull_request', nativeId: String(1000 + number), nativeNumber: number,
      url: `https://github.com/acme/web/pull/${number}`, version: { sha: headSha }, extensions: { providerType: 'github', schemaVersion: 'test', fields: {} },
    },
    number, title: 'Speed up the build', body: toRichText('Uses a cache.'), state: 'open', draft: false,
    headBranch: 'fast-build', baseBranch: 'main', headSha, mergeState: 'mergeable', labels: [], assignees: [],
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('one repository: git forge on GitHub, CI/CD on Buildkite', () => {
  const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const OLD_HEAD = '0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f';

  function setupBinding(options: { pipeline?: string; allowCrossOrg?: boolean } = {}) {
    const fake = createFake();
    server.use(...fake.handlers);
    const pulls = new Map([['acme/web#42', pullRequest(42, HEAD)]]);
    const binding = bindRepository({
      repository: 'acme/web',
      forge: { plugin: forgePlugin(pulls), config: { token: 'forge-token' } },
      buildkite: { config: fake.config, pipeline: options.pipeline ?? 'acme/web' },
      ...(options.allowCrossOrg ? { allowCrossOrg: true } : {}),
    });
    return { fake, binding };
  }

  it('serves each interface from its provider', () => {
    const { binding } = setupBinding();
    expect(binding.instanceFor('gitForge')?.providerType).toBe('github');
    expect(binding.instanceFor('cicd')?.providerType).toBe('buildkite');
    expect(binding.scopeFor('cicd')).toBe('acme/web');
    expect(binding.issueTracking).toBeUndefined();
    expect(binding.gitForge?.specificationVersion).toBe('v1');
    expect(binding.cicd?.specificationVersion).toBe('v1');
  });

  it("finds the Buildkite builds of a pull request's head SHA", async () => {
    const { fake, binding } = setupBinding();
    const old = fake.seed.pipeline!('acme/web', { sha: OLD_HEAD, branch: 'fast-build', status: 'failed' });
    const current = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'running' });
    fake.seed.pipeline!('acme/web', { sha: 'ffffffffffffffffffffffffffffffffffffffff', branch: 'main' });
    const rerun = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'succeeded' });

    const { pullRequest: pr, builds } = await buildsForPullRequest(binding, { scope: 'acme/web', id: '42' });
    expect(pr.headSha).toBe(HEAD);
    expect(builds.map((b) => b.ref)).toEqual([rerun, current]);
    expect(builds.every((b) => b.sha === pr.headSha)).toBe(true);
    expect(builds.map((b) => b.ref)).not.toContainEqual(old);
  });

  it('links a build reported by a Buildkite webhook back to its pull request', async () => {
    const { fake, binding } = setupBinding();
    const ref = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'succeeded' });
    fake.updateBuild(ref, { pullRequest: { id: '42', base: 'main', repository: 'git@github.com:acme/web.git' } });
    const delivery = await binding.instanceFor('cicd')!.webhooks!.receive(fake.webhook('build.finished', { ref }));
    const build = delivery.events[0]!.object as ExternalPipeline;
    const link = await pullRequestForBuild(binding, build);
    expect(link?.pullRequest.number).toBe(42);
    expect(link?.headMatches).toBe(true);

    // A build of an older push of the same pull request links to it, but not to its head.
    const older = fake.seed.pipeline!('acme/web', { sha: OLD_HEAD, branch: 'fast-build' });
    fake.updateBuild(older, { pullRequest: { id: '42', base: 'main', repository: 'git@github.com:acme/web.git' } });
    const olderBuild = await binding.cicd!.getPipeline(older);
    expect(await pullRequestForBuild(binding, olderBuild)).toMatchObject({ headMatches: false });

    const branchBuild = await binding.cicd!.getPipeline(fake.seed.pipeline!('acme/web', { sha: HEAD }));
    expect(await pullRequestForBuild(binding, branchBuild)).toBeUndefined();
  });

  it('rejects a Buildkite organization other than the repository owner unless sharing allows it', () => {
    expect(() => setupBinding({ pipeline: 'acme-ci/web' })).toThrow(InvalidConfigError);
    expect(() => setupBinding({ pipeline: 'acme-ci/web', allowCrossOrg: true })).not.toThrow();
  });
});
