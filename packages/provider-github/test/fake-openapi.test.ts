import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FakeRoute } from '@krate/contract-tests/kit';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFake, GITHUB_FAKE_MODULES, type GitHubFake } from '../src/testing/index.js';
import { useFakeServer } from '@krate/contract-tests';

/**
 * Every REST route the fake serves answers in the shape GitHub's published OpenAPI
 * description (`@octokit/openapi`, api.github.com) gives for it: each route is called
 * once with seeded data, and every 2xx JSON answer is validated against the
 * operation's response schema (required properties and types; OpenAPI `nullable`
 * honoured, formats not checked). Error bodies are checked against `basic-error` and
 * `validation-error`. GraphQL is not part of the REST description and is left out.
 */

type Json = Record<string, unknown>;
type Spec = { paths: Record<string, Record<string, Json>>; components: Json };

const server = useFakeServer();
const require = createRequire(import.meta.url);
const TOKEN = 'ghp_openapiopenapiopenapiopenapi000000';

/** OpenAPI 3.0 `nullable` in JSON Schema terms: `type: [t, 'null']`, `null` in enums, `anyOf` without a type. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = toJsonSchema(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let spec: Spec;
let ajv: Ajv;
const compiled = new Map<string, ValidateFunction>();

function specPathFor(route: FakeRoute): string | undefined {
  const wanted = route.path.replace(/:[A-Za-z_]+/g, '{}').replace(/\/\*$/, '/{}');
  const find = (path: string) => Object.keys(spec.paths).find((p) => p.replace(/\{[^}]+\}/g, '{}') === path && spec.paths[p]![route.method.toLowerCase()]);
  // A route that serves a documented operation with its last path parameter empty
  // (`git/matching-refs/` lists every ref) is that operation.
  return find(wanted) ?? find(`${wanted}/{}`);
}

function responseValidator(specPath: string, method: string, status: number): ValidateFunction | undefined {
  const key = `${method} ${specPath} ${status}`;
  if (compiled.has(key)) return compiled.get(key);
  const operation = spec.paths[specPath]![method.toLowerCase()] as { responses: Record<string, Json> };
  let response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) return undefined;
  if (typeof response.$ref === 'string') response = (spec.components.responses as Record<string, Json>)[response.$ref.split('/').pop()!]!;
  const schema = ((response.content as Record<string, { schema?: Json }> | undefined)?.['application/json'])?.schema;
  if (!schema) return undefined;
  const rewritten = toJsonSchema(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"gh#/components/'))) as Json;
  const validate = ajv.compile(rewritten);
  compiled.set(key, validate);
  return validate;
}

/**
 * Operations whose published response schema contradicts the component it copies;
 * their answers are validated against the component instead.
 */
const SPEC_QUIRKS: Record<string, { component: string; array: boolean; reason: string }> = {
  'GET /app/installations': {
    component: 'installation',
    array: true,
    reason: 'the operation inlines installation.account as allOf [simple-user, enterprise], which no account satisfies; components.schemas.installation says anyOf',
  },
};

function componentValidator(name: string): ValidateFunction {
  return ajv.compile({ $ref: `gh#/components/schemas/${name}` });
}

function appJwt(fake: GitHubFake): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const data = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 30, exp: now + 540, iss: fake.core.app.id })}`;
  const signature = createSign('RSA-SHA256').update(data).sign(fake.core.app.privateKeyPem).toString('base64url');
  return `${data}.${signature}`;
}

interface Answer {
  route: FakeRoute;
  status: number;
  body: unknown;
}

beforeAll(() => {
  spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Spec;
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'gh', components: toJsonSchema(spec.components) } as Json, undefined, undefined, false);
}, 60_000);

describe('the GitHub fake against the OpenAPI description', () => {
  it('every REST route of the fake is a documented GitHub operation, and every 2xx JSON answer matches its schema', async () => {
    const fake = createFake();
    server.use(...fake.handlers);
    fake.core.addPersonalToken(TOKEN, 'octocat');
    const scope = 'octo-org/hello-world';
    const { seed, core } = fake;

    // One of everything, so every route has something to answer about.
    const issue = seed.issue!(scope, { title: 'OpenAPI issue', body: 'Body', labels: ['bug'], assignees: ['octocat'] });
    const comment = seed.comment!(issue, { body: 'OpenAPI comment' });
    const label = seed.label!(scope, { name: 'triage', color: 'fbca04', description: 'Needs triage' });
    const milestone = seed.milestone!(scope, { title: 'OpenAPI milestone', dueOn: '2026-03-01T00:00:00Z' });
    const event = seed.issueEvent!(issue, { kind: 'labeled', actor: 'octocat' });
    const run = seed.pipeline?.(scope, { name: 'ci', status: 'succeeded', sha: 'a'.repeat(40) });
    const running = seed.pipeline?.(scope, { name: 'ci', status: 'running', sha: 'b'.repeat(40) });
    const failed = seed.pipeline?.(scope, { name: 'ci', status: 'failed', sha: 'c'.repeat(40) });
    const failedAgain = seed.pipeline?.(scope, { name: 'ci', status: 'failed', sha: 'd'.repeat(40) });
    const job = run ? seed.job?.(run, { name: 'build', status: 'succeeded', log: 'ok' }) : undefined;
    const artifact = run ? seed.artifact?.(run, { name: 'dist.zip', sizeBytes: 2048 }) : undefined;
    seed.runner?.('octo-org', { name: 'org-runner', status: 'online', labels: ['linux'] });
    seed.runner?.(scope, { name: 'repo-runner', status: 'offline' });
    const pull = seed.pullRequest?.(scope, { title: 'OpenAPI pull request', headBranch: 'openapi-head', baseBranch: 'main' });
    seed.review?.(pull!, { state: 'approved', body: 'LGTM', author: 'hubot' });
    seed.gitRef?.(scope, { name: 'openapi-feature', kind: 'branch' });
    const commit = seed.commit?.(scope, { message: 'OpenAPI commit', sha: 'e'.repeat(40) });
    const key = seed.deployKey?.(scope, { title: 'openapi-key', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpenApiTestKeyOnly000000000000000000000000', readOnly: true });
    seed.collaborator?.(scope, { login: 'hubot', permission: 'write' });
    seed.branchProtection?.(scope, { branch: 'main', requiredApprovingReviews: 1 });
    core.ensureOwner('octo-user', 'User');
    const installationId = core.ensureOwner('octo-org').id;

    const params: Record<string, string> = {
      owner: 'octo-org',
      repo: 'hello-world',
      org: 'octo-org',
      username: 'octo-user',
      installation_id: String(installationId),
      issue_number: issue.id,
      comment_id: comment.id,
      name: label.id,
      milestone_number: milestone.id,
      event_id: event.id,
      ...(run ? { run_id: run.id } : {}),
      ...(job ? { job_id: job.id } : {}),
      ...(artifact ? { artifact_id: artifact.id } : {}),
      ref: 'a'.repeat(40),
      sha: 'a'.repeat(40),
      ...(pull ? { number: pull.id } : {}),
      ...(key ? { id: key.id } : {}),
      branch: 'main',
      '*': 'heads/main',
    };
    const perRoute: Record<string, Record<string, string | undefined>> = {
      'POST /repos/:owner/:repo/actions/runs/:run_id/cancel': { run_id: running?.id },
      'POST /repos/:owner/:repo/actions/runs/:run_id/rerun': { run_id: failed?.id },
      'POST /repos/:owner/:repo/actions/runs/:run_id/rerun-failed-jobs': { run_id: failedAgain?.id },
      'GET /repos/:owner/:repo/commits/:ref': { ref: commit?.id },
    };
    const bodies: Record<string, unknown> = {
      'POST /app/installations/:installation_id/access_tokens': {},
      'POST /repos/:owner/:repo/issues': { title: 'Created for OpenAPI', labels: ['bug'] },
      'PATCH /repos/:owner/:repo/issues/:issue_number': { title: 'Renamed for OpenAPI', state: 'closed', state_reason: 'not_planned' },
      'POST /repos/:owner/:repo/issues/:issue_number/comments': { body: 'Another comment' },
      'PATCH /repos/:owner/:repo/issues/comments/:comment_id': { body: 'Edited comment' },
      'POST /repos/:owner/:repo/labels': { name: 'openapi', color: '0e8a16', description: 'From the test' },
      'PATCH /repos/:owner/:repo/labels/:name': { color: 'd73a4a', description: 'Changed' },
      'POST /repos/:owner/:repo/milestones': { title: 'Another milestone', due_on: '2026-04-01T00:00:00Z' },
      'PATCH /repos/:owner/:repo/milestones/:milestone_number': { description: 'Changed' },
      'POST /repos/:owner/:repo/actions/runs/:run_id/rerun': {},
      'POST /repos/:owner/:repo/actions/runs/:run_id/rerun-failed-jobs': {},
      'POST /repos/:owner/:repo/actions/runs/:run_id/cancel': {},
      'POST /orgs/:org/actions/runners/registration-token': {},
      'POST /repos/:owner/:repo/actions/runners/registration-token': {},
      'POST /repos/:owner/:repo/check-runs': { name: 'openapi', head_sha: 'a'.repeat(40), status: 'in_progress' },
      'PATCH /repos/:owner/:repo/check-runs/:check_run_id': { status: 'completed', conclusion: 'success' },
      'POST /repos/:owner/:repo/statuses/:sha': { state: 'success', context: 'openapi', description: 'ok' },
      'POST /orgs/:org/repos': { name: 'openapi-repo', description: 'From the test', private: true },
      'POST /user/repos': { name: 'openapi-user-repo' },
      'PATCH /repos/:owner/:repo': { description: 'Changed by the test' },
      'POST /repos/:owner/:repo/pulls': { title: 'Opened by the test', head: 'openapi-feature', base: 'main' },
      'PATCH /repos/:owner/:repo/pulls/:number': { title: 'Renamed by the test' },
      'PUT /repos/:owner/:repo/pulls/:number/merge': { merge_method: 'merge' },
      'POST /repos/:owner/:repo/keys': { title: 'openapi-key-2', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpenApiTestKeyTwo000000000000000000000000', read_only: false },
      'PUT /repos/:owner/:repo/branches/:branch/protection': {
        required_status_checks: { strict: true, contexts: ['ci'] },
        enforce_admins: true,
        required_pull_request_reviews: { required_approving_review_count: 2 },
        restrictions: null,
      },
    };

    const routes = [...core.coreRoutes(), ...GITHUB_FAKE_MODULES.flatMap((m) => m.routes(core))].filter((r) => r.path !== '/graphql');
    // Reads first, then writes, then what needs an object a write made (a check run), then deletes.
    const after = (r: FakeRoute) => r.path.includes(':check_run_id') || (r.method === 'GET' && r.path.endsWith('/merge'));
    const order = (r: FakeRoute) => (after(r) ? 1.5 : r.method === 'GET' ? 0 : r.method === 'DELETE' ? 2 : 1);
    const answers: Answer[] = [];
    const skipped: string[] = [];
    for (const route of [...routes].sort((a, b) => order(a) - order(b))) {
      const key = `${route.method} ${route.path}`;
      const values = { ...params, ...perRoute[key] };
      if (route.path === '/repos/:owner/:repo/check-runs/:check_run_id') {
        const created = answers.find((a) => a.route.path === '/repos/:owner/:repo/check-runs' && a.status === 201);
        if (created) values.check_run_id = String((created.body as Json).id);
      }
      const missing = [...route.path.matchAll(/:([A-Za-z_]+)|\*$/g)].map((m) => m[1] ?? '*').filter((p) => values[p] === undefined);
      if (missing.length > 0 || (route.method !== 'GET' && route.method !== 'DELETE' && !(key in bodies))) {
        skipped.push(`${key} (no ${missing.length ? `value for ${missing.join(', ')}` : 'request body'} in this test)`);
        continue;
      }
      const path = route.path.replace(/:([A-Za-z_]+)/g, (_m, p: string) => encodeURIComponent(values[p]!)).replace(/\*$/, values['*']!);
      const auth = core.isAuthPath(path) ? `Bearer ${appJwt(fake)}` : `token ${TOKEN}`;
      const body = bodies[key];
      const response = await fetch(`${core.apiBaseUrl}${path}`, {
        method: route.method,
        redirect: 'manual',
        headers: { authorization: auth, accept: 'application/vnd.github+json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      answers.push({ route, status: response.status, body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined });
    }

    const undocumented = routes.filter((r) => !specPathFor(r)).map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);

    const failures: string[] = [];
    let validated = 0;
    for (const answer of answers) {
      const key = `${answer.route.method} ${answer.route.path}`;
      if (answer.status >= 400) {
        failures.push(`${key} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        continue;
      }
      if (answer.status >= 300 || answer.body === undefined) continue; // 204 (DELETE, merged check), 302 (job log)
      const quirk = SPEC_QUIRKS[key];
      const validate = quirk
        ? ajv.compile(quirk.array ? { type: 'array', items: { $ref: `gh#/components/schemas/${quirk.component}` } } : { $ref: `gh#/components/schemas/${quirk.component}` })
        : responseValidator(specPathFor(answer.route)!, answer.route.method, answer.status);
      if (!validate) {
        failures.push(`${key}: the description has no JSON schema for status ${answer.status}`);
        continue;
      }
      validated += 1;
      if (!validate(answer.body)) {
        const errors = (validate.errors ?? []).slice(0, 12).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
        failures.push(`${key} (${answer.status}): ${errors.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(skipped).toEqual([]);
    // Everything but DELETEs (204, no body) and the log redirect (302) had a body to validate.
    expect(validated).toBe(answers.filter((a) => a.status < 300 && a.body !== undefined).length);
    expect(validated).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it("error answers match GitHub's basic-error and validation-error schemas", async () => {
    const fake = createFake();
    server.use(...fake.handlers);
    fake.core.addPersonalToken(TOKEN, 'octocat');
    const headers = { authorization: `token ${TOKEN}`, 'content-type': 'application/json' };
    const base = `${fake.core.apiBaseUrl}/repos/octo-org/hello-world`;

    const notFound = await fetch(`${base}/issues/999999`, { headers });
    expect(notFound.status).toBe(404);
    const basic = componentValidator('basic-error');
    expect(basic(await notFound.json())).toBe(true);

    const invalid = await fetch(`${base}/issues`, { method: 'POST', headers, body: JSON.stringify({ body: 'no title' }) });
    expect(invalid.status).toBe(422);
    const validation = componentValidator('validation-error');
    const body = await invalid.json();
    expect(validation(body)).toBe(true);
    expect(body).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });

    const unauthenticated = await fetch(`${base}/issues`, { headers: { authorization: 'token ghp_wrongwrongwrongwrongwrong000000' } });
    expect(unauthenticated.status).toBe(401);
    expect(basic(await unauthenticated.json())).toBe(true);
  });

  it('a schema violation is caught (the check can fail)', () => {
    const validate = componentValidator('issue');
    expect(validate({ id: 1, number: 'one' })).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toContain("must have required property 'title'");
  });
});
