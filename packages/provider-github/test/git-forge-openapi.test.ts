import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import type { GitHubSeedPullRequest } from '../src/testing/github-fake-git-forge.js';
import { createFake } from '../src/testing/index.js';

const server = useFakeServer();

const REPO = 'octo-org/hello-world';
const API = 'https://api.github.com';

const require = createRequire(import.meta.url);
// OpenAPI 3.0 `nullable` admits null even where an enum does not list it; JSON Schema (ajv) needs it listed.
// `nullable` without `type` (on a $ref or a combinator) is not JSON Schema: it becomes `anyOf [schema, null]`.
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'), (_key, value: unknown) => {
  const node = value as { nullable?: unknown; enum?: unknown[]; type?: unknown } | null;
  if (!node || typeof node !== 'object' || node.nullable !== true) return value;
  if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum.push(null);
  if (node.type === undefined) {
    const { nullable: _nullable, ...rest } = node as Record<string, unknown>;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return value;
}) as { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>> } & Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
ajv.addSchema({ $id: 'gh', components: spec.components, paths: spec.paths });
const pointer = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
const JSON_TYPE = pointer('application/json');

function problemsOf(where: string, body: unknown): string[] {
  const validate = ajv.getSchema(`gh#${where}`) ?? ajv.compile({ $ref: `gh#${where}` });
  return validate(body) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function responseSchema(path: string, method: string, status: number): string {
  const ref = spec.paths[path]?.[method]?.responses[String(status)]?.$ref;
  const at = ref ? ref.slice(1) : `/paths/${pointer(path)}/${method}/responses/${status}`;
  return `${at}/content/${JSON_TYPE}/schema`;
}

function setup() {
  const fake = createFake();
  server.use(...fake.handlers);
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  fake.core.addPersonalToken(token, 'octocat');
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${API}${url}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return { fake, call };
}

describe('the git forge fake answers in GitHub\'s REST shapes', () => {
  it('every git forge endpoint matches the OpenAPI description', async () => {
    const { fake, call } = setup();
    const pr = fake.seed.pullRequest!(REPO, { title: 'Feature', headBranch: 'feature', body: 'Adds a feature' });
    fake.seed.review!(pr, { state: 'approved', body: 'LGTM', author: 'hubot' });
    fake.seed.gitRef!(REPO, { name: 'v1.0.0', kind: 'tag' });
    fake.seed.gitRef!(REPO, { name: 'topic' });
    const commit = fake.seed.commit!(REPO, { message: 'Docs' });
    const key = fake.seed.deployKey!(REPO, { title: 'ci', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpenApiKeyMaterial000000000000000000000000' });
    fake.seed.collaborator!(REPO, { login: 'hubot', permission: 'maintain' });
    fake.seed.branchProtection!(REPO, { branch: 'main', requiredApprovingReviews: 1, requiredStatusChecks: ['ci'], enforceAdmins: true });
    fake.seed.repository!('octo-org', { name: 'private-one', visibility: 'private' });
    const moving = fake.seed.pullRequest!(REPO, { title: 'Moving', headBranch: 'moving' });
    const dirty = fake.seed.pullRequest!(REPO, { title: 'Dirty', headBranch: 'dirty', conflict: true } as GitHubSeedPullRequest);

    const cases: Array<[string, string, string, number, unknown?]> = [
      ['/orgs/{org}/repos', 'get', '/orgs/octo-org/repos', 200],
      ['/orgs/{org}/repos', 'post', '/orgs/octo-org/repos', 201, { name: 'created', visibility: 'private', auto_init: true }],
      ['/users/{username}/repos', 'get', '/users/octo-org/repos', 200],
      ['/user/repos', 'post', '/user/repos', 201, { name: 'mine', private: true }],
      ['/user', 'get', '/user', 200],
      ['/repos/{owner}/{repo}', 'get', `/repos/${REPO}`, 200],
      ['/repos/{owner}/{repo}', 'patch', `/repos/${REPO}`, 200, { description: 'Updated', has_wiki: false }],
      ['/repos/{owner}/{repo}/pulls', 'get', `/repos/${REPO}/pulls?state=all`, 200],
      ['/repos/{owner}/{repo}/pulls', 'post', `/repos/${REPO}/pulls`, 201, { title: 'New', head: 'topic', base: 'main', draft: true }],
      ['/repos/{owner}/{repo}/pulls/{pull_number}', 'get', `/repos/${REPO}/pulls/${pr.id}`, 200],
      ['/repos/{owner}/{repo}/pulls/{pull_number}', 'patch', `/repos/${REPO}/pulls/${pr.id}`, 200, { title: 'Feature, renamed' }],
      ['/repos/{owner}/{repo}/pulls/{pull_number}/reviews', 'get', `/repos/${REPO}/pulls/${pr.id}/reviews`, 200],
      ['/repos/{owner}/{repo}/pulls/{pull_number}/merge', 'put', `/repos/${REPO}/pulls/${moving.id}/merge`, 409, { sha: 'f'.repeat(40) }],
      ['/repos/{owner}/{repo}/pulls/{pull_number}/merge', 'put', `/repos/${REPO}/pulls/${dirty.id}/merge`, 405, {}],
      ['/repos/{owner}/{repo}/git/matching-refs/{ref}', 'get', `/repos/${REPO}/git/matching-refs/heads`, 200],
      ['/repos/{owner}/{repo}/commits/{ref}', 'get', `/repos/${REPO}/commits/${commit.id}`, 200],
      ['/repos/{owner}/{repo}/commits/{ref}', 'get', `/repos/${REPO}/commits/main`, 200],
      ['/repos/{owner}/{repo}/keys', 'get', `/repos/${REPO}/keys`, 200],
      ['/repos/{owner}/{repo}/keys', 'post', `/repos/${REPO}/keys`, 201, { title: 'deploy', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpenApiSecondKey00000000000000000000000000 me@host', read_only: false }],
      ['/repos/{owner}/{repo}/keys/{key_id}', 'get', `/repos/${REPO}/keys/${key.id}`, 200],
      ['/repos/{owner}/{repo}/collaborators', 'get', `/repos/${REPO}/collaborators`, 200],
      ['/repos/{owner}/{repo}/branches', 'get', `/repos/${REPO}/branches?protected=true`, 200],
      ['/repos/{owner}/{repo}/branches/{branch}/protection', 'get', `/repos/${REPO}/branches/main/protection`, 200],
      [
        '/repos/{owner}/{repo}/branches/{branch}/protection',
        'put',
        `/repos/${REPO}/branches/topic/protection`,
        200,
        {
          required_status_checks: { strict: true, checks: [{ context: 'ci', app_id: 15368 }] },
          enforce_admins: false,
          required_pull_request_reviews: { required_approving_review_count: 2, dismissal_restrictions: { users: ['octocat'], teams: ['core'] } },
          restrictions: { users: [], teams: ['release'], apps: [] },
          required_conversation_resolution: true,
        },
      ],
    ];
    const problems: string[] = [];
    for (const [path, method, url, status, body] of cases) {
      const res = await call(method.toUpperCase(), url, body);
      if (res.status !== status) problems.push(`${method} ${url}: status ${res.status}, expected ${status} (${JSON.stringify(res.body)})`);
      else for (const p of problemsOf(responseSchema(path, method, status), res.body)) problems.push(`${method} ${url}:${p}`);
    }
    // Once its required check passes, the approved pull request merges; the answer is GitHub's merge result.
    const head = ((await call('GET', `/repos/${REPO}/pulls/${pr.id}`)).body as { head: { sha: string } }).head.sha;
    const blocked = await call('PUT', `/repos/${REPO}/pulls/${pr.id}/merge`, {});
    expect([blocked.status, (blocked.body as { message: string }).message]).toEqual([405, 'Required status check "ci" is expected.']);
    expect((await call('POST', `/repos/${REPO}/statuses/${head}`, { state: 'success', context: 'ci' })).status).toBe(201);
    const merged = await call('PUT', `/repos/${REPO}/pulls/${pr.id}/merge`, { merge_method: 'squash' });
    expect(merged.status).toBe(200);
    problems.push(...problemsOf(responseSchema('/repos/{owner}/{repo}/pulls/{pull_number}/merge', 'put', 200), merged.body));
    const deleted = await call('DELETE', `/repos/${REPO}/keys/${key.id}`);
    expect(deleted.status).toBe(204);
    expect(problems).toEqual([]);
  });

  it('answers GitHub\'s errors: 422 details, 404 "Branch not protected", 409 for an empty repository, refused protection bodies', async () => {
    const { fake, call } = setup();
    fake.seed.pullRequest!(REPO, { title: 'Existing', headBranch: 'dup' });
    const exists = await call('POST', `/repos/${REPO}/pulls`, { title: 'Again', head: 'octo-org:dup', base: 'main' });
    expect(exists.status).toBe(422);
    expect(exists.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for octo-org:dup.' }],
      documentation_url: expect.any(String),
    });
    const noDiff = await call('POST', `/repos/${REPO}/pulls`, { title: 'Same', head: 'main', base: 'main' });
    expect(noDiff.body).toMatchObject({ errors: [{ message: 'No commits between main and main' }] });

    const unprotected = await call('GET', `/repos/${REPO}/branches/dup/protection`);
    expect([unprotected.status, (unprotected.body as { message: string }).message]).toEqual([404, 'Branch not protected']);
    const missing = await call('GET', `/repos/${REPO}/branches/nope/protection`);
    expect([missing.status, (missing.body as { message: string }).message]).toEqual([404, 'Branch not found']);
    const both = await call('PUT', `/repos/${REPO}/branches/main/protection`, {
      required_status_checks: { strict: true, contexts: ['ci'], checks: [{ context: 'ci' }] },
      enforce_admins: true,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    expect(both.status).toBe(422);
    expect((both.body as { message: string }).message).toMatch(/More than one subschema in "oneOf" matched/);
    const partial = await call('PUT', `/repos/${REPO}/branches/main/protection`, { enforce_admins: true });
    expect((partial.body as { message: string }).message).toMatch(/"required_status_checks" wasn't supplied/);

    fake.seed.repository!('octo-org', { name: 'fresh' });
    fake.core.ensureRepo('octo-org', 'bare');
    const empty = await call('GET', '/repos/octo-org/bare/git/matching-refs/heads');
    expect([empty.status, (empty.body as { message: string }).message]).toEqual([409, 'Git Repository is empty.']);
    const unknownSha = await call('GET', `/repos/${REPO}/commits/${'e'.repeat(40)}`);
    expect([unknownSha.status, (unknownSha.body as { message: string }).message]).toEqual([422, `No commit found for SHA: ${'e'.repeat(40)}`]);

    const badKey = await call('POST', `/repos/${REPO}/keys`, { title: 'x', key: 'not a key' });
    expect(badKey.body).toMatchObject({ errors: [{ resource: 'PublicKey', field: 'key', code: 'custom' }] });
  });

  it('refuses routes an installation lacks the App permission for', async () => {
    const { fake } = setup();
    fake.seed.gitRef!(REPO, { name: 'main' });
    const installation = fake.core.ensureOwner('octo-org');
    (installation.permissions as Record<string, string>).administration = 'read';
    server.use(...fake.handlers);
    const { createGitHubProvider } = await import('../src/github-provider.js');
    const forge = createGitHubProvider(fake.config, fake.context).gitForge!;
    await expect(forge.syncBranchProtection(REPO, [{ branch: 'main', enforceAdmins: true }])).rejects.toMatchObject({ code: 'forbidden' });
    const listed = await forge.listDeployKeys(REPO);
    expect(listed.items).toEqual([]);
  });
});

describe('the git forge fake\'s webhook deliveries match GitHub\'s payload schemas', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['repository', 'edited', 'webhook-repository-edited'],
    ['repository', 'archived', 'webhook-repository-archived'],
    ['pull_request', 'opened', 'webhook-pull-request-opened'],
    ['pull_request', 'edited', 'webhook-pull-request-edited'],
    ['pull_request_review', 'submitted', 'webhook-pull-request-review-submitted'],
    ['pull_request_review_comment', 'created', 'webhook-pull-request-review-comment-created'],
    ['push', undefined, 'webhook-push'],
    ['create', undefined, 'webhook-create'],
    ['delete', undefined, 'webhook-delete'],
    ['branch_protection_rule', 'edited', 'webhook-branch-protection-rule-edited'],
    ['branch_protection_rule', 'created', 'webhook-branch-protection-rule-created'],
    ['deploy_key', 'created', 'webhook-deploy-key-created'],
  ];

  it.each(cases)('%s %s', (event, action, schema) => {
    const fake = createFake();
      const pr = fake.seed.pullRequest!(REPO, { title: 'Hooked', headBranch: 'hooked' });
    const refs: Record<string, { scope: string; id: string } | undefined> = {
      repository: { scope: 'octo-org', id: 'hello-world' },
      pull_request: pr,
      pull_request_review: fake.seed.review!(pr, { state: 'commented', body: 'Hmm' }),
      pull_request_review_comment: pr,
      push: { scope: REPO, id: 'heads/hooked' },
      create: { scope: REPO, id: 'tags/v2' },
      delete: { scope: REPO, id: 'heads/gone' },
      branch_protection_rule: fake.seed.branchProtection!(REPO, { branch: 'main', requiredStatusChecks: ['ci'] }),
      deploy_key: undefined,
    };
    const delivery = fake.webhook(event, { ...(action ? { action } : {}), ...(refs[event] ? { ref: refs[event] } : {}) });
    const headers = delivery.headers as Record<string, string>;
    expect(headers['x-github-event']).toBe(event);
    const payload = JSON.parse(String(delivery.rawBody)) as Record<string, unknown>;
    if (action) expect(payload.action).toBe(action);
    expect(problemsOf(`/components/schemas/${schema}`, payload)).toEqual([]);
  });
});
