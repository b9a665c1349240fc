#!/usr/bin/env node
// Holds every packages/provider-* to the provider layout of docs/adding-a-provider.md:
// the files every provider has, where each kind of file lives, how files are named,
// an index.ts that re-exports by name, and tests on the shared harness.
//
//   node scripts/check-layout.mjs [packages/provider-x ...]
//
// Exits 1 with the list of problems.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ROOT } from './lib/workspace.mjs';

const INTERFACES = ['issue-tracking', 'cicd', 'git-forge'];
const FOLDERS = ['shared', 'auth', ...INTERFACES, 'webhooks', 'testing'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z]+)+$/;

const problems = [];

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isFile()).sort();
}
function folders(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isDirectory()).sort();
}

/** The problems of one provider package folder. */
export function checkProvider(dir) {
  const out = [];
  const folder = basename(dir);
  const x = folder.replace(/^provider-/, '');
  const problem = (path, message) => out.push(`${relative(ROOT, join(dir, path)) || folder}: ${message}`);
  const must = (path, what) => {
    if (!existsSync(join(dir, path))) problem(path, `missing (${what})`);
  };

  // package.json
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) {
    problem('package.json', 'missing');
    return out;
  }
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (pkg.name !== `@krate/provider-${x}`) problem('package.json', `name must be "@krate/provider-${x}" (the folder is ${folder}), is "${pkg.name}"`);
  const exportKeys = Object.keys(pkg.exports ?? {}).sort();
  if (JSON.stringify(exportKeys) !== JSON.stringify(['.', './package.json', './testing'])) {
    problem('package.json', `exports must be exactly ".", "./testing" and "./package.json", are ${JSON.stringify(exportKeys)}`);
  }
  if (!Array.isArray(pkg.krate?.vendorSdks)) problem('package.json', 'needs "krate": { "vendorSdks": [...] } (the vendor SDKs it depends on; [] for none)');

  for (const file of ['README.md', 'tsconfig.json', 'tsup.config.ts', 'vitest.config.ts']) must(file, 'every provider has it');

  // src/
  const src = join(dir, 'src');
  const rootFiles = ['index.ts', ...['provider', 'config', 'context', 'errors', 'manifest'].map((part) => `${x}-${part}.ts`)];
  for (const file of rootFiles) must(`src/${file}`, 'see the layout');
  for (const file of files(src)) {
    if (!rootFiles.includes(file)) {
      problem(`src/${file}`, `not a file of src/ (${rootFiles.join(', ')}): move it into one of ${FOLDERS.map((f) => `${f}/`).join(', ')}`);
    }
  }
  for (const sub of folders(src)) {
    if (!FOLDERS.includes(sub)) problem(`src/${sub}`, `not a folder of the layout (${FOLDERS.join(', ')})`);
  }
  for (const sub of FOLDERS) {
    for (const file of files(join(src, sub))) {
      const path = `src/${sub}/${file}`;
      if (!KEBAB.test(file)) problem(path, 'file names are kebab-case');
      if (!file.endsWith('.ts')) problem(path, 'only TypeScript sources live in src/');
      const stem = file.replace(/\.ts$/, '');
      if (sub === 'testing') {
        if (stem !== 'index' && stem !== `${x}-fake` && !stem.startsWith(`${x}-fake-`)) problem(path, `testing/ holds index.ts, ${x}-fake.ts and ${x}-fake-<part>.ts`);
      } else if (INTERFACES.includes(sub)) {
        if (stem !== `${x}-${sub}` && !stem.startsWith(`${x}-${sub}-`)) problem(path, `${sub}/ holds ${x}-${sub}.ts and ${x}-${sub}-<part>.ts`);
      } else if (sub === 'webhooks') {
        if (stem !== `${x}-webhooks` && !stem.startsWith(`${x}-webhook-`)) problem(path, `webhooks/ holds ${x}-webhooks.ts and ${x}-webhook-<part>.ts`);
      } else if (!stem.startsWith(`${x}-`)) {
        problem(path, `file names are prefixed with the provider type ("${x}-")`);
      }
    }
  }
  for (const iface of INTERFACES) {
    if (!existsSync(join(src, iface))) continue;
    must(`src/${iface}/${x}-${iface}.ts`, `the ${iface} implementation`);
    must(`src/${iface}/${x}-${iface}-mapping.ts`, 'its mappers: vendor object -> normalized object');
  }
  if (!INTERFACES.some((iface) => existsSync(join(src, iface)))) problem('src', `implements no interface (${INTERFACES.map((i) => `${i}/`).join(', ')})`);
  if (existsSync(join(src, 'webhooks'))) {
    for (const part of ['webhooks', 'webhook-verify', 'webhook-events']) must(`src/webhooks/${x}-${part}.ts`, 'see the layout');
  }
  for (const part of ['index', `${x}-fake`, `${x}-fake-state`, `${x}-fake-objects`]) must(`src/testing/${part}.ts`, 'see the layout');
  if (existsSync(join(src, 'webhooks'))) must(`src/testing/${x}-fake-webhooks.ts`, 'deliveries signed as the vendor signs them');

  // index.ts re-exports by name
  const indexFile = join(src, 'index.ts');
  if (existsSync(indexFile)) {
    const text = readFileSync(indexFile, 'utf8');
    if (/export\s+(type\s+)?\*\s+from/.test(text)) problem('src/index.ts', 're-exports by name: no `export *`');
    if (!/export\s+default\s/.test(text)) problem('src/index.ts', 'has no default export (the plugin)');
  }

  // test/
  must('test/contract.test.ts', 'the shared contract suite against the fake');
  for (const file of files(join(dir, 'test'))) {
    const path = `test/${file}`;
    if (!KEBAB.test(file)) problem(path, 'file names are kebab-case');
    if (file.endsWith('.ts') && !file.endsWith('.test.ts')) problem(path, 'test/ holds <topic>.test.ts files (helpers belong in the kit or in fixtures/)');
    const text = readFileSync(join(dir, 'test', file), 'utf8');
    if (/from ['"]msw\/node['"]/.test(text)) problem(path, 'starts its own MSW server: use useFakeServer/startProvider from @krate/contract-tests');
  }
  return out;
}

const given = process.argv.slice(2);
const dirs = given.length
  ? given.map((d) => join(process.cwd(), d))
  : folders(join(ROOT, 'packages')).filter((d) => d.startsWith('provider-')).map((d) => join(ROOT, 'packages', d));
for (const dir of dirs) problems.push(...checkProvider(dir));

if (problems.length) {
  console.error(`check-layout: ${problems.length} problem(s) (see docs/adding-a-provider.md)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-layout: ${dirs.length} provider package(s) follow the layout`);
