#!/usr/bin/env node
/**
 * Listing and resync benchmark of @krate/provider-github against a GitHub-like HTTP
 * server running in a separate process (bench/github-like-server.mjs) on 127.0.0.1, so
 * the CPU time measured here is the client's alone. Run on the built package (dist):
 * `node --expose-gc bench/listing.mjs` (part of `pnpm bench`).
 *
 * For each N (BENCH_SIZES, default "10000,50000") the same listing, 100 issues a page,
 * is measured side by side, in BENCH_ROUNDS (default 5) interleaved rounds after a
 * warmup, the order rotating each round, gc before each measure:
 *
 * - provider: `paginate(listIssues)` on a fresh instance, default configuration;
 * - octokit.paginate: Octokit 22 as shipped (its BigInt-preserving JSON parser), all
 *   items collected into one array (what `octokit.paginate` does);
 * - octokit iterator: `octokit.paginate.iterator`, streaming, as shipped;
 * - octokit + JSON.parse: the iterator with a request hook that asks Octokit for the raw
 *   body (`parseSuccessResponseBody: false`) and parses it with the engine's JSON.parse;
 * - fetch + JSON.parse: a plain loop of `fetch` following the `Link` header.
 *
 * Then an unchanged resync: a second listing through the provider instance of the
 * measured round, its 304 count and CPU time against the first listing of that instance.
 *
 * CPU is process.cpuUsage (user + system) of this process; peak heap is heapUsed sampled
 * every millisecond and at every page, above the post-gc baseline. Printed: median and
 * spread (min-max) per measure, ratios as the median of per-round ratios, and PASS/FAIL
 * for each target of the performance goals. Never exits non-zero on a FAIL.
 * Writes bench/listing-results.json.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { paginate } from '@krate/core';
import { Octokit } from '@octokit/rest';
import { createGitHubProvider } from '../dist/index.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '10000,50000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGE = 100;
const OWNER = 'octo-org';
const REPO = 'hello-world';
const TOKEN = 'ghp_benchTOKEN0123456789abcdefABCDEF0123';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(1);
}
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mb = (bytes) => round(bytes / 1024 / 1024, 1);

let peak = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
async function measure(fn) {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  peak = baseline;
  const timer = setInterval(sample, 1);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  clearInterval(timer);
  sample();
  return { result, ms, cpu: (used.user + used.system) / 1000, peakBytes: peak - baseline };
}

async function startServer(issues) {
  const child = fork(here('./github-like-server.mjs'), [], { env: { ...process.env, BENCH_ISSUES: String(issues) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

async function run(issues) {
  const { child, base } = await startServer(issues);
  const stats = async () => (await fetch(`${base}/__stats`)).json();
  const reset = () => fetch(`${base}/__reset`, { method: 'POST' }).then((r) => r.arrayBuffer());
  const config = { baseUrl: base, webBaseUrl: 'https://github.com', auth: { type: 'token', token: TOKEN } };
  const params = { owner: OWNER, repo: REPO, state: 'all', sort: 'updated', direction: 'asc', per_page: PAGE };
  const newOctokit = () => new Octokit({ auth: TOKEN, baseUrl: base, userAgent: 'bench' });

  async function providerListing(instance) {
    let count = 0;
    for await (const issue of paginate((o) => instance.issueTracking.listIssues(`${OWNER}/${REPO}`, { ...o, pageSize: PAGE }))) {
      if (issue.ref.id) count += 1;
      if (count % PAGE === 0) sample();
    }
    return count;
  }
  async function iterate(octokit) {
    let count = 0;
    for await (const response of octokit.paginate.iterator(octokit.rest.issues.listForRepo, params)) {
      for (const item of response.data) if (!item.pull_request) count += 1;
      sample();
    }
    return count;
  }
  let lastInstance;
  const measures = {
    provider: async () => {
      lastInstance = createGitHubProvider(config);
      return providerListing(lastInstance);
    },
    'octokit.paginate': async () => {
      const octokit = newOctokit();
      const items = await octokit.paginate(octokit.rest.issues.listForRepo, params, (response) => {
        sample();
        return response.data;
      });
      return items.filter((i) => !i.pull_request).length;
    },
    'octokit iterator': () => iterate(newOctokit()),
    'octokit + JSON.parse': () => {
      // Octokit hands over the unparsed body (`parseSuccessResponseBody: false`); the hook parses it with JSON.parse.
      const octokit = new Octokit({ auth: TOKEN, baseUrl: base, userAgent: 'bench', request: { parseSuccessResponseBody: false } });
      octokit.hook.wrap('request', async (request, options) => {
        const response = await request(options);
        if (response.data) response.data = JSON.parse(await new Response(response.data).text());
        return response;
      });
      return iterate(octokit);
    },
    'fetch + JSON.parse': async () => {
      let url = `${base}/repos/${OWNER}/${REPO}/issues?state=all&sort=updated&direction=asc&per_page=${PAGE}`;
      let count = 0;
      while (url) {
        const response = await fetch(url, { headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        for (const item of JSON.parse(await response.text())) if (!item.pull_request) count += 1;
        sample();
        url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      }
      return count;
    },
  };
  const names = Object.keys(measures);
  // Warmup.
  for (const name of names) await measures[name]();
  const results = Object.fromEntries(names.map((n) => [n, []]));
  const resync = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
    for (const name of order) {
      await reset();
      const m = await measure(measures[name]);
      if (m.result !== issues) throw new Error(`${name} listed ${m.result} of ${issues}`);
      m.requests = (await stats()).requests;
      results[name].push(m);
      if (name === 'provider') {
        const first = m;
        await reset();
        const instance = lastInstance;
        const again = await measure(() => providerListing(instance));
        const s = await stats();
        resync.push({ ...again, requests: s.requests, notModified: s.notModified, cpuRatio: again.cpu / first.cpu });
        lastInstance = undefined;
      }
    }
  }
  child.kill();

  const pair = (a, b, key) => median(results[a].map((m, i) => m[key] / results[b][i][key]));
  const summary = Object.fromEntries(
    names.map((name) => {
      const list = results[name];
      const pick = (k) => list.map((m) => m[k]);
      return [
        name,
        {
          requests: list[0].requests,
          wallMs: round(median(pick('ms'))),
          wallSpread: [round(Math.min(...pick('ms'))), round(Math.max(...pick('ms')))],
          cpuMs: round(median(pick('cpu'))),
          cpuSpread: [round(Math.min(...pick('cpu'))), round(Math.max(...pick('cpu')))],
          peakMb: mb(median(pick('peakBytes'))),
          peakSpreadMb: [mb(Math.min(...pick('peakBytes'))), mb(Math.max(...pick('peakBytes')))],
        },
      ];
    }),
  );
  const resyncSummary = {
    requests: resync[0].requests,
    notModified: Math.min(...resync.map((x) => x.notModified)),
    wallMs: round(median(resync.map((x) => x.ms))),
    cpuMs: round(median(resync.map((x) => x.cpu))),
    cpuSpread: [round(Math.min(...resync.map((x) => x.cpu))), round(Math.max(...resync.map((x) => x.cpu)))],
    peakMb: mb(median(resync.map((x) => x.peakBytes))),
    cpuRatio: round(median(resync.map((x) => x.cpuRatio)), 3),
  };
  const ratios = {
    cpuVsOctokitJsonParse: round(pair('provider', 'octokit + JSON.parse', 'cpu'), 3),
    cpuVsFetchJsonParse: round(pair('provider', 'fetch + JSON.parse', 'cpu'), 3),
    wallVsOctokitPaginate: round(pair('provider', 'octokit.paginate', 'ms'), 3),
    cpuVsOctokitPaginate: round(pair('provider', 'octokit.paginate', 'cpu'), 3),
    peakHeapVsOctokitIterator: round(pair('provider', 'octokit iterator', 'peakBytes'), 3),
  };
  const pages = Math.ceil(issues / PAGE);
  const targets = [
    { target: `${pages} requests for ${issues} issues`, value: `${summary.provider.requests}`, met: summary.provider.requests === pages },
    { target: 'CPU <= 1.05x Octokit + JSON.parse', value: `${ratios.cpuVsOctokitJsonParse}x`, met: ratios.cpuVsOctokitJsonParse <= 1.05 },
    { target: 'CPU <= 1.05x fetch + JSON.parse', value: `${ratios.cpuVsFetchJsonParse}x`, met: ratios.cpuVsFetchJsonParse <= 1.05 },
    { target: 'wall <= 0.6x octokit.paginate', value: `${ratios.wallVsOctokitPaginate}x`, met: ratios.wallVsOctokitPaginate <= 0.6 },
  ];
  if (issues >= 50_000) targets.push({ target: 'peak heap <= 1.2x Octokit streaming iterator', value: `${ratios.peakHeapVsOctokitIterator}x`, met: ratios.peakHeapVsOctokitIterator <= 1.2 });
  targets.push(
    { target: 'unchanged resync: all pages 304', value: `${resyncSummary.notModified}/${pages}`, met: resyncSummary.notModified === pages && resyncSummary.requests === pages },
    { target: 'unchanged resync CPU <= 0.2x first listing', value: `${resyncSummary.cpuRatio}x`, met: resyncSummary.cpuRatio <= 0.2 },
  );
  return { issues, summary, resync: resyncSummary, ratios, targets };
}

const loadAtStart = os.loadavg();
const all = [];
for (const issues of SIZES) {
  const result = await run(issues);
  all.push(result);
  console.log(`\nListing ${issues.toLocaleString('en-US')} issues, ${ROUNDS} rounds (median, [min-max])`);
  console.table(
    Object.fromEntries([
      ...Object.entries(result.summary).map(([name, s]) => [
        name,
        { requests: s.requests, 'wall ms': `${s.wallMs} [${s.wallSpread.join('-')}]`, 'CPU ms': `${s.cpuMs} [${s.cpuSpread.join('-')}]`, 'peak heap MB': `${s.peakMb} [${s.peakSpreadMb.join('-')}]` },
      ]),
      [
        'provider, unchanged resync',
        { requests: `${result.resync.requests} (${result.resync.notModified} x 304)`, 'wall ms': `${result.resync.wallMs}`, 'CPU ms': `${result.resync.cpuMs} [${result.resync.cpuSpread.join('-')}]`, 'peak heap MB': `${result.resync.peakMb}` },
      ],
    ]),
  );
  for (const t of result.targets) console.log(`${t.met ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}`);
  writeFileSync(here('./listing-results.json'), `${JSON.stringify({ date: new Date().toISOString(), partial: true, results: all }, null, 2)}\n`);
}
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), loadAverageAtStart: loadAtStart.map((l) => round(l, 2)), loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
  settings: { sizes: SIZES, rounds: ROUNDS, pageSize: PAGE },
  results: all,
};
writeFileSync(here('./listing-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/listing-results.json');
