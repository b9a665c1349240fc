import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import { collect } from '@krate/core';
import gitlab from '../src/index.js';
import { GITLAB_FAKE_PROJECT, createFake } from '../src/testing/index.js';

const server = useFakeServer();
const P = GITLAB_FAKE_PROJECT;

describe('merge requests', () => {
  it('polls detailed_merge_status while GitLab is still checking', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.gitRef!(P, { name: 'feature', kind: 'branch' });
    const created = await instance.gitForge!.createPullRequest({ scope: P, title: 'Add feature', headBranch: 'feature', baseBranch: 'main' });
    expect(created.mergeState).toBe('unknown');
    fake.reset();
    const read = await instance.gitForge!.getPullRequest(created.ref);
    expect(read.mergeState).toBe('mergeable');
    expect(fake.requests.length).toBeGreaterThan(1);
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('reads draft from the title prefix and the flag, and sets it with a prefix', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.gitRef!(P, { name: 'wip', kind: 'branch' });
    const created = await instance.gitForge!.createPullRequest({ scope: P, title: 'Half done', headBranch: 'wip', baseBranch: 'main', draft: true });
    expect(created).toMatchObject({ title: 'Draft: Half done', draft: true });
    const read = await instance.gitForge!.getPullRequest(created.ref);
    expect(read.mergeState).toBe('draft');
  });

  it('maps 405, 406 and 409 on merge to precise conflicts', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const draft = fake.seed.pullRequest!(P, { title: 'Draft PR', headBranch: 'd', draft: true });
    const e405 = await errorOf(instance.gitForge!.mergePullRequest(draft, { method: 'merge' }));
    expect(e405).toMatchObject({ code: 'conflict', status: 405 });
    expect(e405.message).toContain('cannot be merged now');

    const conflicting = fake.seed.pullRequest!(P, { title: 'Conflicting', headBranch: 'c' });
    const mr = fake.state.mergeRequests.list((m) => m.iid === Number(conflicting.id))[0]!;
    fake.state.mergeRequests.update(mr.id, { detailedMergeStatus: 'conflict' });
    const e406 = await errorOf(instance.gitForge!.mergePullRequest(conflicting));
    expect(e406).toMatchObject({ code: 'conflict', status: 406 });
    expect(e406.message).toContain('has conflicts');

    const moved = fake.seed.pullRequest!(P, { title: 'Moved', headBranch: 'm' });
    const e409 = await errorOf(instance.gitForge!.mergePullRequest(moved, { expectedHeadSha: 'f'.repeat(40) }));
    expect(e409).toMatchObject({ code: 'conflict', status: 409 });
    expect(e409.message).toContain('no longer');

    const merged = await instance.gitForge!.mergePullRequest(moved, { method: 'squash', commitTitle: 'Squashed' });
    expect(merged).toMatchObject({ state: 'merged', mergeState: 'merged' });
    expect(fake.requests.at(-1)!.body).toMatchObject({ squash: true, squash_commit_message: 'Squashed' });
  });

  it('refuses a rebase merge without a request: the merge method is a project setting', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const ref = fake.seed.pullRequest!(P, { title: 'x', headBranch: 'x' });
    fake.reset();
    expect((await errorOf(instance.gitForge!.mergePullRequest(ref, { method: 'rebase' }))).code).toBe('invalid_input');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('refs, protection and collaborators', () => {
  it('lists branches then tags: ceil(branches / pageSize) + ceil(tags / pageSize) requests', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    for (let i = 0; i < 2; i++) fake.seed.gitRef!(P, { name: `b${i}`, kind: 'branch' });
    for (let i = 0; i < 3; i++) fake.seed.gitRef!(P, { name: `v${i}`, kind: 'tag' });
    const refs = await collect((o) => instance.gitForge!.listRefs(P, { ...o, pageSize: 2 }));
    expect(refs.map((r) => `${r.kind}:${r.name}`)).toEqual(['branch:b0', 'branch:b1', 'branch:main', 'tag:v0', 'tag:v1', 'tag:v2']);
    expect(fake.requests).toHaveLength(Math.ceil(3 / 2) + Math.ceil(3 / 2));
  });

  it('reports what a protected branch cannot hold as drift, and writes only what it can', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const result = await instance.gitForge!.syncBranchProtection(P, [{ branch: 'main', enforceAdmins: true, requiredStatusChecks: ['ci'], requiredApprovingReviews: 2, allowForcePushes: false }]);
    expect(result.created).toEqual(['main']);
    expect(result.drift.map((d) => d.field).sort()).toEqual(['enforceAdmins', 'requiredApprovingReviews', 'requiredStatusChecks']);
    expect(String(result.drift.find((d) => d.field === 'requiredStatusChecks')!.actual)).toContain('project-wide');
    const again = await instance.gitForge!.syncBranchProtection(P, [{ branch: 'main', allowForcePushes: true }]);
    expect(again.updated).toEqual(['main']);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', body: { allow_force_push: true } });
  });

  it('maps member access levels to permissions', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    fake.seed.collaborator!(P, { login: 'rita', permission: 'triage' });
    fake.seed.collaborator!(P, { login: 'max', permission: 'maintain' });
    const page = await instance.gitForge!.listCollaborators(P);
    expect(page.items.map((c) => [c.login, c.permission])).toEqual([['rita', 'triage'], ['max', 'maintain']]);
  });

  it('archives through its own endpoint and reads subgroup repositories by namespace', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const repo = await instance.gitForge!.updateRepository({ scope: 'krate-group/platform', id: 'web' }, { archived: true, description: 'old' });
    expect(repo).toMatchObject({ owner: 'krate-group/platform', name: 'web', fullPath: P, archived: true, description: 'old' });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /api/v4/projects/${encodeURIComponent(P)}`,
      `POST /api/v4/projects/${encodeURIComponent(P)}/archive`,
    ]);
  });
});
