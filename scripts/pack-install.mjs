#!/usr/bin/env node
// The three ways people use these packages, from packed tarballs, in clean folders
// outside the workspace, with npm and with pnpm:
//
//   1. pack: `pnpm pack` every public workspace package (pnpm rewrites `workspace:`
//      ranges as `pnpm publish` and `changeset publish` do) and check each tarball:
//      no `workspace:` range left, LICENSE, README and package.json metadata inside;
//   2. use a provider: install every provider tarball with @krate/core as the README
//      says, import the README example's names with `import` and `require()`, add the
//      ./testing peers (msw, @krate/contract-tests) and run `krate-contract run` on the
//      installed providers (a few case families: loading is what is checked here);
//   3. write a provider: scaffold with create-krate-provider run by the package
//      manager itself (`npm exec`, `pnpm dlx`), check the ranges it writes against the
//      packed versions, install, and check that `krate-contract run` hints to build
//      when dist is missing, that `test` passes, that `conformance` (build, then
//      `krate-contract run`) runs as many cases as the vitest entry, and that
//      `krate-contract manifest validate` reads the TypeScript manifest.
//
// Workspace packages come from the tarballs only (npm: `file:` specs and
// `overrides`; pnpm: `overrides` in the scaffold's pnpm-workspace.yaml); third-party
// packages come from the npm registry, through the user's usual caches. Run after
// `pnpm build`.
//
//   node scripts/pack-install.mjs [--keep] [--pm npm,pnpm] [--serial]
//
// Every path runs at the same time unless --serial is given (then one after another).

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readJson, workspacePackages } from './lib/workspace.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const serial = args.includes('--serial');
const managers = (args.includes('--pm') ? args[args.indexOf('--pm') + 1] : 'npm,pnpm').split(',').filter(Boolean);
const STEP_TIMEOUT_MS = 240_000;
const PROVIDER = 'acme';

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'krate-pack-install-'));
const failures = [];
const timings = {};

function log(line) {
  process.stdout.write(`${line}\n`);
}

function fail(where, message) {
  failures.push(`${where}: ${message}`);
  log(`  FAIL ${where}: ${message}`);
}

/** An environment without the package-manager variables of the process that started this one. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|COREPACK_|INIT_CWD$|CI$|TURBO_|VITEST)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extra };
}

/** Runs a command; resolves `{ code, out, ms }` (stdout and stderr together). */
function run(command, commandArgs, cwd, { env = cleanEnv(), timeout = STEP_TIMEOUT_MS } = {}) {
  const start = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: signal ? `${signal} (after ${timeout} ms)` : code, out: out.replace(/\u001b\[[0-9;]*m/g, ''), ms: Date.now() - start });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ code: error.code ?? 'error', out: String(error.message), ms: Date.now() - start });
    });
  });
}

const tail = (text, n = 15) => text.trim().split('\n').slice(-n).map((l) => `      ${l}`).join('\n');

/** Runs a step that must exit 0; records and returns its result. */
async function step(where, label, command, commandArgs, cwd, options) {
  const result = await run(command, commandArgs, cwd, options);
  (timings[where] ??= {})[label] = result.ms;
  if (result.code !== 0) fail(where, `\`${[command, ...commandArgs].join(' ')}\` exited ${result.code}\n${tail(result.out)}`);
  else log(`  ${where}: ${label} ${(result.ms / 1000).toFixed(1)} s`);
  return result;
}

function caretMatches(range, version) {
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m || !v) return false;
  const [a, b, c] = m.slice(1).map(Number);
  const [x, y, z] = v.slice(1).map(Number);
  if (a > 0) return x === a && (y > b || (y === b && z >= c));
  if (b > 0) return x === 0 && y === b && z >= c;
  return x === 0 && y === 0 && z === c;
}

// 1. Pack every public workspace package.
const packages = workspacePackages();
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);
log(`pack-install: packing ${packages.length} packages into ${tarballDir}`);
const packed = new Map();
await Promise.all(
  packages.map(async (pkg) => {
    const result = await run('pnpm', ['pack', '--pack-destination', tarballDir], pkg.dir, { env: cleanEnv() });
    const file = result.out.trim().split('\n').map((l) => l.trim()).reverse().find((l) => l.endsWith('.tgz'));
    if (result.code !== 0 || !file) return fail(pkg.name, `pnpm pack failed\n${tail(result.out)}`);
    packed.set(pkg.name, { file: file.startsWith('/') ? file : join(tarballDir, file), version: pkg.manifest.version, pkg });
  }),
);

for (const [name, { file }] of packed) {
  const listing = await run('tar', ['-tzf', file], work);
  const entries = new Set(listing.out.split('\n').map((l) => l.trim().replace(/^package\//, '')));
  for (const required of ['package.json', 'README.md', 'LICENSE']) if (!entries.has(required)) fail(name, `the tarball has no ${required}`);
  const manifest = JSON.parse((await run('tar', ['-xzOf', file, 'package/package.json'], work)).out);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) fail(name, `the tarball's ${field}.${dep} is still "${range}"`);
    }
  }
  for (const field of ['repository', 'homepage', 'bugs', 'license']) if (!manifest[field]) fail(name, `the tarball's package.json has no ${field}`);
}
log(`  packed ${[...packed.values()].map((p) => `${p.pkg.name}@${p.version}`).join(', ')}`);
if (failures.length) finish();

const fileSpec = (name) => `file:${packed.get(name).file}`;
const overrides = Object.fromEntries([...packed.keys()].map((name) => [name, fileSpec(name)]));
const providers = [...packed.keys()].filter((name) => /^@krate\/provider-/.test(name));
const scaffoldTool = packed.get('create-krate-provider');
const pmCommands = {
  npm: { exec: ['npm', 'exec', '--no', '--'], install: ['npm', ['install', '--prefer-offline']], test: ['npm', ['test']], script: (s) => ['npm', ['run', s]], build: 'npm run build' },
  pnpm: { exec: ['pnpm', 'exec'], install: ['pnpm', ['install', '--prefer-offline']], test: ['pnpm', ['test']], script: (s) => ['pnpm', ['run', s]], build: 'pnpm build' },
};

/** Writes the tarballs in as the package manager reads them: npm from package.json, pnpm from pnpm-workspace.yaml. */
function pinTarballs(pm, dir, { direct }) {
  const file = join(dir, 'package.json');
  const manifest = readJson(file);
  if (pm === 'npm') {
    // npm refuses an override that differs from a direct dependency's spec, so both name the tarball.
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) if (packed.has(name)) manifest[field][name] = fileSpec(name);
    }
    manifest.overrides = overrides;
  } else {
    const yaml = join(dir, 'pnpm-workspace.yaml');
    const lines = Object.entries(overrides).map(([name, spec]) => `  '${name}': '${spec}'`);
    appendFileSync(yaml, `${existsSync(yaml) ? '\n' : ''}overrides:\n${lines.join('\n')}\n`);
  }
  for (const name of direct) (manifest.dependencies ??= {})[name] = fileSpec(name);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** 2. A consumer installs the providers with @krate/core, as the README says, and uses them. */
async function useProviders(pm) {
  const where = `${pm} use-a-provider`;
  const dir = join(work, `${pm}-consumer`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'krate-consumer', private: true, type: 'module' }, null, 2)}\n`);
  if (pm === 'pnpm') writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'allowBuilds:\n  msw: false\n');
  // The README's install line, plus the ./testing peers it names (msw, @krate/contract-tests) for the CLI.
  const manifest = readJson(join(dir, 'package.json'));
  manifest.devDependencies = { msw: readJson(join(ROOT, 'contract-tests/package.json')).peerDependencies.msw };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  pinTarballs(pm, dir, { direct: [...providers, '@krate/core', '@krate/contract-tests'] });
  const [installCommand, installArgs] = pmCommands[pm].install;
  if ((await step(where, 'install', installCommand, installArgs, dir)).code !== 0) return;
  const names = providers.map((name, i) => [name, `p${i}`]);
  writeFileSync(
    join(dir, 'use.mjs'),
    [
      "import { createRequire } from 'node:module';",
      "import { createRegistry, isProviderPlugin, paginate } from '@krate/core';",
      ...names.map(([name, id]) => `import ${id} from '${name}';`),
      `const plugins = [${names.map(([, id]) => id).join(', ')}];`,
      "if (!plugins.every((p) => isProviderPlugin(p)) || typeof paginate !== 'function') throw new Error('not plugins');",
      'const registry = createRegistry(plugins);',
      'const require = createRequire(import.meta.url);',
      `for (const name of ${JSON.stringify(providers)}) if (!isProviderPlugin(require(name).default ?? require(name))) throw new Error(name + ': require() gives no plugin');`,
      "console.log('providers:', plugins.map((p) => p.providerType).join(', '), registry ? 'registered' : '');",
    ].join('\n'),
  );
  await step(where, 'import + require', process.execPath, ['use.mjs'], dir);
  const only = ['webhooks.signature', 'issueTracking.declared', 'cicd.declared', 'gitForge.declared'].flatMap((p) => ['--only', p]);
  const [exec, ...execArgs] = pmCommands[pm].exec;
  const result = await step(where, 'krate-contract run (installed providers)', exec, [...execArgs, 'krate-contract', 'run', ...providers, ...only], dir);
  for (const name of providers) {
    if (result.code === 0 && !new RegExp(`\\(${name.replace('/', '\\/')}\\): \\d+ passed, 0 failed`).test(result.out)) fail(where, `no summary for ${name}\n${tail(result.out)}`);
  }
}

/** 3. An adapter author scaffolds a provider, installs it, tests it and runs the CLI on it. */
async function writeProvider(pm) {
  const where = `${pm} write-a-provider`;
  const parent = join(work, `${pm}-author`);
  mkdirSync(parent);
  const dir = join(parent, `krate-provider-${PROVIDER}`);
  const scaffoldArgs = pm === 'npm'
    ? ['npm', ['exec', '--yes', `--package=${scaffoldTool.file}`, '--', 'create-krate-provider', PROVIDER]]
    : ['pnpm', [`--package=${scaffoldTool.file}`, 'dlx', 'create-krate-provider', PROVIDER]];
  const scaffolded = await step(where, 'scaffold', scaffoldArgs[0], scaffoldArgs[1], parent);
  if (scaffolded.code !== 0) return;
  const [installCommand, installArgs] = pmCommands[pm].install;
  if (!scaffolded.out.includes(`  ${installCommand} install\n`)) fail(where, `the next steps do not say \`${installCommand} install\`\n${tail(scaffolded.out)}`);
  const written = readJson(join(dir, 'package.json'));
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(written[field] ?? {})) {
      if (!packed.has(name)) continue;
      if (range !== `^${packed.get(name).version}` || !caretMatches(range, packed.get(name).version)) fail(where, `the scaffold writes ${field}.${name} "${range}"; the packed version is ${packed.get(name).version}`);
    }
  }
  pinTarballs(pm, dir, { direct: [] });
  if ((await step(where, 'install', installCommand, installArgs, dir)).code !== 0) return;
  const [exec, ...execArgs] = pmCommands[pm].exec;

  const unbuilt = await run(exec, [...execArgs, 'krate-contract', 'run'], dir);
  if (unbuilt.code !== 2 || !unbuilt.out.includes(`not built: run \`${pmCommands[pm].build}\``)) fail(where, `krate-contract run before a build: expected exit 2 and a hint to run \`${pmCommands[pm].build}\`, got ${unbuilt.code}\n${tail(unbuilt.out)}`);

  const [testCommand, testArgs] = pmCommands[pm].test;
  const tested = await step(where, 'test', testCommand, testArgs, dir);
  const vitest = /Tests\s+(?:(\d+) failed \| )?(\d+) passed(?: \| (\d+) skipped)?/.exec(tested.out);
  const [confCommand, confArgs] = pmCommands[pm].script('conformance');
  const conformance = await step(where, 'conformance (build + krate-contract run)', confCommand, confArgs, dir);
  const cli = new RegExp(`^${PROVIDER} \\(krate-provider-${PROVIDER}\\): (\\d+) passed, (\\d+) failed, (\\d+) skipped, (\\d+) unsupported`, 'm').exec(conformance.out);
  if (tested.code === 0 && conformance.code === 0) {
    if (!vitest || !cli) fail(where, `cannot read the case counts\n${tail(tested.out, 5)}\n${tail(conformance.out, 5)}`);
    else {
      const viaVitest = Number(vitest[2]) + Number(vitest[3] ?? 0);
      const viaCli = [1, 2, 3, 4].reduce((sum, i) => sum + Number(cli[i]), 0);
      if (viaVitest !== viaCli) fail(where, `the vitest entry runs ${viaVitest} cases, krate-contract run ${viaCli}`);
      else log(`  ${where}: ${viaCli} cases through vitest and through krate-contract run`);
    }
  }
  const validated = await step(where, 'manifest validate (TypeScript)', exec, [...execArgs, 'krate-contract', 'manifest', 'validate', `src/${PROVIDER}-manifest.ts`], dir);
  if (validated.code === 0 && !validated.out.includes(`src/${PROVIDER}-manifest.ts: valid`)) fail(where, `manifest validate did not say valid\n${tail(validated.out)}`);
}

async function timed(where, body) {
  const start = Date.now();
  await body();
  (timings[where] ??= {}).total = Date.now() - start;
}

/** The two paths of one package manager; they share nothing but the tarballs and caches, so they run side by side. */
async function path(pm) {
  if (!pmCommands[pm]) return fail(pm, `unknown package manager (known: ${Object.keys(pmCommands).join(', ')})`);
  const author = () => timed(`${pm} write-a-provider`, () => writeProvider(pm));
  const consumer = () => timed(`${pm} use-a-provider`, () => useProviders(pm));
  if (serial) {
    await author();
    await consumer();
  } else await Promise.all([author(), consumer()]);
}

if (serial) for (const pm of managers) await path(pm);
else await Promise.all(managers.map(path));
finish();

/** CPU seconds (user + system) of the child processes that have ended, from /proc (Linux). */
function childCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function finish() {
  log('');
  for (const [where, steps] of Object.entries(timings)) {
    log(`${where}: ${Object.entries(steps).map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  }
  const cpu = childCpuSeconds();
  const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s wall${cpu === undefined ? '' : `, ${cpu.toFixed(1)} s CPU in child processes`}`;
  if (keep) log(`kept ${work}`);
  // Removing the installed trees takes a while on a busy machine; it need not hold up the result.
  else spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
  if (failures.length) {
    log(`\npack-install: ${failures.length} problem(s) (${seconds}):\n${failures.map((f) => `- ${f}`).join('\n')}`);
    process.exit(1);
  }
  log(`\npack-install: every package packs and installs with ${managers.join(' and ')}; every path passes (${seconds})`);
  process.exit(0);
}
