import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getResponse, type RequestHandler } from 'msw';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Serves an MSW fake (the GitHub fake of `@krate/provider-github/testing`, with its state,
 * budget and error shapes) over real HTTP on 127.0.0.1, so that worker processes share one
 * fake. Requests are handed to the fake as if sent to `fakeBaseUrl`; `Link` headers are
 * rewritten back to the bridge's address.
 */
export async function startFakeBridge(handlers: RequestHandler[], fakeBaseUrl: string) {
  const fakeBase = fakeBaseUrl.replace(/\/+$/, '');
  const unhandled: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name === 'host' || name === 'connection') continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const body = chunks.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
      const request = new Request(`${fakeBase}${req.url ?? '/'}`, { method: req.method, headers, body });
      const response = await getResponse(handlers, request);
      if (!response) {
        unhandled.push(`${req.method} ${req.url}`);
        res.writeHead(599, { 'content-type': 'text/plain' }).end('no fake route');
        return;
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name === 'content-encoding' || name === 'content-length' || name === 'transfer-encoding') return;
        out[name] = name === 'link' ? value.split(fakeBase).join(bridge.baseUrl) : value;
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, out).end(bytes);
    } catch (error) {
      res.writeHead(598, { 'content-type': 'text/plain' }).end(String(error));
    } finally {
      inFlight -= 1;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const bridge = {
    baseUrl: `http://127.0.0.1:${port}`,
    unhandled,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return bridge;
}

/** What a worker reports while it works (a webhook handler running, finishing). */
export interface FleetEvent {
  event: 'processing' | 'processed';
  deliveryId: string;
  worker: number;
}

export interface FleetWorker {
  readonly index: number;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
}

const WORKER = here('./fleet-worker.mjs');
const BUILT = [
  here('../../dist/index.js'),
  here('../../../core/dist/index.js'),
  here('../../../provider-github/dist/index.js'),
];

/**
 * Forks `size` worker processes. `init` gives each a real GitHub provider instance (the
 * built packages) configured with `config` and a store: `{ kind: 'redis', url, keyPrefix }`
 * (one shared Redis) or `{ kind: 'memory' }` (each its own).
 */
export type FleetInit = { config: Record<string, unknown>; state: { kind: 'redis'; url: string; keyPrefix: string } | { kind: 'memory' } };

export async function startFleet(size: number) {
  const missing = BUILT.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `the fleet tests run the built packages in worker processes, and ${missing.join(', ')} is missing: ` +
        'run `pnpm turbo run test --filter=@krate/state-redis` (builds first) or `pnpm turbo run build --filter=@krate/state-redis...`',
    );
  }
  const events: FleetEvent[] = [];
  const children: ChildProcess[] = [];
  const workers: FleetWorker[] = [];
  for (let index = 0; index < size; index++) {
    const child = fork(WORKER, [], {
      execArgv: [],
      env: { ...process.env, FLEET_WORKER: String(index), NODE_OPTIONS: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
    let nextId = 0;
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`worker ${index} exited with ${code}`)));
      child.on('message', (message: { event?: string; id?: number; result?: unknown; error?: unknown }) => {
        if (message.event === 'ready') return resolve();
        if (message.event) return void events.push(message as FleetEvent);
        const waiter = pending.get(message.id!);
        if (!waiter) return;
        pending.delete(message.id!);
        if (message.error) waiter.reject(Object.assign(new Error(`worker ${index}: ${JSON.stringify(message.error)}`), { detail: message.error }));
        else waiter.resolve(message.result);
      });
    });
    await ready;
    workers.push({
      index,
      call<T>(cmd: string, args: Record<string, unknown> = {}) {
        const id = nextId++;
        return new Promise<T>((resolve, reject) => {
          pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
          child.send({ id, cmd, ...args });
        });
      },
    });
  }
  return {
    workers,
    events,
    /** (Re)creates every worker's provider instance and store; clears the events. */
    async init(init: FleetInit) {
      events.length = 0;
      await Promise.all(workers.map((w) => w.call('init', init)));
    },
    async close() {
      await Promise.all(workers.map((w) => w.call('exit').catch(() => undefined)));
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
    },
  };
}
