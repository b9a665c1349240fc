import { describe, expect, it } from 'vitest';
import { InvalidConfigError, type ExternalRef } from '@krate/core';
import github from '@krate/provider-github';
import { createFake as createGitHubFake } from '@krate/provider-github/testing';
import { bindRepository, buildsForPullRequest, pullRequestForBuild } from '../mixed-binding/mixed-binding.js';
import { createFake } from '@krate/provider-buildkite/testing';
import type { ExternalPipeline } from '@krate/core';
import { useFakeServer } from '@krate/contract-tests';

const server = useFakeServer();

describe('one repository: git forge on GitHub, CI/CD on Buildkite', () => {
  const OLD_HEAD = '0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f';

  /**
   * The real GitHub provider against its fake (a GitHub App installation on `acme`)
   * and Buildkite against its fake, both behind one binding of `acme/web`.
   */
  async function setupBinding(options: { pipeline?: string; allowCrossOrg?: boolean } = {}) {
    const fake = createFake();
    const gh = createGitHubFake();
    server.use(...fake.handlers, ...gh.handlers);
    const prRef: ExternalRef = gh.seed.pullRequest!('acme/web', { title: 'Speed up the build', headBranch: 'fast-build' });
    const binding = bindRepository({
      repository: 'acme/web',
      forge: { plugin: github, config: gh.config, ...(gh.context ? { context: gh.context } : {}) },
      buildkite: { config: fake.config, pipeline: options.pipeline ?? 'acme/web' },
      ...(options.allowCrossOrg ? { allowCrossOrg: true } : {}),
    });
    const HEAD = (await binding.gitForge!.getPullRequest(prRef)).headSha;
    return { fake, gh, binding, prRef, HEAD };
  }

  it('serves each interface from its provider', async () => {
    const { binding } = await setupBinding();
    expect(binding.instanceFor('gitForge')?.providerType).toBe('github');
    expect(binding.instanceFor('cicd')?.providerType).toBe('buildkite');
    expect(binding.scopeFor('cicd')).toBe('acme/web');
    expect(binding.issueTracking).toBeUndefined();
    expect(binding.gitForge?.specificationVersion).toBe('v1');
    expect(binding.cicd?.specificationVersion).toBe('v1');
  });

  it("finds the Buildkite builds of a pull request's head SHA", async () => {
    const { fake, binding, prRef, HEAD } = await setupBinding();
    expect(HEAD).toMatch(/^[0-9a-f]{40}$/);
    const old = fake.seed.pipeline!('acme/web', { sha: OLD_HEAD, branch: 'fast-build', status: 'failed' });
    const current = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'running' });
    fake.seed.pipeline!('acme/web', { sha: 'ffffffffffffffffffffffffffffffffffffffff', branch: 'main' });
    const rerun = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'succeeded' });

    const { pullRequest: pr, builds } = await buildsForPullRequest(binding, prRef);
    expect(pr.headSha).toBe(HEAD);
    expect(builds.map((b) => b.ref)).toEqual([rerun, current]);
    expect(builds.every((b) => b.sha === pr.headSha)).toBe(true);
    expect(builds.map((b) => b.ref)).not.toContainEqual(old);
  });

  it('links a build reported by a Buildkite webhook back to its pull request', async () => {
    const { fake, binding, prRef, HEAD } = await setupBinding();
    const ref = fake.seed.pipeline!('acme/web', { sha: HEAD, branch: 'fast-build', status: 'succeeded' });
    fake.updateBuild(ref, { pullRequest: { id: prRef.id, base: 'main', repository: 'git@github.com:acme/web.git' } });
    const delivery = await binding.instanceFor('cicd')!.webhooks!.receive(fake.webhook('build.finished', { ref }));
    const build = delivery.events[0]!.object as ExternalPipeline;
    const link = await pullRequestForBuild(binding, build);
    expect(link?.pullRequest.number).toBe(Number(prRef.id));
    expect(link?.headMatches).toBe(true);

    // A build of an older push of the same pull request links to it, but not to its head.
    const older = fake.seed.pipeline!('acme/web', { sha: OLD_HEAD, branch: 'fast-build' });
    fake.updateBuild(older, { pullRequest: { id: prRef.id, base: 'main', repository: 'git@github.com:acme/web.git' } });
    const olderBuild = await binding.cicd!.getPipeline(older);
    expect(await pullRequestForBuild(binding, olderBuild)).toMatchObject({ headMatches: false });

    const branchBuild = await binding.cicd!.getPipeline(fake.seed.pipeline!('acme/web', { sha: HEAD }));
    expect(await pullRequestForBuild(binding, branchBuild)).toBeUndefined();
  });

  it('rejects a Buildkite organization other than the repository owner unless sharing allows it', async () => {
    await expect(setupBinding({ pipeline: 'acme-ci/web' })).rejects.toThrow(InvalidConfigError);
    await expect(setupBinding({ pipeline: 'acme-ci/web', allowCrossOrg: true })).resolves.toBeDefined();
  });
});
