#!/usr/bin/env node
// Installs each published workspace package into a clean consumer folder, the way
// a package manager would (the files `npm pack` publishes, plus its declared
// dependencies and nothing else), and checks it from the consumer's side:
//
//   1. `import()` and `require()` of every export subpath succeed (each where the
//      exports map offers it), and both builds export the names their
//      declaration files declare;
//   2. errors and plugins made through the ESM build of @krate/core are recognised
//      by its CommonJS build and the other way round (ProviderError.isInstance,
//      instanceof, isProviderPlugin): the dual package hazard;
//   3. every subpath except ./testing (OPTIONAL_PEER_SUBPATHS) loads without the
//      optional peers installed;
//   4. every `bin` answers `--help`;
//   5. the TypeScript compiler (tsc --noEmit, run through its API) accepts a
//      consumer that imports every subpath, once as an ES module ("type": "module",
//      module/moduleResolution nodenext) and once as CommonJS (a .cts file,
//      nodenext), with skipLibCheck off for the workspace packages' .d.ts files.
//
// Workspace packages are copied (only their published files); registry packages
// are linked to their real folders in the pnpm store. @types/node is linked too,
// as a Node.js consumer has it. Run after `pnpm build`.
//
//   node scripts/consumer-smoke.mjs [--keep] [--only <package name>]

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ROOT,
  binEntries,
  declaredExports,
  dependencyDir,
  exportSubpaths,
  loadTypeScript,
  packedFiles,
  rel,
  resolveSubpathTarget,
  resolveSubpathTypes,
  workspacePackages,
} from './lib/workspace.mjs';

/**
 * Subpaths that may need optional peers to load: a provider's fake (`./testing`
 * needs msw and @krate/contract-tests), and the vitest entry of the contract suite
 * (`@krate/contract-tests` itself; programs use `@krate/contract-tests/runner`).
 */
const OPTIONAL_PEER_SUBPATHS = {
  '*': ['./testing'],
  '@krate/contract-tests': ['.'],
};
const mayNeedOptionalPeers = (name, subpath) => [...OPTIONAL_PEER_SUBPATHS['*'], ...(OPTIONAL_PEER_SUBPATHS[name] ?? [])].includes(subpath);
const CORE = '@krate/core';
const CHILD_TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const here = dirname(fileURLToPath(import.meta.url));
const workspace = workspacePackages();
const byDir = new Map(workspace.map((p) => [p.dir, p]));
const packages = only ? workspace.filter((p) => p.name === only) : workspace;
if (packages.length === 0) {
  console.error(`consumer-smoke: no package ${only ? `named ${only}` : 'found'}`);
  process.exit(1);
}

const typesNode = dependencyDir(ROOT, '@types/node');
if (!typesNode) {
  console.error('consumer-smoke: @types/node is missing at the repository root: run `pnpm install`');
  process.exit(1);
}
for (const dir of [join(tmpdir(), 'node_modules'), '/node_modules']) {
  if (existsSync(dir)) console.warn(`warning: ${dir} exists; packages there are visible to every consumer folder`);
}

const packedCache = new Map();
function published(dir) {
  if (!packedCache.has(dir)) packedCache.set(dir, packedFiles(dir));
  return packedCache.get(dir);
}

/**
 * Installs `pkg` into `consumer/node_modules` with its dependencies and peers.
 * Returns the list of installed names; throws with a clear message when a
 * dependency cannot be found in the workspace's node_modules.
 */
async function install(consumer, pkg, { optionalPeers }) {
  const nodeModules = join(consumer, 'node_modules');
  const placed = new Map(); // install dir -> source dir
  const installed = [];

  async function place(name, sourceDir, parentInstallDir, requiredBy) {
    let target = join(nodeModules, ...name.split('/'));
    if (placed.has(target)) {
      if (placed.get(target) === sourceDir) return;
      if (!parentInstallDir) throw new Error(`cannot place two versions of ${name} (needed by ${requiredBy})`);
      target = join(parentInstallDir, 'node_modules', ...name.split('/'));
      if (placed.has(target)) return;
    }
    placed.set(target, sourceDir);
    installed.push(name);
    mkdirSync(dirname(target), { recursive: true });
    const member = byDir.get(sourceDir);
    if (!member) {
      symlinkSync(sourceDir, target, 'dir');
      return; // the pnpm store already holds the package's own dependencies beside it
    }
    for (const file of await published(sourceDir)) {
      mkdirSync(dirname(join(target, file)), { recursive: true });
      copyFileSync(join(sourceDir, file), join(target, file));
    }
    const manifest = member.manifest;
    const meta = manifest.peerDependenciesMeta ?? {};
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((n) => optionalPeers || meta[n]?.optional !== true),
    ];
    for (const dep of wanted) {
      const depDir = dependencyDir(sourceDir, dep);
      if (!depDir) {
        throw new Error(`${name} needs "${dep}", which is not installed in ${rel(sourceDir)}/node_modules: run \`pnpm install\``);
      }
      await place(dep, depDir, target, name);
    }
  }

  await place(pkg.name, pkg.dir, undefined, 'the consumer');
  const typesTarget = join(nodeModules, '@types', 'node');
  if (!existsSync(typesTarget)) {
    mkdirSync(dirname(typesTarget), { recursive: true });
    symlinkSync(typesNode, typesTarget, 'dir');
  }
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'krate-consumer', private: true, type: 'module' }, null, 2)}\n`);
  return installed.sort();
}

/** Runs a command in the consumer folder with a clean environment. */
function run(command, commandArgs, cwd) {
  return new Promise((resolvePromise) => {
    const env = { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1', FORCE_COLOR: '0' };
    execFile(command, commandArgs, { cwd, env, timeout: CHILD_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, timedOut: Boolean(error?.killed) });
    });
  });
}

/** What the exports map offers for a subpath: 'import', 'require' or both. */
function modesOf(pkg, subpath) {
  return ['import', 'require'].filter((mode) => resolveSubpathTarget(pkg.manifest, subpath, mode) !== undefined);
}

function subpathSpecifier(name, subpath) {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
}

async function runtime(consumer, pkg, subpaths) {
  copyFileSync(join(here, 'lib', 'consumer-runtime.mjs'), join(consumer, 'consumer-runtime.mjs'));
  const input = {
    name: pkg.name,
    core: pkg.name === CORE || CORE in (pkg.manifest.dependencies ?? {}) || CORE in (pkg.manifest.peerDependencies ?? {}),
    subpaths: subpaths.map((subpath) => ({
      subpath,
      specifier: subpathSpecifier(pkg.name, subpath),
      json: subpath.endsWith('.json'),
      modes: modesOf(pkg, subpath),
    })),
  };
  const out = await run(process.execPath, ['consumer-runtime.mjs', JSON.stringify(input)], consumer);
  if (out.code !== 0) {
    return { crashed: `the runtime check exited with ${out.timedOut ? 'a timeout' : `code ${out.code}`}: ${(out.stderr || out.stdout).trim().split('\n').slice(0, 6).join(' | ')}` };
  }
  return JSON.parse(out.stdout);
}

function sameNames(a, b) {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function diffNames(a, b) {
  const sb = new Set(b);
  return a.filter((n) => !sb.has(n));
}

function list(names) {
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}

/** Generates the consumer source files that import every JS subpath. */
function consumerSources(pkg, entries, plugin) {
  const esm = ['// Generated by scripts/consumer-smoke.mjs.'];
  const cjs = ['// Generated by scripts/consumer-smoke.mjs.'];
  const uses = { esm: [], cjs: [] };
  entries.forEach(({ subpath, declared: byMode }, i) => {
    const specifier = subpathSpecifier(pkg.name, subpath);
    for (const [lines, use, declared] of [
      [esm, uses.esm, byMode.import],
      [cjs, uses.cjs, byMode.require],
    ]) {
      if (!declared) continue; // the exports map offers no build for this module system
      const values = declared.filter((d) => d.isValue && d.name !== 'default').map((d) => d.name);
      const types = declared.filter((d) => !d.isValue).map((d) => d.name);
      const hasDefault = declared.some((d) => d.name === 'default');
      if (values.length) lines.push(`import { ${values.map((v) => `${v} as s${i}_${v}`).join(', ')} } from '${specifier}';`);
      if (types.length) lines.push(`import type { ${types.map((t) => `${t} as s${i}_${t}`).join(', ')} } from '${specifier}';`);
      if (hasDefault) lines.push(`import s${i}_default from '${specifier}';`);
      if (!values.length && !types.length && !hasDefault) lines.push(`import * as s${i}_ns from '${specifier}';`);
      use.push(...values.map((v) => `s${i}_${v}`), ...(hasDefault ? [`s${i}_default`] : []), ...(!values.length && !types.length && !hasDefault ? [`s${i}_ns`] : []));
    }
  });
  const probes = { esm: [], cjs: [] };
  for (const mode of ['esm', 'cjs']) {
    const has = (subpath) => entries.some((e) => e.subpath === subpath && e.declared[mode === 'esm' ? 'import' : 'require']);
    if (pkg.name === CORE && has('.')) {
      probes[mode].push(
        `import { ProviderError as ProbeError } from '${CORE}';`,
        `import type { ExternalIssue as ProbeIssue } from '${CORE}';`,
        'export function issueTitle(issue: ProbeIssue): string { return issue.title; }',
        "export function isNotFound(error: unknown): boolean { return ProbeError.isInstance(error) && error.code === 'not_found'; }",
      );
    }
    if (plugin && has('.')) {
      const index = entries.findIndex((e) => e.subpath === '.');
      probes[mode].push(
        `import type { ProviderPlugin as ProbePlugin } from '${CORE}';`,
        `export const pluginAsCoreType: ProbePlugin<any> = s${index}_default;`,
      );
    }
  }
  const tail = (mode) => [...probes[mode], `export const used = [${uses[mode].join(', ')}] as const;`, ''];
  return { esm: [...esm, ...tail('esm')].join('\n'), cjs: [...cjs, ...tail('cjs')].join('\n') };
}

/**
 * Type-checks the consumer like `tsc --noEmit -p <tsconfig>` does, with the
 * compiler API so that diagnostics are reported for the consumer's own file and
 * the workspace packages' declaration files only: a vendor's declarations (msw
 * needs the DOM lib, for one) are not this repository's to fix, and checking them
 * all takes minutes. skipLibCheck stays off, so our .d.ts files are fully checked.
 */
function typecheck(consumer, sources) {
  const ts = loadTypeScript();
  const compilerOptions = {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  };
  const ours = workspace.map((p) => join(consumer, 'node_modules', ...p.name.split('/')) + sep);
  const results = [];
  for (const [label, file, text] of [
    ['ESM ("type": "module", nodenext)', 'consumer.ts', sources.esm],
    ['CommonJS (.cts, nodenext)', 'consumer.cts', sources.cjs],
  ]) {
    const config = `tsconfig.${file.endsWith('.cts') ? 'cjs' : 'esm'}.json`;
    writeFileSync(join(consumer, file), text);
    writeFileSync(join(consumer, config), `${JSON.stringify({ compilerOptions, files: [file] }, null, 2)}\n`);
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, ' ')); } };
    const parsed = ts.getParsedCommandLineOfConfigFile(join(consumer, config), {}, host);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
    const checked = program.getSourceFiles().filter((f) => {
      const path = f.fileName.split('/').join(sep);
      return path === join(consumer, file) || ours.some((dir) => path.startsWith(dir));
    });
    const diagnostics = [
      ...parsed.errors,
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    const errors = diagnostics
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
        if (!d.file) return `error TS${d.code}: ${message}`;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
        const where = relative(consumer, d.file.fileName);
        return `${where}(${line + 1},${character + 1}): error TS${d.code}: ${message}`;
      });
    results.push({ label, config, ok: errors.length === 0, errors, files: checked.length });
  }
  return results;
}

// Main ---------------------------------------------------------------------------------

const problems = [];
const summaries = [];
const base = mkdtempSync(join(tmpdir(), 'krate-consumer-'));

for (const pkg of packages) {
  const report = (message) => problems.push({ pkg: pkg.name, message });
  const subpaths = exportSubpaths(pkg.manifest);
  const missing = subpaths
    .flatMap((s) => [resolveSubpathTarget(pkg.manifest, s, 'import'), resolveSubpathTarget(pkg.manifest, s, 'require')])
    .concat(Object.values(binEntries(pkg.manifest)))
    .filter((t) => t && !existsSync(join(pkg.dir, t)));
  if (missing.length) {
    report(`not built (missing ${[...new Set(missing)].join(', ')}): run \`pnpm --filter ${pkg.name} build\``);
    continue;
  }

  const slug = pkg.name.replace(/[@/]/g, '_');
  const full = join(base, `${slug}-full`);
  const minimal = join(base, `${slug}-minimal`);
  let installed;
  let installedMinimal;
  try {
    installed = await install(full, pkg, { optionalPeers: true });
    installedMinimal = await install(minimal, pkg, { optionalPeers: false });
  } catch (error) {
    report(`cannot set up the consumer: ${error.message}`);
    continue;
  }

  // 1 + 2. import / require, parity, dual package hazard
  const result = await runtime(full, pkg, subpaths);
  const entries = [];
  if (result.crashed) {
    report(result.crashed);
  } else {
    for (const s of result.subpaths) {
      const specifier = subpathSpecifier(pkg.name, s.subpath);
      if (!s.esm.ok && !s.esm.skipped) report(`import('${specifier}') fails: ${s.esm.error}`);
      if (!s.cjs.ok && !s.cjs.skipped) report(`require('${specifier}') fails: ${s.cjs.error}`);
      if (s.subpath.endsWith('.json')) continue;
      const declaredByMode = {};
      if (s.esm.ok && s.cjs.ok && !sameNames(s.esm.names, s.cjs.names)) {
        const onlyEsm = diffNames(s.esm.names, s.cjs.names);
        const onlyCjs = diffNames(s.cjs.names, s.esm.names);
        report(`'${specifier}': the ESM and CommonJS builds export different names (only ESM: ${list(onlyEsm) || '-'}; only CJS: ${list(onlyCjs) || '-'})`);
      }
      for (const mode of modesOf(pkg, s.subpath)) {
        const typesFile = resolveSubpathTypes(pkg.manifest, s.subpath, mode);
        if (!typesFile) {
          report(`'${specifier}' has no "types" for "${mode}"`);
          continue;
        }
        let declared;
        try {
          declared = declaredExports(join(full, 'node_modules', ...pkg.name.split('/'), typesFile));
        } catch (error) {
          report(`cannot read ${typesFile}: ${error.message}`);
          continue;
        }
        const runtimeNames = (mode === 'import' ? s.esm : s.cjs).names;
        if (runtimeNames) {
          const declaredValues = declared.filter((d) => d.isValue).map((d) => d.name);
          const undeclared = diffNames(runtimeNames, declaredValues);
          const absent = diffNames(declaredValues, runtimeNames);
          if (undeclared.length) report(`'${specifier}' (${mode}): exported at run time but missing from ${typesFile}: ${list(undeclared)}`);
          if (absent.length) report(`'${specifier}' (${mode}): declared as values in ${typesFile} but missing at run time: ${list(absent)}`);
        }
        declaredByMode[mode] = declared;
      }
      entries.push({ subpath: s.subpath, declared: declaredByMode });
    }
    for (const f of result.failures) report(`dual package: ${f}`);
  }

  // 3. without optional peers
  const minimalSubpaths = subpaths.filter((s) => !mayNeedOptionalPeers(pkg.name, s));
  const optional = Object.entries(pkg.manifest.peerDependenciesMeta ?? {})
    .filter(([, m]) => m?.optional)
    .map(([n]) => n);
  if (optional.length && minimalSubpaths.length) {
    const bare = await runtime(minimal, pkg, minimalSubpaths);
    if (bare.crashed) report(`without optional peers: ${bare.crashed}`);
    else {
      for (const s of bare.subpaths) {
        for (const [mode, r] of [
          ['import', s.esm],
          ['require', s.cjs],
        ]) {
          if (r.ok || r.skipped) continue;
          const specifier = subpathSpecifier(pkg.name, s.subpath);
          const hint = r.missing && optional.includes(r.missing.split('/').slice(0, r.missing.startsWith('@') ? 2 : 1).join('/'))
            ? `it needs the optional peer "${r.missing}": make that peer required (drop it from peerDependenciesMeta), or move the code that needs it to a subpath of its own (or load it with a dynamic import())`
            : r.error;
          report(`${mode} '${specifier}' fails when the optional peers (${optional.join(', ')}) are not installed: ${hint}`);
        }
      }
    }
  }

  // 4. bins
  for (const [name, path] of Object.entries(binEntries(pkg.manifest))) {
    for (const [label, consumer] of [
      ['', full],
      [optional.length ? ' without optional peers' : '', minimal],
    ]) {
      if (consumer === minimal && !optional.length) continue;
      const out = await run(process.execPath, [join('node_modules', ...pkg.name.split('/'), path), '--help'], consumer);
      if (out.code !== 0 || !out.stdout.trim()) {
        const detail = (out.stderr || out.stdout).trim().split('\n').slice(0, 4).join(' | ') || '(no output)';
        report(`\`${name} --help\`${label} exits ${out.timedOut ? 'with a timeout' : out.code}${out.code === 0 ? ' with nothing on stdout' : ''}: ${detail}`);
      }
    }
  }

  // 5. tsc in both module systems
  let typesOk = 0;
  if (entries.length) {
    const sources = consumerSources(pkg, entries, result.plugin === true);
    for (const r of typecheck(full, sources)) {
      if (r.ok) typesOk++;
      else report(`tsc --noEmit, ${r.label} (reproduce with --keep, then \`tsc -p ${r.config}\` in the kept ${slug}-full folder): ${r.errors.length} error(s):\n      ${r.errors.slice(0, 12).join('\n      ')}${r.errors.length > 12 ? '\n      ...' : ''}`);
    }
  }

  summaries.push(
    `${pkg.name}: ${subpaths.length} subpath(s), installs ${installedMinimal.filter((n) => n !== pkg.name).join(', ') || 'nothing else'}` +
      `${installed.length > installedMinimal.length ? ` (+ optional peers: ${diffNames(installed, installedMinimal).join(', ')})` : ''}` +
      `${result.dual?.length ? `, ${result.dual.length} cross-copy checks` : ''}${entries.length ? `, tsc ${typesOk}/2` : ''}`,
  );
}

if (!keep) rmSync(base, { recursive: true, force: true });
else console.log(`consumer folders kept in ${base}`);

for (const s of summaries) console.log(`  ${s}`);
if (problems.length) {
  const byPackage = new Map();
  for (const p of problems) {
    if (!byPackage.has(p.pkg)) byPackage.set(p.pkg, []);
    byPackage.get(p.pkg).push(p.message);
  }
  console.error(`\nconsumer-smoke: ${problems.length} problem(s) in ${byPackage.size} of ${packages.length} packages (Node ${process.versions.node})\n`);
  for (const [name, messages] of byPackage) {
    console.error(name);
    for (const m of messages) console.error(`  x ${m}`);
  }
  console.error('');
  process.exit(1);
}
console.log(
  `consumer-smoke: ${packages.length} packages OK in clean consumers on Node ${process.versions.node} (import + require of every subpath the exports offer, ESM/CJS error identity, optional peers needed only where allowed, bins, tsc nodenext ESM + CJS)`,
);
