#!/usr/bin/env node
// `pnpm bench`: what the Redis store costs against the in-memory store, in one run.
//  1. Per-request overhead: the shared transport sending N GETs to a loopback HTTP server that
//     answers with GitHub's x-ratelimit-* headers, with no budget, with the in-memory store and
//     with the Redis store (each request reserves before it is sent and records after).
//  2. Webhook claims per second: claim + confirm of distinct deliveries, 32 at a time.
// Needs the built packages (`pnpm turbo run bench` builds first) and redis-server on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createMemoryStateStore, createTransport } from '@krate/core';
import { createRedisStateStore } from '@krate/state-redis';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20000);
const ROUNDS = 3;

function freePort() {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    throw new Error('redis-server is not on PATH (Debian/Ubuntu: apt-get install -y redis-server)');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'krate-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const store = createRedisStateStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: `bench:${randomUUID()}:` });
  for (let i = 0; i < 100; i++) {
    try {
      await store.client.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    store,
    async stop() {
      await store.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startApi() {
  const reset = String(Math.floor(Date.now() / 1000) + 3600);
  let used = 0;
  const server = createServer((req, res) => {
    used += 1;
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-ratelimit-limit': '1000000000',
      'x-ratelimit-remaining': String(1_000_000_000 - used),
      'x-ratelimit-reset': reset,
      'x-ratelimit-resource': 'core',
    });
    res.end('[]');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/items`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

async function timeRequests(transport, url, n) {
  for (let i = 0; i < 50; i++) await (await transport.fetch(url, { headers: { authorization: 'token bench-token-000000' } })).text();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await (await transport.fetch(url, { headers: { authorization: 'token bench-token-000000' } })).text();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeClaims(store, n, concurrency = 32) {
  const prefix = randomUUID();
  let next = 0;
  const start = process.hrtime.bigint();
  async function lane() {
    while (next < n) {
      const key = `webhook:bench:${prefix}:${next++}`;
      const claim = await store.claimDelivery(key, 60_000);
      if (claim.outcome === 'claimed') await store.confirmDelivery(key, claim.token, 60_000);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return (n / ms) * 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const api = await startApi();
const redis = await startRedis();
try {
  const transports = {
    none: createTransport({ provider: 'bench' }),
    memory: createTransport({ provider: 'bench', rateLimitBudget: { store: createMemoryStateStore() } }),
    redis: createTransport({ provider: 'bench', rateLimitBudget: { store: redis.store } }),
  };
  const wall = { none: [], memory: [], redis: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(transports)) wall[name].push(await timeRequests(transports[name], api.url, REQUESTS));
  }
  const perRequest = Object.fromEntries(Object.entries(wall).map(([name, times]) => [name, (median(times) * 1000) / REQUESTS]));
  const overhead = { memory: perRequest.memory - perRequest.none, redis: perRequest.redis - perRequest.none };

  const claimRate = { memory: [], redis: [] };
  const memoryStore = createMemoryStateStore();
  for (let round = 0; round < ROUNDS; round++) {
    claimRate.memory.push(await timeClaims(memoryStore, CLAIMS));
    claimRate.redis.push(await timeClaims(redis.store, CLAIMS));
  }
  const claims = { memory: median(claimRate.memory), redis: median(claimRate.redis) };

  const fmt = (n, digits = 1) => n.toFixed(digits);
  console.log(`@krate/state-redis bench (Node ${process.version}, ${REQUESTS} requests x ${ROUNDS} rounds, ${CLAIMS} claims x ${ROUNDS} rounds, medians)`);
  console.log('');
  console.log('| | no budget | in-memory store | Redis store | Redis / in-memory |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| time per request (µs) | ${fmt(perRequest.none)} | ${fmt(perRequest.memory)} | ${fmt(perRequest.redis)} | ${fmt(perRequest.redis / perRequest.memory, 2)}x |`);
  console.log(`| budget overhead per request (µs) | – | ${fmt(overhead.memory)} | ${fmt(overhead.redis)} | ${fmt(overhead.redis / Math.max(overhead.memory, 0.1), 1)}x |`);
  console.log(`| webhook claims per second (claim + confirm) | – | ${fmt(claims.memory, 0)} | ${fmt(claims.redis, 0)} | ${fmt(claims.redis / claims.memory, 3)}x |`);
  console.log('');
  console.log(JSON.stringify({ perRequestUs: perRequest, overheadUs: overhead, claimsPerSecond: claims }));
} finally {
  await redis.stop();
  await api.close();
}
