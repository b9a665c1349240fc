import { collect } from '@krate/core';
import { startProvider, useFakeServer } from '@krate/contract-tests';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import * as queries from '../src/issue-tracking/linear-issue-tracking-queries.js';
import { LINEAR_FAKE_API_KEY, LINEAR_MAX_COMPLEXITY, createFake, linearSchema, queryComplexity } from '../src/testing/index.js';
import { validate } from 'graphql';

const server = useFakeServer();

async function post(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch('https://api.linear.app/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: LINEAR_FAKE_API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

describe('the fake validates every query against Linear\'s schema', () => {
  it('refuses a query with an unknown field, as Linear does, and records it', async () => {
    const { fake } = startProvider(server, plugin, createFake);
    const answer = await post('query Wrong { issues(first: 1) { nodes { id status } } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toBe('Cannot query field "status" on type "Issue". Did you mean "state"?');
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(fake.invalidQueries).toEqual([{ operationName: 'Wrong', messages: [expect.stringContaining('"status"')] }]);
  });

  it('every document the provider sends is valid against the vendored schema', () => {
    const documents = Object.entries(queries).filter(([, v]) => typeof v === 'string' && /^(query|mutation) /.test(v)) as Array<[string, string]>;
    expect(documents.length).toBeGreaterThanOrEqual(14);
    for (const [name, text] of documents) expect(validate(linearSchema(), parse(text)).map((e) => `${name}: ${e.message}`)).toEqual([]);
  });

  it('answers x-complexity as Linear counts it and refuses a query over 10 000 points', async () => {
    startProvider(server, plugin, createFake);
    const small = await post('query Small { issues(first: 10) { nodes { id title } } }');
    // 1 (connection) + 10 x (1 node + 2 x 0.1)
    expect(small.headers.get('x-complexity')).toBe('13');
    const heavy = await post('query Heavy { issues(first: 250) { nodes { id comments(first: 250) { nodes { id body } } } } }');
    expect(heavy.status).toBe(400);
    expect(heavy.body.errors?.[0]?.message).toMatch(/too complex/i);
  });

  it('the provider\'s listing queries stay far below the cap at their largest page', () => {
    const schema = linearSchema();
    const cost = (text: string, variables: Record<string, unknown>) => {
      const document = parse(text);
      return queryComplexity(schema, document, document.definitions[0] as never, variables);
    };
    const page = { first: queries.PAGE_MAX, after: null };
    const costs = {
      listIssues: cost(queries.LIST_ISSUES, page),
      listComments: cost(queries.LIST_COMMENTS, { id: 'ENG-1', ...page }),
      listLabels: cost(queries.LIST_LABELS, page),
      listEvents: cost(queries.LIST_HISTORY, { id: 'ENG-1', ...page }),
      listMilestones: cost(queries.LIST_CYCLES, page),
    };
    for (const value of Object.values(costs)) expect(value).toBeLessThan(LINEAR_MAX_COMPLEXITY / 3);
    expect(costs).toMatchInlineSnapshot(`
      {
        "listComments": 554,
        "listEvents": 1585,
        "listIssues": 2233,
        "listLabels": 424,
        "listMilestones": 324,
      }
    `);
  });

  it('a backfill sends only the listing query, one per page, and the fake saw every query valid', async () => {
    const { fake, instance } = startProvider(server, plugin, createFake);
    for (let n = 0; n < 205; n++) fake.seed.issue!('ENG', { title: `issue ${n}`, labels: n % 2 ? ['odd'] : [] });
    fake.reset();
    const all = await collect((o) => instance.issueTracking!.listIssues('ENG', o));
    expect(all).toHaveLength(205);
    expect(fake.requests).toHaveLength(3);
    expect(fake.costs.map((c) => c.operationName)).toEqual(['KrateListIssues', 'KrateListIssues', 'KrateListIssues']);
    expect(all.filter((i) => i.labels.includes('odd'))).toHaveLength(102);
    expect(fake.invalidQueries).toEqual([]);
  });
});
