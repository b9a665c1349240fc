#!/usr/bin/env node
// Checks the shape of every published workspace package against its build output:
//
//   a. every path in `exports`, `main`, `module`, `types` and `bin` exists;
//   b. `npm pack` would publish each of them (the `files` field covers them);
//   c. `engines.node` is set, and is the same in every package and the root;
//   d. dependencies match the built code: every bare specifier imported by the
//      files an entry point loads (dist/**/*.js, .cjs, .d.ts) is declared in
//      `dependencies` or `peerDependencies`, every declared one is imported;
//      testing-only modules (msw, @krate/contract-tests) are optional peers loaded
//      only by the `./testing` entry; a provider depends on @krate/core and its
//      vendor SDK only (its package.json "krate.vendorSdks");
//   e. a README exists and shows the install command.
//
// Run after `pnpm build`. Exits 1 with the list of problems.
//
//   node scripts/check-packages.mjs [--verbose]

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  binEntries,
  dependencyDir,
  entryGraph,
  exportTargets,
  isBuiltin,
  isDtsFile,
  isJsFile,
  normalizeRelative,
  packageNameOf,
  packedFiles,
  readJson,
  rel,
  workspacePackages,
} from './lib/workspace.mjs';

/**
 * The vendor SDKs a provider may depend on at run time, besides @krate/core: what its own
 * package.json declares under `"krate": { "vendorSdks": [...] }` (an empty list for a
 * provider on plain fetch). A new SDK is declared there on purpose, in the provider's folder.
 */
function vendorSdksOf(pkg) {
  const declared = pkg.manifest.krate?.vendorSdks;
  return Array.isArray(declared) && declared.every((name) => typeof name === 'string') ? declared : undefined;
}

/** The package every provider builds on. */
const CORE = '@krate/core';

/** Modules only a fake or a test needs: optional peers, loaded from TESTING_SUBPATHS only. */
const TESTING_ONLY = ['msw', '@krate/contract-tests'];
const TESTING_SUBPATHS = ['./testing'];
/** Packages whose whole purpose is testing: TESTING_ONLY does not apply to them. */
const TESTING_PACKAGES = ['@krate/contract-tests'];

/**
 * Whether a provider may also declare a dependency of @krate/core with the very
 * same range (it would add nothing to an install). Off: @krate/core re-exports
 * what providers need from its dependencies (`z` from zod), so a provider's
 * runtime dependencies are exactly @krate/core and its vendor SDK.
 */
const ALLOW_SAME_RANGE_CORE_DEPENDENCIES = false;

const verbose = process.argv.includes('--verbose');

const problems = [];
const warnings = [];
const notes = [];

function problem(pkg, message) {
  problems.push({ pkg: pkg.name, message });
}
function warn(pkg, message) {
  warnings.push({ pkg: pkg.name, message });
}

const rootManifest = readJson(join(ROOT, 'package.json'));
const packages = workspacePackages();
const coreManifest = packages.find((p) => p.name === CORE)?.manifest;

if (packages.length === 0) {
  console.error('check-packages: no published workspace packages found (is pnpm-workspace.yaml readable?)');
  process.exit(1);
}

/** The root's engines.node, else the one most packages declare. */
const expectedEngine =
  rootManifest.engines?.node ??
  Object.entries(
    packages.reduce((acc, p) => (p.manifest.engines?.node ? { ...acc, [p.manifest.engines.node]: (acc[p.manifest.engines.node] ?? 0) + 1 } : acc), {}),
  ).sort((a, b) => b[1] - a[1])[0]?.[0];

// `npm pack --dry-run` for every package at once: the authoritative list of published files.
const packedByDir = new Map(
  await Promise.all(
    packages.map(async (p) => [p.dir, await packedFiles(p.dir).then((files) => ({ files }), (error) => ({ error }))]),
  ),
);

for (const pkg of packages) {
  const { manifest, dir } = pkg;
  const buildHint = `run \`pnpm --filter ${pkg.name} build\``;

  // a. entry points exist ---------------------------------------------------
  /** @type {{ field: string, path: string, subpath?: string, conditions?: string[], bin?: string }[]} */
  const entries = [];
  for (const t of exportTargets(manifest)) {
    entries.push({ field: `exports["${t.subpath}"]${t.conditions.map((c) => `.${c}`).join('')}`, path: t.target, subpath: t.subpath, conditions: t.conditions });
  }
  for (const field of ['main', 'module', 'types', 'typings']) {
    if (typeof manifest[field] === 'string') entries.push({ field, path: manifest[field] });
  }
  for (const [name, path] of Object.entries(binEntries(manifest))) entries.push({ field: `bin["${name}"]`, path, bin: name });

  if (!manifest.exports) problem(pkg, 'has no "exports" map');
  const distMissing = !existsSync(join(dir, 'dist'));
  if (distMissing) problem(pkg, `dist/ does not exist: ${buildHint}`);

  const missingEntries = [];
  for (const entry of entries) {
    if (!entry.path.startsWith('./') && entry.field.startsWith('exports')) {
      problem(pkg, `${entry.field} is "${entry.path}": export targets must start with "./"`);
    }
    if (entry.path.includes('*')) continue; // patterns are checked against the packed files below
    if (!existsSync(join(dir, entry.path))) {
      missingEntries.push(entry);
      if (!distMissing) problem(pkg, `${entry.field} points to ${entry.path}, which does not exist after the build (${buildHint}, or fix the path)`);
    }
  }

  // b. the `files` field publishes them -----------------------------------------
  const packResult = packedByDir.get(dir);
  const packed = packResult.files ? new Set(packResult.files) : undefined;
  if (packResult.error) problem(pkg, packResult.error.message);
  if (packed) {
    for (const entry of entries) {
      const path = normalizeRelative(entry.path);
      if (path.includes('*')) {
        const pattern = new RegExp(`^${path.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
        if (![...packed].some((f) => pattern.test(f))) problem(pkg, `${entry.field} pattern "${entry.path}" matches no published file`);
        continue;
      }
      if (missingEntries.includes(entry)) continue;
      if (!packed.has(path)) {
        problem(pkg, `${entry.field} (${entry.path}) is not published: add it (or its folder) to "files" in package.json`);
      }
    }
  }

  // bins are runnable scripts
  for (const entry of entries.filter((e) => e.bin && !missingEntries.includes(e))) {
    const first = readFileSync(join(dir, entry.path), 'utf8').split('\n', 1)[0];
    if (!first.startsWith('#!')) problem(pkg, `${entry.field} (${entry.path}) has no "#!/usr/bin/env node" line: add banner: { js: '#!/usr/bin/env node' } to its tsup entry`);
  }

  // c. engines.node -------------------------------------------------------------
  const engine = manifest.engines?.node;
  if (!engine) problem(pkg, `"engines.node" is not set: add "engines": { "node": "${expectedEngine ?? '>=20.19.0'}" }`);
  else if (expectedEngine && engine !== expectedEngine) {
    problem(pkg, `"engines.node" is "${engine}" but ${rootManifest.engines?.node ? 'the root package.json says' : 'the other packages say'} "${expectedEngine}": use the same range everywhere`);
  }

  // e. README with the install command --------------------------------------------
  const readmeName = existsSync(dir) ? readdirSync(dir).find((f) => /^readme(\.md)?$/i.test(f)) : undefined;
  if (!readmeName) {
    problem(pkg, `has no README.md: write one with the install command (${installExample(manifest)}) and a usage example`);
  } else {
    const readme = readFileSync(join(dir, readmeName), 'utf8');
    if (!mentionsInstall(readme, manifest)) {
      problem(pkg, `${readmeName} does not show how to install it: add \`${installExample(manifest)}\``);
    }
    if (packed && !packed.has(readmeName)) problem(pkg, `${readmeName} is not published: add it to "files"`);
  }

  // d. dependencies against the built code -------------------------------------------
  if (distMissing) continue;
  checkDependencies(pkg, entries.filter((e) => !missingEntries.includes(e) && !e.path.includes('*')), packed);
}

/**
 * d. Walks the files each entry point loads and compares the bare specifiers they
 * import with the declared dependencies.
 */
function checkDependencies(pkg, entries, packed) {
  const { manifest, dir } = pkg;
  const deps = manifest.dependencies ?? {};
  const peers = manifest.peerDependencies ?? {};
  const peerMeta = manifest.peerDependenciesMeta ?? {};
  const devDeps = manifest.devDependencies ?? {};
  const declared = new Set([...Object.keys(deps), ...Object.keys(peers)]);

  /** name -> Map<file, Set<entry label>> */
  const imports = new Map();
  const reachable = new Set();
  const unresolved = [];
  for (const entry of entries) {
    const file = join(dir, entry.path);
    if (!isJsFile(file) && !isDtsFile(file)) continue; // JSON and package.json subpaths import nothing
    const label = entry.subpath ?? (entry.bin ? `bin ${entry.bin}` : entry.field);
    const graph = entryGraph(file);
    for (const f of graph.files) reachable.add(f);
    unresolved.push(...graph.unresolved);
    for (const [specifier, files] of graph.bare) {
      if (isBuiltin(specifier)) continue;
      const name = packageNameOf(specifier);
      if (name === manifest.name) continue;
      if (!imports.has(name)) imports.set(name, new Map());
      for (const f of files) {
        const byFile = imports.get(name);
        if (!byFile.has(f)) byFile.set(f, new Set());
        byFile.get(f).add(label);
      }
    }
  }

  const seenUnresolved = new Set();
  for (const { from, specifier } of unresolved) {
    if (seenUnresolved.has(`${from}\0${specifier}`)) continue;
    seenUnresolved.add(`${from}\0${specifier}`);
    problem(pkg, `${rel(from)} imports "${specifier}", which does not exist in the build output (stale or partial build? ${`run \`pnpm --filter ${pkg.name} build\``})`);
  }

  const where = (name) => {
    const byFile = imports.get(name);
    const files = [...byFile.keys()].map((f) => rel(f));
    return files.length > 2 ? `${files.slice(0, 2).join(', ')} and ${files.length - 2} more` : files.join(', ');
  };

  // every import is declared
  for (const name of [...imports.keys()].sort()) {
    if (declared.has(name)) continue;
    if (name in devDeps) {
      problem(pkg, `"${name}" is imported by ${where(name)} but is only a devDependency: consumers will not have it. Move it to "dependencies" (or to an optional peer if only ./testing needs it), or let tsup bundle it (noExternal)`);
    } else if (/^@krate\/provider-/.test(pkg.name) && coreManifest?.dependencies?.[name] !== undefined) {
      problem(pkg, `"${name}" is imported by ${where(name)} but is not declared; it is a dependency of ${CORE}: import it through ${CORE} (e.g. \`import { z } from '${CORE}'\`), or rebuild if the sources already do`);
    } else {
      problem(pkg, `"${name}" is imported by ${where(name)} but is not declared: add it to "dependencies"`);
    }
  }

  // every declared dependency is imported
  for (const name of Object.keys(deps).sort()) {
    if (!imports.has(name)) problem(pkg, `dependency "${name}" is not imported by any built file: remove it from "dependencies"`);
  }
  // A peer of a dependency or peer may be passed through as a peer (so it resolves to the consumer's copy).
  const peersOfDeclared = new Map();
  for (const name of declared) {
    const depDir = dependencyDir(dir, name);
    const depPeers = depDir ? Object.keys(readJson(join(depDir, 'package.json')).peerDependencies ?? {}) : [];
    for (const peer of depPeers) if (!peersOfDeclared.has(peer)) peersOfDeclared.set(peer, name);
  }
  for (const name of Object.keys(peers).sort()) {
    if (imports.has(name)) continue;
    const via = peersOfDeclared.get(name);
    if (via && imports.has(via)) {
      if (verbose) console.log(`${pkg.name}: peer "${name}" is not imported directly; it is a peer of "${via}", passed through`);
      continue;
    }
    problem(pkg, `peer dependency "${name}" is not imported by any built file${via ? ` (nor is "${via}", whose peer it is)` : ''}: remove it from "peerDependencies"`);
  }
  for (const name of Object.keys(deps)) {
    if (name in peers) problem(pkg, `"${name}" is both a dependency and a peer dependency: keep one`);
  }
  for (const name of Object.keys(peerMeta)) {
    if (!(name in peers)) problem(pkg, `peerDependenciesMeta names "${name}", which is not in "peerDependencies"`);
  }

  // testing-only modules
  if (!TESTING_PACKAGES.includes(pkg.name)) {
    for (const name of TESTING_ONLY) {
      if (name in deps) {
        problem(pkg, `"${name}" is a testing-only module but is in "dependencies": make it an optional peer ("peerDependencies" + "peerDependenciesMeta": { "${name}": { "optional": true } }) and a devDependency`);
      }
      if (name in peers && peerMeta[name]?.optional !== true) {
        problem(pkg, `peer "${name}" is testing-only and must be optional: add "peerDependenciesMeta": { "${name}": { "optional": true } }`);
      }
      const byFile = imports.get(name);
      if (!byFile) continue;
      for (const [file, labels] of byFile) {
        const outside = [...labels].filter((l) => !TESTING_SUBPATHS.includes(l));
        if (outside.length > 0) {
          problem(pkg, `"${name}" is testing-only but ${rel(file)} imports it and is loaded by ${outside.map((l) => `"${l}"`).join(', ')}: import it only from ${TESTING_SUBPATHS.join(', ')}`);
        }
      }
    }
  }

  // providers: @krate/core + vendor SDK only
  if (/^@krate\/provider-/.test(pkg.name)) {
    const vendor = vendorSdksOf(pkg);
    if (!vendor) {
      problem(pkg, `is a provider without "krate": { "vendorSdks": [...] } in its package.json: list the vendor SDK packages it may depend on ([] for none)`);
    } else {
      if (!(CORE in deps)) problem(pkg, `a provider must depend on "${CORE}" (in "dependencies")`);
      if (CORE in deps && !/^workspace:[\^~]/.test(deps[CORE]) && !/^[\^~]/.test(deps[CORE])) {
        problem(pkg, `"${CORE}" is declared as "${deps[CORE]}": use "workspace:^" so the published range accepts compatible releases`);
      }
      for (const name of Object.keys(deps).sort()) {
        if (name === CORE || vendor.includes(name)) continue;
        const coreRange = coreManifest?.dependencies?.[name];
        if (ALLOW_SAME_RANGE_CORE_DEPENDENCIES && coreRange !== undefined && coreRange === deps[name]) {
          notes.push(`${pkg.name}: "${name}" ${deps[name]} is also a dependency of ${CORE} with the same range (adds nothing to an install)`);
          continue;
        }
        const allowed = [CORE, ...vendor].map((n) => `"${n}"`).join(', ');
        const hint =
          coreRange !== undefined
            ? `; it is a dependency of ${CORE}: import what is needed from ${CORE} instead (e.g. \`import { z } from '${CORE}'\`) and remove "${name}" from "dependencies"`
            : '';
        problem(pkg, `"${name}" is a runtime dependency, but a provider may depend only on ${allowed}${hint}`);
      }
      for (const sdk of vendor) {
        if (!(sdk in deps)) {
          problem(pkg, `vendor SDK "${sdk}" is listed in "krate.vendorSdks" but not in "dependencies": ${imports.has(sdk) ? 'add it' : 'remove it from "krate.vendorSdks" if the provider no longer uses it'}`);
        }
      }
    }
  }

  // build output nothing loads (left from an earlier build: the tsup configs keep dist/ between builds)
  if (packed) {
    const orphans = [...packed].filter((f) => (isJsFile(f) || isDtsFile(f)) && f.startsWith('dist/') && !reachable.has(join(dir, f)));
    if (orphans.length > 0) {
      warn(
        pkg,
        `${orphans.length} published file(s) no entry point loads (stale build output?): ${orphans.slice(0, 4).join(', ')}${orphans.length > 4 ? ', ...' : ''}. Delete dist/ and rebuild; set clean: true in tsup.config.ts to avoid publishing them`,
      );
    }
  }

  if (verbose) {
    const summary = [...imports.keys()].sort().map((n) => `${n} <- ${[...new Set([...imports.get(n).values()].flatMap((s) => [...s]))].join(', ')}`);
    console.log(`${pkg.name}: imports ${summary.length ? summary.join('; ') : '(none)'}`);
  }
}

function installExample(manifest) {
  if (isCreatePackage(manifest)) return `npm create ${manifest.name.replace(/^create-/, '')}@latest`;
  return `npm install ${manifest.name}`;
}

function isCreatePackage(manifest) {
  return /^create-/.test(manifest.name) && !manifest.exports?.['.'];
}

function mentionsInstall(readme, manifest) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const name = escape(manifest.name);
  const tokenEnd = '(?=@|\\s|`|$)';
  const install = new RegExp(`\\b(?:npm\\s+(?:install|i|add)|pnpm\\s+(?:add|install|i)|yarn\\s+add|bun\\s+add)\\b[^\\n]*?(?:^|\\s)${name}${tokenEnd}`, 'm');
  if (install.test(readme)) return true;
  if (isCreatePackage(manifest)) {
    const short = escape(manifest.name.replace(/^create-/, ''));
    const create = new RegExp(`\\b(?:(?:npm|pnpm|yarn|bun)\\s+(?:create|init)\\s+${short}|npx\\s+${name})${tokenEnd}`, 'm');
    return create.test(readme);
  }
  return false;
}

// Report ------------------------------------------------------------------------------

for (const note of notes) console.log(`note: ${note}`);
for (const w of warnings) console.log(`warning: ${w.pkg}: ${w.message}`);

if (problems.length > 0) {
  const byPackage = new Map();
  for (const p of problems) {
    if (!byPackage.has(p.pkg)) byPackage.set(p.pkg, []);
    byPackage.get(p.pkg).push(p.message);
  }
  console.error(`\ncheck-packages: ${problems.length} problem(s) in ${byPackage.size} of ${packages.length} packages\n`);
  for (const [name, messages] of byPackage) {
    console.error(`${name}`);
    for (const m of messages) console.error(`  x ${m}`);
  }
  console.error('');
  process.exit(1);
}

console.log(
  `check-packages: ${packages.length} packages OK (exports/main/types/bin built and published, engines.node ${expectedEngine ?? 'consistent'}, dependencies match dist imports, READMEs show install)${warnings.length ? `, ${warnings.length} warning(s)` : ''}`,
);
