import { readFileSync } from 'node:fs';
import { startProvider, useFakeServer } from '@krate/contract-tests';
import { describe, expect, it } from 'vitest';
import gitlab from '../src/index.js';
import { GITLAB_FAKE_PROJECT, createFake } from '../src/testing/index.js';

/**
 * The fake's answers against a trimmed subset of GitLab's OpenAPI description (names and
 * types of the entities it serves; see the fixture's $comment for source and licence):
 * every field the fake sends must be one GitLab declares, with GitLab's type (null allowed).
 */
type Definitions = Record<string, Record<string, string>>;
const subset = JSON.parse(readFileSync(new URL('./fixtures/gitlab-openapi-subset.json', import.meta.url), 'utf8')) as { definitions: Definitions };

function fieldsOf(name: string): Record<string, string> {
  const def = subset.definitions[name];
  if (!def) throw new Error(`no definition ${name} in the subset`);
  const { $extends, ...own } = def;
  return $extends ? { ...fieldsOf($extends), ...own } : own;
}

function typeProblem(type: string, value: unknown): string | undefined {
  if (value === null || type === 'any') return undefined;
  const ok: Record<string, (v: unknown) => boolean> = {
    integer: (v) => Number.isInteger(v),
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    string: (v) => typeof v === 'string',
    'date-time': (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
    object: (v) => typeof v === 'object' && !Array.isArray(v),
    array: (v) => Array.isArray(v),
  };
  return ok[type]?.(value) ? undefined : `expected ${type}, got ${JSON.stringify(value)}`;
}

function validate(name: string, body: unknown): string[] {
  const fields = fieldsOf(name);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined) continue;
    const type = fields[key];
    if (type === undefined) {
      problems.push(`${name}.${key} is not a field GitLab declares`);
      continue;
    }
    const problem = typeProblem(type, value);
    if (problem) problems.push(`${name}.${key}: ${problem}`);
  }
  return problems;
}

const server = useFakeServer();
const P = encodeURIComponent(GITLAB_FAKE_PROJECT);

async function get(fake: ReturnType<typeof createFake>, path: string): Promise<unknown> {
  const response = await fetch(`${fake.state.apiUrl}${path}`, { headers: { 'private-token': fake.credentials.token } });
  expect(response.status, path).toBe(200);
  return response.json();
}

describe('the fake answers in the shapes of GitLab\'s OpenAPI description', () => {
  it('pipelines (listing rows and details), jobs and bridges', async () => {
    const { fake } = startProvider(server, gitlab, createFake);
    const pipeline = fake.seed.pipeline!(GITLAB_FAKE_PROJECT, { status: 'failed' });
    const job = fake.seed.job!(pipeline, { name: 'unit', status: 'failed' });
    fake.seed.artifact!(pipeline, { name: 'dist.zip' });
    const bridgeId = fake.state.nextId();
    fake.state.jobs.insert({ ...fake.state.jobs.require(Number(job.id)), id: bridgeId, name: 'child', bridge: true });
    const list = (await get(fake, `/projects/${P}/pipelines`)) as unknown[];
    const problems = [
      ...list.flatMap((row) => validate('API_Entities_Ci_PipelineBasic', row)),
      ...validate('API_Entities_Ci_Pipeline', await get(fake, `/projects/${P}/pipelines/${pipeline.id}`)),
      ...((await get(fake, `/projects/${P}/pipelines/${pipeline.id}/jobs`)) as unknown[]).flatMap((j) => validate('API_Entities_Ci_Job', j)),
      ...((await get(fake, `/projects/${P}/pipelines/${pipeline.id}/bridges`)) as unknown[]).flatMap((b) => validate('API_Entities_Ci_Bridge', b)),
    ];
    expect(problems).toEqual([]);
    expect(list.length).toBeGreaterThan(0);
  });

  it('merge requests and protected branches', async () => {
    const { fake, instance } = startProvider(server, gitlab, createFake);
    const mr = fake.seed.pullRequest!(GITLAB_FAKE_PROJECT, { title: 'A change', headBranch: 'feature' });
    await instance.gitForge!.syncBranchProtection(GITLAB_FAKE_PROJECT, [{ branch: 'main', allowForcePushes: false }]);
    const problems = [
      ...validate('API_Entities_MergeRequest', await get(fake, `/projects/${P}/merge_requests/${mr.id}`)),
      ...((await get(fake, `/projects/${P}/merge_requests?state=all`)) as unknown[]).flatMap((m) => validate('API_Entities_MergeRequest', m)),
      ...((await get(fake, `/projects/${P}/protected_branches`)) as unknown[]).flatMap((b) => validate('API_Entities_ProtectedBranch', b)),
    ];
    expect(problems).toEqual([]);
  });

  it('the check itself fails on a field GitLab does not declare and on a wrong type', () => {
    expect(validate('API_Entities_ProtectedBranch', { id: 1, name: 'main', enforce_admins: true })).toEqual(['API_Entities_ProtectedBranch.enforce_admins is not a field GitLab declares']);
    expect(validate('API_Entities_Ci_PipelineBasic', { id: '1' })).toHaveLength(1);
  });
});
