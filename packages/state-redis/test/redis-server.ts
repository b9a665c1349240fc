import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server process started for tests: loopback only, its own directory. */
export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM: it saves its append-only file first when it keeps one). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Fails with a message saying how to install redis-server when it is not on PATH. */
export function requireRedisServer(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(
      'redis-server is not on PATH: the @krate/state-redis tests run against a real Redis. ' +
        'Install it (Debian/Ubuntu: `apt-get update && apt-get install -y redis-server`; macOS: `brew install redis`) and run the tests again.',
    );
  }
  return path;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function answersPing(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : connect({ port, host: '127.0.0.1' });
    let data = '';
    socket.setTimeout(500);
    socket.on(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts `redis-server` on a free loopback port in a fresh temp directory. By default it
 * keeps nothing on disk (`--save '' --appendonly no`); `persistent` keeps an append-only
 * file synced on every write, so a restart keeps the data (as a production Redis would).
 */
export async function startRedisServer(
  options: {
    persistent?: boolean;
    /** Serve TLS only (no plain port) with this certificate and key (PEM files). */
    tls?: { certFile: string; keyFile: string };
  } = {},
): Promise<TestRedisServer> {
  const binary = requireRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'krate-redis-'));
  const args = [
    ...(options.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.certFile, '--tls-key-file', options.tls.keyFile, '--tls-auth-clients', 'no']
      : ['--port', String(port)]),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--dir', dir,
    '--save', '',
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    '--daemonize', 'no',
    '--logfile', '',
    '--loglevel', 'warning',
  ];
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    output = '';
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}: ${output}`);
      if (await answersPing(port, options.tls !== undefined)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 10 s: ${output}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }

  await start();
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
