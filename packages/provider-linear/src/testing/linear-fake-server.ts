import { HttpResponse, http, type RequestHandler } from 'msw';
import type { FakeRoute, FaultQueue, PendingFault, RequestRecorder } from '@krate/contract-tests/kit';

/** Whether a GraphQL request body holds a mutation (anything else is a read). */
export function isMutation(body: unknown): boolean {
  const query = (body as { query?: unknown } | null)?.query;
  return typeof query === 'string' && /^\s*(?:#[^\n]*\n\s*)*mutation\b/.test(query);
}

function waitForAbort(signal: AbortSignal, capMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, capMs);
    timer.unref?.();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** One request exactly as it reached the fake, before any redaction (the kit's `WireRequest`). */
export interface LinearWireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LinearFakeServerOptions {
  /** Where every request is kept as sent, for the contract suite's wire scan. */
  wire: LinearWireRequest[];
  /** The GraphQL endpoint, e.g. `https://api.linear.app/graphql`. */
  endpoint: string;
  route: FakeRoute;
  recorder: RequestRecorder;
  faults: FaultQueue;
  renderFault(fault: PendingFault): Response;
  authorize(request: Request): Response | undefined;
}

/**
 * Serves the GraphQL endpoint through MSW with the kit's faults and request recording.
 * Linear takes every request as `POST /graphql`; what the kit calls a read or a write is
 * the GraphQL operation: a query is recorded, and matched by fault filters, as a read
 * (`method: 'GET'`), a mutation as a write (`method: 'POST'`), so `faults.serverError({
 * method: 'GET' })` fails a query and "no write was sent" means no mutation was sent.
 * The recorded `body` is the request as sent (`query`, `variables`).
 */
export function linearFakeHandlers(options: LinearFakeServerOptions): RequestHandler[] {
  const endpoint = new URL(options.endpoint);
  const path = endpoint.pathname;
  return [
    http.all(endpoint.href, async ({ request }) => {
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
      const rawHeaders: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        rawHeaders[key.toLowerCase()] = value;
      });
      options.wire.push({ method: request.method, url: request.url, headers: rawHeaders, ...(text ? { body: text } : {}) });
      let body: unknown;
      let parsed = true;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
        parsed = false;
      }
      const write = isMutation(body);
      const logical = new Request(request.url, { method: write ? 'POST' : 'GET', headers: request.headers });
      const record = (status: number) => options.recorder.record(logical, status, body);
      if (request.method !== 'POST' || !parsed) {
        record(400);
        return HttpResponse.json(
          { errors: [{ message: 'POST body must be JSON: { query, variables }', extensions: { code: 'BAD_REQUEST', type: 'graphql error' } }] },
          { status: 400 },
        );
      }
      const fault = options.faults.take(logical, path, { write });
      if (fault && !(fault.kind === 'drop' && fault.options.afterWrite)) {
        if (fault.kind === 'timeout') {
          record(0);
          await waitForAbort(request.signal, 15_000);
          return HttpResponse.error();
        }
        if (fault.kind === 'drop') {
          record(0);
          return HttpResponse.error();
        }
        const response = options.renderFault(fault);
        record(response.status);
        return response;
      }
      const refused = options.authorize(request);
      if (refused) {
        record(refused.status);
        return refused;
      }
      const response = await options.route.handle({ request, url: new URL(request.url), params: {}, body });
      record(response.status);
      // A drop after the write: the mutation took effect, its answer is lost.
      if (fault) return HttpResponse.error();
      return response;
    }),
  ];
}
