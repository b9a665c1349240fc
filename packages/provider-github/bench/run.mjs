#!/usr/bin/env node
/**
 * Benchmark of @krate/provider-github against its fake, in one process, on the
 * built package (dist). Build first, then `pnpm --filter @krate/provider-github bench`
 * (`node --expose-gc bench/run.mjs`).
 *
 * 1. Webhook ingest (measured first, on a small heap): verify + normalize deliveries/s
 *    of a typical `issues` delivery next to plain HMAC-SHA256 + JSON.parse of the same
 *    bytes, in interleaved batches.
 * 2. Listing N issues (default 10 000) through the provider (`paginate(listIssues)`)
 *    and through plain `octokit.paginate` (a new Octokit from @octokit/rest) against the
 *    same MSW fake: request count, wall time (median of several runs after a warmup,
 *    run order alternating) and peak heap (process.memoryUsage().heapUsed sampled, gc
 *    between runs). For reference also the provider with its ETag cache off.
 * 3. A second, unchanged listing through the same instance: answered by 304s.
 * 4. The GraphQL listing (`useGraphql: true`): request count, wall time, peak heap.
 *
 * Environment: BENCH_ISSUES (10000), BENCH_RUNS (5), BENCH_WEBHOOKS (10000 per batch),
 * BENCH_WEBHOOK_ROUNDS (9 interleaved pairs of batches).
 * Writes bench/results.json and bench/RESULTS.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeader, paginate, parseWebhookJson, toRichText, verifyHmac, webhookDedupeKey } from '@krate/core';
import { Octokit } from '@octokit/rest';
import { setupServer } from 'msw/node';
import { createGitHubProvider } from '../dist/index.js';
import { createFake } from '../dist/testing/index.js';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const ISSUES = Number(process.env.BENCH_ISSUES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 10_000);
const WEBHOOK_ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 9);
const WEBHOOK_WARMUP = 20_000;
const PAGE = 100;
const SCOPE = 'octo-org/hello-world';
const [OWNER, REPO] = SCOPE.split('/');
const TOKEN = 'ghp_benchTOKEN0123456789abcdefABCDEF0123';
const WEBHOOK_SECRET = 'bench-webhook-secret-7f3a9c';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (the package script "bench" does)');
  process.exit(1);
}
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const loadAtStart = os.loadavg();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const fmt = (value) => Math.round(value).toLocaleString('en-US');

// ---------------------------------------------------------------------------
// Heap sampling: a 1 ms timer plus explicit samples at each page.

let peak = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};

/** CPU time of this process (all its threads) since `start`, in ms. */
const cpuMs = (start) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/**
 * Runs fn after gc; returns its result, wall ms, CPU ms and peak heap above the post-gc
 * baseline. CPU time is kept beside wall time because other processes on a shared
 * machine stretch wall time but not the CPU time this process uses.
 */
async function measure(fn) {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  peak = baseline;
  const timer = setInterval(sample, 1);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  const cpu = cpuMs(cpuStart);
  clearInterval(timer);
  sample();
  return { result, ms, cpu, peakBytes: peak - baseline };
}

// ---------------------------------------------------------------------------
// 1. Webhook ingest.

const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const issuesExample = examples.find((g) => g.name === 'issues').examples.find((e) => e.action === 'opened');
const bodyBytes = Buffer.from(JSON.stringify(issuesExample), 'utf8');
const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(bodyBytes).digest('hex')}`;
const headers = {
  'content-type': 'application/json',
  'user-agent': 'GitHub-Hookshot/044aadd',
  'x-github-event': 'issues',
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'x-hub-signature-256': signature,
};
const receiver = createGitHubProvider({ auth: { type: 'token', token: TOKEN }, webhookSecret: WEBHOOK_SECRET }).webhooks;
const probe = await receiver.receive({ headers, rawBody: bodyBytes });
if (probe.events.length !== 1 || probe.events[0].kind !== 'issue') throw new Error('the benchmark delivery did not normalize to one issue event');

async function receiveLoop(n) {
  let events = 0;
  for (let i = 0; i < n; i++) events += (await receiver.receive({ headers, rawBody: bodyBytes })).events.length;
  return events;
}
function plainLoop(n) {
  const expected = Buffer.from(signature.slice('sha256='.length), 'hex');
  let keys = 0;
  for (let i = 0; i < n; i++) {
    const digest = createHmac('sha256', WEBHOOK_SECRET).update(bodyBytes).digest();
    if (!timingSafeEqual(digest, expected)) throw new Error('bad signature');
    keys += Object.keys(JSON.parse(bodyBytes.toString('utf8'))).length;
  }
  return keys;
}

// Warm both paths up until the JIT has settled, then measure interleaved batches: each
// pair runs under the same machine load; medians drop the noisy rounds. No forced gc
// between batches: a full gc shrinks V8's young generation, which penalizes whichever
// side allocates more until it grows back; a long-running receiver runs with it grown.
await receiveLoop(WEBHOOK_WARMUP);
plainLoop(WEBHOOK_WARMUP);
// Rates are deliveries per CPU-second of this process (one core: the loops are
// single-threaded), so other processes on the machine do not skew them; wall-clock
// rates are kept in results.json.
const receiveRates = [];
const plainRates = [];
const pairRatios = [];
const wallRates = { receive: [], plain: [] };
for (let r = 0; r < WEBHOOK_ROUNDS; r++) {
  const rates = {};
  for (const which of r % 2 === 0 ? ['receive', 'plain'] : ['plain', 'receive']) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    if (which === 'receive') await receiveLoop(WEBHOOKS);
    else plainLoop(WEBHOOKS);
    wallRates[which].push(WEBHOOKS / ((performance.now() - start) / 1000));
    rates[which] = WEBHOOKS / (cpuMs(cpuStart) / 1000);
  }
  receiveRates.push(rates.receive);
  plainRates.push(rates.plain);
  pairRatios.push(rates.receive / rates.plain);
}
// Where the time of one delivery goes: the steps of receive, each timed alone (CPU µs).
const parsedExample = JSON.parse(bodyBytes.toString('utf8'));
const bodyString = bodyBytes.toString('utf8');
const expectedDigest = Buffer.from(signature.slice('sha256='.length), 'hex');
const steps = {
  'HMAC-SHA256 of the body + timingSafeEqual (floor)': () => {
    const digest = createHmac('sha256', WEBHOOK_SECRET).update(bodyBytes).digest();
    return timingSafeEqual(digest, expectedDigest);
  },
  'JSON.parse of the body as text (floor)': () => JSON.parse(bodyBytes.toString('utf8')),
  'verifyHmac (core)': () => verifyHmac({ secret: WEBHOOK_SECRET, payload: bodyBytes, signature, prefix: 'sha256=', provider: 'github' }),
  'parseWebhookJson of the text (core)': () => parseWebhookJson(bodyString, 'github'),
  'getHeader x3 (core)': () => [getHeader(headers, 'x-hub-signature-256'), getHeader(headers, 'x-github-delivery'), getHeader(headers, 'x-github-event')],
  'webhookDedupeKey (core)': () => webhookDedupeKey({ provider: 'github', deliveryId: 'a', event: 'issues', installationId: '1' }),
  // The issue mapper is internal to the package (not exported): its cost is the rest of receive.
  'toRichText(body) (core, part of the issue mapping)': () => toRichText(parsedExample.issue.body),
};
const STEP_ITERATIONS = 20_000;
const stepCosts = {};
for (const [name, fn] of Object.entries(steps)) {
  for (let i = 0; i < 2_000; i++) fn();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < STEP_ITERATIONS; i++) fn();
    runs.push((cpuMs(cpuStart) * 1000) / STEP_ITERATIONS);
  }
  stepCosts[name] = median(runs);
}

const webhook = {
  bodyBytes: bodyBytes.length,
  verifyNormalizePerSec: median(receiveRates),
  plainHmacJsonPerSec: median(plainRates),
  ratio: median(pairRatios),
  wallVerifyNormalizePerSec: median(wallRates.receive),
  wallPlainHmacJsonPerSec: median(wallRates.plain),
};

// ---------------------------------------------------------------------------
// 2-4. Listings against the fake.

const fake = createFake();
fake.core.addPersonalToken(TOKEN, 'octocat');
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });

const seedStart = performance.now();
for (let i = 1; i <= ISSUES; i++) {
  fake.seed.issue(SCOPE, {
    title: `Issue ${i}: the build fails on ${i % 7 === 0 ? 'Windows' : 'Linux'}`,
    body: `Steps to reproduce issue ${i}:\n\n1. run \`pnpm build\`\n2. see the **error**\n\n> expected: a green build`,
    state: i % 4 === 0 ? 'closed' : 'open',
    labels: i % 3 === 0 ? ['bug', 'priority:high'] : i % 3 === 1 ? ['enhancement'] : [],
    assignees: i % 2 === 0 ? ['octocat'] : [],
  });
}
const seedMs = performance.now() - seedStart;
console.log(`seeded ${fmt(ISSUES)} issues in ${fmt(seedMs)} ms; node ${process.version}, ${os.availableParallelism()} cores, load ${loadAtStart.map((l) => round(l, 1)).join(' ')}`);

const config = { ...fake.config, auth: { type: 'token', token: TOKEN } };

async function listThroughProvider(instance) {
  let count = 0;
  for await (const issue of paginate((o) => instance.issueTracking.listIssues(SCOPE, { ...o, pageSize: PAGE }))) {
    if (issue.ref.id) count += 1;
    if (count % PAGE === 0) sample();
  }
  return count;
}

const runs = {
  /** The provider over REST, a fresh instance (empty ETag cache). */
  provider: async () => {
    fake.reset();
    const count = await listThroughProvider(createGitHubProvider(config));
    return { count, requests: fake.requests.length };
  },
  /** Plain Octokit: octokit.paginate collects every page into one array. */
  octokit: async () => {
    fake.reset();
    const octokit = new Octokit({ auth: TOKEN, baseUrl: fake.core.apiBaseUrl, userAgent: 'bench' });
    const items = await octokit.paginate(
      octokit.rest.issues.listForRepo,
      { owner: OWNER, repo: REPO, state: 'all', sort: 'updated', direction: 'asc', per_page: PAGE },
      (response) => {
        sample();
        return response.data;
      },
    );
    return { count: items.filter((i) => !i.pull_request).length, requests: fake.requests.length };
  },
  /** The provider with `etagCacheSize: 0`: pure streaming, no conditional resync. */
  providerNoCache: async () => {
    fake.reset();
    const count = await listThroughProvider(createGitHubProvider({ ...config, etagCacheSize: 0 }));
    return { count, requests: fake.requests.length };
  },
  /** The provider over GraphQL. */
  graphql: async () => {
    fake.reset();
    const count = await listThroughProvider(createGitHubProvider({ ...config, useGraphql: true }));
    return { count, requests: fake.requests.filter((r) => r.path.endsWith('/graphql')).length };
  },
};

// Warmup: one of each (JIT, module caches, the fake's code paths).
for (const run of Object.values(runs)) await run();

const measured = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
const listingPairRatios = { wall: [], cpu: [], memory: [], noCacheWall: [], noCacheMemory: [] };
for (let r = 0; r < RUNS; r++) {
  // Rotate the order so no side always runs first or on a warmer heap.
  const names = Object.keys(runs);
  const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
  for (const name of order) measured[name].push(await measure(runs[name]));
  const p = measured.provider.at(-1);
  const o = measured.octokit.at(-1);
  listingPairRatios.wall.push(p.ms / o.ms);
  listingPairRatios.cpu.push(p.cpu / o.cpu);
  listingPairRatios.memory.push(p.peakBytes / o.peakBytes);
  const nc = measured.providerNoCache.at(-1);
  listingPairRatios.noCacheWall.push(nc.ms / o.ms);
  listingPairRatios.noCacheMemory.push(nc.peakBytes / o.peakBytes);
}

// A second, unchanged listing through the same instance: conditional requests.
fake.reset();
const resyncInstance = createGitHubProvider(config);
await listThroughProvider(resyncInstance);
fake.reset();
const resync = await measure(() => listThroughProvider(resyncInstance));
const resyncRequests = fake.requests.length;
const resync304 = fake.requests.filter((r) => r.status === 304).length;

server.close();
const loadAtEnd = os.loadavg();

// ---------------------------------------------------------------------------
// Report.

const summary = (name) => {
  const list = measured[name];
  return {
    items: list[0].result.count,
    requests: list[0].result.requests,
    wallMs: median(list.map((m) => m.ms)),
    cpuMs: median(list.map((m) => m.cpu)),
    peakBytes: median(list.map((m) => m.peakBytes)),
    runsMs: list.map((m) => round(m.ms)),
    runsCpuMs: list.map((m) => round(m.cpu)),
    runsPeakMb: list.map((m) => mb(m.peakBytes)),
  };
};
const p = summary('provider');
const o = summary('octokit');
const n = summary('providerNoCache');
const g = summary('graphql');
const ratios = {
  wall: median(listingPairRatios.wall),
  cpu: median(listingPairRatios.cpu),
  memory: median(listingPairRatios.memory),
  noCacheWall: median(listingPairRatios.noCacheWall),
  noCacheMemory: median(listingPairRatios.noCacheMemory),
  webhook: webhook.ratio,
};
const expectedRequests = Math.ceil(ISSUES / PAGE);
const targets = [
  { target: `${expectedRequests} requests for ${fmt(ISSUES)} issues`, value: `${p.requests}`, met: p.requests === expectedRequests },
  { target: 'wall time <= 1.1x plain octokit.paginate', value: `${round(ratios.wall, 2)}x (CPU ${round(ratios.cpu, 2)}x)`, met: ratios.wall <= 1.1 },
  { target: 'peak heap <= plain octokit.paginate', value: `${round(ratios.memory, 2)}x`, met: ratios.memory <= 1 },
  { target: 'second unchanged listing: all 304', value: `${resync304}/${resyncRequests}`, met: resync304 === resyncRequests && resyncRequests === expectedRequests },
  { target: 'verify+normalize >= 0.8x HMAC+JSON.parse (per CPU-second)', value: `${round(ratios.webhook, 2)}x`, met: ratios.webhook >= 0.8 },
];

const machine = {
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGb: round(os.totalmem() / 1024 ** 3, 1),
  loadAverageAtStart: loadAtStart.map((l) => round(l, 2)),
  loadAverageAtEnd: loadAtEnd.map((l) => round(l, 2)),
};
const listingJson = (s) => ({ ...s, wallMs: round(s.wallMs), cpuMs: round(s.cpuMs), peakMb: mb(s.peakBytes) });
const results = {
  date: new Date().toISOString(),
  machine,
  settings: { issues: ISSUES, pageSize: PAGE, runs: RUNS, warmupRuns: 1, webhookDeliveriesPerBatch: WEBHOOKS, webhookRounds: WEBHOOK_ROUNDS, webhookWarmup: WEBHOOK_WARMUP },
  seedMs: round(seedMs, 0),
  listing: {
    provider: listingJson(p),
    octokitPaginate: listingJson(o),
    providerEtagCacheOff: listingJson(n),
    graphql: listingJson(g),
  },
  resync: { requests: resyncRequests, notModified: resync304, wallMs: round(resync.ms), cpuMs: round(resync.cpu), peakMb: mb(resync.peakBytes) },
  webhook: {
    bodyBytes: webhook.bodyBytes,
    verifyNormalizePerSec: round(webhook.verifyNormalizePerSec, 0),
    plainHmacJsonPerSec: round(webhook.plainHmacJsonPerSec, 0),
    wallVerifyNormalizePerSec: round(webhook.wallVerifyNormalizePerSec, 0),
    wallPlainHmacJsonPerSec: round(webhook.wallPlainHmacJsonPerSec, 0),
    pairRatios: pairRatios.map((x) => round(x, 3)),
    stepCpuMicros: Object.fromEntries(Object.entries(stepCosts).map(([k, v]) => [k.trim(), round(v, 2)])),
  },
  ratios: {
    wall: round(ratios.wall, 3),
    cpu: round(ratios.cpu, 3),
    memory: round(ratios.memory, 3),
    noCacheWall: round(ratios.noCacheWall, 3),
    noCacheMemory: round(ratios.noCacheMemory, 3),
    webhook: round(ratios.webhook, 3),
    wallPairs: listingPairRatios.wall.map((x) => round(x, 3)),
    cpuPairs: listingPairRatios.cpu.map((x) => round(x, 3)),
    memoryPairs: listingPairRatios.memory.map((x) => round(x, 3)),
  },
  targets,
};

console.table([
  { listing: 'provider REST (paginate)', items: p.items, requests: p.requests, 'wall ms (median)': round(p.wallMs), 'CPU ms': round(p.cpuMs), 'peak heap MB': mb(p.peakBytes) },
  { listing: 'octokit.paginate', items: o.items, requests: o.requests, 'wall ms (median)': round(o.wallMs), 'CPU ms': round(o.cpuMs), 'peak heap MB': mb(o.peakBytes) },
  { listing: 'provider REST, etagCacheSize 0', items: n.items, requests: n.requests, 'wall ms (median)': round(n.wallMs), 'CPU ms': round(n.cpuMs), 'peak heap MB': mb(n.peakBytes) },
  { listing: 'provider GraphQL', items: g.items, requests: g.requests, 'wall ms (median)': round(g.wallMs), 'CPU ms': round(g.cpuMs), 'peak heap MB': mb(g.peakBytes) },
  { listing: 'provider REST, unchanged resync', items: p.items, requests: `${resyncRequests} (${resync304} x 304)`, 'wall ms (median)': round(resync.ms), 'CPU ms': round(resync.cpu), 'peak heap MB': mb(resync.peakBytes) },
]);
console.table([
  { webhook: `verify + normalize (provider), ${webhook.bodyBytes} B issues delivery`, 'deliveries/CPU-s': round(webhook.verifyNormalizePerSec, 0), 'deliveries/s (wall)': round(webhook.wallVerifyNormalizePerSec, 0) },
  { webhook: 'HMAC-SHA256 + JSON.parse (floor)', 'deliveries/CPU-s': round(webhook.plainHmacJsonPerSec, 0), 'deliveries/s (wall)': round(webhook.wallPlainHmacJsonPerSec, 0) },
]);
console.table(Object.entries(stepCosts).map(([step, us]) => ({ 'webhook step': step, 'CPU µs': round(us, 1) })));
console.table(targets);

writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);

const md = `## Benchmarks

Measured with \`pnpm --filter @krate/provider-github bench\` (\`bench/run.mjs\`): the built
package and its fake in one process, every request served by MSW, ${fmt(ISSUES)} issues seeded
(labels on two thirds, an assignee on half). Wall time and peak heap are medians of ${RUNS}
runs after a warmup, the run order rotating, with gc before each run; peak heap is
\`heapUsed\` sampled during the run above the post-gc baseline. Ratios are medians of the
per-run ratios. CPU time (all threads of the process) is shown beside wall time: other work
on a shared machine stretches wall time but not CPU time. The fake's own work (filtering,
sorting and serializing pages, ETags) is in every number, on both sides.

Machine: Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.platform}, ${machine.memoryGb} GB RAM;
load average ${machine.loadAverageAtStart.join(' / ')} at the start and ${machine.loadAverageAtEnd.join(' / ')} at the end${
  Math.max(machine.loadAverageAtStart[0], machine.loadAverageAtEnd[0]) > 1 ? ' (other work was running)' : ''
}.
Run on ${results.date.slice(0, 10)}.

| Listing ${fmt(ISSUES)} issues | Requests | Wall time | CPU time | Peak heap |
| --- | ---: | ---: | ---: | ---: |
| provider, REST (\`paginate(listIssues)\`, ${PAGE} a page) | ${p.requests} | ${fmt(p.wallMs)} ms | ${fmt(p.cpuMs)} ms | ${mb(p.peakBytes)} MB |
| plain \`octokit.paginate\` (same fake, same pages) | ${o.requests} | ${fmt(o.wallMs)} ms | ${fmt(o.cpuMs)} ms | ${mb(o.peakBytes)} MB |
| provider, REST, \`etagCacheSize: 0\` (streaming only) | ${n.requests} | ${fmt(n.wallMs)} ms | ${fmt(n.cpuMs)} ms | ${mb(n.peakBytes)} MB |
| provider, GraphQL (\`useGraphql: true\`) | ${g.requests} | ${fmt(g.wallMs)} ms | ${fmt(g.cpuMs)} ms | ${mb(g.peakBytes)} MB |
| provider, REST, second unchanged listing | ${resyncRequests} (${resync304} answered 304) | ${fmt(resync.ms)} ms | ${fmt(resync.cpu)} ms | ${mb(resync.peakBytes)} MB |

The provider keeps every listed page's body as text with its ETag (\`etagCacheSize\`, default
256 pages) so that an unchanged resync is answered by free 304s. It parses list pages with the
engine's \`JSON.parse\`, where Octokit 22 parses every body with a BigInt-preserving parser (a
regex pass plus a reviver): that is most of the difference to plain \`octokit.paginate\`. With
the cache off the same listing runs at ${round(ratios.noCacheWall, 2)}x the wall time of
\`octokit.paginate\` and ${round(ratios.noCacheMemory, 2)}x its peak heap (one page held at a time).
GraphQL pages are smaller than REST pages (no URL fields, no full user objects).

| Webhook ingest, one core, ${fmt(webhook.bodyBytes)} B \`issues\` delivery | Deliveries per CPU-second |
| --- | ---: |
| \`webhooks.receive\`: verify X-Hub-Signature-256, parse, normalize | ${fmt(webhook.verifyNormalizePerSec)} |
| plain HMAC-SHA256 + \`JSON.parse\` of the same bytes (floor) | ${fmt(webhook.plainHmacJsonPerSec)} |

Where one delivery's time goes (each step timed alone; CPU µs): ${fmt(1e6 / webhook.verifyNormalizePerSec)} for a whole
\`receive\`, ${fmt(1e6 / webhook.plainHmacJsonPerSec)} for the floor.

| Step | CPU µs |
| --- | ---: |
${Object.entries(stepCosts).map(([step, us]) => `| ${step.trim().startsWith('of which') ? '&nbsp;&nbsp;' : ''}${step.trim()} | ${round(us, 1)} |`).join('\n')}

| Target | Measured | Met |
| --- | ---: | :---: |
${targets.map((t) => `| ${t.target} | ${t.value} | ${t.met ? 'yes' : 'no'} |`).join('\n')}
`;
writeFileSync(here('./RESULTS.md'), md);
console.log('wrote bench/results.json and bench/RESULTS.md');
