/**
 * Benchmarks of the GitLab provider (`pnpm bench` after `pnpm build`; run with --expose-gc):
 *
 * 1. API cost: requests, wall time and peak heap to list N issues and N merge requests
 *    (N = 1,000 and 10,000) from the local fake with the default page size (GitLab's maximum,
 *    100): expected ceil(N / 100) requests each. Against plain @gitbeaker/rest listing the
 *    same objects with `perPage: 100, maxPages: ceil(N / 100)` over the same fake, as ratios
 *    from one run. The provider iterates one normalized page at a time (core's `paginate`);
 *    gitbeaker returns one array of raw objects.
 * 2. Webhook ingest: verify (Standard Webhooks, signing token) + normalize Issue Hook
 *    deliveries through `webhooks.receive`, against the floor of HMAC-SHA256 + JSON.parse by hand.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setupServer } from 'msw/node';
import { Gitlab } from '@gitbeaker/rest';
import { paginate } from '@krate/core';
import gitlab from '../dist/index.js';
import { GITLAB_FAKE_PROJECT as P, createFake } from '../dist/testing/index.js';

const gc = globalThis.gc ?? (() => {});
const ms = (v) => `${v.toFixed(0)} ms`;
const mb = (v) => `${(v / 1024 / 1024).toFixed(1)} MB`;

/** Runs fn while sampling the heap every 2 ms; returns wall time and the peak heap above the start. */
async function measure(fn) {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
  }, 2);
  const start = performance.now();
  const result = await fn();
  const wall = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { result, wall, heap: peak - base };
}

async function apiCost(server) {
  const rows = [];
  for (const n of [1_000, 10_000]) {
    const fake = createFake();
    server.resetHandlers(...fake.handlers);
    for (let i = 0; i < n; i++) fake.seed.issue(P, { title: `Issue ${i}`, body: `Body of issue ${i} with some **markdown**.`, labels: i % 3 ? ['bug'] : [] });
    for (let i = 0; i < n; i++) fake.seed.pullRequest(P, { title: `Merge request ${i}`, body: `Body ${i}`, headBranch: `feature-${i}` });
    const instance = gitlab.create({ ...fake.config, retry: { maxRetries: 0 }, timeoutMs: 60_000 });
    const api = new Gitlab({ host: fake.state.webUrl, token: fake.credentials.token });
    const pages = Math.ceil(n / 100);
    for (const [what, providerList, gitbeakerList] of [
      ['issues', (o) => instance.issueTracking.listIssues(P, o), () => api.Issues.all({ projectId: P, perPage: 100, maxPages: pages, scope: 'all' })],
      ['merge requests', (o) => instance.gitForge.listPullRequests(P, o), () => api.MergeRequests.all({ projectId: P, perPage: 100, maxPages: pages, state: 'all' })],
    ]) {
      // One untimed round of each first, so neither is measured cold.
      for await (const _ of paginate(providerList)) void _;
      await gitbeakerList();
      fake.reset();
      const provider = await measure(async () => {
        let count = 0;
        for await (const _ of paginate(providerList)) count++;
        return count;
      });
      const providerRequests = fake.requests.length;
      fake.reset();
      const plain = await measure(async () => (await gitbeakerList()).length);
      const plainRequests = fake.requests.length;
      if (provider.result !== n || plain.result !== n) throw new Error(`${what}: listed ${provider.result} and ${plain.result} of ${n}`);
      rows.push({ n, what, expected: pages, providerRequests, plainRequests, provider, plain });
    }
  }
  console.log('API cost: list N objects with the default page size (expected ceil(N / 100) requests)');
  console.log('  N       what            requests (provider / gitbeaker)  wall provider / gitbeaker (ratio)   peak heap provider / gitbeaker (ratio)');
  for (const r of rows) {
    console.log(
      `  ${String(r.n).padEnd(7)} ${r.what.padEnd(15)} ${`${r.providerRequests} / ${r.plainRequests} (expected ${r.expected})`.padEnd(32)} ` +
        `${`${ms(r.provider.wall)} / ${ms(r.plain.wall)} (${(r.provider.wall / r.plain.wall).toFixed(2)}x)`.padEnd(35)} ` +
        `${mb(r.provider.heap)} / ${mb(r.plain.heap)} (${(r.provider.heap / r.plain.heap).toFixed(2)}x)`,
    );
    if (r.providerRequests !== r.expected) throw new Error(`${r.what}: ${r.providerRequests} requests, expected ${r.expected}`);
  }
}

async function webhookIngest() {
  const fake = createFake();
  const instance = gitlab.create(fake.config);
  const key = Buffer.from(fake.credentials.signingToken.replace(/^whsec_/, ''), 'base64');
  const deliveries = [];
  for (let i = 0; i < 200; i++) deliveries.push(fake.webhook('Issue Hook', { now: new Date() }));
  const rounds = 25;
  const total = deliveries.length * rounds;
  for (const d of deliveries) await instance.webhooks.receive(d);
  const floor = () => {
    let ok = 0;
    for (let r = 0; r < rounds; r++) {
      for (const d of deliveries) {
        const h = d.headers;
        const expected = createHmac('sha256', key).update(`${h['webhook-id']}.${h['webhook-timestamp']}.${d.rawBody}`).digest();
        const given = Buffer.from(h['webhook-signature'].slice(3), 'base64');
        if (timingSafeEqual(expected, given)) ok += JSON.parse(d.rawBody).object_attributes ? 1 : 0;
      }
    }
    return ok;
  };
  let start = performance.now();
  const floorOk = floor();
  const floorMs = performance.now() - start;
  start = performance.now();
  let events = 0;
  for (let r = 0; r < rounds; r++) for (const d of deliveries) events += (await instance.webhooks.receive(d)).events.length;
  const providerMs = performance.now() - start;
  if (floorOk !== total || events !== total) throw new Error('benchmark deliveries did not all verify');
  console.log(`webhook ingest (${total} signed Issue Hook deliveries of ${Buffer.byteLength(deliveries[0].rawBody)} bytes, one core)`);
  console.log(`  HMAC + JSON.parse floor:               ${Math.round(total / (floorMs / 1000)).toLocaleString('en-US')} deliveries/s (${ms(floorMs)})`);
  console.log(`  webhooks.receive (verify + normalize): ${Math.round(total / (providerMs / 1000)).toLocaleString('en-US')} deliveries/s (${ms(providerMs)})`);
  console.log(`  overhead over the floor: ${(providerMs / floorMs).toFixed(2)}x`);
}

const server = setupServer();
server.listen({ onUnhandledRequest: 'error' });
try {
  await webhookIngest();
  await apiCost(server);
} finally {
  server.close();
}
