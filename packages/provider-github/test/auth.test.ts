import { generateKeyPairSync } from 'node:crypto';
import { ProviderError, staticSecretResolver, type RequestRecord } from '@krate/core';
import { describe, expect, it } from 'vitest';
import { createGitHubProvider } from '../src/index.js';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { githubPlugin } from '../src/github-provider.js';
import { createFake, type GitHubFake } from '../src/testing/index.js';

const server = useFakeServer();

/** Installation token requests the fake answered. */
const tokenRequests = (fake: GitHubFake) => fake.authRequests.filter((r) => r.method === 'POST' && r.path.endsWith('/access_tokens')).length;
/** Installation look-ups the fake answered. */
const installationLookups = (fake: GitHubFake) => fake.authRequests.filter((r) => r.method === 'GET' && r.path.endsWith('/installation')).length;
const SCOPE = 'octo-org/hello-world';

describe('GitHub App auth', () => {
  it('mints an installation token with a JWT the fake verifies against the app public key', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.seed.issue!(SCOPE, { title: 'First' });
    const page = await h.instance.issueTracking!.listIssues(SCOPE);
    expect(page.items.map((i) => i.title)).toEqual(['First']);
    expect(h.fake.authRequests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/orgs/octo-org/installation', status: 200 }),
      expect.objectContaining({ method: 'POST', path: expect.stringMatching(/^\/app\/installations\/\d+\/access_tokens$/), status: 201 }),
    ]);
    // The API request carried the installation token, never the JWT.
    expect(h.fake.requests[0]!.headers.authorization).toBe('[REDACTED]');
  });

  it('is refused with unauthenticated when the JWT is signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const h = startProvider(server, githubPlugin, createFake, { config: { auth: { type: 'app', appId: String(90_210), privateKey: other } } });
    const error = await errorOf(h.instance.issueTracking!.listIssues(SCOPE));
    expect(error.code).toBe('unauthenticated');
    expect(error.hint).toMatch(/App ID and private key/);
    // Refused, re-signed once, refused again; no API request was sent.
    expect(h.fake.authRequests.map((r) => r.status)).toEqual([401, 401]);
    expect(h.fake.requests).toHaveLength(0);
    expect(JSON.stringify(error)).not.toContain('PRIVATE KEY');
  });

  it('caches the installation token across calls', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Cached' });
    await h.instance.issueTracking!.getIssue(ref);
    await h.instance.issueTracking!.getIssue(ref);
    await h.instance.issueTracking!.listIssues(SCOPE);
    expect(tokenRequests(h.fake)).toBe(1);
    expect(installationLookups(h.fake)).toBe(1);
    expect(h.fake.requests).toHaveLength(3);
  });

  it('sends one token request for 20 concurrent calls (single flight)', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Raced' });
    const results = await Promise.all(Array.from({ length: 20 }, () => h.instance.issueTracking!.getIssue(ref)));
    expect(results.every((r) => r.title === 'Raced')).toBe(true);
    expect(tokenRequests(h.fake)).toBe(1);
    expect(installationLookups(h.fake)).toBe(1);
    expect(h.fake.requests).toHaveLength(20);
  });

  it('re-mints once when GitHub answers 401 for a revoked installation token', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Revoked' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.core.revokeInstallationTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => h.instance.issueTracking!.getIssue(ref)));
    expect(results.every((r) => r.title === 'Revoked')).toBe(true);
    // One token for the warm-up, one re-mint shared by the 20 refused calls.
    expect(tokenRequests(h.fake)).toBe(2);
    const statuses = h.fake.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(21);
  });

  it('re-mints only once: a fresh token that is refused too is unauthenticated', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Refused' });
    await h.instance.issueTracking!.getIssue(ref);
    h.fake.core.revokeInstallationTokens();
    h.fake.core.tokenLifetimeSeconds = -60; // every new token is already expired
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('unauthenticated');
    expect(error.operation).toBe('getIssue');
    expect(tokenRequests(h.fake)).toBe(2);
    expect(h.fake.requests.map((r) => r.status)).toEqual([200, 401, 401]);
  });

  it('refreshes a token that is about to expire before using it', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.core.tokenLifetimeSeconds = 120; // inside the 5 minute refresh margin
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Short-lived' });
    await h.instance.issueTracking!.getIssue(ref);
    await h.instance.issueTracking!.getIssue(ref);
    expect(tokenRequests(h.fake)).toBe(2);
    expect(h.fake.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('looks the installation up once per owner (org, then user account)', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    h.fake.core.ensureOwner('octo-user', 'User');
    h.fake.core.ensureRepo('octo-user', 'dotfiles');
    h.fake.core.ensureRepo('other-org', 'tools');
    for (let i = 0; i < 3; i++) {
      await h.instance.issueTracking!.listIssues(SCOPE);
      await h.instance.issueTracking!.listIssues('octo-user/dotfiles');
      await h.instance.issueTracking!.listIssues('other-org/tools');
    }
    const lookups = h.fake.authRequests.filter((r) => r.method === 'GET').map((r) => `${r.path} ${r.status}`);
    expect(lookups).toEqual([
      '/orgs/octo-org/installation 200',
      '/orgs/octo-user/installation 404',
      '/users/octo-user/installation 200',
      '/orgs/other-org/installation 200',
    ]);
    // One token per installation.
    expect(tokenRequests(h.fake)).toBe(3);
  });

  it('uses a configured installationId without any lookup', async () => {
    const probe = startProvider(server, githubPlugin, createFake);
    const installationId = probe.fake.core.ensureOwner('octo-org').id;
    const h = startProvider(server, githubPlugin, createFake, { config: { auth: { type: 'app', appId: 90_210, privateKey: probe.fake.core.app.privateKeyPem, installationId } } });
    await h.instance.issueTracking!.listIssues(SCOPE);
    expect(installationLookups(h.fake)).toBe(0);
    expect(tokenRequests(h.fake)).toBe(1);
  });

  it('rejects a bad private key with invalid_config before sending anything', async () => {
    const fake = createFake();
    server.use(...fake.handlers);
    // An inline key is checked when the instance is created.
    const error = await errorOf(Promise.resolve().then(() => githubPlugin.create({ ...fake.config, auth: { type: 'app', appId: '90210', privateKey: '-----BEGIN RSA PRIVATE KEY-----\nnot-a-key\n-----END RSA PRIVATE KEY-----' } })));
    const h = { fake };
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/auth\.privateKey is not a valid PEM private key/);
    expect(error.message).not.toContain('not-a-key');
    expect(h.fake.authRequests).toHaveLength(0);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('rejects a non-RSA key with invalid_config', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const fake = createFake();
    const error = await errorOf(Promise.resolve().then(() => githubPlugin.create({ ...fake.config, auth: { type: 'app', appId: '90210', privateKey: ec } })));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/RS256/);
  });

  it('names the owner when the app is not installed there', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const error = await errorOf(h.instance.issueTracking!.listIssues('nobody-org/repo'));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('the GitHub App is not installed on "nobody-org"');
    expect(error.hint).toMatch(/install the app on nobody-org/);
    // A failed lookup is not cached: the next call asks again.
    await errorOf(h.instance.issueTracking!.listIssues('nobody-org/repo'));
    expect(installationLookups(h.fake)).toBe(4);
  });

  it('reports an unknown configured installation as not_found with a hint', async () => {
    const probe = startProvider(server, githubPlugin, createFake);
    const h = startProvider(server, githubPlugin, createFake, { config: { auth: { type: 'app', appId: 90_210, privateKey: probe.fake.core.app.privateKeyPem, installationId: 987654 } } });
    const error = await errorOf(h.instance.issueTracking!.listIssues(SCOPE));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('installation 987654 was not found');
    expect(error.hint).toMatch(/installationId/);
  });

  it('reports a suspended installation as forbidden', async () => {
    const h = startProvider(server, githubPlugin, createFake);
    const installation = h.fake.core.ensureOwner('octo-org');
    h.fake.core.state.installations.update(installation.id, { suspended_at: '2026-01-01T00:00:00Z' });
    const error = await errorOf(h.instance.issueTracking!.listIssues(SCOPE));
    expect(error.code).toBe('forbidden');
    expect(error.hint).toMatch(/suspended/);
  });

  it('resolves appId and privateKey secret references lazily through the context resolver', async () => {
    const probe = startProvider(server, githubPlugin, createFake);
    let resolved = 0;
    const values = staticSecretResolver({ 'github-app#private-key.pem': probe.fake.core.app.privateKeyPem, 'github-app#app-id': '90210' });
    const secrets = { resolve: (ref: { name: string; key?: string }) => (resolved++, values.resolve(ref)) };
    const h = startProvider(server, githubPlugin, createFake, {
      config: {
        auth: { type: 'app', appId: { secretRef: { name: 'github-app', key: 'app-id' } }, privateKey: { secretRef: { name: 'github-app', key: 'private-key.pem' } } },
      },
      context: { secrets },
    });
    expect(resolved).toBe(0);
    h.fake.seed.issue!(SCOPE, { title: 'Via refs' });
    await h.instance.issueTracking!.listIssues(SCOPE);
    await h.instance.issueTracking!.listIssues(SCOPE);
    expect(resolved).toBe(2);
  });

  it('fails with invalid_config naming the reference when no resolver is given', async () => {
    const h = startProvider(server, githubPlugin, createFake, {
      config: { auth: { type: 'app', appId: 90_210, privateKey: { secretRef: { name: 'github-app', key: 'private-key.pem' } } } },
      context: {},
    });
    const error = await errorOf(h.instance.issueTracking!.listIssues(SCOPE));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('github-app#private-key.pem');
  });

  it('never puts the token in request records, errors or results', async () => {
    const records: RequestRecord[] = [];
    const h = startProvider(server, githubPlugin, createFake, { context: { onRequest: (r) => records.push(r) } });
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Quiet' });
    const issue = await h.instance.issueTracking!.getIssue(ref);
    h.fake.faults.status(401, { times: Infinity });
    const error = await errorOf(h.instance.issueTracking!.getIssue(ref));
    const everything = JSON.stringify({ records, issue, error, message: error.message, stack: error.stack, cause: String((error as { cause?: unknown }).cause) });
    for (const secret of h.fake.secrets) expect(everything).not.toContain(secret);
    expect(h.fake.core.tokens().length).toBeGreaterThan(0);
  });
});

describe('token auth', () => {
  it('uses a personal access token without app requests', async () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const probe = startProvider(server, githubPlugin, createFake);
    probe.fake.core.addPersonalToken(token, 'octocat');
    probe.fake.seed.issue!(SCOPE, { title: 'By token' });
    const instance = createGitHubProvider({ ...probe.fake.config, auth: { type: 'token', token } });
    const page = await instance.issueTracking!.listIssues(SCOPE);
    expect(page.items.map((i) => i.title)).toEqual(['By token']);
    expect(probe.fake.authRequests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('is unauthenticated with a token hint for a revoked token, without retrying', async () => {
    const probe = startProvider(server, githubPlugin, createFake);
    const instance = createGitHubProvider({ ...probe.fake.config, auth: { type: 'token', token: 'ghp_revokedrevokedrevokedrevoked0000' } });
    const mark = probe.fake.requests.length;
    const error = await errorOf(instance.issueTracking!.listIssues(SCOPE));
    expect(error.code).toBe('unauthenticated');
    expect(error.hint).toMatch(/token is invalid, expired or revoked/);
    expect(error.message).not.toContain('ghp_revoked');
    expect(probe.fake.requests.slice(mark).map((r) => r.status)).toEqual([401]);
  });
});

describe('GitHub Enterprise Server', () => {
  it('authenticates and lists against https://<host>/api/v3 with web links on the host', async () => {
    const h = startProvider(server, githubPlugin, createFake, { fake: { baseUrl: 'https://ghe.example.com/api/v3' } });
    const ref = h.fake.seed.issue!(SCOPE, { title: 'On GHES' });
    const issue = await h.instance.issueTracking!.getIssue(ref);
    expect(issue.external.url).toBe(`https://ghe.example.com/octo-org/hello-world/issues/${ref.id}`);
    expect(issue.external.apiUrl).toBe(`https://ghe.example.com/api/v3/repos/octo-org/hello-world/issues/${ref.id}`);
    expect(h.fake.authRequests.map((r) => r.path)).toEqual([
      '/api/v3/orgs/octo-org/installation',
      expect.stringMatching(/^\/api\/v3\/app\/installations\/\d+\/access_tokens$/),
    ]);
  });
});
