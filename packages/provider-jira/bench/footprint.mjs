#!/usr/bin/env node
/**
 * Install footprint of @krate/provider-jira alone: packs @krate/core and this package
 * (built dist, `pnpm pack`), installs the tarballs with npm into a temporary folder
 * (production dependencies only; npm's cache and registry for jira.js, axios, zod,
 * marklassian, ...), and counts packages and bytes on disk. The same install of
 * @krate/core alone is subtracted, so the numbers are what the provider adds.
 * `node bench/footprint.mjs` after a build; writes bench/footprint.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const root = here('../../..');
const work = mkdtempSync(join(tmpdir(), 'krate-jira-footprint-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

function pack(dir) {
  const out = run('pnpm', ['pack', '--pack-destination', work], join(root, dir));
  return out.trim().split('\n').filter((l) => l.endsWith('.tgz')).pop();
}

function sizeOf(path) {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += sizeOf(join(path, entry));
  return total;
}

function packages(nodeModules) {
  const names = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const full = join(dir, entry);
      if (entry.startsWith('@')) visit(full);
      else {
        names.push(full.slice(nodeModules.length + 1));
        try {
          if (statSync(join(full, 'node_modules')).isDirectory()) visit(join(full, 'node_modules'));
        } catch {}
      }
    }
  };
  visit(nodeModules);
  return names;
}

function install(name, deps) {
  const dir = join(work, name);
  run('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `footprint-${name}`, private: true, dependencies: deps }));
  run('npm', ['install', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  const nm = join(dir, 'node_modules');
  const list = packages(nm);
  const bySize = list.map((p) => ({ name: p, bytes: sizeOf(join(nm, p)) })).sort((a, b) => b.bytes - a.bytes);
  return { packages: list.length, bytes: sizeOf(nm), largest: bySize.slice(0, 6) };
}

try {
  const core = pack('packages/core');
  const jira = pack('packages/provider-jira');
  const coreOnly = install('core', { '@krate/core': `file:${core}` });
  const withJira = install('jira', { '@krate/core': `file:${core}`, '@krate/provider-jira': `file:${jira}` });
  const mb = (b) => Math.round((b / 1024 / 1024) * 10) / 10;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    tarballBytes: statSync(jira).size,
    coreOnly: { packages: coreOnly.packages, mb: mb(coreOnly.bytes) },
    withProvider: { packages: withJira.packages, mb: mb(withJira.bytes) },
    providerAdds: { packages: withJira.packages - coreOnly.packages, mb: mb(withJira.bytes - coreOnly.bytes) },
    largest: withJira.largest.map((l) => ({ name: l.name, mb: mb(l.bytes) })),
  };
  writeFileSync(here('./footprint.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
