#!/usr/bin/env node
/**
 * Start-up cost: CPU time (process.cpuUsage, user + system) of importing
 * `@krate/provider-github` (the built dist) next to importing `@octokit/rest`, each in a
 * fresh `node` process, interleaved, BENCH_IMPORT_ROUNDS (default 7) rounds; median and
 * spread, and the ratio against the target (<= 2x). Never exits non-zero.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 7);
const cwd = fileURLToPath(new URL('..', import.meta.url));
const probe = (specifier) =>
  `const s=process.cpuUsage();const t=performance.now();await import(${JSON.stringify(specifier)});const u=process.cpuUsage(s);console.log(JSON.stringify({cpu:(u.user+u.system)/1000,wall:performance.now()-t}))`;
const targets = { '@octokit/rest': '@octokit/rest', '@krate/provider-github': './dist/index.js' };
const runs = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
const ratios = [];
for (let r = 0; r < ROUNDS; r++) {
  const names = r % 2 ? Object.keys(targets).reverse() : Object.keys(targets);
  const got = {};
  for (const name of names) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe(targets[name])], { cwd, encoding: 'utf8' });
    got[name] = JSON.parse(out.trim().split('\n').at(-1));
    runs[name].push(got[name]);
  }
  ratios.push(got['@krate/provider-github'].cpu / got['@octokit/rest'].cpu);
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;
console.log(`\nImport cost, ${ROUNDS} fresh processes each (median, [min-max])`);
console.table(
  Object.fromEntries(
    Object.entries(runs).map(([name, list]) => {
      const cpu = list.map((x) => x.cpu);
      const wall = list.map((x) => x.wall);
      return [name, { 'CPU ms': `${r1(median(cpu))} [${r1(Math.min(...cpu))}-${r1(Math.max(...cpu))}]`, 'wall ms': `${r1(median(wall))} [${r1(Math.min(...wall))}-${r1(Math.max(...wall))}]` }];
    }),
  ),
);
const ratio = Math.round(median(ratios) * 100) / 100;
console.log(`${ratio <= 2 ? 'PASS' : 'FAIL'}  import CPU <= 2x @octokit/rest: ${ratio}x`);
