#!/usr/bin/env node
/**
 * Benchmark of @krate/provider-jira against its fake, in one process, on the built
 * package (dist). Build first, then `pnpm --filter @krate/provider-jira bench`
 * (`node --expose-gc bench/run.mjs`).
 *
 * 1. Listing N issues (default 10 000) at Jira's page size (100 with fields) through the
 *    provider (`paginate(listIssues)`) and through plain jira.js paging
 *    (`issueSearch.searchForIssuesUsingJqlEnhancedSearch` with nextPageToken, the same
 *    fields) against the same MSW fake: requests, wall time (median of several runs after
 *    a warmup, order alternating) and peak heap (heapUsed sampled, gc between runs), with
 *    the ratios provider / jira.js.
 * 2. Markdown <-> ADF conversions per second on a 20 KB document.
 *
 * Environment: BENCH_ISSUES (10000), BENCH_RUNS (5), BENCH_CONVERSIONS (200).
 * Writes bench/results.json and bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { paginate } from '@krate/core';
import { Version3Client } from 'jira.js';
import { setupServer } from 'msw/node';
import { adfToMarkdown, createJiraProvider, markdownToAdf } from '../dist/index.js';
import { createFake, JIRA_FAKE_PROJECT, JIRA_FAKE_SITE } from '../dist/testing/index.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const ISSUES = Number(process.env.BENCH_ISSUES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 200);
const PAGE = 100;
const FIELDS = ['summary', 'description', 'status', 'resolution', 'resolutiondate', 'labels', 'assignee', 'reporter', 'fixVersions', 'created', 'updated', 'project', 'issuetype'];

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

async function measure(fn) {
  gc();
  peak = 0;
  sample();
  const timer = setInterval(sample, 1);
  const start = performance.now();
  const result = await fn();
  const wall = performance.now() - start;
  clearInterval(timer);
  sample();
  return { wall, peak, ...result };
}

// ---------------------------------------------------------------------------
// 1. Listing

const fake = createFake();
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });
for (let i = 0; i < ISSUES; i++) {
  fake.seed.issue(JIRA_FAKE_PROJECT, { title: `Issue ${i}`, body: `Body of issue **${i}** with a [link](https://example.com/${i}).`, labels: i % 3 ? ['bug'] : [] });
}
const provider = createJiraProvider(fake.config);
const client = new Version3Client({
  host: JIRA_FAKE_SITE,
  authentication: { basic: { email: fake.config.auth.email, apiToken: fake.config.auth.apiToken } },
});

async function viaProvider() {
  let items = 0;
  const before = fake.requests.length;
  for await (const issue of paginate((o) => provider.issueTracking.listIssues(JIRA_FAKE_PROJECT, o), { pageSize: PAGE })) {
    if (issue) items += 1;
    if (items % PAGE === 0) sample();
  }
  return { items, requests: fake.requests.length - before };
}

async function viaJiraJs() {
  let items = 0;
  const before = fake.requests.length;
  let nextPageToken;
  const jql = `project = "${JIRA_FAKE_PROJECT}" ORDER BY updated ASC, key ASC`;
  for (;;) {
    const page = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: PAGE, fields: FIELDS, nextPageToken });
    items += page.issues?.length ?? 0;
    sample();
    if (!page.nextPageToken || page.isLast) break;
    nextPageToken = page.nextPageToken;
  }
  return { items, requests: fake.requests.length - before };
}

await viaProvider();
await viaJiraJs();
fake.reset();
const runs = { provider: [], jirajs: [] };
for (let r = 0; r < RUNS; r++) {
  const order = r % 2 ? ['jirajs', 'provider'] : ['provider', 'jirajs'];
  for (const which of order) {
    const result = await measure(which === 'provider' ? viaProvider : viaJiraJs);
    if (result.items !== ISSUES) throw new Error(`${which} listed ${result.items} of ${ISSUES}`);
    runs[which].push(result);
    fake.reset();
  }
}
server.close();
const summarize = (list) => ({ requests: list[0].requests, wallMs: round(median(list.map((r) => r.wall)), 1), peakHeapMb: mb(median(list.map((r) => r.peak))) });
const listing = { issues: ISSUES, pageSize: PAGE, runs: RUNS, provider: summarize(runs.provider), jirajs: summarize(runs.jirajs) };
listing.ratio = {
  requests: round(listing.provider.requests / listing.jirajs.requests),
  wall: round(listing.provider.wallMs / listing.jirajs.wallMs),
  peakHeap: round(listing.provider.peakHeapMb / listing.jirajs.peakHeapMb),
};

// ---------------------------------------------------------------------------
// 2. Markdown <-> ADF on a 20 KB document

function document20k() {
  const parts = [];
  let n = 0;
  while (parts.join('\n\n').length < 20_000) {
    n += 1;
    parts.push(
      `## Section ${n}`,
      `Paragraph ${n} with **bold**, *emphasis*, \`code\`, ~~strike~~ and a [link](https://example.com/${n}). ` + 'Lorem ipsum dolor sit amet. '.repeat(4),
      `- item ${n}.1\n- item ${n}.2\n  - nested ${n}\n- [link ${n}](https://example.com)`,
      `1. first\n2. second`,
      `> quoted ${n}`,
      '```ts\nconst value = ' + n + ';\n```',
      `| a | b |\n|---|---|\n| ${n} | ${n + 1} |`,
    );
  }
  return parts.join('\n\n');
}
const markdown = document20k();
const adf = markdownToAdf(markdown);
for (let i = 0; i < 20; i++) adfToMarkdown(markdownToAdf(markdown));
const rate = (fn) => {
  gc();
  const start = performance.now();
  for (let i = 0; i < CONVERSIONS; i++) fn();
  return round((CONVERSIONS / (performance.now() - start)) * 1000, 1);
};
const conversions = {
  markdownBytes: Buffer.byteLength(markdown),
  adfBytes: Buffer.byteLength(JSON.stringify(adf)),
  markdownToAdfPerSecond: rate(() => markdownToAdf(markdown)),
  adfToMarkdownPerSecond: rate(() => adfToMarkdown(adf)),
};

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadavg: os.loadavg().map((l) => round(l)),
  listing,
  conversions,
};
writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
const md = `# @krate/provider-jira benchmark

${results.date}, Node ${results.node}, ${results.cpus} CPUs (load ${results.loadavg.join(' / ')}). \`pnpm --filter @krate/provider-jira bench\`.

## Listing ${ISSUES.toLocaleString('en-US')} issues at Jira's page size (${PAGE}), same local fake, median of ${RUNS} runs

| | requests | wall (ms) | peak heap (MB) |
| --- | ---: | ---: | ---: |
| provider (\`paginate(listIssues)\`) | ${listing.provider.requests} | ${listing.provider.wallMs} | ${listing.provider.peakHeapMb} |
| plain jira.js (\`searchForIssuesUsingJqlEnhancedSearch\` + nextPageToken) | ${listing.jirajs.requests} | ${listing.jirajs.wallMs} | ${listing.jirajs.peakHeapMb} |
| ratio provider / jira.js | ${listing.ratio.requests}x | ${listing.ratio.wall}x | ${listing.ratio.peakHeap}x |

## Markdown <-> ADF, ${conversions.markdownBytes.toLocaleString('en-US')} bytes of Markdown (${conversions.adfBytes.toLocaleString('en-US')} bytes of ADF)

| conversion | per second |
| --- | ---: |
| Markdown -> ADF (marklassian + repair pass) | ${conversions.markdownToAdfPerSecond} |
| ADF -> Markdown (walker) | ${conversions.adfToMarkdownPerSecond} |
`;
writeFileSync(here('./RESULTS.md'), md);
console.log(md);
