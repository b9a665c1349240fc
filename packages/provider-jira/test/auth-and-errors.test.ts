import { staticSecretResolver } from '@krate/core';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import plugin, { JiraConfigSchema } from '../src/index.js';
import { createFake, JIRA_FAKE_CLOUD_ID, JIRA_FAKE_GATEWAY, JIRA_FAKE_PROJECT, JIRA_FAKE_SITE } from '../src/testing/index.js';

const server = useFakeServer();
const P = JIRA_FAKE_PROJECT;

describe('auth', () => {
  it('API token + email as basic auth against the site', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    await instance.issueTracking!.getIssue(ref);
    expect(fake.requests[0]!.headers.authorization).toBe('[REDACTED]');
  });

  it('a scoped token is refused on the site URL (401) and works through the gateway, browse links stay on the site', async () => {
    const site = startProvider(server, plugin, createFake, { fake: { auth: 'scoped' } });
    const ref = site.fake.seed.issue!(P, { title: 't' });
    const refused = await errorOf(site.instance.issueTracking!.getIssue(ref));
    expect(refused.code).toBe('unauthenticated');
    expect(refused.hint).toMatch(/cloudId/);

    const gateway = startProvider(server, plugin, createFake, { fake: { auth: 'scoped', baseUrl: JIRA_FAKE_GATEWAY } });
    expect(gateway.fake.config).toMatchObject({ siteUrl: JIRA_FAKE_SITE, cloudId: JIRA_FAKE_CLOUD_ID });
    expect(gateway.fake.config.apiBaseUrl).toBeUndefined();
    const gref = gateway.fake.seed.issue!(P, { title: 'through the gateway' });
    const issue = await gateway.instance.issueTracking!.getIssue(gref);
    expect(issue.external.url).toBe(`${JIRA_FAKE_SITE}/browse/${gref.id}`);
    expect(gateway.fake.requests[0]!.path).toBe(`/ex/jira/${JIRA_FAKE_CLOUD_ID}/rest/api/3/issue/${gref.id}`);
  });

  it('OAuth 2.0 (3LO): a bearer token through the gateway; cloudId is required', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { fake: { auth: 'oauth2', baseUrl: JIRA_FAKE_GATEWAY } });
    const ref = fake.seed.issue!(P, { title: 'oauth' });
    expect((await instance.issueTracking!.getIssue(ref)).title).toBe('oauth');
    const parsed = JiraConfigSchema.safeParse({ siteUrl: JIRA_FAKE_SITE, auth: { type: 'oauth2', accessToken: 'x' } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/cloudId/);
  });

  it('credentials can be secret references; resolved values never show in errors', async () => {
    const fake = createFake();
    server.use(...fake.handlers);
    const token = (fake.config.auth as { apiToken: string }).apiToken;
    const instance = plugin.create(
      { ...fake.config, auth: { type: 'basic', email: 'bot@krate.example', apiToken: { secretRef: { name: 'jira', key: 'token' } } }, webhookSecret: { secretRef: { name: 'jira', key: 'hook' } } },
      { secrets: staticSecretResolver({ 'jira#token': token, 'jira#hook': fake.config.webhookSecret as string, jira: token }) },
    );
    const ref = fake.seed.issue!(P, { title: 't' });
    expect((await instance.issueTracking!.getIssue(ref)).title).toBe('t');
    fake.faults.status(403, { times: Infinity });
    const error = await errorOf(instance.issueTracking!.getIssue(ref));
    const text = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const secret of fake.secrets) expect(text).not.toContain(secret);
    expect((await instance.webhooks!.receive(fake.webhook('jira:issue_updated', { ref }))).events.length).toBeGreaterThan(0);
  });
});

describe('rate limits', () => {
  it('an ISO X-RateLimit-Reset without Retry-After is read as an instant (not "2026 seconds")', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    const reset = new Date(Date.now() + 90_000).toISOString().slice(0, 16) + 'Z';
    server.use(
      (await import('msw')).http.get(`${JIRA_FAKE_SITE}/rest/api/3/issue/:key`, () =>
        new Response(JSON.stringify({ errorMessages: ['Rate limit exceeded.'] }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, 'ratelimit-reason': 'jira-quota-tenant-based' },
        }),
      ),
    );
    const error = await errorOf(instance.issueTracking!.getIssue(ref));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(29_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(100_000);
    const snapshot = instance.rateLimit();
    expect(snapshot?.resetAt).toBe(new Date(Date.parse(reset)).toISOString());
  });

  it('a 429 with Retry-After is retried when the wait is short, and the call succeeds', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake, { config: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 2000 } } });
    const ref = fake.seed.issue!(P, { title: 't' });
    fake.faults.rateLimit({ times: 1, retryAfterSeconds: 1 });
    expect((await instance.issueTracking!.getIssue(ref)).title).toBe('t');
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('a 503 with Retry-After is rate_limited too', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    fake.faults.rateLimit({ times: Infinity, status: 503, retryAfterSeconds: 5 });
    const error = await errorOf(instance.issueTracking!.getIssue(ref));
    expect([error.code, error.retryAfterMs]).toEqual(['rate_limited', 5000]);
  });

  it('per-issue write limits surface as rate_limited for that issue; other issues go on', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.state.perIssueWriteLimit = 2;
    const hot = fake.seed.issue!(P, { title: 'hot' });
    const cold = fake.seed.issue!(P, { title: 'cold' });
    await instance.issueTracking!.updateIssue(hot, { title: 'hot 1' });
    await instance.issueTracking!.updateIssue(hot, { title: 'hot 2' });
    const error = await errorOf(instance.issueTracking!.updateIssue(hot, { title: 'hot 3' }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.message).toContain(hot.id);
    expect(error.message).toContain('jira-per-issue-on-write');
    expect((await instance.issueTracking!.updateIssue(cold, { title: 'cold 1' })).title).toBe('cold 1');
  });
});

describe('errors', () => {
  it('Jira\'s error body is in the message; a missing issue is not_found naming the key', async () => {
    const { instance } = startProvider(server, plugin, createFake);
    const error = await errorOf(instance.issueTracking!.getIssue({ scope: P, id: `${P}-999` }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain(`${P}-999`);
    expect(error.message).toContain('Issue does not exist');
  });

  it('field errors of a 400 are invalid_input naming the field', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    const error = await errorOf(instance.issueTracking!.updateIssue(ref, { labels: ['has space'] }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('labels: The label must not contain spaces.');
  });

  it('bad refs and scopes are invalid_input before any request', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    fake.reset();
    expect((await errorOf(instance.issueTracking!.getIssue({ scope: P, id: '12' }))).code).toBe('invalid_input');
    expect((await errorOf(instance.issueTracking!.listIssues('krate lower'))).code).toBe('invalid_input');
    expect((await errorOf(instance.issueTracking!.updateComment({ scope: P, id: 'x' }, { body: 'b' }))).code).toBe('invalid_input');
    expect(fake.requests).toEqual([]);
  });

  it('every request goes through the transport (onRequest sees them)', async () => {
    const seen: string[] = [];
    const { fake, instance } = startProvider(server, plugin, createFake, { context: { onRequest: (r) => seen.push(`${r.method} ${new URL(r.url).pathname}`) } });
    const ref = fake.seed.issue!(P, { title: 't' });
    await instance.issueTracking!.closeIssue(ref);
    expect(seen).toEqual([
      `GET /rest/api/3/issue/${ref.id}`,
      `GET /rest/api/3/issue/${ref.id}/transitions`,
      `POST /rest/api/3/issue/${ref.id}/transitions`,
      `GET /rest/api/3/issue/${ref.id}`,
    ]);
  });

  it('an aborted call stops without a retry', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    const ref = fake.seed.issue!(P, { title: 't' });
    fake.faults.timeout({ times: Infinity });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await errorOf(instance.issueTracking!.getIssue(ref, { signal: controller.signal }));
    expect(['timeout', 'upstream_unavailable']).toContain(error.code);
    expect(fake.requests).toHaveLength(1);
  });
});
