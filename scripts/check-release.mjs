#!/usr/bin/env node
// What every public workspace package needs to be released, checked against the
// root package.json (the one place the repository's address is written):
//
//   - `license` as the root's, and a LICENSE file identical to the root LICENSE that
//     `files` publishes;
//   - `repository` (the root's URL plus the package's folder as `directory`),
//     `homepage` (its README on the default branch) and `bugs`;
//   - `publishConfig.access: public` for scoped names;
//   - every pending changeset names a public workspace package.
//
//   node scripts/check-release.mjs            check, exit 1 with every problem
//   node scripts/check-release.mjs --fix      write what is missing (new packages), then check
//   node scripts/check-release.mjs --publish  also require that no changeset is pending
//                                             (`pnpm changeset version` has been run and committed)

import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readJson, workspacePackages } from './lib/workspace.mjs';

const fix = process.argv.includes('--fix');
const publishing = process.argv.includes('--publish');
const root = readJson(join(ROOT, 'package.json'));
const problems = [];
const fixed = [];

const repoUrl = root.repository?.url;
const webUrl = repoUrl?.replace(/^git\+/, '').replace(/\.git$/, '');
if (!repoUrl || !root.homepage || !root.bugs?.url || !root.license) {
  console.error('check-release: the root package.json needs license, repository.url, homepage and bugs.url (the packages take theirs from it)');
  process.exit(1);
}
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

/** The fields a package should carry, in the order they are written after `license`. */
function expected(pkg) {
  return {
    license: root.license,
    repository: { type: 'git', url: repoUrl, directory: pkg.rel },
    homepage: `${webUrl}/tree/main/${pkg.rel}#readme`,
    bugs: { url: root.bugs.url },
  };
}

/** Inserts or replaces keys right after `after`, keeping the rest of the order. */
function withFields(manifest, fields, after) {
  const out = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (key in fields) continue;
    out[key] = value;
    if (key === after) Object.assign(out, fields);
  }
  // No `after` key: append them.
  return { ...out, ...Object.fromEntries(Object.entries(fields).filter(([k]) => !(k in out))) };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const packages = workspacePackages();

for (const pkg of packages) {
  const file = join(pkg.dir, 'package.json');
  let manifest = readJson(file);
  const want = expected(pkg);
  const wrong = Object.keys(want).filter((k) => !same(manifest[k], want[k]));
  const needsFiles = Array.isArray(manifest.files) && !manifest.files.includes('LICENSE');
  const needsAccess = pkg.name.startsWith('@') && manifest.publishConfig?.access !== 'public';
  if (fix && (wrong.length || needsFiles || needsAccess)) {
    manifest = withFields(manifest, want, 'description');
    if (needsFiles) manifest.files = [...manifest.files, 'LICENSE'];
    if (needsAccess) manifest.publishConfig = { ...manifest.publishConfig, access: 'public' };
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    fixed.push(`${pkg.rel}/package.json`);
  } else {
    for (const k of wrong) problems.push(`${pkg.name}: package.json "${k}" should be ${JSON.stringify(want[k])} (found ${JSON.stringify(manifest[k])})`);
    if (needsFiles) problems.push(`${pkg.name}: "files" does not publish LICENSE`);
    if (needsAccess) problems.push(`${pkg.name}: a scoped package needs "publishConfig": { "access": "public" }`);
  }
  const license = join(pkg.dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== rootLicense) {
    if (fix) {
      copyFileSync(join(ROOT, 'LICENSE'), license);
      fixed.push(`${pkg.rel}/LICENSE`);
    } else problems.push(`${pkg.name}: ${pkg.rel}/LICENSE ${existsSync(license) ? 'differs from' : 'is missing; copy'} the root LICENSE`);
  }
}

const names = new Set(packages.map((p) => p.name));
const changesetDir = join(ROOT, '.changeset');
const pending = readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md');
if (publishing && pending.length) {
  problems.push(`${pending.length} changeset(s) are pending (${pending.join(', ')}): run \`pnpm changeset version\`, review and commit the versions and CHANGELOGs, then release`);
}
for (const entry of pending) {
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(changesetDir, entry), 'utf8'));
  if (!front) {
    problems.push(`.changeset/${entry}: no frontmatter`);
    continue;
  }
  for (const line of front[1].split('\n').filter((l) => l.trim())) {
    const m = /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (!m) problems.push(`.changeset/${entry}: cannot read "${line}"`);
    else if (!names.has(m[1])) problems.push(`.changeset/${entry}: ${m[1]} is not a public workspace package`);
  }
}

if (fixed.length) console.log(`check-release: wrote ${fixed.join(', ')}`);
if (problems.length) {
  console.error(`check-release: ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}\n(node scripts/check-release.mjs --fix writes the package.json fields and LICENSE files)`);
  process.exit(1);
}
console.log(`check-release: ${packages.length} public packages carry license, LICENSE, repository, homepage and bugs`);
