#!/usr/bin/env node
/**
 * A small GitHub-like REST server for the listing benchmarks, run in its own process so
 * that its work is not in the CPU time of the process measured. It serves
 * `GET /repos/:owner/:repo/issues` with `per_page` / `page`, GitHub's `Link` header
 * (next, last), a strong `ETag` per page and `304 Not Modified` for a matching
 * `If-None-Match`. Issues are built from a real `issues` webhook example (same shape and
 * size as GitHub's list items). Pages are serialized once and kept.
 *
 * Control: `GET /__stats` answers `{ requests, notModified }` since the last
 * `POST /__reset`. Started with `fork()`: it sends `{ port }` to its parent once listening.
 * Environment: BENCH_ISSUES (issues in the repository).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ISSUES = Number(process.env.BENCH_ISSUES ?? 10_000);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const template = examples.find((g) => g.name === 'issues').examples.find((e) => e.action === 'opened').issue;

function issue(owner, repo, n) {
  const base = `https://api.github.com/repos/${owner}/${repo}/issues/${n}`;
  const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString().replace('.000', '');
  return {
    ...template,
    url: base,
    repository_url: `https://api.github.com/repos/${owner}/${repo}`,
    labels_url: `${base}/labels{/name}`,
    comments_url: `${base}/comments`,
    events_url: `${base}/events`,
    html_url: `https://github.com/${owner}/${repo}/issues/${n}`,
    id: 1_000_000 + n,
    node_id: `I_kwDOB${n.toString(36)}`,
    number: n,
    title: `Issue ${n}: the build fails on ${n % 7 === 0 ? 'Windows' : 'Linux'}`,
    body: `Steps to reproduce issue ${n}:\n\n1. run \`pnpm build\`\n2. see the **error**\n\n> expected: a green build`,
    state: n % 4 === 0 ? 'closed' : 'open',
    labels: n % 3 === 0 ? template.labels : [],
    assignees: n % 2 === 0 ? [template.user] : [],
    assignee: n % 2 === 0 ? template.user : null,
    created_at: at,
    updated_at: at,
    closed_at: n % 4 === 0 ? at : null,
  };
}

const pages = new Map();
function page(owner, repo, perPage, number) {
  const key = `${owner}/${repo} ${perPage} ${number}`;
  let entry = pages.get(key);
  if (!entry) {
    const items = [];
    for (let n = (number - 1) * perPage + 1; n <= Math.min(ISSUES, number * perPage); n++) items.push(issue(owner, repo, n));
    const body = Buffer.from(JSON.stringify(items));
    entry = { body, etag: `"${createHash('sha1').update(body).digest('hex')}"` };
    pages.set(key, entry);
  }
  return entry;
}

let stats = { requests: 0, notModified: 0 };
const server = createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  if (url.pathname === '/__reset') {
    stats = { requests: 0, notModified: 0 };
    res.writeHead(204).end();
    return;
  }
  const match = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
  if (!match || req.method !== 'GET') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    return;
  }
  stats.requests += 1;
  const [, owner, repo] = match;
  const perPage = Math.max(1, Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const number = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(ISSUES / perPage));
  const { body, etag } = page(owner, repo, perPage, number);
  const headers = { 'content-type': 'application/json; charset=utf-8', etag, 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '4102444800' };
  const links = [];
  const at = (p) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>`;
  };
  if (number < last) links.push(`${at(number + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (number > 1) links.push(`${at(1)}; rel="first"`, `${at(number - 1)}; rel="prev"`);
  if (links.length) headers.link = links.join(', ');
  if (req.headers['if-none-match'] === etag) {
    stats.notModified += 1;
    res.writeHead(304, headers).end();
    return;
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
});
process.on('disconnect', () => process.exit(0));
