// Shared helpers for the package checks: the workspace's packages, their entry
// points, the files `npm pack` would publish, and the module specifiers a built
// file imports. Only Node.js built-ins and the root `typescript` devDependency.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const rootRequire = createRequire(join(ROOT, 'package.json'));

/** The TypeScript compiler API from the root devDependency. */
export function loadTypeScript() {
  try {
    return rootRequire('typescript');
  } catch {
    throw new Error('cannot load "typescript" from the repository root: run `pnpm install` first');
  }
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function toPosix(path) {
  return path.split(sep).join('/');
}

/** Strips a leading `./` and any trailing `/`. */
export function normalizeRelative(path) {
  return posix.normalize(toPosix(path)).replace(/^\.\//, '').replace(/\/$/, '');
}

/**
 * The folder patterns of pnpm-workspace.yaml. Only the `packages:` list is read;
 * patterns may be a folder, `folder/*` or `folder/**`, and `!pattern` excludes.
 */
function workspacePatterns() {
  const file = join(ROOT, 'pnpm-workspace.yaml');
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const patterns = [];
  let inPackages = false;
  for (const line of lines) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages) {
      const item = /^\s+-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (item) patterns.push(item[1].trim());
      else if (/^\S/.test(line)) inPackages = false;
    }
  }
  if (patterns.length === 0) throw new Error(`no "packages:" patterns found in ${file}`);
  return patterns;
}

function expandPattern(pattern) {
  const clean = normalizeRelative(pattern);
  if (clean.endsWith('/**') || clean.endsWith('/*')) {
    const base = join(ROOT, clean.replace(/\/\*\*?$/, ''));
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'node_modules')
      .map((d) => join(base, d.name));
  }
  return [join(ROOT, clean)];
}

/**
 * Every workspace package with a package.json, sorted by name:
 * `{ name, dir, rel, manifest }`.
 */
export function workspacePackages({ includePrivate = false } = {}) {
  const patterns = workspacePatterns();
  const excluded = new Set(patterns.filter((p) => p.startsWith('!')).flatMap((p) => expandPattern(p.slice(1))));
  const dirs = new Set(patterns.filter((p) => !p.startsWith('!')).flatMap(expandPattern));
  const packages = [];
  for (const dir of dirs) {
    if (excluded.has(dir) || !existsSync(join(dir, 'package.json'))) continue;
    const manifest = readJson(join(dir, 'package.json'));
    if (manifest.private && !includePrivate) continue;
    packages.push({ name: manifest.name, dir, rel: toPosix(relative(ROOT, dir)), manifest });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The leaves of an `exports` map: `{ subpath, conditions, target }` for every
 * string target (conditions lists the nested condition names, outermost first).
 */
export function exportTargets(manifest) {
  const out = [];
  const { exports } = manifest;
  if (exports === undefined) return out;
  const walk = (subpath, value, conditions) => {
    if (value === null) return;
    if (typeof value === 'string') {
      out.push({ subpath, conditions, target: value });
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) walk(subpath, v, conditions);
      return;
    }
    for (const [key, v] of Object.entries(value)) walk(subpath, v, [...conditions, key]);
  };
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (isSubpathMap) {
    for (const [subpath, value] of Object.entries(exports)) walk(subpath, value, []);
  } else {
    walk('.', exports, []);
  }
  return out;
}

/** Export subpaths (`.`, `./testing`, ...) in map order. */
export function exportSubpaths(manifest) {
  return [...new Set(exportTargets(manifest).map((t) => t.subpath))];
}

/** `bin` as `{ name: path }`. */
export function binEntries(manifest) {
  if (!manifest.bin) return {};
  if (typeof manifest.bin === 'string') return { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin };
  return { ...manifest.bin };
}

/** The file for a subpath under the `import` or `require` condition, like Node resolves it. */
export function resolveSubpathTarget(manifest, subpath, mode) {
  const value = manifest.exports?.[subpath] ?? (subpath === '.' ? manifest.exports : undefined);
  const conditions = mode === 'import' ? ['node', 'import', 'default'] : ['node', 'require', 'default'];
  const pick = (v) => {
    if (typeof v === 'string') return v;
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) return v.map(pick).find(Boolean);
    for (const [key, inner] of Object.entries(v)) {
      if (conditions.includes(key)) {
        const found = pick(inner);
        if (found) return found;
      }
    }
    return undefined;
  };
  return pick(value);
}

/** The declaration file for a subpath under `import` or `require` (the `types` condition). */
export function resolveSubpathTypes(manifest, subpath, mode) {
  const value = manifest.exports?.[subpath] ?? (subpath === '.' ? manifest.exports : undefined);
  const conditions = mode === 'import' ? ['types', 'node', 'import', 'default'] : ['types', 'node', 'require', 'default'];
  const pick = (v, underTypes) => {
    if (typeof v === 'string') return underTypes || /\.d\.[cm]?ts$/.test(v) ? v : undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    for (const [key, inner] of Object.entries(v)) {
      if (conditions.includes(key)) {
        const found = pick(inner, underTypes || key === 'types');
        if (found) return found;
      }
    }
    return undefined;
  };
  return pick(value, false);
}

/**
 * The files `npm pack` would put in the tarball, as paths relative to the
 * package folder. Throws with npm's own message when npm fails.
 */
export function packedFiles(dir) {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false', npm_config_fund: 'false' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        try {
          if (error) throw error;
          const parsed = JSON.parse(stdout.slice(stdout.indexOf('[')));
          resolvePromise(parsed[0].files.map((f) => normalizeRelative(f.path)).sort());
        } catch (failure) {
          const detail = String(stderr || failure.message).trim().split('\n').slice(-5).join('\n');
          reject(new Error(`\`npm pack --dry-run\` failed in ${toPosix(relative(ROOT, dir))}: ${detail}`));
        }
      },
    );
  });
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

/** Whether a specifier names a Node.js built-in (`node:fs`, `fs`, `fs/promises`). */
export function isBuiltin(specifier) {
  if (specifier.startsWith('node:')) return true;
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

export function isRelative(specifier) {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/');
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The module specifiers a JavaScript or declaration file refers to, found with the
 * TypeScript parser: static imports and re-exports, `require("x")`,
 * `require.resolve("x")`, `import("x")` with a literal, `import x = require("x")`
 * and `import("x")` types. Specifiers built at run time are not seen.
 */
const specifierCache = new Map();

export function moduleSpecifiers(file) {
  if (!specifierCache.has(file)) specifierCache.set(file, parseModuleSpecifiers(file));
  return specifierCache.get(file);
}

function parseModuleSpecifiers(file) {
  const ts = loadTypeScript();
  const text = readFileSync(file, 'utf8');
  const kind = /\.d\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const found = [];
  const literal = (node) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const s = literal(node.moduleSpecifier);
      if (s !== undefined) found.push({ specifier: s, typeOnly: Boolean(node.importClause?.isTypeOnly || node.isTypeOnly) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const s = literal(node.moduleReference.expression);
      if (s !== undefined) found.push({ specifier: s, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isRequireResolve =
        ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isRequireResolve || isDynamicImport) {
        const s = literal(node.arguments[0]);
        if (s !== undefined) found.push({ specifier: s, typeOnly: false, dynamic: isDynamicImport });
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const s = literal(node.argument.literal);
      if (s !== undefined) found.push({ specifier: s, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const JS_FILE = /\.(c|m)?js$/;
const DTS_FILE = /\.d\.(c|m)?ts$/;

export function isJsFile(path) {
  return JS_FILE.test(path) && !path.endsWith('.map');
}

export function isDtsFile(path) {
  return DTS_FILE.test(path);
}

/** Resolves a relative specifier from a built file to a file that exists, or undefined. */
export function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const declaration = isDtsFile(fromFile);
  const candidates = declaration
    ? [
        base.replace(/\.js$/, '.d.ts'),
        base.replace(/\.cjs$/, '.d.cts'),
        base.replace(/\.mjs$/, '.d.mts'),
        `${base}.d.ts`,
        join(base, 'index.d.ts'),
        base,
      ]
    : [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, join(base, 'index.js'), join(base, 'index.cjs')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * The files reachable from an entry through relative imports, and the bare
 * specifiers those files import: `{ files: Set<abs>, bare: Map<specifier, Set<abs file>>, unresolved: [] }`.
 */
export function entryGraph(entryFile) {
  const files = new Set();
  const bare = new Map();
  const unresolved = [];
  const queue = [entryFile];
  while (queue.length) {
    const file = queue.pop();
    if (files.has(file)) continue;
    files.add(file);
    if (!isJsFile(file) && !isDtsFile(file)) continue;
    for (const { specifier } of moduleSpecifiers(file)) {
      if (isRelative(specifier)) {
        const target = resolveRelative(file, specifier);
        if (target) queue.push(target);
        else unresolved.push({ from: file, specifier });
      } else {
        if (!bare.has(specifier)) bare.set(specifier, new Set());
        bare.get(specifier).add(file);
      }
    }
  }
  return { files, bare, unresolved };
}

/**
 * The real folder of a package as `dir` resolves it (pnpm links every declared
 * dependency into `dir/node_modules`), falling back to the root node_modules.
 */
export function dependencyDir(dir, name) {
  for (const base of [join(dir, 'node_modules'), join(ROOT, 'node_modules')]) {
    const candidate = join(base, ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  return undefined;
}

/** A short relative path for messages. */
export function rel(path) {
  return toPosix(relative(ROOT, path));
}

/**
 * The names a declaration file exports, read with the TypeScript checker:
 * `[{ name, isValue }]` where isValue is false for types, interfaces and
 * `export { type X }`. Throws when the file cannot be read as a module.
 */
export function declaredExports(typesFile) {
  const ts = loadTypeScript();
  const program = ts.createProgram([typesFile], {
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(typesFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${rel(typesFile)} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const typeOnlyExport = (symbol.declarations ?? []).some(
        (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent?.parent?.isTypeOnly),
      );
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const isValue = !typeOnlyExport && Boolean(target.flags & ts.SymbolFlags.Value);
      return { name: symbol.escapedName === 'default' ? 'default' : symbol.name, isValue };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
