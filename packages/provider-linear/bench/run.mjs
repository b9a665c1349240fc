#!/usr/bin/env node
/**
 * Benchmark of @krate/provider-linear against its fake, in one process, on the built
 * package (dist). Build first, then `pnpm --filter @krate/provider-linear bench`
 * (`node --expose-gc bench/run.mjs`).
 *
 * Lists N issues (default 10 000) of one team over the same local MSW fake, three ways:
 * 1. the provider: `collect(listIssues)`, its hand-written query, 100 issues a page,
 *    state, team, assignee, creator, cycle and label names in the same query;
 * 2. the plain SDK: `client.issues({ first: 100, after })` page by page (the SDK's own
 *    query with every scalar field), touching no lazy field;
 * 3. the plain SDK touching two of the lazy fields the provider's answer carries
 *    (`issue.state`, `issue.creator`): each is one more request per issue (the SDK's N+1).
 *    (SDK 98's `issue.labels()` and `issue.team` ask for fields newer than the vendored
 *    88.3 schema, `IssueLabel.groupType` and `Team.viewerMembership`, which the fake refuses.)
 * For each: requests, complexity per page (as the fake computes it, Linear's rules),
 * wall time (median of BENCH_RUNS runs, order rotating) and peak heap (heapUsed sampled
 * each page and every millisecond, gc between runs). The lazy variant sends two requests
 * per issue, so it runs once, on BENCH_LAZY_ISSUES issues (default 1 000); its requests
 * for N issues are exact arithmetic (N / 100 pages + 2 N), its time is given per issue.
 *
 * Environment: BENCH_ISSUES (10000), BENCH_RUNS (3), BENCH_LAZY_ISSUES (1000).
 * Writes bench/results.json and bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { collect } from '@krate/core';
import { LinearClient } from '@linear/sdk';
import { setupServer } from 'msw/node';
import { createLinearProvider } from '../dist/index.js';
import { LINEAR_FAKE_API_KEY, createFake } from '../dist/testing/index.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const ISSUES = Number(process.env.BENCH_ISSUES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LAZY_ISSUES = Math.min(ISSUES, Number(process.env.BENCH_LAZY_ISSUES ?? 1_000));
const PAGE = 100;
const TEAM = 'ENG';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (the package script "bench" does)');
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
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

let peak = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};

function seedFake(count) {
  const fake = createFake();
  fake.state.user('alice');
  for (let n = 0; n < count; n++) {
    fake.seed.issue(TEAM, {
      title: `Issue ${n}: something to do`,
      body: `Body of issue ${n}\n\nWith a second paragraph and a [link](https://example.com/${n}).`,
      labels: n % 2 ? ['bug'] : n % 3 ? ['feature', 'ui'] : [],
      assignees: n % 3 === 0 ? ['alice'] : [],
      state: n % 5 === 0 ? 'closed' : 'open',
    });
  }
  return fake;
}

const fake = seedFake(ISSUES);
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });

async function measure(name, run) {
  gc();
  fake.reset();
  peak = 0;
  const base = process.memoryUsage().heapUsed;
  sample();
  const timer = setInterval(sample, 1);
  const started = performance.now();
  const count = await run();
  const wallMs = performance.now() - started;
  clearInterval(timer);
  sample();
  const costs = fake.costs.map((c) => c.complexity);
  return {
    name,
    issues: count,
    requests: fake.requests.length,
    wallMs,
    peakHeapMb: mb(peak - base),
    listComplexityPerPage: costs.length ? Math.max(...costs.filter((_, i) => i === 0 || fake.costs[i].operationName === fake.costs[0].operationName)) : 0,
    totalComplexity: costs.reduce((a, b) => a + b, 0),
  };
}

const variants = {
  provider: () =>
    measure('provider: collect(listIssues)', async () => {
      const instance = createLinearProvider(fake.config);
      let count = 0;
      let cursor;
      do {
        const page = await instance.issueTracking.listIssues(TEAM, { cursor, pageSize: PAGE });
        count += page.items.length;
        cursor = page.nextCursor ?? undefined;
        sample();
      } while (cursor);
      return count;
    }),
  sdk: () =>
    measure('SDK: client.issues() paging, no lazy fields', async () => {
      const client = new LinearClient({ apiKey: LINEAR_FAKE_API_KEY, apiUrl: fake.config.apiUrl });
      let count = 0;
      let after;
      for (;;) {
        const page = await client.issues({ first: PAGE, after, includeArchived: true, filter: { team: { key: { eq: TEAM } } } });
        count += page.nodes.length;
        sample();
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return count;
    }),
  sdkLazy: () =>
    measure('SDK: client.issues() paging, touching issue.state and issue.creator', async () => {
      const client = new LinearClient({ apiKey: LINEAR_FAKE_API_KEY, apiUrl: fake.config.apiUrl });
      let count = 0;
      let after;
      while (count < LAZY_ISSUES) {
        const page = await client.issues({ first: PAGE, after, includeArchived: true, filter: { team: { key: { eq: TEAM } } } });
        for (const issue of page.nodes.slice(0, LAZY_ISSUES - count)) {
          const state = await issue.state;
          const creator = await issue.creator;
          if (!state || !creator) throw new Error('lazy field missing');
          count += 1;
        }
        sample();
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return count;
    }),
};

// Warm up (schema build, JIT) on a short listing of each kind.
await createLinearProvider(fake.config).issueTracking.listIssues(TEAM);
await new LinearClient({ apiKey: LINEAR_FAKE_API_KEY, apiUrl: fake.config.apiUrl }).issues({ first: 10 });

const order = ['provider', 'sdk', 'sdkLazy'];
const runs = { provider: [], sdk: [], sdkLazy: [] };
for (let r = 0; r < RUNS; r++) {
  const rotated = [...order.slice(r % order.length), ...order.slice(0, r % order.length)];
  for (const key of rotated) {
    if (key === 'sdkLazy' && r > 0) continue; // thousands of requests: one run
    runs[key].push(await variants[key]());
    process.stdout.write('.');
  }
}
process.stdout.write('\n');
server.close();

const summary = Object.fromEntries(
  Object.entries(runs).map(([key, list]) => [
    key,
    {
      name: list[0].name,
      issues: list[0].issues,
      requests: list[0].requests,
      listComplexityPerPage: list[0].listComplexityPerPage,
      totalComplexity: list[0].totalComplexity,
      wallMs: Math.round(median(list.map((x) => x.wallMs))),
      peakHeapMb: median(list.map((x) => x.peakHeapMb)),
      runs: list.length,
    },
  ]),
);
const ratio = (a, b) => round(a / b);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadavg: os.loadavg().map((v) => round(v)),
  issues: ISSUES,
  pageSize: PAGE,
  summary,
  ratios: {
    wallProviderVsSdk: ratio(summary.provider.wallMs, summary.sdk.wallMs),
    heapProviderVsSdk: ratio(summary.provider.peakHeapMb, summary.sdk.peakHeapMb),
    sdkLazyRequestsFor: Math.ceil(ISSUES / PAGE) + 2 * ISSUES,
    requestsSdkLazyVsProvider: ratio(Math.ceil(ISSUES / PAGE) + 2 * ISSUES, summary.provider.requests),
    wallSdkLazyPerIssueVsProviderPerIssue: ratio(summary.sdkLazy.wallMs / summary.sdkLazy.issues, summary.provider.wallMs / summary.provider.issues),
  },
};
writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
const rows = Object.values(summary).map(
  (s) => `| ${s.name} | ${s.issues.toLocaleString('en-US')} | ${s.requests.toLocaleString('en-US')} | ${s.listComplexityPerPage} | ${s.totalComplexity.toLocaleString('en-US')} | ${s.wallMs.toLocaleString('en-US')} | ${s.peakHeapMb} |`,
);
const md = `# Benchmark results

${results.date}, Node ${results.node}, ${results.cpus} CPUs (load ${results.loadavg.join(' ')}), ${ISSUES.toLocaleString('en-US')} issues of one team, ${PAGE} a page, local MSW fake (queries validated and executed against Linear's schema).

| variant | issues | requests | complexity per list page | complexity in total | wall ms (median) | peak heap MB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Ratios: provider / SDK wall ${results.ratios.wallProviderVsSdk}, peak heap ${results.ratios.heapProviderVsSdk}. The SDK touching lazy fields was measured on ${summary.sdkLazy.issues.toLocaleString('en-US')} issues; for ${ISSUES.toLocaleString('en-US')} it sends ${results.ratios.sdkLazyRequestsFor.toLocaleString('en-US')} requests (${results.ratios.requestsSdkLazyVsProvider}x the provider's) and takes ${results.ratios.wallSdkLazyPerIssueVsProviderPerIssue}x the provider's time per issue.
`;
writeFileSync(here('./RESULTS.md'), md);
console.log(md);
