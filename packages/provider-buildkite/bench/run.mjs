/**
 * Benchmarks of the Buildkite provider (run `pnpm bench` after `pnpm build`):
 *
 * 1. Webhook ingest: verify (HMAC-SHA256 over "timestamp.body" + timestamp window) and
 *    normalize `build.finished` deliveries through `webhooks.receive`, next to the floor
 *    of the same HMAC + JSON.parse done by hand, on one core.
 * 2. API cost: requests and wall time to list N builds, jobs and agents from the fake
 *    with the default page size (Buildkite's maximum, 100): expected ceil(N / 100).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setupServer } from 'msw/node';
import buildkite from '../dist/index.js';
import { createFake } from '../dist/testing/index.js';
import { collect } from '@krate/core';

function hr(ms) {
  return `${ms.toFixed(1)} ms`;
}

async function webhookIngest() {
  const fake = createFake();
  const instance = buildkite.create(fake.config);
  const secret = fake.config.webhookSecret;
  const deliveries = [];
  for (let i = 0; i < 200; i++) deliveries.push(fake.webhook('build.finished'));
  const rounds = 50;
  const total = deliveries.length * rounds;

  // Warm up both paths.
  for (const d of deliveries) await instance.webhooks.receive(d);

  const floor = () => {
    let ok = 0;
    for (let r = 0; r < rounds; r++) {
      for (const d of deliveries) {
        const header = d.headers['x-buildkite-signature'];
        const [ts, sig] = header.split(',').map((p) => p.split('=')[1]);
        const expected = createHmac('sha256', secret).update(`${ts}.${d.rawBody}`).digest();
        if (timingSafeEqual(expected, Buffer.from(sig, 'hex'))) ok += JSON.parse(d.rawBody).build ? 1 : 0;
      }
    }
    return ok;
  };
  let start = performance.now();
  const floorOk = floor();
  const floorMs = performance.now() - start;

  start = performance.now();
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    for (const d of deliveries) events += (await instance.webhooks.receive(d)).events.length;
  }
  const providerMs = performance.now() - start;
  if (floorOk !== total || events !== total) throw new Error('benchmark deliveries did not all verify');
  const bytes = Buffer.byteLength(deliveries[0].rawBody);
  console.log(`webhook ingest (${total} build.finished deliveries of ${bytes} bytes, one core)`);
  console.log(`  HMAC + JSON.parse floor:      ${Math.round(total / (floorMs / 1000)).toLocaleString('en-US')} deliveries/s (${hr(floorMs)})`);
  console.log(`  webhooks.receive (verify + normalize): ${Math.round(total / (providerMs / 1000)).toLocaleString('en-US')} deliveries/s (${hr(providerMs)})`);
  console.log(`  overhead over the floor: ${(providerMs / floorMs).toFixed(2)}x`);
}

async function listingCost(server) {
  console.log('API cost of listings (default page size = 100)');
  for (const n of [99, 100, 101, 250, 1000]) {
    const fake = createFake();
    server.use(...fake.handlers);
    const instance = buildkite.create(fake.config);
    const build = fake.seed.pipeline('acme/web', {});
    for (let i = 1; i < n; i++) fake.seed.pipeline('acme/web', {});
    for (let i = 0; i < n; i++) fake.seed.job(build, { name: `job ${i}` });
    for (let i = 0; i < n; i++) fake.seed.runner('acme', { name: `agent-${i}` });
    const row = [];
    for (const [what, list] of [
      ['builds', (o) => instance.cicd.listPipelines('acme/web', o)],
      ['jobs', (o) => instance.cicd.listJobs(build, o)],
      ['agents', (o) => instance.cicd.listRunners('acme', o)],
    ]) {
      const before = fake.requests.length;
      const start = performance.now();
      const items = await collect(list);
      const ms = performance.now() - start;
      if (items.length !== n) throw new Error(`${what}: listed ${items.length} of ${n}`);
      row.push(`${what} ${fake.requests.length - before} req ${hr(ms)}`);
    }
    console.log(`  N=${String(n).padStart(4)} (expected ${Math.ceil(n / 100)} req each): ${row.join(' | ')}`);
    server.resetHandlers();
  }
}

const server = setupServer();
server.listen({ onUnhandledRequest: 'error' });
try {
  await webhookIngest();
  await listingCost(server);
} finally {
  server.close();
}
