import {
  ExternalCommitSchema,
  ExternalDeployKeySchema,
  ExternalGitRefSchema,
  ExternalPullRequestSchema,
  ExternalRepositorySchema,
  ExternalReviewSchema,
  ExternalCollaboratorSchema,
  ProviderError,
  SyncResultSchema,
  collect,
  type GitForgeProvider,
  type IssueTrackingProvider,
} from '@krate/core';
import { useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import { createGitHubContext } from '../src/github-context.js';
import { GitHubConfigSchema } from '../src/github-config.js';
import { createGitHubProvider } from '../src/github-provider.js';
import { mapMergeState, mapPullRequest } from '../src/git-forge/github-git-forge-mapping.js';
import { planDeployKeySync } from '../src/git-forge/github-git-forge-deploy-keys.js';
import { protectionRequestBody } from '../src/git-forge/github-git-forge-protection.js';
import { gitForgeManifest } from '../src/git-forge/github-git-forge-manifest.js';
import type { GitHubSeedPullRequest, GitHubSeedRepository } from '../src/testing/github-fake-git-forge.js';
import { createFake, type GitHubFake } from '../src/testing/index.js';
import { operationsOf } from '@krate/core';

const server = useFakeServer();

const REPO = 'octo-org/hello-world';
const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const KEY_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const KEY_C = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICcccccccccccccccccccccccccccccccccccccccccc';
const KEY_D = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDdddddddddddddddddddddddddddddddddddddddddd';

function setup(options: { baseUrl?: string } = {}): { fake: GitHubFake; forge: GitForgeProvider; issues: IssueTrackingProvider } {
  const fake = createFake(options);
  server.use(...fake.handlers);
  const github = createGitHubProvider(fake.config, fake.context);
  return { fake, forge: github.gitForge!, issues: github.issueTracking! };
}

const paths = (fake: GitHubFake, method?: string) =>
  fake.requests.filter((r) => method === undefined || r.method === method).map((r) => `${r.method} ${r.path}`);

async function expectError(promise: Promise<unknown>, code: string): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ProviderError.isInstance(error), `expected a ProviderError, got ${String(error)}`).toBe(true);
  expect((error as ProviderError).code).toBe(code);
  return error as ProviderError;
}

describe('git forge manifest', () => {
  it('declares every canonical git forge operation, writes with App permissions, idempotency and confirming webhooks', () => {
    const declared = (gitForgeManifest.operations ?? []).map((o) => (typeof o === 'string' ? o : o.operation));
    expect(declared.sort()).toEqual(operationsOf('gitForge').sort());
    for (const op of gitForgeManifest.operations ?? []) {
      if (typeof op === 'string' || !op.write) continue;
      expect(op.requires?.nativeScopes?.length, op.operation).toBeGreaterThan(0);
      expect(op.idempotency?.mode, op.operation).toBeDefined();
      expect(op.webhookConfirmation?.events.length, op.operation).toBeGreaterThan(0);
    }
    expect(gitForgeManifest.webhooks).toEqual([
      'repository', 'pull_request', 'pull_request_review', 'pull_request_review_comment', 'push', 'create', 'delete', 'branch_protection_rule', 'deploy_key',
    ]);
  });
});

describe('merge state', () => {
  it('maps every mergeable_state, merged and closed pull requests', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ state: 'open', mergeable_state: 'clean' }, 'mergeable'],
      [{ state: 'open', mergeable_state: 'has_hooks' }, 'mergeable'],
      [{ state: 'open', mergeable_state: 'dirty' }, 'conflicting'],
      [{ state: 'open', mergeable_state: 'blocked' }, 'blocked'],
      [{ state: 'open', mergeable_state: 'behind' }, 'behind'],
      [{ state: 'open', mergeable_state: 'unstable' }, 'unstable'],
      [{ state: 'open', mergeable_state: 'draft' }, 'draft'],
      [{ state: 'open', mergeable_state: 'unknown' }, 'unknown'],
      [{ state: 'open' }, 'unknown'],
      [{ state: 'open', draft: true }, 'draft'],
      [{ state: 'closed', merged: true, mergeable_state: 'unknown' }, 'merged'],
      [{ state: 'closed', merged_at: '2026-01-01T00:00:00Z' }, 'merged'],
      [{ state: 'closed', merged: false, mergeable_state: 'clean' }, 'unknown'],
    ];
    for (const [raw, expected] of cases) expect(mapMergeState(raw), JSON.stringify(raw)).toBe(expected);
  });

  it('reads the merge state of a single pull request from the fake\'s computed mergeability', async () => {
    const { fake, forge } = setup();
    const clean = fake.seed.pullRequest!(REPO, { title: 'Clean', headBranch: 'clean' });
    const dirty = fake.seed.pullRequest!(REPO, { title: 'Dirty', headBranch: 'dirty', conflict: true } as GitHubSeedPullRequest);
    const draft = fake.seed.pullRequest!(REPO, { title: 'Draft', headBranch: 'draft', draft: true });
    const merged = fake.seed.pullRequest!(REPO, { title: 'Merged', headBranch: 'merged', state: 'merged' });
    expect((await forge.getPullRequest(clean)).mergeState).toBe('mergeable');
    expect((await forge.getPullRequest(dirty)).mergeState).toBe('conflicting');
    expect((await forge.getPullRequest(draft)).mergeState).toBe('draft');
    const done = await forge.getPullRequest(merged);
    expect(done).toMatchObject({ state: 'merged', mergeState: 'merged' });
    expect(done.mergeCommitSha).toMatch(/^[0-9a-f]{40}$/);

    // Branch protection blocks until an approving review arrives.
    fake.seed.branchProtection!(REPO, { branch: 'main', requiredApprovingReviews: 1 });
    expect((await forge.getPullRequest(clean)).mergeState).toBe('blocked');
    fake.seed.review!(clean, { state: 'approved', author: 'hubot' });
    expect((await forge.getPullRequest(clean)).mergeState).toBe('mergeable');

    // Listings carry no mergeable_state: open pull requests are `unknown` there, drafts and merged ones keep theirs.
    const listed = await collect((o) => forge.listPullRequests(REPO, o));
    const byTitle = Object.fromEntries(listed.map((p) => [p.title, p.mergeState]));
    expect(byTitle).toEqual({ Clean: 'unknown', Dirty: 'unknown', Draft: 'draft', Merged: 'merged' });
    for (const pr of listed) ExternalPullRequestSchema.parse(pr);
  });
});

describe('one number space for issues and pull requests', () => {
  it('gives a created pull request the next issue number; issue tracking links it instead of listing it', async () => {
    const { fake, forge, issues } = setup();
    const first = await issues.createIssue({ scope: REPO, title: 'An issue' });
    fake.seed.gitRef!(REPO, { name: 'feature' });
    const pr = await forge.createPullRequest({ scope: REPO, title: 'A change', headBranch: 'feature', baseBranch: 'main', body: 'Fixes things' });
    const second = await issues.createIssue({ scope: REPO, title: 'Another issue' });
    expect(Number(first.ref.id)).toBe(1);
    expect(pr.number).toBe(2);
    expect(pr.ref).toEqual({ scope: REPO, id: '2' });
    expect(Number(second.ref.id)).toBe(3);
    expect(pr.external.extensions.fields.issueRef).toEqual({ scope: REPO, id: '2' });

    const listedIssues = await collect((o) => issues.listIssues(REPO, o));
    expect(listedIssues.map((i) => i.ref.id).sort()).toEqual(['1', '3']);
    const backing = await issues.getIssue({ scope: REPO, id: '2' });
    expect(backing.pullRequestRef).toEqual({ scope: REPO, id: '2' });
    expect(backing.title).toBe('A change');

    const pulls = await collect((o) => forge.listPullRequests(REPO, o));
    expect(pulls.map((p) => p.number)).toEqual([2]);
  });

  it('keeps the pull request and its issue row in step on update and merge', async () => {
    const { fake, forge, issues } = setup();
    const ref = fake.seed.pullRequest!(REPO, { title: 'Before', headBranch: 'topic' });
    await forge.updatePullRequest(ref, { title: 'After' });
    expect((await issues.getIssue(ref)).title).toBe('After');
    const merged = await forge.mergePullRequest(ref, { method: 'squash' });
    expect(merged.state).toBe('merged');
    const issue = await issues.getIssue(ref);
    expect(issue.state).toBe('closed');
    expect(issue.pullRequestRef).toEqual(ref);
  });
});

describe('createPullRequest', () => {
  it('with an idempotencyKey returns the first pull request after a dropped answer and hides the key', async () => {
    const { fake, forge } = setup();
    fake.seed.gitRef!(REPO, { name: 'retry' });
    const input = { scope: REPO, title: 'Retried', headBranch: 'retry', baseBranch: 'main', body: 'Body text', idempotencyKey: 'krate-pr-1' };
    fake.faults.drop({ method: 'POST', path: /\/pulls$/, afterWrite: true });
    await expect(forge.createPullRequest(input)).rejects.toBeDefined();
    const again = await forge.createPullRequest(input);
    expect(again.number).toBe(1);
    expect(again.body.markdown).toBe('Body text');
    expect(again.external.extensions.fields.idempotencyKey).toBe('krate-pr-1');
    expect(paths(fake, 'POST').filter((p) => p.endsWith('/pulls'))).toHaveLength(1);
    expect(await collect((o) => forge.listPullRequests(REPO, o))).toHaveLength(1);
  });

  it('refuses a second open pull request for the same head and base as a conflict', async () => {
    const { fake, forge } = setup();
    fake.seed.pullRequest!(REPO, { title: 'Existing', headBranch: 'dup' });
    const error = await expectError(forge.createPullRequest({ scope: REPO, title: 'Again', headBranch: 'dup', baseBranch: 'main' }), 'conflict');
    expect(error.message).toContain('#1');
    await expectError(
      forge.createPullRequest({ scope: REPO, title: 'Again', headBranch: 'dup', baseBranch: 'main', idempotencyKey: 'other-key' }),
      'conflict',
    );
  });

  it('maps a missing head branch to invalid_input', async () => {
    const { forge } = setup();
    await expectError(forge.createPullRequest({ scope: REPO, title: 'Nothing', headBranch: 'no-such-branch', baseBranch: 'main' }), 'invalid_input');
  });
});

describe('mergePullRequest', () => {
  it('refuses a stale expectedHeadSha as a conflict and merges with the current one', async () => {
    const { fake, forge } = setup();
    const ref = fake.seed.pullRequest!(REPO, { title: 'Moving head', headBranch: 'moving' });
    const before = await forge.getPullRequest(ref);
    const baseBefore = (await collect((o) => forge.listRefs(REPO, o))).find((r) => r.name === 'main')!.sha;
    fake.seed.gitRef!(REPO, { name: 'moving' }); // a new commit lands on the head branch
    const moved = await forge.getPullRequest(ref);
    expect(moved.headSha).not.toBe(before.headSha);

    const error = await expectError(forge.mergePullRequest(ref, { expectedHeadSha: before.headSha }), 'conflict');
    expect(error.status).toBe(409);
    expect(error.hint).toMatch(/read the pull request again/);
    expect((await forge.getPullRequest(ref)).state).toBe('open');

    const merged = await forge.mergePullRequest(ref, { expectedHeadSha: moved.headSha });
    expect(merged).toMatchObject({ state: 'merged', mergeState: 'merged', headSha: moved.headSha });
    const commit = await forge.getCommit(REPO, merged.mergeCommitSha!);
    expect(commit.parents).toEqual([baseBefore, moved.headSha]);
    expect(commit.message).toMatch(/^Merge pull request #1/);
    const main = (await collect((o) => forge.listRefs(REPO, o))).find((r) => r.name === 'main');
    expect(main?.sha).toBe(merged.mergeCommitSha);

    // A repeated merge (the first answer lost) returns the merged pull request.
    const repeat = await forge.mergePullRequest(ref, { expectedHeadSha: moved.headSha });
    expect(repeat.mergeCommitSha).toBe(merged.mergeCommitSha);
  });

  it('reports an unmergeable pull request as a conflict with a hint', async () => {
    const { fake, forge } = setup();
    const dirty = fake.seed.pullRequest!(REPO, { title: 'Conflicts', headBranch: 'dirty', conflict: true } as GitHubSeedPullRequest);
    const error = await expectError(forge.mergePullRequest(dirty), 'conflict');
    expect(error.status).toBe(405);
    expect(error.hint).toMatch(/resolve the conflicts/);
    const draft = fake.seed.pullRequest!(REPO, { title: 'Draft', headBranch: 'drafty', draft: true });
    expect((await expectError(forge.mergePullRequest(draft), 'conflict')).hint).toMatch(/ready for review/);
    fake.seed.branchProtection!(REPO, { branch: 'main', requiredStatusChecks: ['ci/build'] });
    const gated = fake.seed.pullRequest!(REPO, { title: 'Gated', headBranch: 'gated' });
    const blocked = await expectError(forge.mergePullRequest(gated), 'conflict');
    expect(blocked.message).toContain('ci/build');
    expect(blocked.hint).toMatch(/status checks/);
  });
});

describe('reviews, refs, commits, collaborators', () => {
  it('lists reviews with their pull request ref and state', async () => {
    const { fake, forge } = setup();
    const pr = fake.seed.pullRequest!(REPO, { title: 'Reviewed', headBranch: 'reviewed' });
    fake.seed.review!(pr, { state: 'changes_requested', body: 'Please rename', author: 'hubot' });
    fake.seed.review!(pr, { state: 'approved', author: 'monalisa' });
    const reviews = await collect((o) => forge.listReviews!(pr, o));
    expect(reviews.map((r) => [r.state, r.author?.login])).toEqual([['changes_requested', 'hubot'], ['approved', 'monalisa']]);
    for (const review of reviews) {
      ExternalReviewSchema.parse(review);
      expect(review.pullRequestRef).toEqual(pr);
    }
  });

  it('lists branches then tags with pageSize-sized pages, one request a page', async () => {
    const { fake, forge } = setup();
    fake.seed.gitRef!(REPO, { name: 'main' });
    fake.seed.gitRef!(REPO, { name: 'dev' });
    fake.seed.gitRef!(REPO, { name: 'v1.0.0', kind: 'tag' });
    fake.reset();
    const all = await collect((o) => forge.listRefs(REPO, o));
    expect(all.map((r) => `${r.kind}:${r.name}`)).toEqual(['branch:dev', 'branch:main', 'tag:v1.0.0']);
    expect(all.map((r) => r.ref.id)).toEqual(['heads/dev', 'heads/main', 'tags/v1.0.0']);
    for (const ref of all) ExternalGitRefSchema.parse(ref);
    expect(paths(fake)).toEqual(['GET /repos/octo-org/hello-world/git/matching-refs/']);
    fake.reset();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await forge.listRefs(REPO, { pageSize: 2, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((r) => r.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([['dev', 'main'], ['v1.0.0']]);
    expect(fake.requests).toHaveLength(2);
    await expectError(forge.listRefs(REPO, { cursor: 'garbage!' }), 'invalid_input');
  });

  it('reads a commit by sha and reports an unknown sha as not_found', async () => {
    const { fake, forge } = setup();
    const ref = fake.seed.commit!(REPO, { message: 'Add docs', authorName: 'Mona Lisa', authorEmail: 'mona@example.com' });
    const commit = await forge.getCommit(REPO, ref.id);
    ExternalCommitSchema.parse(commit);
    expect(commit).toMatchObject({ sha: ref.id, message: 'Add docs', author: { name: 'Mona Lisa', email: 'mona@example.com' } });
    expect(commit.external.url).toContain(`/${REPO}/commit/${ref.id}`);
    await expectError(forge.getCommit(REPO, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'), 'not_found');
  });

  it('maps collaborator roles to permissions', async () => {
    const { fake, forge } = setup();
    fake.seed.collaborator!(REPO, { login: 'hubot', permission: 'admin' });
    fake.seed.collaborator!(REPO, { login: 'monalisa', permission: 'triage' });
    fake.seed.collaborator!(REPO, { login: 'octocat' });
    const people = await collect((o) => forge.listCollaborators(REPO, o));
    for (const person of people) ExternalCollaboratorSchema.parse(person);
    expect(people.map((p) => [p.login, p.permission])).toEqual([['hubot', 'admin'], ['monalisa', 'triage'], ['octocat', 'write']]);
    expect(fake.requests.at(-1)?.query.affiliation).toBe('all');
  });
});

describe('syncDeployKeys', () => {
  function seedKeys(fake: GitHubFake) {
    fake.seed.deployKey!(REPO, { title: 'ci', key: KEY_A, readOnly: true });
    fake.seed.deployKey!(REPO, { title: 'deploy', key: KEY_B, readOnly: true });
    fake.seed.deployKey!(REPO, { title: 'old', key: KEY_C, readOnly: false });
  }
  const desired = [
    { title: 'ci', key: `${KEY_A} ci@example`, readOnly: true }, // same key (comment ignored): unchanged
    { title: 'deploy', key: KEY_B, readOnly: false }, // flag changed: delete + create
    { title: 'mirror', key: KEY_D }, // new, read-only by default
  ];

  it('plans creates, replacements and deletes, and dryRun writes nothing', async () => {
    const { fake, forge } = setup();
    seedKeys(fake);
    fake.reset();
    const plan = await forge.syncDeployKeys(REPO, desired, { dryRun: true });
    SyncResultSchema.parse(plan);
    expect(plan).toMatchObject({ created: ['mirror'], updated: ['deploy'], deleted: ['old'], unchanged: ['ci'] });
    expect(plan.drift).toEqual([{ name: 'deploy', field: 'readOnly', expected: false, actual: true }]);
    expect(paths(fake).every((p) => p.startsWith('GET '))).toBe(true);
    expect((await collect((o) => forge.listDeployKeys(REPO, o))).map((k) => k.title)).toEqual(['ci', 'deploy', 'old']);
  });

  it('applies the plan: deletes first, then adds; a second run changes nothing', async () => {
    const { fake, forge } = setup();
    seedKeys(fake);
    fake.reset();
    const result = await forge.syncDeployKeys(REPO, desired);
    expect(result).toMatchObject({ created: ['mirror'], updated: ['deploy'], deleted: ['old'], unchanged: ['ci'] });
    const writes = paths(fake).filter((p) => !p.startsWith('GET '));
    expect(writes.map((w) => w.split(' ')[0])).toEqual(['DELETE', 'DELETE', 'POST', 'POST']);
    const keys = await collect((o) => forge.listDeployKeys(REPO, o));
    for (const key of keys) ExternalDeployKeySchema.parse(key);
    expect(keys.map((k) => [k.title, k.readOnly, k.key])).toEqual([
      ['ci', true, KEY_A],
      ['deploy', false, KEY_B],
      ['mirror', true, KEY_D],
    ]);
    const again = await forge.syncDeployKeys(REPO, desired);
    expect(again).toEqual({ created: [], updated: [], deleted: [], unchanged: ['ci', 'deploy', 'mirror'], drift: [] });
  });

  it('keeps keys nothing desires when prune is false', async () => {
    const { fake, forge } = setup();
    seedKeys(fake);
    const result = await forge.syncDeployKeys(REPO, [{ title: 'ci', key: KEY_A }], { prune: false });
    expect(result.deleted).toEqual([]);
    expect((await collect((o) => forge.listDeployKeys(REPO, o))).map((k) => k.title)).toEqual(['ci', 'deploy', 'old']);
  });

  it('reports a key used elsewhere as a conflict and how far the sync got', async () => {
    const { fake, forge } = setup();
    fake.seed.repository!('octo-org', { name: 'other' });
    fake.seed.deployKey!('octo-org/other', { title: 'shared', key: KEY_D });
    const error = await expectError(forge.syncDeployKeys(REPO, [{ title: 'mirror', key: KEY_D }]), 'conflict');
    expect(error.message).toMatch(/adding deploy key "mirror" failed after 0 of 1 changes/);
    expect(error.hint).toMatch(/once/);
  });

  it('refuses duplicate titles or keys before any request', async () => {
    const { fake, forge } = setup();
    fake.reset();
    await expectError(forge.syncDeployKeys(REPO, [{ title: 'a', key: KEY_A }, { title: 'a', key: KEY_B }]), 'invalid_input');
    await expectError(forge.syncDeployKeys(REPO, [{ title: 'a', key: KEY_A }, { title: 'b', key: `${KEY_A} again` }]), 'invalid_input');
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('plans a replaced key under the same title as an update with key drift (only public key fragments)', () => {
    const plan = planDeployKeySync([{ id: 1, title: 'deploy', key: KEY_A, read_only: true }], [{ title: 'deploy', key: KEY_B }], true);
    expect(plan.result.updated).toEqual(['deploy']);
    expect(plan.deletes.map((k) => k.id)).toEqual([1]);
    expect(plan.creates).toEqual([{ title: 'deploy', key: KEY_B, readOnly: true }]);
    expect(plan.result.drift).toEqual([{ name: 'deploy', field: 'key', expected: `ssh-ed25519 ...${KEY_B.slice(-12)}`, actual: `ssh-ed25519 ...${KEY_A.slice(-12)}` }]);
  });
});

describe('syncBranchProtection', () => {
  it('reports drift field by field; dryRun writes nothing; a sync applies it and keeps other settings', async () => {
    const { fake, forge } = setup();
    fake.seed.branchProtection!(REPO, { branch: 'main', requiredApprovingReviews: 1, requiredStatusChecks: ['ci/build'], enforceAdmins: true });
    const desired = [
      { branch: 'main', requiredApprovingReviews: 2, requiredStatusChecks: ['ci/build', 'ci/lint'], enforceAdmins: true },
      { branch: 'release', requiredApprovingReviews: 1 },
    ];
    fake.seed.gitRef!(REPO, { name: 'release' });
    fake.reset();
    const plan = await forge.syncBranchProtection(REPO, desired, { dryRun: true });
    SyncResultSchema.parse(plan);
    expect(plan).toMatchObject({ created: ['release'], updated: ['main'], unchanged: [], deleted: [] });
    expect(plan.drift).toEqual([
      { name: 'main', field: 'requiredApprovingReviews', expected: 2, actual: 1 },
      { name: 'main', field: 'requiredStatusChecks', expected: ['ci/build', 'ci/lint'], actual: ['ci/build'] },
      { name: 'release', field: 'requiredApprovingReviews', expected: 1, actual: null },
    ]);
    expect(paths(fake).every((p) => p.startsWith('GET '))).toBe(true);

    const applied = await forge.syncBranchProtection(REPO, desired);
    expect(applied).toEqual(plan);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    // The PUT replaces the whole protection: it carries the current settings plus the desired ones, checks (not contexts).
    expect(puts[0]?.body).toMatchObject({
      enforce_admins: true,
      required_status_checks: { strict: false, checks: [{ context: 'ci/build' }, { context: 'ci/lint' }] },
      required_pull_request_reviews: { required_approving_review_count: 2 },
      restrictions: null,
    });
    expect((puts[0]?.body as Record<string, Record<string, unknown>>).required_status_checks).not.toHaveProperty('contexts');

    const again = await forge.syncBranchProtection(REPO, desired);
    expect(again).toEqual({ created: [], updated: [], deleted: [], unchanged: ['main', 'release'], drift: [] });
  });

  it('removes protection from other branches only with prune', async () => {
    const { fake, forge } = setup();
    fake.seed.branchProtection!(REPO, { branch: 'main', requiredApprovingReviews: 1 });
    fake.seed.branchProtection!(REPO, { branch: 'legacy', enforceAdmins: true });
    const kept = await forge.syncBranchProtection(REPO, [{ branch: 'main', requiredApprovingReviews: 1 }]);
    expect(kept).toMatchObject({ unchanged: ['main'], deleted: [] });
    const pruned = await forge.syncBranchProtection(REPO, [{ branch: 'main', requiredApprovingReviews: 1 }], { prune: true });
    expect(pruned).toMatchObject({ unchanged: ['main'], deleted: ['legacy'] });
    const after = await forge.syncBranchProtection(REPO, [{ branch: 'legacy', enforceAdmins: true }], { dryRun: true });
    expect(after.created).toEqual(['legacy']);
  });

  it('names a missing branch and refuses duplicates', async () => {
    const { forge } = setup();
    const error = await expectError(forge.syncBranchProtection(REPO, [{ branch: 'nope', enforceAdmins: true }]), 'not_found');
    expect(error.message).toContain('"nope" does not exist');
    await expectError(forge.syncBranchProtection(REPO, [{ branch: 'main' }, { branch: 'main' }]), 'invalid_input');
  });

  it('builds the PUT body from the current protection, keeping restrictions, app-pinned checks and other flags', () => {
    const current = {
      required_status_checks: { strict: true, contexts: ['ci'], checks: [{ context: 'ci', app_id: 15368 }] },
      enforce_admins: { enabled: false },
      required_pull_request_reviews: {
        dismiss_stale_reviews: true,
        require_code_owner_reviews: false,
        required_approving_review_count: 1,
        require_last_push_approval: true,
        dismissal_restrictions: { users: [{ login: 'octocat' }], teams: [{ slug: 'core' }], apps: [] },
      },
      restrictions: { users: [], teams: [{ slug: 'release-managers' }], apps: [{ slug: 'deployer' }] },
      required_conversation_resolution: { enabled: true },
      allow_force_pushes: { enabled: false },
    };
    const body = protectionRequestBody(current, { branch: 'main', requiredStatusChecks: ['ci', 'e2e'], requireCodeOwnerReviews: true });
    expect(body).toEqual({
      required_status_checks: { strict: true, checks: [{ context: 'ci', app_id: 15368 }, { context: 'e2e' }] },
      enforce_admins: false,
      required_pull_request_reviews: {
        dismiss_stale_reviews: true,
        require_code_owner_reviews: true,
        required_approving_review_count: 1,
        require_last_push_approval: true,
        dismissal_restrictions: { users: ['octocat'], teams: ['core'] },
      },
      restrictions: { users: [], teams: ['release-managers'], apps: ['deployer'] },
      required_linear_history: false,
      allow_force_pushes: false,
      allow_deletions: false,
      required_conversation_resolution: true,
    });
  });
});

describe('repositories', () => {
  it('lists an organization\'s repositories through /orgs, private ones included', async () => {
    const { fake, forge } = setup();
    fake.seed.repository!('octo-org', { name: 'secret', visibility: 'private' });
    fake.reset();
    const repos = await collect((o) => forge.listRepositories('octo-org', o));
    for (const repo of repos) ExternalRepositorySchema.parse(repo);
    expect(repos.map((r) => [r.fullPath, r.visibility])).toEqual([['octo-org/hello-world', 'public'], ['octo-org/secret', 'private']]);
    expect(paths(fake)).toEqual([`GET /orgs/octo-org/repos`]);
  });

  it('falls back to /users for a user account, and later pages go straight there', async () => {
    const { fake, forge } = setup();
    for (const name of ['alpha', 'beta', 'gamma']) fake.seed.repository!('octocat', { name, ownerType: 'User' } as GitHubSeedRepository);
    fake.seed.repository!('octocat', { name: 'diary', visibility: 'private', ownerType: 'User' } as GitHubSeedRepository);
    fake.reset();
    const first = await forge.listRepositories('octocat', { pageSize: 2 });
    expect(first.items.map((r) => r.name)).toEqual(['alpha', 'beta']);
    expect(first.items[0]?.external.extensions.fields.ownerType).toBe('User');
    const second = await forge.listRepositories('octocat', { pageSize: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.name)).toEqual(['gamma']);
    expect(second.nextCursor).toBeNull();
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/orgs/octocat/repos', 404],
      ['GET', '/users/octocat/repos', 200],
      ['GET', '/users/octocat/repos', 200],
    ]);
  });

  it('stops a listing at the first repository older than updatedSince', async () => {
    const { fake, forge } = setup();
    fake.seed.repository!('octo-org', { name: 'old', createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' });
    fake.seed.repository!('octo-org', { name: 'fresh', createdAt: '2026-03-01T00:00:00Z', updatedAt: '2026-03-01T00:00:00Z' });
    const page = await forge.listRepositories('octo-org', { updatedSince: '2026-02-01T00:00:00Z', pageSize: 100 });
    expect(page.items.map((r) => r.name)).toEqual(['fresh']);
    expect(page.nextCursor).toBeNull();
  });

  it('creates, reads and updates a repository; a taken name is a conflict', async () => {
    const { fake, forge } = setup();
    const created = await forge.createRepository({ owner: 'octo-org', name: 'widgets', description: 'Widgets', visibility: 'private', autoInit: true });
    expect(created).toMatchObject({ ref: { scope: 'octo-org', id: 'widgets' }, visibility: 'private', defaultBranch: 'main', archived: false });
    expect(fake.requests.at(-1)?.body).toMatchObject({ name: 'widgets', visibility: 'private', auto_init: true });
    await expectError(forge.createRepository({ owner: 'octo-org', name: 'widgets' }), 'conflict');
    const updated = await forge.updateRepository(created.ref, { description: 'Better widgets', visibility: 'internal' });
    expect(updated).toMatchObject({ description: 'Better widgets', visibility: 'internal' });
    const read = await forge.getRepository(created.ref);
    expect(read.external.version.etag).toBeDefined();
    await expectError(forge.updateRepository(created.ref, { defaultBranch: 'missing' }), 'invalid_input');
    const archived = await forge.updateRepository(created.ref, { archived: true });
    expect(archived.archived).toBe(true);
    await expectError(forge.updateRepository(created.ref, { description: 'x' }), 'forbidden');
  });

  it('requires an owner to create a repository, before any request', async () => {
    const { fake, forge } = setup();
    fake.reset();
    await expectError(forge.createRepository({ name: 'orphan' }), 'invalid_input');
    expect(fake.requests).toHaveLength(0);
  });

  it('cannot create a repository for a user account with an app installation token', async () => {
    const { fake, forge } = setup();
    fake.seed.repository!('octocat', { name: 'dotfiles', ownerType: 'User' } as GitHubSeedRepository);
    fake.reset();
    await expectError(forge.createRepository({ owner: 'octocat', name: 'new-one' }), 'forbidden');
    expect(paths(fake)).toEqual(['POST /orgs/octocat/repos', 'GET /user']);
  });
});

describe('mapping', () => {
  it('strips the idempotency marker from the body but digests the source', () => {
    const ctx = createGitHubContext(GitHubConfigSchema.parse({ auth: { type: 'token', token: 'ghp_mappingtesttoken000000000000' } }));
    const pr = mapPullRequest(ctx, {
      id: 1, number: 7, state: 'open', title: 't', body: 'Text\n\n<!-- krate:idempotency-key=k1 -->', draft: false,
      head: { ref: 'f', sha: 'a'.repeat(40) }, base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'o/r' } },
      created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', labels: [{ name: 'bug' }], assignees: [],
    });
    expect(pr.body.markdown).toBe('Text');
    expect(pr.external.extensions.fields.idempotencyKey).toBe('k1');
    expect(pr.ref).toEqual({ scope: 'o/r', id: '7' });
    expect(pr.labels).toEqual(['bug']);
    expect(pr.external.url).toBeUndefined();
  });
});
