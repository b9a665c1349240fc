import { HttpResponse, http, type RequestHandler } from 'msw';
import type { PendingFault, FaultQueue } from './faults.js';
import { FakeNotFound } from './fake-store.js';
import { FakeInvalidCursor } from './pagination.js';
import type { RequestRecorder } from './recorder.js';

export type FakeMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface FakeRouteContext {
  request: Request;
  url: URL;
  /** Path parameters (`:owner`), URL-decoded. A trailing `*` is available as `params['*']`. */
  params: Record<string, string>;
  /** The parsed JSON body (undefined without a body; the raw text for a non-JSON body). */
  body: unknown;
}

export interface FakeRoute {
  method: FakeMethod;
  /** Path below the base path, with `:params` and an optional trailing `*`: `/repos/:owner/:repo/issues`. */
  path: string;
  handle(ctx: FakeRouteContext): Response | Promise<Response>;
  /** Whether the route changes state (default: `method !== 'GET'`); `drop({ afterWrite })` applies to writes only. */
  write?: boolean;
}

export interface FakeHandlersOptions {
  /** Where the fake is served, base path included: `https://api.github.com`, `https://ghe.example.com/api/v3`. */
  baseUrl: string;
  routes: FakeRoute[];
  recorder: RequestRecorder;
  faults: FaultQueue;
  /** The vendor's own answer for a rate limit, 5xx, malformed body or error status (also used for invalid JSON bodies: status 400). */
  renderFault(fault: PendingFault, request: Request): Response | Promise<Response>;
  /** Return an error Response (vendor shape) to refuse the request's credentials. */
  authorize?(request: Request): Response | undefined | Promise<Response | undefined>;
  /** A vendor-shaped 404 for unknown paths and {@link FakeNotFound}; default `renderFault(status 404)`. */
  notFound?(request: Request): Response | Promise<Response>;
  /** A vendor-shaped answer for {@link FakeInvalidCursor}; default `renderFault(status 422)`. */
  invalidCursor?(request: Request): Response | Promise<Response>;
  /** Upper bound for a `timeout` fault when the client never aborts (default 15000 ms); then the connection drops. */
  timeoutCapMs?: number;
}

interface CompiledRoute {
  route: FakeRoute;
  pattern: RegExp;
  names: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(route: FakeRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment, index, all) => {
      if (segment === '*' && index === all.length - 1) {
        names.push('*');
        return '(.*)';
      }
      return segment.replace(/:([A-Za-z_][A-Za-z0-9_]*)|([^:]+)/g, (_m, name: string | undefined, literal: string | undefined) => {
        if (name) {
          names.push(name);
          return '([^/]+)';
        }
        return escapeRegExp(literal ?? '');
      });
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

/** A JSON response (`application/json; charset=utf-8`). */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(body === undefined ? null : JSON.stringify(body), { status: init.status ?? 200, headers });
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

/**
 * Serves a fake's route table through MSW, with faults, credential checks and
 * request recording applied the same way to every route. One handler matches
 * every URL under `baseUrl`; a path no route knows is answered with `notFound`.
 *
 * - `timeout`: no answer until the request's signal aborts (or `timeoutCapMs`).
 * - `drop`: the connection fails (`HttpResponse.error()`); with `afterWrite` on a
 *   write route, the route runs first, so the write happens but no answer arrives.
 * - JSON bodies are parsed once; invalid JSON is the vendor's 400.
 */
export function createFakeHandlers(options: FakeHandlersOptions): RequestHandler[] {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const compiled = options.routes.map(compile);
  const capMs = options.timeoutCapMs ?? 15_000;
  const notFound = (request: Request) =>
    options.notFound ? options.notFound(request) : options.renderFault({ kind: 'status', options: { status: 404 } }, request);
  const invalidCursor = (request: Request) =>
    options.invalidCursor ? options.invalidCursor(request) : options.renderFault({ kind: 'status', options: { status: 422 } }, request);
  const matcher = new RegExp(`^${escapeRegExp(`${base.origin}${basePath}`)}(?:/.*)?$`);

  const handler = http.all(matcher, async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname;
    const relative = path.slice(basePath.length) || '/';
    let text = '';
    const record = (status: number, body?: unknown) => options.recorder.record(request, status, body, text);

    const method = request.method.toUpperCase();
    let match: { route: FakeRoute; params: Record<string, string> } | undefined;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(relative);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        const raw = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          params[name] = raw;
        }
      });
      match = { route: c.route, params };
      break;
    }
    const isWrite = match ? (match.route.write ?? match.route.method !== 'GET') : method !== 'GET';

    let body: unknown;
    text = method === 'GET' || method === 'HEAD' ? '' : await request.clone().text();
    if (text.length > 0) {
      const type = request.headers.get('content-type') ?? '';
      if (type.includes('json') || /^\s*[[{]/.test(text)) {
        try {
          body = JSON.parse(text);
        } catch {
          const response = await options.renderFault({ kind: 'status', options: { status: 400 } }, request);
          record(response.status, text);
          return response;
        }
      } else {
        body = text;
      }
    }

    const fault = options.faults.take(request, path, { write: isWrite && match !== undefined });
    if (fault && !(fault.kind === 'drop' && fault.options.afterWrite)) {
      if (fault.kind === 'timeout') {
        record(0, body);
        await waitForAbort(request.signal, capMs);
        return HttpResponse.error();
      }
      if (fault.kind === 'drop') {
        record(0, body);
        return HttpResponse.error();
      }
      const response = await options.renderFault(fault, request);
      record(response.status, body);
      return response;
    }

    if (options.authorize) {
      const refused = await options.authorize(request);
      if (refused) {
        record(refused.status, body);
        return refused;
      }
    }

    if (!match) {
      const response = await notFound(request);
      record(response.status, body);
      return response;
    }

    let response: Response;
    try {
      response = await match.route.handle({ request, url, params: match.params, body });
    } catch (error) {
      if (error instanceof FakeNotFound) response = await notFound(request);
      else if (error instanceof FakeInvalidCursor) response = await invalidCursor(request);
      else {
        record(500, body);
        throw error;
      }
    }
    record(response.status, body);
    if (fault) return HttpResponse.error(); // drop after the write was applied
    return response;
  });
  return [handler];
}
