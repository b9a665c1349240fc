/**
 * A stateful MSW fake of the __DISPLAY_NAME__ API, for the contract suite and your own
 * tests. It keeps issues in memory, pages them with keyset cursors, honours
 * Idempotency-Key, signs webhook deliveries as the vendor does, and fails on demand
 * (`fake.faults`) in the vendor's own error shapes.
 */
import {
  createFakeHandlers,
  createFaultQueue,
  createRequestRecorder,
  type CreateFakeOptions,
  type FakeBackend,
  type PendingFault,
} from '@krate/contract-tests/kit';
import type { __PASCAL__ConfigInput } from '../__PROVIDER_TYPE__-config.js';
import { MAX_PAGE_SIZE } from '../issue-tracking/__PROVIDER_TYPE__-issue-tracking.js';
import { STATUS_CODES, errorBody } from './__PROVIDER_TYPE__-fake-objects.js';
import { issueRoutes } from './__PROVIDER_TYPE__-fake-issues.js';
import { create__PASCAL__FakeState } from './__PROVIDER_TYPE__-fake-state.js';
import { signedDelivery } from './__PROVIDER_TYPE__-fake-webhooks.js';

/** The base URL the fake answers at unless told otherwise. */
export const DEFAULT_BASE_URL = 'https://api.__PROVIDER_TYPE__.example';
const TOKEN = '__PROVIDER_TYPE__-test-token-5d1c0e2a9b';
const WEBHOOK_SECRET = '__PROVIDER_TYPE__-webhook-secret-77f3a1';
const PROJECT = 'KRATE';

/** The vendor's answer to each injected fault. */
function renderFault(fault: PendingFault): Response {
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
}

/** A fresh fake: its own state, handlers for `server.use(...)`, seeds, faults and signed deliveries. */
export function createFake(options: CreateFakeOptions = {}): FakeBackend<__PASCAL__ConfigInput> {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const state = create__PASCAL__FakeState(new URL(baseUrl).origin.replace('://api.', '://'));
  const recorder = createRequestRecorder({ secrets: () => [TOKEN, WEBHOOK_SECRET], origin: baseUrl });
  const faults = createFaultQueue();

  const handlers = createFakeHandlers({
    baseUrl,
    routes: issueRoutes(state),
    recorder,
    faults,
    renderFault,
    authorize: (request) =>
      request.headers.get('authorization') === `Bearer ${TOKEN}` ? undefined : errorBody(401, 'unauthorized', 'Invalid API token'),
    notFound: () => errorBody(404, 'not_found', 'Not found'),
    invalidCursor: () => errorBody(400, 'bad_request', 'cursor is invalid'),
  });

  return {
    providerType: '__PROVIDER_TYPE__',
    handlers,
    config: { baseUrl, token: TOKEN, webhookSecret: WEBHOOK_SECRET, timeoutMs: options.timeoutMs ?? 250, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 } },
    secrets: [TOKEN, WEBHOOK_SECRET],
    scopes: { issueTracking: PROJECT },
    maxPageSize: MAX_PAGE_SIZE,
    signsTimestamp: true,
    seed: {
      issue: (scope, input) => {
        const issue = state.insertIssue(scope, input);
        return { scope, id: String(issue.number) };
      },
    },
    faults: faults.injector,
    get requests() {
      return recorder.requests;
    },
    // What the contract suite checks meaning with: requests as sent, the page of an
    // object, the fake's own state, and the actions each webhook event documents.
    get wire() {
      return recorder.wire;
    },
    credentialHeaders: ['authorization'],
    humanUrl: (kind, ref) => (kind === 'issue' ? `${state.webUrl}/${ref.scope}/issues/${ref.id}` : undefined),
    inspect(kind, ref) {
      const issue = kind === 'issue' ? state.findIssue(ref.scope, ref.id) : undefined;
      if (!issue) return undefined;
      return { status: issue.state, ...(issue.close_reason ? { closeReason: issue.close_reason } : {}), title: issue.title, labels: [...issue.labels] };
    },
    webhookActions: (event) =>
      event === 'issue.deleted' ? [{ change: 'deleted' }] : event.startsWith('issue.') ? [{ change: 'upserted' }] : [],
    webhook: (event, opts = {}) => signedDelivery(state, WEBHOOK_SECRET, PROJECT, event, opts),
    webhookEventFor: (kind) => (kind === 'issue' ? { event: 'issue.updated' } : undefined),
    reset() {
      recorder.reset();
      faults.clear();
    },
  };
}
