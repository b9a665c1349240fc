import { randomUUID } from 'node:crypto';
import { json, type FakeRoute } from '@krate/contract-tests/kit';
import type { FakeIssue, JiraFakeEnv } from './jira-fake-state.js';

/** Jira's maximum `maxResults` for a search that returns fields. */
export const JIRA_FAKE_SEARCH_MAX = 100;

interface Clause {
  field: string;
  op: string;
  value: string;
}

interface Query {
  clauses: Clause[];
  order: Array<{ field: string; desc: boolean }>;
}

/** The instant of a JQL date (`yyyy-MM-dd HH:mm` or `yyyy-MM-dd`) read in a time zone. */
export function jqlDateToEpochMs(text: string, timeZone: string): number | undefined {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - ms;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess;
}

/** A small JQL parser: `a = "x" AND b >= "y" ... ORDER BY f [ASC|DESC], ...`; anything else throws with Jira's message. */
export function parseJql(jql: string): Query {
  const [where = '', orderBy] = jql.split(/\s+ORDER\s+BY\s+/i);
  const clauses: Clause[] = [];
  const text = where.trim();
  if (text !== '' && !/^ORDER\s+BY/i.test(text)) {
    for (const part of text.split(/\s+AND\s+/i)) {
      const m = /^\s*([A-Za-z][\w.]*)\s*(=|!=|>=|<=|>|<|~|in)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]+)|\(([^)]*)\))\s*$/i.exec(part);
      if (!m) throw new Error(`Error in the JQL Query: the clause "${part.trim()}" is not supported by the fake.`);
      clauses.push({ field: m[1]!.toLowerCase(), op: m[2]!.toLowerCase(), value: (m[3] ?? m[4] ?? m[5] ?? '').replace(/\\(.)/g, '$1') });
    }
  }
  const order = (orderBy ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [field = '', dir = 'ASC'] = s.split(/\s+/);
      return { field: field.toLowerCase(), desc: dir.toUpperCase() === 'DESC' };
    });
  if (order.length > 7) throw new Error('The JQL query has more than 7 ORDER BY fields.');
  return { clauses, order };
}

function matches(env: JiraFakeEnv, issue: FakeIssue, clause: Clause): boolean {
  const zone = env.state.me.timeZone;
  const cmpTime = (value: string) => {
    const bound = jqlDateToEpochMs(value, zone);
    if (bound === undefined) throw new Error(`Date value '${value}' for field '${clause.field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'.`);
    return bound;
  };
  switch (clause.field) {
    case 'project':
      return clause.op === '=' ? issue.projectKey === clause.value.toUpperCase() : issue.projectKey !== clause.value.toUpperCase();
    case 'key':
    case 'issuekey':
      return env.state.findIssue(clause.value)?.id === issue.id;
    case 'labels':
      return clause.op === '=' ? issue.labels.includes(clause.value) : !issue.labels.includes(clause.value);
    case 'updated':
    case 'created': {
      const at = Date.parse(String(clause.field === 'updated' ? issue.updated : issue.created).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      // JQL compares at minute precision: the issue's time truncated to its minute.
      const minute = Math.floor(at / 60_000) * 60_000;
      const bound = cmpTime(clause.value);
      if (clause.op === '>=') return minute >= bound;
      if (clause.op === '>') return minute > bound;
      if (clause.op === '<=') return minute <= bound;
      if (clause.op === '<') return minute < bound;
      return minute === bound;
    }
    default:
      throw new Error(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
  }
}

/** A Jira timestamp (`...+0000`) in ms. */
function jiraMs(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function compare(order: Query['order'], a: FakeIssue, b: FakeIssue, keys: Map<number, { updated: number; created: number }>): number {
  for (const { field, desc } of order) {
    let d = 0;
    if (field === 'updated' || field === 'created') d = keys.get(a.id)![field] - keys.get(b.id)![field];
    else if (field === 'key' || field === 'id') d = a.id - b.id;
    if (d !== 0) return desc ? -d : d;
  }
  return a.id - b.id;
}

/**
 * `GET|POST /rest/api/3/search/jql`: bounded JQL only, `nextPageToken` (absent on the last
 * page, where `isLast` is true), no `total`, `fields` default `id` only, `reconcileIssues`
 * (issues not yet indexed show up only when named there). `/rest/api/3/search` answers 410.
 */
export function searchRoutes(env: JiraFakeEnv): FakeRoute[] {
  const { state, objects } = env;
  const handle = (params: { jql?: string; nextPageToken?: string; maxResults?: number; fields?: string[]; reconcile?: number[] }) => {
    const jql = params.jql ?? '';
    let query: Query;
    try {
      query = parseJql(jql);
    } catch (error) {
      return json(objects.errorBody(400, (error as Error).message), { status: 400 });
    }
    if (!query.clauses.some((c) => c.field === 'project' && c.op === '=') && !query.clauses.some((c) => c.field === 'key' || c.field === 'issuekey')) {
      return json(objects.errorBody(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'), { status: 400 });
    }
    const max = Math.max(1, Math.min(params.maxResults ?? 50, JIRA_FAKE_SEARCH_MAX));
    let offset = 0;
    let hits: FakeIssue[];
    let ids: number[] | undefined;
    if (params.nextPageToken) {
      // A token pages through the result of the first page's search (a consistent snapshot).
      const saved = state.pageTokens.get(params.nextPageToken);
      if (!saved || saved.jql !== jql) return json(objects.errorBody(400, 'The provided next page token is invalid or expired.'), { status: 400 });
      offset = saved.offset;
      ids = saved.ids;
      hits = saved.ids.map((id) => state.issues.get(id)).filter((i): i is FakeIssue => i !== undefined);
    } else {
      const reconcile = new Set(params.reconcile ?? []);
      try {
        hits = [...state.issues.values()].filter((i) => query.clauses.every((c) => matches(env, i, c)));
      } catch (error) {
        return json(objects.errorBody(400, (error as Error).message), { status: 400 });
      }
      // Eventual consistency: a fresh issue is missed by the first searches unless reconciled.
      hits = hits.filter((i) => {
        if (i.unindexedSearches <= 0 || reconcile.has(i.id)) return true;
        i.unindexedSearches -= 1;
        return false;
      });
      const keys = new Map(hits.map((i) => [i.id, { updated: jiraMs(i.updated), created: jiraMs(i.created) }]));
      hits.sort((a, b) => compare(query.order, a, b, keys));
    }
    const page = hits.slice(offset, offset + max);
    const isLast = offset + page.length >= hits.length;
    const body: Record<string, unknown> = { issues: page.map((i) => objects.issue(i, { fields: params.fields ?? ['id'] })), isLast };
    if (params.fields === undefined) body.issues = page.map((i) => ({ id: String(i.id) }));
    if (!isLast) {
      const token = Buffer.from(randomUUID()).toString('base64url');
      state.pageTokens.set(token, { jql, offset: offset + page.length, ids: ids ?? hits.map((i) => i.id) });
      body.nextPageToken = token;
    }
    return json(body);
  };
  const list = (value: unknown): string[] | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    return items.map((s) => s.trim()).filter(Boolean);
  };
  const ids = (value: unknown) => list(value)?.map(Number).filter((n) => Number.isInteger(n));
  const removed = () =>
    json(objects.errorBody(410, 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'), { status: 410 });
  return [
    {
      method: 'GET',
      path: '/rest/api/3/search/jql',
      handle: ({ url }) => {
        const q = url.searchParams;
        return handle({
          jql: q.get('jql') ?? undefined,
          nextPageToken: q.get('nextPageToken') ?? undefined,
          maxResults: q.has('maxResults') ? Number(q.get('maxResults')) : undefined,
          fields: list(q.get('fields')),
          reconcile: ids(q.get('reconcileIssues')),
        });
      },
    },
    {
      method: 'POST',
      path: '/rest/api/3/search/jql',
      write: false,
      handle: ({ body }) => {
        const b = (body ?? {}) as Record<string, unknown>;
        return handle({
          jql: typeof b.jql === 'string' ? b.jql : undefined,
          nextPageToken: typeof b.nextPageToken === 'string' ? b.nextPageToken : undefined,
          maxResults: typeof b.maxResults === 'number' ? b.maxResults : undefined,
          fields: list(b.fields),
          reconcile: ids(b.reconcileIssues),
        });
      },
    },
    { method: 'GET', path: '/rest/api/3/search', handle: removed },
    { method: 'POST', path: '/rest/api/3/search', write: false, handle: removed },
    { method: 'GET', path: '/rest/api/2/search', handle: removed },
  ];
}
