import { readFileSync } from 'node:fs';
import { useFakeServer } from '@krate/contract-tests';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { createFake, JIRA_FAKE_PROJECT, JIRA_FAKE_SITE, type JiraFake } from '../src/testing/index.js';

/**
 * Every route of the fake answers in the shape of Atlassian's published OpenAPI
 * description (a trimmed subset in fixtures): each operation the provider calls is
 * invoked on seeded data and its JSON answer validated against the operation's response
 * schema (OpenAPI `nullable` honoured, formats not checked). IssueBean's `fields` is a
 * free map in the description, so the fields the provider reads are validated against
 * their own components (StatusDetails, UserDetails, Version, ProjectDetails, IssueTypeDetails where present).
 */

type Json = Record<string, any>;
const server = useFakeServer();
const spec = JSON.parse(readFileSync(new URL('./fixtures/jira-openapi-subset.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = toJsonSchema(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'jira', components: toJsonSchema(spec.components) as Json });
const cache = new Map<string, ValidateFunction>();
function validator(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(JSON.parse(JSON.stringify(toJsonSchema(schema)).replace(/"#\/components\//g, '"jira#/components/')));
    cache.set(key, v);
  }
  return v;
}
const component = (name: string) => validator({ $ref: `#/components/schemas/${name}` });

function check(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

async function call(fake: JiraFake, method: string, specPath: string, path: string, body?: unknown): Promise<{ status: number; data: any }> {
  const response = await fetch(`${JIRA_FAKE_SITE}${path}`, {
    method,
    headers: { authorization: `Basic ${fake.secrets[1]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  const operation = spec.paths[specPath]?.[method.toLowerCase()];
  expect(operation, `${method} ${specPath} is in the description`).toBeDefined();
  const documented = operation!.responses[String(response.status)];
  expect(documented, `${method} ${specPath} documents status ${response.status}`).toBeDefined();
  const schema = documented.content?.['application/json']?.schema;
  if (schema && data !== undefined) check(validator(schema), data, `${method} ${path} ${response.status}`);
  if (response.status >= 400) check(component('ErrorCollection'), data, `${method} ${path} error body`);
  return { status: response.status, data };
}

function checkIssueFields(issue: Json): void {
  const f = issue.fields;
  check(component('StatusDetails'), f.status, 'fields.status');
  check(component('UserDetails'), f.reporter, 'fields.reporter');
  if (f.assignee) check(component('UserDetails'), f.assignee, 'fields.assignee');
  for (const v of f.fixVersions) check(component('Version'), v, 'fields.fixVersions[]');
  check(component('ProjectDetails'), f.project, 'fields.project');
}

describe('the fake answers as the Jira Cloud OpenAPI description says', () => {
  it('issues, search, transitions, changelog, comments, labels, versions and errors', async () => {
    const fake = createFake();
    server.use(...fake.handlers);
    const P = JIRA_FAKE_PROJECT;
    fake.seed.milestone!(P, { title: '1.0', dueOn: '2026-05-01T00:00:00Z' });
    const seeded = fake.seed.issue!(P, { title: 'seeded', body: 'Some *text*', labels: ['bug'], assignees: ['557058:f58131cb-b67d-43c7-b30d-6b58d40bd077'] });
    fake.seed.comment!(seeded, { body: 'a comment' });
    fake.seed.issueEvent!(seeded, { kind: 'labeled' });

    const me = await call(fake, 'GET', '/rest/api/3/myself', '/rest/api/3/myself');
    expect(me.data.timeZone).toBe('Australia/Sydney');
    const created = await call(fake, 'POST', '/rest/api/3/issue', '/rest/api/3/issue', { fields: { project: { key: P }, summary: 'new', issuetype: { name: 'Task' }, fixVersions: [{ name: '1.0' }] } });
    expect(created.status).toBe(201);
    const issue = await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}', `/rest/api/3/issue/${created.data.key}`);
    checkIssueFields(issue.data);
    const search = await call(fake, 'GET', '/rest/api/3/search/jql', `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${P}`)}&fields=*navigable&maxResults=1`);
    expect(search.data.nextPageToken).toBeDefined();
    expect(search.data.total).toBeUndefined();
    checkIssueFields(search.data.issues[0]);
    const idsOnly = await call(fake, 'GET', '/rest/api/3/search/jql', `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${P}`)}`);
    expect(Object.keys(idsOnly.data.issues[0])).toEqual(['id']);
    expect((await call(fake, 'PUT', '/rest/api/3/issue/{issueIdOrKey}', `/rest/api/3/issue/${seeded.id}`, { fields: { summary: 'edited' } })).status).toBe(204);
    const transitions = await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', `/rest/api/3/issue/${seeded.id}/transitions?expand=transitions.fields`);
    expect(transitions.data.transitions.length).toBeGreaterThan(0);
    expect((await call(fake, 'POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', `/rest/api/3/issue/${seeded.id}/transitions`, { transition: { id: '31' }, fields: { resolution: { name: 'Done' } } })).status).toBe(204);
    const changelog = await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}/changelog', `/rest/api/3/issue/${seeded.id}/changelog`);
    expect(changelog.data.values.length).toBeGreaterThan(1);
    const comments = await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}/comment', `/rest/api/3/issue/${seeded.id}/comment`);
    const commentId = comments.data.comments[0].id;
    await call(fake, 'POST', '/rest/api/3/issue/{issueIdOrKey}/comment', `/rest/api/3/issue/${seeded.id}/comment`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] } });
    await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}/comment/{id}', `/rest/api/3/issue/${seeded.id}/comment/${commentId}`);
    await call(fake, 'PUT', '/rest/api/3/issue/{issueIdOrKey}/comment/{id}', `/rest/api/3/issue/${seeded.id}/comment/${commentId}`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'y' }] }] } });
    await call(fake, 'GET', '/rest/api/3/label', '/rest/api/3/label');
    await call(fake, 'GET', '/rest/api/3/project/{projectIdOrKey}/version', `/rest/api/3/project/${P}/version`);
    // Error answers in Jira's ErrorCollection shape.
    expect((await call(fake, 'GET', '/rest/api/3/issue/{issueIdOrKey}', `/rest/api/3/issue/${P}-999`)).status).toBe(404);
    expect((await call(fake, 'POST', '/rest/api/3/issue/{issueIdOrKey}/comment', `/rest/api/3/issue/${seeded.id}/comment`, { body: 'plain text' })).status).toBe(400);
    expect((await call(fake, 'GET', '/rest/api/3/search/jql', `/rest/api/3/search/jql?jql=${encodeURIComponent('order by key')}`)).status).toBe(400);
  });
});
