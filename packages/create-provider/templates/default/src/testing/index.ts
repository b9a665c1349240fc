/**
 * A stateful MSW fake of the __DISPLAY_NAME__ API, for the contract suite and your own
 * tests. It keeps issues in memory, pages them with keyset cursors, honours
 * Idempotency-Key, signs webhook deliveries as the vendor does, and fails on demand
 * (`fake.faults`) in the vendor's own error shapes.
 */
import { randomUUID } from 'node:crypto';
import {
  FakeClock,
  FakeCollection,
  createFakeHandlers,
  createFaultQueue,
  createRequestRecorder,
  flipLastChar,
  hmac,
  json,
  keysetPage,
  truncateJson,
  type CreateFakeOptions,
  type FakeBackend,
  type FakeRoute,
  type PendingFault,
  type SeedIssue,
  type WebhookOptions,
} from '@krate/contract-tests/kit';
import type { __PASCAL__ConfigInput } from '../__PROVIDER_TYPE__-config.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER } from '../__PROVIDER_TYPE__-webhooks.js';
import { MAX_PAGE_SIZE, type __PASCAL__Issue } from '../__PROVIDER_TYPE__-issue-tracking.js';

export const DEFAULT_BASE_URL = 'https://api.__PROVIDER_TYPE__.example';

/**
 * The options of the contract suite besides the plugin and the fake, shared by
 * test/contract.test.ts and `krate-contract run`: the whole suite runs again with the
 * provider behind a path prefix, as self-hosted installs run it.
 */
export const contractOptions = {
  alternateBaseUrls: ['https://__PROVIDER_TYPE__.example.com/api'],
};
const TOKEN = '__PROVIDER_TYPE__-test-token-5d1c0e2a9b';
const WEBHOOK_SECRET = '__PROVIDER_TYPE__-webhook-secret-77f3a1';
const PROJECT = 'KRATE';

type StoredIssue = __PASCAL__Issue & { _project: string };

function errorBody(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, { status, headers });
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 422: 'unprocessable',
};

export function createFake(options: CreateFakeOptions = {}): FakeBackend<__PASCAL__ConfigInput> {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const webUrl = new URL(baseUrl).origin.replace('://api.', '://');
  const clock = new FakeClock();
  const issues = new FakeCollection<StoredIssue>();
  const idempotency = new Map<string, string>();
  const numbers = new Map<string, number>();
  const recorder = createRequestRecorder({ secrets: () => [TOKEN, WEBHOOK_SECRET], origin: baseUrl });
  const faults = createFaultQueue();

  const nextNumber = (project: string) => {
    const n = (numbers.get(project) ?? 0) + 1;
    numbers.set(project, n);
    return n;
  };
  const insertIssue = (project: string, input: SeedIssue & { close_reason?: StoredIssue['close_reason'] }): StoredIssue => {
    const number = nextNumber(project);
    const now = clock.tick();
    return issues.insert({
      id: `iss_${project}_${number}`,
      _project: project,
      number,
      title: input.title,
      body: input.body ?? '',
      state: input.state ?? 'open',
      close_reason: input.state === 'closed' ? (input.close_reason ?? 'completed') : null,
      labels: input.labels ?? [],
      assignees: input.assignees ?? [],
      url: `${webUrl}/${project}/issues/${number}`,
      created_at: input.createdAt ?? now,
      updated_at: input.updatedAt ?? now,
      closed_at: input.state === 'closed' ? now : null,
    });
  };
  const visible = ({ _project, ...issue }: StoredIssue): __PASCAL__Issue => issue;
  const findIssue = (project: string, number: string) => issues.list((i) => i._project === project && String(i.number) === number)[0];
  const ordered = (project: string) =>
    issues.list((i) => i._project === project).sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.number - b.number);

  const routes: FakeRoute[] = [
    {
      method: 'GET',
      path: '/projects/:project/issues',
      handle: ({ url, params }) => {
        const limit = Number(url.searchParams.get('limit') ?? MAX_PAGE_SIZE);
        if (!Number.isInteger(limit) || limit < 1) return errorBody(400, 'bad_request', 'limit must be a positive integer');
        const since = url.searchParams.get('updated_since');
        const all = ordered(params.project!).filter((i) => !since || i.updated_at >= since);
        const page = keysetPage(all, { after: url.searchParams.get('cursor'), first: limit, maxPageSize: MAX_PAGE_SIZE, cursorOf: (i) => i.id });
        return json({ data: page.items.map(visible), next_cursor: page.hasNextPage ? page.endCursor : null });
      },
    },
    {
      method: 'GET',
      path: '/projects/:project/issues/:number',
      handle: ({ params }) => {
        const issue = findIssue(params.project!, params.number!);
        return issue ? json(visible(issue)) : errorBody(404, 'not_found', 'Issue not found');
      },
    },
    {
      method: 'POST',
      path: '/projects/:project/issues',
      handle: ({ request, params, body }) => {
        const input = body as { title?: unknown; body?: unknown; labels?: unknown; assignees?: unknown } | undefined;
        if (typeof input?.title !== 'string' || input.title.length === 0) return errorBody(422, 'unprocessable', 'title is required');
        const key = request.headers.get('idempotency-key');
        const earlier = key ? idempotency.get(key) : undefined;
        if (earlier) {
          const existing = issues.get(earlier);
          if (existing) return json(visible(existing), { status: 200 });
        }
        const issue = insertIssue(params.project!, {
          title: input.title,
          body: typeof input.body === 'string' ? input.body : '',
          labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
          assignees: Array.isArray(input.assignees) ? input.assignees.map(String) : [],
        });
        if (key) idempotency.set(key, issue.id);
        return json(visible(issue), { status: 201 });
      },
    },
    {
      method: 'PATCH',
      path: '/projects/:project/issues/:number',
      handle: ({ params, body }) => {
        const issue = findIssue(params.project!, params.number!);
        if (!issue) return errorBody(404, 'not_found', 'Issue not found');
        const patch = (body ?? {}) as Partial<__PASCAL__Issue>;
        if (patch.state !== undefined && patch.state !== 'open' && patch.state !== 'closed') {
          return errorBody(422, 'unprocessable', 'state must be open or closed');
        }
        const now = clock.tick();
        const closing = patch.state === 'closed' && issue.state !== 'closed';
        const reopening = patch.state === 'open';
        const updated = issues.update(issue.id, {
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.body !== undefined ? { body: patch.body } : {}),
          ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
          ...(patch.assignees !== undefined ? { assignees: patch.assignees } : {}),
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(closing ? { closed_at: now, close_reason: patch.close_reason ?? 'completed' } : {}),
          ...(reopening ? { closed_at: null, close_reason: null } : {}),
          updated_at: now,
        });
        return json(visible(updated));
      },
    },
  ];

  const renderFault = (fault: PendingFault): Response => {
    switch (fault.kind) {
      case 'rateLimit':
        return errorBody(429, 'rate_limited', 'Too many requests', { 'retry-after': String(fault.options.retryAfterSeconds ?? 1) });
      case 'serverError':
        return errorBody(fault.options.status ?? 502, 'unavailable', 'The service is temporarily unavailable');
      case 'malformed':
        return new Response('{"data": [{"id": "iss_', { status: 200, headers: { 'content-type': 'application/json' } });
      default: {
        const status = fault.options.status ?? 500;
        return errorBody(status, STATUS_CODES[status] ?? 'error', `HTTP ${status}`);
      }
    }
  };

  const handlers = createFakeHandlers({
    baseUrl,
    routes,
    recorder,
    faults,
    renderFault,
    authorize: (request) =>
      request.headers.get('authorization') === `Bearer ${TOKEN}` ? undefined : errorBody(401, 'unauthorized', 'Invalid API token'),
    notFound: () => errorBody(404, 'not_found', 'Not found'),
    invalidCursor: () => errorBody(400, 'bad_request', 'cursor is invalid'),
  });

  const webhook = (event: string, opts: WebhookOptions = {}) => {
    const ref = opts.ref;
    const issue = ref ? findIssue(ref.scope, ref.id) : insertIssue(PROJECT, { title: 'Delivered issue' });
    const payload = issue ? { project: issue._project, issue: visible(issue) } : { project: ref?.scope ?? PROJECT };
    let body = JSON.stringify(payload);
    const timestamp = Math.floor((opts.now ?? new Date()).getTime() / 1000) - (opts.signature === 'stale' ? 3600 : 0);
    let signature = hmac('sha256', WEBHOOK_SECRET, `${timestamp}.${body}`);
    if (opts.signature === 'wrong') signature = flipLastChar(signature);
    if (opts.signature === 'tampered') body = body.replace('"project"', '"projekt"');
    if (opts.malformed) {
      body = truncateJson(body);
      signature = hmac('sha256', WEBHOOK_SECRET, `${timestamp}.${body}`);
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [EVENT_HEADER]: event,
      [DELIVERY_HEADER]: opts.deliveryId ?? randomUUID(),
    };
    if (opts.signature !== 'missing') headers[SIGNATURE_HEADER] = `t=${timestamp},v1=${signature}`;
    return { headers, rawBody: body };
  };

  return {
    providerType: '__PROVIDER_TYPE__',
    handlers,
    config: { baseUrl, token: TOKEN, webhookSecret: WEBHOOK_SECRET, timeoutMs: 250, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 } },
    secrets: [TOKEN, WEBHOOK_SECRET],
    scopes: { issueTracking: PROJECT },
    maxPageSize: MAX_PAGE_SIZE,
    signsTimestamp: true,
    seed: {
      issue: (scope, input) => {
        const issue = insertIssue(scope, input);
        return { scope, id: String(issue.number) };
      },
    },
    faults: faults.injector,
    get requests() {
      return recorder.requests;
    },
    webhook,
    webhookEventFor: (kind) => (kind === 'issue' ? { event: 'issue.updated' } : undefined),
    reset() {
      recorder.reset();
      faults.clear();
    },
  };
}
